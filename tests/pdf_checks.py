"""What a PDF says about itself, read the way a checker would: the fonts as poppler's `pdffonts`
lists them (including the signature stamp's appearance), the PDF/A identification in the XMP
metadata, the output intent, and the tagging a screen reader relies on (structure tree, marked
content, document language and title). No PDF/A validator (veraPDF) can be installed here, so
these are the parts of conformance we can check ourselves."""

from __future__ import annotations

import io
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass(frozen=True)
class Font:
    name: str
    type: str
    embedded: bool


@dataclass(frozen=True)
class PdfFacts:
    fonts: list[Font]
    pdfa_part: str
    pdfa_conformance: str
    output_intents: list[str]  # each intent's /S, e.g. "/GTS_PDFA1"
    output_profile: bool  # the (first) intent carries an ICC profile
    marked: bool  # /MarkInfo /Marked true
    struct_tree: bool  # /StructTreeRoot with at least one element
    lang: str
    title: str  # /Info /Title
    xmp_title: str
    display_doc_title: bool

    @property
    def tagged(self) -> bool:
        return self.marked and self.struct_tree

    @property
    def unembedded_fonts(self) -> list[str]:
        return [f.name for f in self.fonts if not f.embedded]


def pdffonts(pdf: bytes) -> list[Font]:
    """Every font in the file (pages and annotation appearances), as poppler lists them."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "dokument.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout
    header, _rule, *rows = out.splitlines()
    # Columns are fixed width: find them from the header (a font name may hold spaces).
    type_at, emb_at = header.index("type"), header.index("emb")
    encoding_at = header.index("encoding")
    return [
        Font(
            name=row[:type_at].strip(),
            type=row[type_at:encoding_at].strip(),
            embedded=row[emb_at : emb_at + 3].strip() == "yes",
        )
        for row in rows
        if row.strip()
    ]


def _xmp_value(root: ET.Element, name: str) -> str:
    for element in root.iter():
        if name in element.attrib:
            return element.attrib[name]
        if element.tag == name:
            return (element.text or "").strip()
    return ""


def _xmp_title(root: ET.Element) -> str:
    for element in root.iter(f"{DC}title"):
        return " ".join(t.strip() for t in element.itertext() if t.strip())
    return ""


def _get(dictionary, key, default=None):
    """`dictionary[key]` with indirect references followed (pyHanko's `.get` does not)."""
    return dictionary[key] if dictionary is not None and key in dictionary else default


def pdf_facts(pdf: bytes) -> PdfFacts:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    root = reader.root
    part = conformance = xmp_title = ""
    if "/Metadata" in root:
        xmp = ET.fromstring(root["/Metadata"].data)
        part = _xmp_value(xmp, f"{PDFAID}part")
        conformance = _xmp_value(xmp, f"{PDFAID}conformance")
        xmp_title = _xmp_title(xmp)
    intents = list(_get(root, "/OutputIntents", []))
    struct = _get(root, "/StructTreeRoot")
    info = _get(reader.trailer, "/Info", {})
    preferences = _get(root, "/ViewerPreferences", {})
    return PdfFacts(
        fonts=pdffonts(pdf),
        pdfa_part=part,
        pdfa_conformance=conformance,
        output_intents=[str(_get(i.get_object(), "/S")) for i in intents],
        output_profile=bool(intents) and "/DestOutputProfile" in intents[0].get_object(),
        marked=bool(_get(_get(root, "/MarkInfo"), "/Marked", False)),
        struct_tree=struct is not None and "/K" in struct,
        lang=str(_get(root, "/Lang", "")),
        title=str(_get(info, "/Title", "")),
        xmp_title=xmp_title,
        display_doc_title=bool(_get(preferences, "/DisplayDocTitle", False)),
    )


def assert_tagged(pdf: bytes, *, lang: str = "nb") -> PdfFacts:
    """Tagged (structure tree + marked content), in `lang`, with a title a viewer shows, and
    every font embedded."""
    facts = pdf_facts(pdf)
    assert facts.marked, "MarkInfo /Marked er ikke true"
    assert facts.struct_tree, "mangler StructTreeRoot"
    assert facts.lang == lang, facts.lang
    assert facts.title.strip(), "mangler tittel"
    assert facts.display_doc_title, "viseren skal vise tittelen, ikke filnavnet"
    assert facts.fonts, "fant ingen skrifter"
    assert not facts.unembedded_fonts, facts.unembedded_fonts
    return facts


def assert_pdfa_3b(pdf: bytes, *, lang: str = "nb") -> PdfFacts:
    """PDF/A-3b as far as we can check here: declared in XMP, an output intent with its ICC
    profile, every font embedded (the signature stamp's too) — and tagged."""
    facts = assert_tagged(pdf, lang=lang)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("3", "B")
    assert facts.output_intents == ["/GTS_PDFA1"] and facts.output_profile
    assert facts.xmp_title == facts.title  # the Info title and the XMP title agree
    return facts
