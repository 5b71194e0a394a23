"""The open website (issue 18): the front page with the offices from the data, advertised
positions with filters, an Atom feed and JSON (parsed back), JobPosting markup checked against
the fields Google requires, public routines, and cache headers. No login anywhere."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import jsonschema
import pytest
from django.core.cache import cache

from national import services
from offices.models import Office
from offices.permissions import Role
from positions.models import Status
from positions.services import medical_office_create, position_create

from .conftest import member

ATOM = "{http://www.w3.org/2005/Atom}"

# Google's required JobPosting properties (developers.google.com/search/docs/appearance/
# structured-data/job-posting): title, description, datePosted, hiringOrganization,
# jobLocation (with an address; addressCountry as a two-letter code); validThrough and
# employmentType are recommended and given here whenever known.
JOB_POSTING_SCHEMA = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "title",
        "description",
        "datePosted",
        "hiringOrganization",
        "jobLocation",
        "validThrough",
        "employmentType",
    ],
    "properties": {
        "@context": {"const": "https://schema.org/"},
        "@type": {"const": "JobPosting"},
        "title": {"type": "string", "minLength": 5},
        "description": {"type": "string", "minLength": 20},
        "datePosted": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "validThrough": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"},
        "employmentType": {
            "anyOf": [
                {"enum": ["FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY"]},
                {"type": "array", "items": {"enum": ["FULL_TIME", "CONTRACTOR"]}},
            ]
        },
        "hiringOrganization": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {"@type": {"const": "Organization"}, "name": {"minLength": 2}},
        },
        "jobLocation": {
            "type": "object",
            "required": ["@type", "address"],
            "properties": {
                "@type": {"const": "Place"},
                "address": {
                    "type": "object",
                    "required": ["@type", "addressLocality", "addressRegion", "addressCountry"],
                    "properties": {
                        "@type": {"const": "PostalAddress"},
                        "addressCountry": {"pattern": "^[A-Z]{2}$"},
                    },
                },
            },
        },
    },
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _advertised(office, user, municipality, *, form="fastlonn", name="Masfjorden legekontor"):
    medical_office = medical_office_create(
        office=office, acting_user=user, municipality=municipality, name=name, ownership="kommunal"
    )
    return position_create(
        office=office,
        acting_user=user,
        municipality=municipality,
        medical_office=medical_office,
        list_ceiling=900,
        employment_form=form,
        scheme="ny",
        status=Status.ADVERTISED,
    )


@pytest.fixture
def positions(vest, nord, masfjorden, vadso, coordinator_vest, coordinator_nord):
    vest_position = _advertised(vest, coordinator_vest, masfjorden)
    services.advertisement_save(
        office=vest,
        acting_user=coordinator_vest,
        position=vest_position,
        url="https://www.masfjorden.kommune.no/ledige-stillingar/alis",
        deadline=date(2027, 1, 10),
        description="Fastlege med <b>trygt</b> fagmiljø.",
    )
    nord_position = _advertised(
        nord, coordinator_nord, vadso, form="naering", name="Vadsø legesenter"
    )
    # Planned, not advertised: never shown.
    position_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        employment_form="fastlonn",
        scheme="ny",
    )
    return vest_position, nord_position


def test_front_page_explains_alis_and_lists_the_five_offices_from_the_data(client, db):
    Office.objects.filter(slug="midt").update(contact_phone="73 00 00 00")
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hva er ALIS?" in text
    for name in ("ALIS Nord", "ALIS Midt", "ALIS Vest", "ALIS Sør", "ALIS Øst"):
        assert name in text
    assert "post@alis-vest.no" in text and "73 00 00 00" in text
    assert "Vestland" in text and "Rogaland" in text  # the counties Vest serves
    assert "ALIS Nord er koordinerende kontor til og med 31.12.2026" in text
    assert 'href="/registrering/"' in text and 'href="/verify/"' in text
    assert 'href="/arrangementer/kontor/vest/"' in text
    assert 'href="/stillinger/"' in text
    # The page uses a CSRF token (language form), so it is never cached for everyone.
    assert "public" not in response["Cache-Control"] or not response.cookies


def test_a_change_of_an_offices_contact_shows_at_once_despite_the_cache(client, vest):
    assert "post@alis-vest.no" in client.get("/").content.decode()
    vest.contact_email = "kontakt@alis-vest.no"
    vest.save()
    assert "kontakt@alis-vest.no" in client.get("/").content.decode()


def test_open_positions_list_and_filters(client, positions):
    vest_position, nord_position = positions
    text = client.get("/stillinger/").content.decode()
    assert "2 stillinger" in text
    assert "Masfjorden legekontor" in text and "Vadsø legesenter" in text
    assert "10.01.2027" in text
    assert "https://www.masfjorden.kommune.no/ledige-stillingar/alis" in text
    assert "Vadsø legesenter" not in client.get("/stillinger/?office=vest").content.decode()
    assert "Masfjorden" not in client.get("/stillinger/?form=naering").content.decode()
    assert "Vadsø" not in client.get("/stillinger/?county=Vestland").content.decode()
    by_trust = client.get("/stillinger/?trust=" + _trust_code_of("4634")).content.decode()
    assert "Masfjorden legekontor" in by_trust and "Vadsø" not in by_trust


def _trust_code_of(number):
    from municipalities.models import HealthTrustArea

    return HealthTrustArea.objects.get(
        municipality__number=number, valid_to__isnull=True
    ).health_trust.code


def test_a_position_leaves_the_list_after_its_deadline(client, positions):
    import time_machine

    with time_machine.travel(date(2027, 1, 11), tick=False):
        text = client.get("/stillinger/").content.decode()
    assert "Masfjorden legekontor" not in text and "Vadsø legesenter" in text


def test_an_expired_advertisement_is_not_reachable_by_its_address_either(client, positions):
    import time_machine

    vest_position, nord_position = positions
    with time_machine.travel(date(2027, 1, 11), tick=False):
        assert client.get(f"/stillinger/{vest_position.pk}/").status_code == 404
        assert client.get(f"/stillinger/{nord_position.pk}/").status_code == 200


def test_a_page_that_sets_a_cookie_is_never_cached_for_everyone(client, positions):
    """A shared cache must not hand one visitor's CSRF cookie (and its token in the page) to
    the next: a public, cacheable answer sets no cookie."""
    vest_position, _nord = positions
    for url in ("/", "/stillinger/", f"/stillinger/{vest_position.pk}/", "/rutiner/"):
        client.cookies.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        if response.cookies:
            assert "public" not in response["Cache-Control"], url
            assert "private" in response["Cache-Control"], url


def test_atom_feed_and_json_parse_back(client, positions):
    vest_position, _nord = positions
    response = client.get("/stillinger/feed.atom?office=vest")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "ALIS-stilling ved Masfjorden legekontor, Masfjorden"
    ]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/stillinger/{vest_position.pk}/")

    data = json.loads(client.get("/stillinger/stillinger.json").content)
    by_id = {p["id"]: p for p in data["stillinger"]}
    assert by_id[vest_position.pk]["soknadsfrist"] == "2027-01-10"
    assert by_id[vest_position.pk]["kommuner"] == ["Masfjorden"]
    assert by_id[vest_position.pk]["listetak"] == 900
    assert len(by_id) == 2


def test_position_page_has_valid_job_posting_markup(client, positions):
    vest_position, nord_position = positions
    text = client.get(f"/stillinger/{vest_position.pk}/").content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    posting = json.loads(found.group(1))
    jsonschema.validate(posting, JOB_POSTING_SCHEMA)
    assert posting["hiringOrganization"]["name"] == "Masfjorden kommune"
    assert posting["jobLocation"]["address"]["addressRegion"] == "Vestland"
    assert posting["validThrough"].startswith("2027-01-10")
    assert posting["employmentType"] == "FULL_TIME"
    # The office's own words are escaped in the description (it is HTML in JobPosting).
    assert "&lt;b&gt;trygt&lt;/b&gt;" in posting["description"]
    assert "<b>" not in found.group(1)
    nord_posting = client.get(f"/stillinger/{nord_position.pk}/").content.decode()
    assert '"employmentType": "CONTRACTOR"' in nord_posting


def test_a_planned_position_has_no_public_page(client, vest, masfjorden, coordinator_vest):
    planned = position_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        employment_form="fastlonn",
        scheme="ny",
    )
    assert client.get(f"/stillinger/{planned.pk}/").status_code == 404


def test_only_public_approved_routines_are_shown_openly(client, nord, coordinator_nord):
    shown = services.routine_create(
        office=nord,
        acting_user=coordinator_nord,
        title="Rutine for veiledergrupper",
        owner_office=nord,
        review_due=date(2027, 6, 1),
        is_public=True,
        body="Gruppene møtes **månedlig**.",
    )
    services.routine_version_approve(
        office=nord,
        acting_user=member(nord, Role.COORDINATOR, email="kollega@nord.example.no"),  # four eyes
        version=shown.versions.get(),
        review_due=date(2027, 12, 1),
    )
    internal = services.routine_create(
        office=nord,
        acting_user=coordinator_nord,
        title="Intern rutine",
        owner_office=nord,
        review_due=date(2027, 6, 1),
        body="Bare for kontorene.",
    )
    text = client.get("/rutiner/").content.decode()
    assert "Rutine for veiledergrupper" in text and "Intern rutine" not in text
    page = client.get(f"/rutiner/{shown.pk}/").content.decode()
    assert "<strong>månedlig</strong>" in page
    assert client.get(f"/rutiner/{internal.pk}/").status_code == 404


def test_an_office_publishes_only_its_own_positions(client_for, positions, coordinator_nord):
    vest_position, _nord = positions
    client = client_for(coordinator_nord)
    assert client.get(f"/nord/nasjonalt/utlysninger/{vest_position.pk}/").status_code == 404
    assert "Masfjorden" not in client.get("/nord/nasjonalt/utlysninger/").content.decode()


def test_the_open_lists_run_the_same_queries_for_more_rows(
    client, vest, masfjorden, coordinator_vest
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    from municipalities.models import Municipality

    places = list(Municipality.objects.filter(office=vest).exclude(pk=masfjorden.pk)[:4])
    _advertised(vest, coordinator_vest, masfjorden, name="Legekontor 1")
    few = [
        count(u) for u in ("/stillinger/", "/stillinger/feed.atom", "/stillinger/stillinger.json")
    ]
    for n, place in enumerate(places, start=2):
        _advertised(vest, coordinator_vest, place, name=f"Legekontor {n}")
    many = [
        count(u) for u in ("/stillinger/", "/stillinger/feed.atom", "/stillinger/stillinger.json")
    ]
    assert many == few
