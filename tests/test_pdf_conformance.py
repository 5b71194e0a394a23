"""Every PDF the app makes is tagged (structure tree, marked content), says its language and
title, and embeds every font; the signed ones (confirmations, service certificates) are
PDF/A-3b with the signature stamp's font embedded too. (The application package is checked in
tests/test_records.py, where the five-year history builds it.)"""

import html
import re
import subprocess
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation
from django_scopes import scope

from agreements.rendering import agreement_pdf
from confirmations.rendering import render_pdf as unsigned_confirmation
from confirmations.services import (
    AchievedGoal,
    confirmation_request,
    service_certificate_request,
)
from confirmations.signing import SIGNATURE_BOX, check_pdf
from grants.exports import invoice_pdf, settlement_pdf
from grants.selectors import invoice_profile, settlement_data
from offices.pdf import render_pdf
from reports.models import Kind
from reports.rendering import report_pdf

from .agreement_helpers import add_service, make_agreement, make_trainee
from .grant_helpers import vest_grant_objects
from .pdf_checks import assert_pdfa_3b, assert_tagged, pdf_facts
from .test_reports import build

SIGNER = "Bjørn Ærlig-Østby, kommuneoverlege"


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


def stored(document) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


A4_HEIGHT = 842


def last_page_words(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    """(x min, y min, x max, y max, word) on the last page, y from the top, in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = out.split("<page ")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        pages[-1],
    )
    return [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in words]


def text_of(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_signed_documents_are_pdfa_3b_tagged_and_embed_the_stamp_font(
    vest,
    masfjorden,
    alis_masfjorden,
    leader_masfjorden,
    dev_pki,
    django_capture_on_commit_callbacks,
):
    doctor = make_trainee(vest, masfjorden, user=alis_masfjorden)
    period = add_service(doctor, start=date(2024, 9, 1), end=date(2025, 8, 31))
    goal = AchievedGoal(
        code="ALM-001",
        title="Læringsmål om allmennmedisin",
        approved_on=date(2025, 3, 10),
        approved_by="Liv Lunde",
        veileder_advice="Anbefalt",
        supervisor_advice="Anbefalt",
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = confirmation_request(
            office=vest,
            acting_user=leader_masfjorden,
            trainee=doctor,
            goals=[goal],
            signer_name=SIGNER,
        )
        certificate = service_certificate_request(
            office=vest, acting_user=leader_masfjorden, period=period, leaves=[], signer_name=SIGNER
        )
    for document in (confirmation, certificate):
        with scope(office=vest):
            document.refresh_from_db()
        pdf = stored(document)
        assert check_pdf(pdf, dev_pki.ca_cert).ok
        facts = assert_pdfa_3b(pdf)
        # The stamp brings one font more than the rendered page, embedded like the rest:
        # no unembedded standard font (pyHanko's default Courier) anywhere.
        before = pdf_facts(unsigned_confirmation(document)).fonts
        assert len(facts.fonts) == len(before) + 1, facts.fonts
        assert not [f for f in facts.fonts if "Courier" in f.name]
        # The stamp says who signed, with æ, ø and Ø intact, inside its box on the last page.
        assert f"Digitalt signert av {SIGNER}" in text_of(pdf)
        left, bottom, right, top = SIGNATURE_BOX
        stamp = [w for w in last_page_words(pdf) if A4_HEIGHT - top <= w[1] <= A4_HEIGHT - bottom]
        assert " ".join(w[4] for w in stamp).startswith(f"Digitalt signert av {SIGNER} ")
        assert all(left <= w[0] and w[2] <= right for w in stamp), stamp


@pytest.fixture
def grant_objects(vest, masfjorden, coordinator_vest):
    return vest_grant_objects(vest, coordinator_vest, masfjorden)


def test_every_kind_of_pdf_is_tagged_with_language_and_title(
    vest, masfjorden, coordinator_vest, grant_objects, django_capture_on_commit_callbacks
):
    agreement = make_agreement(make_trainee(vest, masfjorden, hpr="7654321", first="Kari"))
    report = build(
        vest,
        coordinator_vest,
        Kind.REGIONAL,
        django_capture_on_commit_callbacks,
    )
    with scope(office=vest):
        invoice = grant_objects["invoice"]
        settlement = settlement_data(
            vest, grant_objects["scheme"], grant_objects["claim"].year_start.year
        )
        kinds = {
            "avtale": agreement_pdf(agreement),
            "rapport": report_pdf(report),
            "faktura": invoice_pdf(invoice, invoice_profile(vest)),
            "årsoppgjør": settlement_pdf(vest, settlement),
        }
    titles = {}
    for kind, pdf in kinds.items():
        facts = assert_tagged(pdf, lang="nb")
        titles[kind] = facts.title
    assert titles["avtale"] == "ALIS-avtale – Kari Aase"
    assert titles["faktura"] == f"Faktura {invoice.number}"
    assert titles["rapport"].startswith("Statusrapport for ALIS Vest")
    assert titles["årsoppgjør"].startswith("Årsoppgjør – ")


def test_the_document_language_follows_the_language_it_is_written_in(vest, masfjorden):
    agreement = make_agreement(make_trainee(vest, masfjorden))
    for language in ("nn", "en"):
        with translation.override(language), scope(office=vest):
            pdf = agreement_pdf(agreement)
        assert pdf_facts(pdf).lang == language


def test_a_template_without_language_or_title_is_refused():
    with pytest.raises(ValueError, match="lang og title"):
        render_pdf("<!DOCTYPE html><html><body><p>Hei</p></body></html>")
    with pytest.raises(ValueError, match="title"):
        render_pdf('<!DOCTYPE html><html lang="nb"><body><p>Hei</p></body></html>')
    pdf = render_pdf(
        '<!DOCTYPE html><html lang="nb"><head><title>Brev</title></head><body><p>Hei</p></body>'
        "</html>"
    )
    assert pdf_facts(pdf).tagged
