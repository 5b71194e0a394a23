"""The office dashboard: the region's municipalities, searchable, and fast with all of them."""

from django.urls import reverse


def test_dashboard_lists_only_the_region(client_for, coordinator_nord):
    page = client_for(coordinator_nord).get("/nord/").content.decode()
    assert "80 kommuner" in page
    assert "Bodø" in page and "Masfjorden" not in page


def test_search_by_name_or_number_and_filter_by_county(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    assert "Masfjorden" in client.get("/vest/?q=masfj").content.decode()
    by_number = client.get("/vest/?q=4634").content.decode()
    assert "1 kommune" in by_number and "Masfjorden" in by_number
    rogaland = client.get("/vest/?fylke=Rogaland").content.decode()
    assert "23 kommuner" in rogaland and "Stavanger" in rogaland and "Masfjorden" not in rogaland


def test_htmx_request_returns_only_the_table(client_for, coordinator_vest):
    response = client_for(coordinator_vest).get("/vest/?q=berg", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body and "Bergen" in body


def test_dashboard_query_count_does_not_grow_with_rows(
    client_for, coordinator_vest, coordinator_nord, django_assert_max_num_queries
):
    # Vest (66 municipalities, 2 pages) and a one-row search cost the same number of queries.
    client = client_for(coordinator_vest)
    with django_assert_max_num_queries(12) as big:
        client.get(reverse("office_dashboard", args=["vest"]))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("office_dashboard", args=["vest"]) + "?q=4634")
    assert len(big.captured_queries) == len(small.captured_queries)


def test_dashboard_paginates(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    first = client.get("/vest/").content.decode()
    assert "Side 1 av 2" in first
    second = client.get("/vest/?side=2").content.decode()
    assert "Side 2 av 2" in second
