"""Issue 10, the critical part: no template can read the server, no key can be stolen.

Each test reproduces an attack the issue reported against the old code and shows it refused.
"""

import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django_scopes import scope

from agreements.models import Agreement, AgreementTemplateVersion
from agreements.rendering import TemplateBodyError, render_body
from offices.models import Office
from offices.pdf import render_pdf, safe_url_fetcher

from .agreement_helpers import add_service, make_agreement, make_trainee


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().replace("\u00a0", " ").split())


@pytest.fixture
def secret_file(tmp_path):
    """Stands in for the signing key, /proc/self/environ, … : a file outside the static roots."""
    path = tmp_path / "hemmelig-nokkel.pem"
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nSTJAALET-NOKKEL-1234567890\n")
    return path


@pytest.fixture
def listener():
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


# --- The URL fetcher every WeasyPrint render uses ---------------------------------------------


def render_fragment(body: str) -> bytes:
    """A fragment as a whole document (render_pdf refuses one without language or title)."""
    return render_pdf('<!DOCTYPE html><html lang="nb"><title>Test</title>' + body)


def test_a_static_file_can_be_attached_so_the_checks_below_can_fail():
    """The positive control: a file inside the static roots is fetched and embedded."""
    pdf = render_fragment('<p><a rel="attachment" href="css/alis.css">stil</a></p>')
    assert b"/EmbeddedFile" in pdf


def test_file_url_outside_the_static_roots_is_not_attached(secret_file):
    html = (
        f'<p><a rel="attachment" href="file://{secret_file}">x</a>'
        '<a rel="attachment" href="file:///etc/passwd">y</a></p>'
    )
    pdf = render_fragment(html)
    assert b"/EmbeddedFile" not in pdf
    assert b"STJAALET-NOKKEL" not in pdf


def test_relative_path_to_the_key_file_is_not_attached(secret_file):
    # Relative URLs resolve against the static directory; climb out with ../ to the key.
    static = Path(settings.BASE_DIR, "static").resolve()
    climb = "../" * len(static.parts) + str(secret_file).lstrip("/")
    pdf = render_fragment(
        f'<p><a rel="attachment" href="{climb}">x</a><img src="{climb}">'
        '<a rel="attachment" href="../alis/settings/base.py">y</a></p>'
    )
    assert b"/EmbeddedFile" not in pdf
    assert b"STJAALET-NOKKEL" not in pdf


def test_symlink_in_a_static_dir_pointing_outside_is_refused(settings, tmp_path, secret_file):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: blue }")
    (static / "lenke.pem").symlink_to(secret_file)
    settings.STATICFILES_DIRS = [static]
    fetcher = safe_url_fetcher()
    assert fetcher.fetch((static / "ok.css").as_uri()).read() == b"p { color: blue }"
    with pytest.raises(ValueError):
        fetcher.fetch((static / "lenke.pem").as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch((static / ".." / secret_file.name).as_uri())


def test_http_to_an_internal_address_is_never_requested(listener):
    base, requests = listener
    html = (
        f'<link rel="stylesheet" href="{base}/stil.css">'
        f'<p><img src="{base}/bilde.png"><a rel="attachment" href="{base}/env">x</a></p>'
        f'<p style="background: url({base}/bakgrunn.png)">tekst</p>'
    )
    pdf = render_fragment(html)
    assert requests == []
    assert b"/EmbeddedFile" not in pdf


def test_data_uris_still_work():
    fetcher = safe_url_fetcher()
    assert fetcher.fetch("data:text/plain;base64,aGVp").read() == b"hei"
    assert fetcher.fetch("data:text/css,p%20%7B%7D").read() == b"p {}"


def test_refused_fetches_are_logged(caplog, secret_file):
    with caplog.at_level("WARNING", logger="offices.pdf"):
        render_fragment(f'<a rel="attachment" href="file://{secret_file}">x</a>')
    assert any(str(secret_file) in record.getMessage() for record in caplog.records)


def test_every_weasyprint_render_goes_through_the_one_helper():
    """Grep: only offices/pdf.py constructs weasyprint.HTML (with the safe fetcher)."""
    offenders = []
    skip = {".venv", "node_modules", "tests", "var", "staticfiles", ".git"}
    top = [p for p in Path(settings.BASE_DIR).iterdir() if p.is_dir() and p.name not in skip]
    for path in (f for folder in top for f in folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "HTML(" in source and "weasyprint" in source and path.name != "pdf.py":
            offenders.append(str(path))
    assert offenders == []
    source = Path(settings.BASE_DIR, "offices", "pdf.py").read_text()
    assert "url_fetcher=safe_url_fetcher()" in source


# --- Agreement templates written by coordinators ------------------------------------------------


@pytest.fixture
def trainee(vest, masfjorden, alis_masfjorden):
    t = make_trainee(vest, masfjorden, user=alis_masfjorden)
    add_service(t)
    return t


def save_template(client, body, name="Angrep"):
    return client.post("/vest/avtalemaler/ny/", {"name": name, "body": body})


def agreement_with_body(trainee, body) -> Agreement:
    """An agreement whose template version holds `body` as stored (bypassing the form),
    as a body saved before the sandbox existed would be."""
    agreement = make_agreement(trainee)
    version = AgreementTemplateVersion.objects.create(
        template=agreement.template_version.template, number=99, body=body
    )
    with scope(office=trainee.office):
        Agreement.objects.filter(pk=agreement.pk).update(template_version=version)
        agreement.refresh_from_db()
    return agreement


def test_string_literal_with_markup_is_printed_as_text_not_attached(
    client_for, coordinator_vest, leader_masfjorden, trainee, secret_file
):
    body = (
        "Avtale for {{ lege }}.\n\n"
        f"{{{{ \"<a rel='attachment' href='file://{secret_file}'>vedlegg</a>\" }}}}\n\n"
        '<a rel="attachment" href="file:///etc/passwd">passord</a>'
    )
    response = save_template(client_for(coordinator_vest), body)
    assert response.status_code == 302  # accepted: it is just text now
    agreement = agreement_with_body(trainee, body)
    cache.clear()
    pdf = client_for(leader_masfjorden).get(f"/vest/avtaler/{agreement.pk}/pdf/").content
    assert pdf.startswith(b"%PDF")
    assert b"/EmbeddedFile" not in pdf
    assert b"STJAALET-NOKKEL" not in pdf
    text = pdf_text(pdf)
    assert "<a rel='attachment' href='file://" in text and "vedlegg</a>" in text
    assert '<a rel="attachment" href="file:///etc/passwd">passord</a>' in text


def test_values_literals_and_text_are_all_escaped():
    html = render_body(
        '<b>fet</b> {{ lege }} {{ "<i>x</i>" }} {{ lege|default("<u>") }} '
        '{{ andre_tiltak|default("<s>tom</s>") }} {{ "<em>ja</em>" if lege else "" }}',
        {"lege": "<script>alert(1)</script>"},
    )
    assert "<" not in html.replace("<p>", "").replace("</p>", "")
    assert "&lt;b&gt;fet&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html
    assert "&lt;s&gt;tom&lt;/s&gt;" in html and "&lt;em&gt;ja&lt;/em&gt;" in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ lege|center(1000000000) }}", "Filteret «center» kan ikke brukes"),
        ("{{ lege|indent(999999999, true) }}", "Filteret «indent» kan ikke brukes"),
        ('{{ "%999999999s"|format(lege) }}', "Filteret «format» kan ikke brukes"),
        ('{{ "x" * 1000000000 }}', "ikke «Mul»"),
        ("{{ lege ~ lege }}", "ikke «Concat»"),
        ("{% for i in range(10**9) %}x{% endfor %}", "kan bare gå gjennom en liste-plassholder"),
        (
            "{% for a in tiltak %}{% for b in tiltak %}{% for c in tiltak %}x"
            "{% endfor %}{% endfor %}{% endfor %}",
            "høyst 2 {% for %} inni hverandre",
        ),
        ('{% for c in "' + "x" * 500 + '" %}{{ c }}{% endfor %}', "liste-plassholder"),
        ("{{ lege.__class__.__mro__ }}", "ikke «Getattr»"),
        ("{{ lipsum.__globals__ }}", "ikke «Getattr»"),
        ('{% include "base.html" %}', "ikke «Include»"),
        ("{% set x = 1 %}", "ikke «Assign»"),
        ("{{ hemmelig }}", "Ukjent plassholder: hemmelig"),
        ("{{ lege|safe }}", "Filteret «safe» kan ikke brukes"),
        ("{% debug %}", "«{% debug %}» kan ikke brukes"),
        ("x" * 20_001, "Malen er for lang"),
    ],
)
def test_cpu_bombs_and_escapes_are_refused_when_saved(client_for, coordinator_vest, body, message):
    response = save_template(client_for(coordinator_vest), body)
    assert response.status_code == 200
    page = " ".join(response.content.decode().replace("\u00a0", " ").split())
    from html import unescape

    assert message in unescape(page)
    assert body[:50] in unescape(page)  # what the coordinator typed is kept
    with pytest.raises(TemplateBodyError):
        render_body(body, {"lege": "Ola"})


def test_a_stored_bomb_is_refused_at_render_time_with_a_message(
    client_for, leader_masfjorden, trainee
):
    agreement = agreement_with_body(trainee, "{{ lege|center(1000000000) }}")
    cache.clear()
    response = client_for(leader_masfjorden).get(f"/vest/avtaler/{agreement.pk}/pdf/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "PDF-en kan ikke lages" in page and "center" in page


def test_wrong_filter_arguments_are_refused_when_saved_not_at_render_time(
    client_for, coordinator_vest
):
    response = save_template(client_for(coordinator_vest), '{{ lege|default("x", "y", "z") }}')
    assert response.status_code == 200
    assert "Malen kan ikke fylles ut" in response.content.decode()
    with pytest.raises(TemplateBodyError):
        render_body("{{ tiltak|upper(1) }}", {"tiltak": ["a"]})


def test_output_that_grows_too_large_is_refused_when_saved(client_for, coordinator_vest):
    body = (
        '{% for a in tiltak %}{% for b in tiltak %}{{ andre_tiltak|join("'
        + "z" * 5000
        + '") }}{% endfor %}{% endfor %}'
    )
    response = save_template(client_for(coordinator_vest), body)
    assert response.status_code == 200
    assert "Den utfylte malen blir for lang" in response.content.decode()


def test_output_size_is_limited_at_render_time():
    separator = "y" * 15_000
    with pytest.raises(TemplateBodyError, match="for lang"):
        render_body(
            '{% for a in tiltak %}{% for b in tiltak %}{{ a|join("' + separator + '") }}'
            "{% endfor %}{% endfor %}",
            {"tiltak": ["abcdefghij"] * 9},
        )


def test_existing_bodies_keep_working_after_the_syntax_migration():
    import importlib

    migration = importlib.import_module("agreements.migrations.0003_template_bodies_jinja_syntax")
    old = (
        "{% for t in tiltak %}– {{ t }}\n{% empty %}Ingen tiltak.\n{% endfor %}"
        '{{ andre_tiltak|default:"ingen andre" }} {{ eget_kontor|yesno:"Eget kontor,Ikke eget" }}'
    )
    body = migration.to_jinja(old)
    assert migration.to_jinja(body) == body
    html = render_body(body, {"tiltak": [], "eget_kontor": ""})
    assert "Ingen tiltak." in html and "ingen andre" in html and "Ikke eget" in html
    html = render_body(body, {"tiltak": ["Kurs"], "eget_kontor": "ja"})
    assert "– Kurs" in html and "Eget kontor" in html


# --- Signing keys -------------------------------------------------------------------------------


def test_offices_sign_with_their_own_keys_and_a_sixth_office_gets_one(signing_settings, vest):
    from cryptography.hazmat.primitives.serialization import pkcs12

    from confirmations.pki import office_signing_key

    oslo = Office.objects.create(name="ALIS Oslo", slug="oslo")
    certificates = {}
    for office in (vest, oslo):
        path, password = office_signing_key(office)
        assert not path.resolve().is_relative_to(Path(settings.BASE_DIR).resolve())
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        key, cert, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), password)
        certificates[office.slug] = cert
        units = [a.value for a in cert.subject if a.oid.dotted_string == "2.5.4.11"]
        assert units == [office.slug]
    assert certificates["vest"].public_key() != certificates["oslo"].public_key()


def test_the_key_directory_is_outside_the_project_by_default():
    from confirmations.pki import forbidden_roots, is_inside

    base = subprocess.run(
        [sys.executable, "-c", "from alis.settings import base; print(base.ALIS_PKI_DIR)"],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if not k.startswith("ALIS_")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert not Path(base).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())
    assert not is_inside(base, forbidden_roots())


def test_a_key_directory_inside_the_project_fails_the_system_check(settings):
    from confirmations.checks import signing_keys_outside_project

    settings.ALIS_PKI_DIR = Path(settings.BASE_DIR) / "var" / "pki"
    assert [e.id for e in signing_keys_outside_project()] == ["alis.E001"]
    settings.ALIS_PKI_DIR = Path(settings.BASE_DIR) / "static" / "pki"
    assert [e.id for e in signing_keys_outside_project()] == ["alis.E001"]


def production_env(tmp_path, **extra):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ALIS_", "DJANGO_ALLOW"))},
        "DJANGO_SETTINGS_MODULE": "alis.settings.production",
        "SECRET_KEY": "x7Hq2LmP9vRt4WsYb8NcKd3Fg6JzQe1Ua5Xo0Iy-TnMr_Vh%Pl+Ck#Sj!Dw",
        "ALLOWED_HOSTS": "alis.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.update(extra)
    return env


def django_setup(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_key_ca_or_password(tmp_path):
    from confirmations.pki import Pki, create_ca

    pki = Pki(tmp_path / "pki", b"riktig-passord")
    create_ca(pki)
    cases = {
        "no directory": {"ALIS_SIGNING_PASSWORD": "riktig-passord"},
        "no password": {"ALIS_PKI_DIR": str(pki.directory)},
        "no CA": {"ALIS_PKI_DIR": str(tmp_path / "tom"), "ALIS_SIGNING_PASSWORD": "x"},
        "wrong password": {"ALIS_PKI_DIR": str(pki.directory), "ALIS_SIGNING_PASSWORD": "feil"},
    }
    for case, extra in cases.items():
        result = django_setup(production_env(tmp_path, **extra))
        assert result.returncode != 0, case
        assert "ImproperlyConfigured" in result.stderr, case
    ok = django_setup(
        production_env(
            tmp_path, ALIS_PKI_DIR=str(pki.directory), ALIS_SIGNING_PASSWORD="riktig-passord"
        )
    )
    assert ok.returncode == 0, ok.stderr


def test_nested_joins_are_refused_before_the_string_is_built():
    """A join whose separator is another join multiplies the output: nine levels over nine
    measures would be about 9 × 8⁸ ≈ 150 million characters (gigabytes of memory). The size is
    computed before joining, so the body is refused at once."""
    body = "{{ " + "tiltak|join(" * 9 + '"x"' + ")" * 9 + " }}"
    started = time.monotonic()
    with pytest.raises(TemplateBodyError, match="for lang"):
        render_body(body, {"tiltak": [f"Tiltak {n}" for n in range(9)]})
    assert time.monotonic() - started < 5
