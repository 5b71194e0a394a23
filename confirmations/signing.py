"""PAdES signatures with pyHanko: sign a rendered confirmation, and check one."""

import asyncio
import functools
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from offices.pdf import RenderLimitError, time_limit


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    signer: str = ""
    signer_office: str = ""  # the slug in the certificate's OU (each office has its own key)
    damaged: bool = False  # not a readable PDF

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted


# The visible signature box on the last page (PDF points; A4 is 595 × 842). The template
# reserves this area at the bottom of the last page.
SIGNATURE_BOX = (56, 60, 300, 130)
STAMP_FONT_SIZE = 10
# The characters the stamp can show (a signer's name, a date): Latin with every extension,
# Greek, Cyrillic, punctuation and the euro sign.
STAMP_FONT_RANGES = (
    (0x20, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20AC, 0x20AC),
)


@functools.cache
def stamp_font_bytes(path: str) -> bytes:
    """The stamp font, cut to `STAMP_FONT_RANGES` and scaled to 1000 units per em (once per
    process, about a second).

    pyHanko (0.38) writes a glyph's width in the font's own units where PDF counts 1000 to the
    em; DejaVu Sans has 2048, which spread the stamp text out over twice its width and cut it
    off. At 1000 units per em the two agree (and the widths in the font dictionary match the
    embedded font program, which PDF/A requires)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    options = subset.Options()
    options.layout_features = ["*"]  # keep kerning and ligatures for HarfBuzz
    options.name_IDs = ["*"]
    options.hinting = False  # instructions mean nothing in a PDF and are slow to scale
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in STAMP_FONT_RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def stamp_style():
    """The visible stamp, in a TrueType font that pyHanko subsets and embeds (shaped by
    HarfBuzz, so æ, ø and å in a name come out right). pyHanko's default is Courier as a
    standard font that is not embedded, which PDF/A forbids."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = Path(settings.ALIS_STAMP_FONT)
    if not font.is_file():
        raise ImproperlyConfigured(
            f"Skriften til signaturstempelet finnes ikke: {font} (ALIS_STAMP_FONT)."
        )

    class StampFont(GlyphAccumulatorFactory):
        """pyHanko's factory, reading the prepared font from memory instead of the file."""

        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(stamp_font_bytes(self.font_file)),
                font_size=self.font_size,
                bcp47_lang_code=self.bcp47_lang_code,
                obj_stream=obj_stream,
            )

    return TextStampStyle(
        stamp_text="Digitalt signert av %(signer)s\n%(ts)s",
        timestamp_format="%d.%m.%Y %H:%M %Z",
        text_box_style=TextBoxStyle(
            # The engine's size and the box's size must be the same (pyHanko lays out the
            # lines with the one and draws with the other).
            font=StampFont(str(font), font_size=STAMP_FONT_SIZE, bcp47_lang_code="nb"),
            font_size=STAMP_FONT_SIZE,
        ),
    )


def sign_pdf(
    pdf: bytes,
    *,
    p12: Path,
    password: bytes,
    signer_name: str,
    location: str,
    reason: str = "Bekreftelse på oppnådde læringsmål",
) -> bytes:
    """Sign with pyHanko, whose synchronous API runs its own event loop: where this thread
    already runs one (an async caller, a browser driver in the same process), sign in a
    worker thread instead of failing."""
    return _off_the_running_loop(_sign_pdf, pdf, p12, password, signer_name, location, reason)


def _off_the_running_loop(call, *args):
    """Run `call` here, or in a worker thread when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call, *args).result()


def _sign_pdf(
    pdf: bytes, p12: Path, password: bytes, signer_name: str, location: str, reason: str
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(
        writer, fields.SigFieldSpec("Signatur", on_page=-1, box=SIGNATURE_BOX)
    )
    meta = signers.PdfSignatureMetadata(
        field_name="Signatur",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=signer_name,
    )
    out = signers.PdfSigner(meta, signer=signer, stamp_style=stamp_style()).sign_pdf(writer)
    return out.getvalue()


def load_trust_root(path: Path):
    data = path.read_bytes()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def check_pdf(pdf: bytes, trust_root_path: Path) -> SignatureCheck:
    """Is the PDF signed, unchanged since signing, and signed by a certificate we trust?

    Any file at all may arrive here (the check is public): a damaged or hostile PDF (garbage,
    broken xref, deep nesting) gives `SignatureCheck(signed=False, damaged=True)`, never an
    exception, and the check stops after `CHECK_SECONDS`.
    """
    # A signed PDF ends with a cross-reference pointer and %%EOF (an incremental signature
    # update adds its own at the end). Anything else is refused before the parser sees it, so
    # a large file of zeros costs nothing (timers do not interrupt threaded servers).
    if b"%%EOF" not in pdf[-2048:] or b"startxref" not in pdf[-4096:]:
        return SignatureCheck(signed=False, damaged=True)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # pyHanko's sync validation starts its own loop: validate in a worker thread
        return _off_the_running_loop(_check, pdf, trust_root_path)
    try:
        with time_limit(CHECK_SECONDS):
            return _check(pdf, trust_root_path)
    except RenderLimitError:
        return SignatureCheck(signed=False, damaged=True)


CHECK_SECONDS = 10


def _check(pdf: bytes, trust_root_path: Path) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 — whatever the parser trips on, the file is damaged
        return SignatureCheck(signed=False, damaged=True)
    if not signatures:
        return SignatureCheck(signed=False)
    context = ValidationContext(
        trust_roots=[load_trust_root(trust_root_path)], allow_fetching=False
    )
    try:
        status = validate_pdf_signature(signatures[-1], context)
        # Anything appended after the signature would not be covered by it.
        covers_all = signatures[-1].coverage.name in ("ENTIRE_FILE",)
        signer = status.signing_cert.subject.human_friendly
        office = _office_slug(status.signing_cert)
    except Exception:  # noqa: BLE001 — a damaged signature is "not intact", not a server error
        return SignatureCheck(signed=True)
    return SignatureCheck(
        signed=True,
        intact=status.intact and covers_all,
        valid=status.valid,
        trusted=status.trusted,
        signer=signer,
        signer_office=office,
    )


def _office_slug(cert) -> str:
    units = cert.subject.native.get("organizational_unit_name", "")
    return units[0] if isinstance(units, list) else units
