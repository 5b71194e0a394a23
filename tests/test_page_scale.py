"""Issue 21: lists that grow with the office paginate, and each page's queries stay flat when
the office grows tenfold (30 → 300 doctors, with their positions, pool, activities and
submitted goals). Pages are those a user opens every day, at their production page size."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from goals.sample_catalogue import load_sample_catalogue
from municipalities.models import Municipality
from offices.permissions import Role

from .conftest import member
from .scale_data import grow_office

# (who, url, most queries a page may run: session, user and memberships included, and one
# count per list for its total). The two overviews show one standing per doctor on the page
# (25 doctors, 6 reads each) until the standings of a page are computed in one pass; flat all
# the same, since the page is fixed. (The agreement list is pinned in test_agreements.py.)
PAGES = [
    ("coordinator", "/vest/leger/", 8),  # + incoming transfer requests
    ("veileder", "/vest/signering/", 9),
    ("coordinator", "/vest/framdrift/oversikt/", 8 + 25 * 6),
    ("coordinator", "/vest/veiledningsoversikt/", 6 + 25 * 6),
    ("coordinator", "/vest/veilederpool/", 8),
    ("coordinator", "/vest/stillinger/", 6),
    ("coordinator", "/vest/oversikt/", 10),
    ("leader", "/vest/godkjenning/", 7),
    ("coordinator", "/vest/legekontor/", 8),
]


@pytest.fixture
def people(vest, masfjorden):
    load_sample_catalogue()
    municipalities = list(Municipality.objects.filter(office=vest, is_active=True)[:3])
    if masfjorden not in municipalities:
        municipalities[0] = masfjorden
    users = {
        "coordinator": member(vest, Role.COORDINATOR, email="k@vest.example.no"),
        "veileder": member(vest, Role.VEILEDER, masfjorden, email="v@vest.example.no"),
        "leader": member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="l@vest.example.no"),
    }
    return users, municipalities


def _get(user, url):
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def test_each_list_keeps_its_queries_flat_at_ten_times_the_office(vest, people):
    users, municipalities = people
    grow_office(vest, municipalities, 30, veileder=users["veileder"])
    small = {url: _get(users[who], url)[1] for who, url, _most in PAGES}
    grow_office(vest, municipalities, 270, first=30, veileder=users["veileder"])
    large = {url: _get(users[who], url)[1] for who, url, _most in PAGES}
    assert large == small
    over = {url: (small[url], most) for _who, url, most in PAGES if small[url] > most}
    assert not over, over


def test_the_doctor_list_shows_fifty_a_page_with_the_total_and_keeps_the_search(vest, people):
    users, municipalities = people
    grow_office(vest, municipalities, 120)
    page, _queries = _get(users["coordinator"], "/vest/leger/?q=Lege&side=2")
    assert "120 ALIS-leger" in page
    assert "Side 2 av 3: rad 51–100 av 120" in page
    assert len(re.findall(r'href="/vest/leger/\d+/"', page)) == 50
    nav = re.search(r'(?s)<nav class="pagination" aria-label="Sider">.*?</nav>', page).group(0)
    # Previous, next: the search stays in the links.
    assert 'href="?q=Lege&amp;side=1"' in nav and 'href="?q=Lege&amp;side=3"' in nav
    # Doctors 51–100 by last name: Etternavn00050 … Etternavn00099.
    assert "Etternavn00050" in page and "Etternavn00099" in page
    assert "Etternavn00049" not in page and "Etternavn00100" not in page


def test_a_page_past_the_end_shows_the_last_page(vest, people):
    users, municipalities = people
    grow_office(vest, municipalities, 60)
    page, _queries = _get(users["coordinator"], "/vest/leger/?side=9")
    assert "Side 2 av 2: rad 51–60 av 60" in page
    assert "Etternavn00059" in page


def test_the_progress_overview_pages_by_risk_and_by_name(vest, people):
    users, municipalities = people
    grow_office(vest, municipalities, 30)
    by_name, _q = _get(users["coordinator"], "/vest/framdrift/oversikt/?sorter=navn&side=2")
    assert "30 leger i utdanning." in by_name
    assert "Side 2 av 2: rad 26–30 av 30" in by_name
    # By name: the last five (Lege00025 … Lege00029) are on page 2.
    names = re.findall(r"Lege(\d{5}) Etternavn", by_name)
    assert names == ["00025", "00026", "00027", "00028", "00029"]
    assert 'href="?sorter=navn&amp;side=1"' in by_name
    # By risk: the doctors who started earliest (Lege00000 on 2.1.2023, one day apart) lag
    # most (no goal approved), so they come first.
    by_risk, _q = _get(users["coordinator"], "/vest/framdrift/oversikt/")
    first = re.findall(r"Lege(\d{5}) Etternavn", by_risk)
    assert first[:3] == ["00000", "00001", "00002"] and len(first) == 25


def test_the_sign_queue_pages_each_list_on_its_own(vest, people):
    users, municipalities = people
    grow_office(vest, municipalities, 300, veileder=users["veileder"])
    # The veileder supervises every fifth doctor: 60, each with one activity and one goal.
    page, _q = _get(users["veileder"], "/vest/signering/?maal=2")
    assert "60 aktiviteter venter." in page and "60 mål venter." in page
    assert page.count('name="activities"') == 50
    assert 'aria-label="Sider: aktivitetene"' in page and 'aria-label="Sider: målene"' in page
    assert "Side 1 av 2: rad 1–50 av 60" in page  # the activities
    assert "Side 2 av 2: rad 51–60 av 60" in page  # the goals
    # The activities' "next" keeps the goals' page.
    assert 'href="?maal=2&amp;side=2"' in page


def test_the_approval_queue_counts_everything_and_shows_a_page(vest, people):
    users, municipalities = people
    grow_office(vest, municipalities, 300)
    # The leader of Masfjorden sees the doctors there: every third of 300.
    page, _q = _get(users["leader"], "/vest/godkjenning/")
    assert "100 mål venter på godkjenning." in page
    assert len(re.findall(r'href="/vest/godkjenning/\d+/"', page)) == 50
    assert "Side 1 av 2: rad 1–50 av 100" in page


def test_the_benchmark_reference_pages_do_not_exist_without_their_flag():
    with pytest.raises(NoReverseMatch):
        reverse("benchmark_bare", args=["vest"])
