"""ALIS agreements: the leader's flow, immutability after signing, templates, PDF, experience,
and who may see what (grants: tests/test_grants*.py)."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from agreements.models import Agreement, AgreementStatus, MeasureExperience
from agreements.rendering import TemplateBodyError, compile_body, render_body
from agreements.services import (
    agreement_amend,
    agreement_sign,
    agreement_template_revise,
    agreement_update,
    measure_experience_record,
)
from agreements.tasks import agreement_store_pdf
from municipalities.models import Municipality
from offices.permissions import Role

from .agreement_helpers import (
    add_service,
    make_agreement,
    make_trainee,
    national_template,
    office_template,
)
from .conftest import member


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().replace("\u00a0", " ").split())


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u00a0", " ").split())


@pytest.fixture
def trainee(vest, masfjorden, alis_masfjorden):
    t = make_trainee(vest, masfjorden, user=alis_masfjorden)
    add_service(t)
    return t


@pytest.fixture
def bergen(db):
    return Municipality.objects.get(number="4601")


@pytest.fixture
def leader_bergen(vest, bergen):
    return member(vest, Role.MUNICIPAL_LEADER, bergen, email="leder@bergen.example.no")


AGREEMENT_POST = {
    "position_type": "fastlege",
    "employment_form": "fastlonn",
    "percentage": "80",
    "start": "2024-09-01",
    "end": "2029-08-31",
    "extra_supervision_hours": "2",
    "reduced_list_to": "700",
    "income_guarantee": "850000",
    "course_budget": "40000",
    "network_gatherings_per_year": "4",
    "own_office": "on",
    "backup_on_call": "on",
    "on_call_load": "redusert",
    "other_measures": "Fast mentor første halvår.",
}


def test_leader_creates_and_signs_an_agreement(
    client_for, leader_masfjorden, trainee, django_capture_on_commit_callbacks
):
    client = client_for(leader_masfjorden)
    assert client.get("/vest/avtaler/ny/").status_code == 200
    template = national_template()
    response = client.post(
        "/vest/avtaler/ny/", {**AGREEMENT_POST, "trainee": trainee.pk, "template": template.pk}
    )
    assert response.status_code == 302
    with scope(office=trainee.office):
        agreement = Agreement.objects.get(trainee=trainee)
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.template_version.number == 1
    assert agreement.income_guarantee == Decimal("850000")
    page = text(client.get(response.url))
    assert "Ekstra veiledning: 2 timer per måned" in page
    assert "Inntektsgaranti: 850 000 kr per år" in page
    assert "Redusert liste: til 700 pasienter" in page

    sign_url = f"/vest/avtaler/{agreement.pk}/signer/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sign_url,
            {
                "signed_on": "2024-08-20",
                "municipality_signatory_name": "Liv Lunde",
                "municipality_signatory_title": "Kommuneoverlege",
                "doctor_signatory_name": "Anna Aase",
            },
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_on == date(2024, 8, 20)
    assert agreement.municipality_signatory_title == "Kommuneoverlege"
    assert agreement.signed_recorded_by == leader_masfjorden
    assert agreement.history.count() == 2  # created, signed
    # The signed PDF was stored by the task and is what the PDF link serves.
    assert agreement.pdf
    content = b"".join(client.get(f"/vest/avtaler/{agreement.pk}/pdf/").streaming_content)
    pdf = pdf_text(content)
    assert "Anna Aase" in pdf and "Liv Lunde" in pdf and "Signert 20.08.2024" in pdf


def test_sign_form_keeps_input_and_explains_errors(client_for, leader_masfjorden, trainee):
    agreement = make_agreement(trainee)
    response = client_for(leader_masfjorden).post(
        f"/vest/avtaler/{agreement.pk}/signer/",
        {"signed_on": "2099-01-01", "municipality_signatory_name": "Liv Lunde"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Signeringsdatoen kan ikke være i fremtiden." in page
    assert 'value="Liv Lunde"' in page
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_create_form_rejects_bad_period_and_keeps_input(client_for, leader_masfjorden, trainee):
    response = client_for(leader_masfjorden).post(
        "/vest/avtaler/ny/",
        {
            **AGREEMENT_POST,
            "end": "2023-01-01",
            "trainee": trainee.pk,
            "template": national_template().pk,
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "Sluttdatoen kan ikke være før startdatoen." in page
    assert 'value="Fast mentor første halvår."' in page or "Fast mentor første halvår." in page


def test_income_guarantee_and_small_list_compensation_are_allowed_together(
    client_for, leader_masfjorden, trainee
):
    """Seed 004: an agreement may hold an income guarantee and/or compensation for a small list
    (the app used to refuse both)."""
    response = client_for(leader_masfjorden).post(
        "/vest/avtaler/ny/",
        {
            **AGREEMENT_POST,
            "practice_compensation": "120000",
            "trainee": trainee.pk,
            "template": national_template().pk,
        },
        follow=True,
    )
    page = text(response)
    assert "ikke begge" not in page
    with scope(office=trainee.office):
        agreement = Agreement.objects.get(trainee=trainee)
    assert agreement.income_guarantee == Decimal("850000")
    assert agreement.practice_compensation == Decimal("120000")
    assert agreement.measures_in_use()[2:4] == ["inntektsgaranti", "praksiskompensasjon"]


def test_signed_agreement_cannot_be_edited_only_amended(
    client_for, vest, leader_masfjorden, trainee
):
    agreement = make_agreement(trainee, signed_on=date(2024, 8, 15))
    client = client_for(leader_masfjorden)
    response = client.get(f"/vest/avtaler/{agreement.pk}/endre/", follow=True)
    assert "kan ikke endres" in text(response)
    client.post(f"/vest/avtaler/{agreement.pk}/endre/", {**AGREEMENT_POST, "percentage": "50"})
    agreement.refresh_from_db()
    assert agreement.percentage == 100
    with pytest.raises(ValidationError):
        agreement_update(
            office=vest, acting_user=leader_masfjorden, agreement=agreement, percentage=50
        )
    with pytest.raises(ValidationError):
        agreement_sign(
            office=vest,
            acting_user=leader_masfjorden,
            agreement=agreement,
            signed_on=date(2024, 9, 1),
            municipality_signatory_name="X",
            municipality_signatory_title="Y",
            doctor_signatory_name="Z",
        )

    response = client.post(f"/vest/avtaler/{agreement.pk}/endringsavtale/")
    with scope(office=vest):
        amendment = Agreement.objects.get(supersedes=agreement)
    assert response.url == f"/vest/avtaler/{amendment.pk}/endre/"
    assert amendment.status == AgreementStatus.DRAFT
    assert amendment.reduced_list_to == 800  # the terms are copied
    agreement_update(office=vest, acting_user=leader_masfjorden, agreement=amendment, percentage=50)
    agreement_sign(
        office=vest,
        acting_user=leader_masfjorden,
        agreement=amendment,
        signed_on=date(2025, 1, 1),
        municipality_signatory_name="Liv Lunde",
        municipality_signatory_title="Kommuneoverlege",
        doctor_signatory_name="Anna Aase",
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUPERSEDED
    with pytest.raises(ValidationError):
        agreement_amend(office=vest, acting_user=leader_masfjorden, agreement=agreement)


def test_template_versions(client_for, vest, coordinator_vest, leader_masfjorden, trainee):
    template = office_template(vest, coordinator_vest)
    client = client_for(coordinator_vest)
    url = f"/vest/avtalemaler/{template.pk}/"
    response = client.post(url, {"body": "Ny tekst for {{ lege }}.", "change_note": "Kortere"})
    assert response.status_code == 302
    assert [v.number for v in template.versions.order_by("number")] == [1, 2]
    assert "Kortere" in text(client.get(url))
    # The same text again is not a new version; the error is shown and input kept.
    response = client.post(url, {"body": "Ny tekst for {{ lege }}.", "change_note": "Igjen"})
    assert "Teksten er uendret" in text(response)
    assert template.versions.count() == 2

    # An agreement records the version it was made from; later versions do not change it.
    leader = client_for(leader_masfjorden)
    leader.post(
        "/vest/avtaler/ny/", {**AGREEMENT_POST, "trainee": trainee.pk, "template": template.pk}
    )
    with scope(office=vest):
        agreement = Agreement.objects.get(trainee=trainee)
    assert agreement.template_version.number == 2
    agreement_template_revise(
        office=vest,
        acting_user=coordinator_vest,
        template=template,
        body="Versjon tre for {{ lege }}.",
        change_note="",
    )
    agreement.refresh_from_db()
    assert agreement.template_version.number == 2


def test_office_coordinator_cannot_revise_the_national_template(client_for, coordinator_vest):
    template = national_template()
    client = client_for(coordinator_vest)
    assert client.get(f"/vest/avtalemaler/{template.pk}/").status_code == 200
    response = client.post(f"/vest/avtalemaler/{template.pk}/", {"body": "x", "change_note": "y"})
    assert response.status_code == 403
    assert template.versions.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        '{% include "base.html" %}',
        "{% load static %}",
        "{% debug %}",
        "{{ lege|safe }}",
        "{% for t in tiltak|safeseq %}{{ t }}{% endfor %}",
        "{% if %}",
    ],
)
def test_unsafe_template_bodies_are_refused(body):
    with pytest.raises(TemplateBodyError):
        compile_body(body)


def test_template_values_are_escaped():
    html = render_body("Lege: {{ lege }}\n\nSlutt", {"lege": "<b>Ola</b> & co"})
    assert "&lt;b&gt;Ola&lt;/b&gt; &amp; co" in html
    assert html.count("<p>") == 2


def test_template_form_shows_error_for_unsafe_body(client_for, coordinator_vest):
    response = client_for(coordinator_vest).post(
        "/vest/avtalemaler/ny/", {"name": "Farlig", "body": "{% debug %}"}
    )
    assert response.status_code == 200
    assert "«{% debug %}» kan ikke brukes i avtalemaler" in text(response)


def test_pdf_contains_doctor_and_measures(client_for, leader_masfjorden, trainee):
    agreement = make_agreement(trainee, network_gatherings_per_year=3)
    response = client_for(leader_masfjorden).get(f"/vest/avtaler/{agreement.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = pdf_text(response.content)
    assert "Anna Aase" in pdf
    assert "Ekstra veiledning: 2 timer per måned" in pdf
    assert "Kursbudsjett: 30 000 kr" in pdf
    assert "Nettverkssamlinger: 3 per år" in pdf
    assert "Side 1 av" in pdf
    # The body came from the national template, rendered with the values.
    assert "mellom Masfjorden kommune og Anna Aase" in pdf


def test_task_stays_in_its_office(vest, nord, trainee):
    agreement = make_agreement(trainee, signed_on=date(2024, 8, 15))
    with pytest.raises(Agreement.DoesNotExist):
        agreement_store_pdf(nord.pk, agreement.pk)
    agreement_store_pdf(vest.pk, agreement.pk)
    agreement.refresh_from_db()
    assert "Anna Aase" in pdf_text(agreement.pdf.read())


def test_doctor_reads_own_agreement_only(client_for, vest, masfjorden, alis_masfjorden, trainee):
    own = make_agreement(trainee, signed_on=date(2024, 8, 15))
    other = make_agreement(make_trainee(vest, masfjorden, hpr="2223334", first="Per"))
    client = client_for(alis_masfjorden)
    assert client.get(f"/vest/avtaler/{own.pk}/").status_code == 200
    assert client.get(f"/vest/avtaler/{own.pk}/pdf/").status_code == 200
    assert client.get(f"/vest/avtaler/{other.pk}/").status_code == 403
    assert client.get(f"/vest/avtaler/{own.pk}/endre/").status_code == 403
    listing = text(client.get("/vest/avtaler/"))
    assert "Anna Aase" in listing and "Per Aase" not in listing


def test_leader_of_another_municipality_is_refused(client_for, leader_bergen, trainee):
    agreement = make_agreement(trainee, signed_on=date(2024, 8, 15))
    client = client_for(leader_bergen)
    for url in (
        f"/vest/avtaler/{agreement.pk}/",
        f"/vest/avtaler/{agreement.pk}/endre/",
        f"/vest/avtaler/{agreement.pk}/pdf/",
        f"/vest/avtaler/{agreement.pk}/erfaring/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/vest/avtaler/{agreement.pk}/endringsavtale/").status_code == 403
    assert "Anna Aase" not in text(client.get("/vest/avtaler/"))
    # Masfjorden's doctor is not offered when Bergen's leader makes an agreement.
    response = client.post(
        "/vest/avtaler/ny/",
        {**AGREEMENT_POST, "trainee": trainee.pk, "template": national_template().pk},
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in text(response)


def test_experience_recorded_and_aggregated(
    client_for, vest, bergen, leader_masfjorden, leader_bergen, coordinator_vest, trainee
):
    masfjorden_agreement = make_agreement(trainee, signed_on=date(2024, 8, 15))
    bergen_agreement = make_agreement(
        make_trainee(vest, bergen, hpr="3334445", first="Berit"),
        signed_on=date(2024, 8, 15),
        own_office=False,
    )
    make_agreement(make_trainee(vest, bergen, hpr="5556667", first="Utkast"))  # draft: not used
    response = client_for(leader_masfjorden).post(
        f"/vest/avtaler/{masfjorden_agreement.pk}/erfaring/",
        {"measure": "ekstra_veiledning", "rating": "5", "notes": "Veiledningen holdt legen her."},
    )
    assert response.status_code == 302
    measure_experience_record(
        office=vest,
        acting_user=leader_bergen,
        agreement=bergen_agreement,
        measure="ekstra_veiledning",
        rating=4,
        notes="Vanskelig å finne tid.",
    )
    measure_experience_record(
        office=vest,
        acting_user=leader_masfjorden,
        agreement=masfjorden_agreement,
        measure="eget_kontor",
        rating=3,
    )
    with pytest.raises(ValidationError):  # Bergen's agreement has no own office
        measure_experience_record(
            office=vest,
            acting_user=leader_bergen,
            agreement=bergen_agreement,
            measure="eget_kontor",
            rating=2,
        )
    with scope(office=vest):
        assert MeasureExperience.objects.count() == 3

    page = text(client_for(coordinator_vest).get("/vest/erfaringer/"))
    assert "2 kommuner har gjeldende eller tidligere signerte ALIS-avtaler." in page
    # measure, municipalities using it, ratings, average
    assert '<th scope="row">Ekstra veiledning</th> <td>2</td> <td>2</td> <td>4,5</td>' in page
    assert '<th scope="row">Eget kontor</th> <td>1</td> <td>1</td> <td>3,0</td>' in page
    assert '<th scope="row">Inntektsgaranti</th> <td>0</td> <td>0</td> <td>–</td>' in page
    assert "Veiledningen holdt legen her." in page and "Vanskelig å finne tid." in page
    assert client_for(leader_masfjorden).get("/vest/erfaringer/").status_code == 403


def test_list_pages_pin_their_query_counts(
    client_for,
    vest,
    masfjorden,
    leader_masfjorden,
    coordinator_vest,
    trainee,
    django_assert_num_queries,
):
    make_agreement(trainee, signed_on=date(2024, 8, 15))

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        for user, url in (
            (coordinator_vest, "/vest/avtaler/"),
            (coordinator_vest, "/vest/erfaringer/"),
            (coordinator_vest, "/vest/avtalemaler/"),
        ):
            client = client_for(user)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    for n in range(5):
        t = make_trainee(vest, masfjorden, hpr=f"900000{n}", first=f"Lege{n}")
        add_service(t)
        a = make_agreement(t, signed_on=date(2024, 8, 15))
        measure_experience_record(
            office=vest,
            acting_user=leader_masfjorden,
            agreement=a,
            measure="eget_kontor",
            rating=4,
            notes=f"Notat {n}",
        )
    assert counts() == before
    assert before == [6, 7, 5]  # the agreement list counts its total (pagination)


def test_another_offices_ids_do_not_exist_inside_my_office(
    client_for, vest, nord, vadso, coordinator_nord, trainee
):
    vest_agreement = make_agreement(trainee, signed_on=date(2024, 8, 15))
    vest_template = office_template(vest)
    nord_agreement = make_agreement(make_trainee(nord, vadso, hpr="8889990", first="Ahmed"))
    client = client_for(coordinator_nord)
    assert client.get(f"/nord/avtaler/{nord_agreement.pk}/").status_code == 200
    assert client.get(f"/nord/avtaler/{vest_agreement.pk}/").status_code == 404
    assert client.get(f"/nord/avtaler/{vest_agreement.pk}/pdf/").status_code == 404
    assert client.get(f"/nord/avtalemaler/{vest_template.pk}/").status_code == 404
    assert client.get(f"/nord/avtalemaler/{national_template().pk}/").status_code == 200
    listing = text(client.get("/nord/avtaler/"))
    assert "Ahmed Aase" in listing and "Anna Aase" not in listing
    templates = text(client.get("/nord/avtalemaler/"))
    assert "Vest-mal" not in templates and "Nasjonal mal for ALIS-avtale" in templates
