"""Issue 14, found when users tried it cold: the header names the person, numbers follow the
language, and an unknown address is the site's 404 page, also before logging in."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agreements.formatting import format_kr, format_number
from offices.numbers import format_decimal
from offices.permissions import Role
from plans.rules import format_hours

from .conftest import member

NBSP = "\u00a0"

# --- The header names the person ------------------------------------------------------------------


def header(client) -> str:
    html = client.get(reverse("inbox", args=["vest"])).content.decode()
    return html.split('<nav aria-label="Konto">', 1)[1].split("</nav>", 1)[0]


def test_header_shows_the_users_name_not_the_e_mail(client_for, vest):
    user = member(
        vest, Role.COORDINATOR, email="kari@vest.example.no", first_name="Kari", last_name="Lund"
    )
    nav = header(client_for(user))
    assert "Kari Lund" in nav
    assert "kari@vest.example.no" not in nav


def test_header_falls_back_to_the_e_mail_without_a_name(client_for, vest):
    user = member(
        vest, Role.COORDINATOR, email="uten.navn@vest.example.no", first_name="", last_name=""
    )
    assert "uten.navn@vest.example.no" in header(client_for(user))


# --- Numbers follow the language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "hours", "whole_hours", "amount", "whole_amount", "number"),
    [
        ("nb", "42,1 t", "20 t", f"2{NBSP}500,50{NBSP}kr", f"2{NBSP}500{NBSP}kr", f"12{NBSP}345,5"),
        ("nn", "42,1 t", "20 t", f"2{NBSP}500,50{NBSP}kr", f"2{NBSP}500{NBSP}kr", f"12{NBSP}345,5"),
        ("en", "42.1 h", "20 h", f"2,500.50{NBSP}kr", f"2,500{NBSP}kr", "12,345.5"),
    ],
)
def test_hours_amounts_and_numbers_follow_the_active_language(
    language, hours, whole_hours, amount, whole_amount, number
):
    with translation.override(language):
        assert format_hours(Decimal("42.14")) == hours
        assert format_hours(20) == whole_hours
        assert format_kr(Decimal("2500.5")) == amount
        assert format_kr(Decimal("2500")) == whole_amount
        assert format_number(Decimal("12345.5")) == number
        assert format_decimal(Decimal("10.50")) == ("10.5" if language == "en" else "10,5")


@pytest.mark.parametrize(
    ("language", "expected", "not_expected"),
    [("en", "200,000", f"200{NBSP}000"), ("nn", f"200{NBSP}000", "200,000")],
)
def test_grant_amounts_on_a_page_follow_the_users_language(
    client_for, vest, language, expected, not_expected
):
    user = member(vest, Role.COORDINATOR, email=f"{language}@vest.example.no")
    user.language = language
    user.save(update_fields=["language"])
    html = client_for(user).get(reverse("grant_overview", args=["vest"])).content.decode()
    assert f"{expected}{NBSP}kr" in html  # the Vest pilot scheme: 200 000 kr
    assert f"{not_expected}{NBSP}kr" not in html


# --- An unknown address is a 404, also before logging in ---------------------------------------


@pytest.mark.parametrize("path", ["/finnesikke/", "/finnesikke/innboks/", "/vest/finnesikke/"])
def test_anonymous_visitor_gets_the_404_page_for_an_unknown_address(db, path):
    response = Client().get(path)
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()  # the project's own 404 page


def test_anonymous_visitor_is_still_sent_to_log_in_for_a_real_office_page(db, vest):
    response = Client().get("/vest/innboks/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
