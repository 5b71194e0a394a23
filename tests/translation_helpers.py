"""A branch's strings wait in locale/pending/<branch>.json until they are folded into the
catalogues (scripts/translations apply); tests that read them in nynorsk or English put them in
front of the compiled catalogue. Once folded in, the file is gone and the catalogue answers."""

import json
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import trans_real

PENDING = Path(__file__).resolve().parent.parent / "locale" / "pending"


@contextmanager
def pending_translations(language: str, branch: str):
    path = PENDING / f"{branch}.json"
    if not path.exists():
        yield
        return
    entries = {
        e["msgid"]: e[language]
        for e in json.loads(path.read_text("utf-8"))
        if "msgid_plural" not in e
    }
    catalog = trans_real.translation(language)._catalog
    catalog._catalogs.insert(0, entries)
    catalog._plurals.insert(0, catalog._plurals[0])
    try:
        yield
    finally:
        catalog._catalogs.pop(0)
        catalog._plurals.pop(0)
