"""The one way this project turns HTML into a PDF.

Every WeasyPrint render goes through `render_pdf()`, which passes `SafeURLFetcher`: a document
can load the project's own static files (fonts, CSS, images) and `data:` URIs, nothing else.
No `file://` outside the static roots (so no key file, no `/proc/self/environ`), no `http(s)://`
(so no request to an internal address), no relative path that climbs out with `..` or a
symlink. A refused URL is logged and produces nothing in the PDF (WeasyPrint swallows the error
and leaves the resource out), so a `<a rel="attachment">` cannot embed a file.

Renders are bounded: the HTML has a maximum size, and the render has a wall-clock limit
(SIGALRM where we run in the main thread — gunicorn's sync workers, Celery's prefork children;
the Celery tasks that render also carry `soft_time_limit`/`time_limit`).
"""

from __future__ import annotations

import base64
import logging
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

log = logging.getLogger("offices.pdf")

# Generous for our documents (a confirmation is ~40 kB of HTML), small enough to bound layout.
MAX_HTML_CHARS = 2_000_000
RENDER_SECONDS = 30
# Celery tasks that render: soft limit raises in the task, hard limit kills the child.
TASK_SOFT_TIME_LIMIT = 60
TASK_TIME_LIMIT = 90


class RenderLimitError(Exception):
    """The document could not be made (too large, or took too long). The message is for users."""


def static_roots() -> list[Path]:
    """The directories a document may read from: the static source dirs and STATIC_ROOT."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    resolved = []
    for root in roots:
        try:
            resolved.append(root.resolve(strict=True))
        except OSError:
            continue  # a root that does not exist (e.g. STATIC_ROOT before collectstatic)
    return resolved


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def safe_url_fetcher():
    """A fresh `SafeURLFetcher` (the class is built lazily: WeasyPrint is slow to import)."""
    return _safe_fetcher_class()()


_CLASS = None


def _safe_fetcher_class():
    global _CLASS
    if _CLASS is None:
        from weasyprint.urls import URLFetcher, URLFetcherResponse  # slow import

        class SafeURLFetcher(URLFetcher):
            """Serves `data:` URIs and files inside the static roots; refuses everything else."""

            def __init__(self, **kwargs):
                super().__init__(allowed_protocols=("data", "file"), **kwargs)
                self.roots = static_roots()

            def fetch(self, url, headers=None):
                scheme = urlsplit(url).scheme.lower()
                if scheme == "data":
                    return self._data(url)
                if scheme == "file":
                    return self._file(url)
                return self._refuse(url, "protokollen er ikke tillatt")

            def _data(self, url):
                header, _sep, payload = url[5:].partition(",")
                if not _sep:
                    return self._refuse(url, "ugyldig data-URI")
                mime, *params = header.split(";")
                if params and params[-1].lower() == "base64":
                    body = base64.b64decode(payload)
                    params = params[:-1]
                else:
                    body = unquote(payload).encode()
                headers = {"Content-Type": mime or "text/plain"}
                for param in params:
                    if param.lower().startswith("charset="):
                        headers["Content-Type"] += f"; {param}"
                return URLFetcherResponse(url, body, headers)

            def _file(self, url):
                parts = urlsplit(url)
                if parts.netloc not in ("", "localhost"):
                    return self._refuse(url, "fil på en annen maskin")
                try:
                    # resolve() follows symlinks and removes `..`: what is checked is what is read.
                    path = Path(unquote(parts.path)).resolve(strict=True)
                except OSError:
                    return self._refuse(url, "filen finnes ikke")
                if not path.is_file() or not _inside(path, self.roots):
                    return self._refuse(url, "filen ligger utenfor de statiske filene")
                return URLFetcherResponse(path.as_uri(), path.read_bytes())

            def _refuse(self, url, reason):
                log.warning("PDF: hentet ikke %s (%s)", url[:200], reason)
                raise ValueError(f"Refused URL {url[:200]!r}: {reason}")

        _CLASS = SafeURLFetcher
    return _CLASS


def base_url() -> str:
    """Relative URLs in a document resolve inside the project's own static directory."""
    return (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"


@contextmanager
def time_limit(seconds: float, message: str = ""):
    """Raise RenderLimitError(message) after `seconds` of wall-clock time.

    Uses SIGALRM, so it acts only in the main thread (gunicorn sync workers, Celery prefork
    children, tests); elsewhere the Celery task limits are the net.
    """
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def _expired(signum, frame):
        raise RenderLimitError(message or _("Dokumentet tok for lang tid å lage."))

    previous = signal.signal(signal.SIGALRM, _expired)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if previous_timer[0]:
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF as it is, byte for byte (in PDF/A-3 with its relationship
    to the document: "Source", "Data", "Supplement", …). The bytes come from the caller, never
    from a URL, so the safe fetcher's rules are not loosened by attaching."""

    name: str
    data: bytes
    description: str = ""
    relationship: str = "Supplement"


def render_pdf(
    html: str,
    *,
    seconds: int = RENDER_SECONDS,
    attachments: tuple[PdfAttachment, ...] | list[PdfAttachment] = (),
    **write_options,
) -> bytes:
    """HTML → PDF bytes with the safe URL fetcher, a size limit and a time limit.

    Every PDF is tagged (a structure tree, /MarkInfo /Marked true: screen readers and reflow
    can read it) and says its language and title: the template's `<html lang>` becomes /Lang
    and its `<title>` the document title shown by viewers; a template without either is a
    programming error and refused here. `write_options` go to `write_pdf` (e.g.
    `pdf_variant="pdf/a-3b"`); `attachments` are embedded files (see `PdfAttachment`).
    """
    from weasyprint import DEFAULT_OPTIONS, HTML, Attachment  # slow import (~0.6 s)

    if len(html) > MAX_HTML_CHARS:
        raise RenderLimitError(_("Dokumentet er for stort til å lages som PDF."))
    options = {**DEFAULT_OPTIONS, "pdf_tags": True, **write_options}
    if attachments:
        options["attachments"] = [
            Attachment(
                string=a.data,
                name=a.name,
                description=a.description or None,
                relationship=a.relationship,
                url_fetcher=safe_url_fetcher(),
            )
            for a in attachments
        ]
    with time_limit(seconds):
        source = HTML(string=html, base_url=base_url(), url_fetcher=safe_url_fetcher())
        document = source.render(**options)
        missing = [name for name in ("lang", "title") if not getattr(document.metadata, name)]
        if missing:
            raise ValueError(f"PDF-malen mangler {' og '.join(missing)} (<html lang>, <title>)")
        return document.write_pdf(**{key: options[key] for key in DEFAULT_OPTIONS})
