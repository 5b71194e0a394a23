"""User-written text of the national workspace (agendas, minutes, routines) as safe HTML.

Markdown is parsed by markdown-it-py (CommonMark) with raw HTML off, so every `<` a user types is
printed as text; images are off (no requests to other servers from a reader's browser); links
only to http(s) and mailto addresses (markdown-it already refuses javascript:, vbscript:, file:
and data:; we refuse everything else too) and they carry rel="nofollow noopener". Headings are
moved two levels down (a `#` becomes `<h3>`) so the user's text sits under the page's own
headings. Text longer than MAX_CHARS is refused when it is saved (forms) and cut when shown.
See SECURITY.md.
"""

from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MAX_CHARS = 50_000
ALLOWED_SCHEMES = {"http", "https", "mailto"}
HEADING_SHIFT = 2


class _SafeMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        if not super().validateLink(url):
            return False
        scheme = urlsplit(url.strip()).scheme.lower()
        return scheme in ALLOWED_SCHEMES


def _shift_headings_and_mark_links(state) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("rel", "nofollow noopener")


_md = _SafeMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")
_md.core.ruler.push("alis_headings_links", _shift_headings_and_mark_links)


def render_markdown(text: str) -> SafeString:
    """The text as HTML; nothing the user wrote becomes markup beyond what Markdown allows."""
    if not text:
        return mark_safe("")
    # markdown-it escapes all text and attribute values and refuses raw HTML (html=False).
    return mark_safe(_md.render(text[:MAX_CHARS]))  # noqa: S308
