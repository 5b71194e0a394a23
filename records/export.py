"""Everything the system holds about a doctor, for the doctor (GDPR art. 15 and 20): one zip
with the data as JSON, every stored file (signed documents, agreements, attachments) and a
README.txt that says what the files are.

What belongs to the doctor is what the kernel's registry says (`offices.owned`): every
office-owned model's rows on the doctor's `trainee_path`, so a model added later is included
without a list kept here. The read-access log about the doctor is added, and the record's
summary (the same JSON as the application package).

Each row keeps its database form (`fields`, with ids: portable, art. 20) and gets `names`
beside it: what the ids and codes mean to a reader ("office": "ALIS Vest" for "office": 3,
"status": "Utstedt" for "utstedt", a stored file's name inside the zip).
"""

import io
import json
import posixpath
import zipfile

from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import FileField, ForeignKey, ManyToManyField
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import ReadAccess
from offices.owned import office_owned_models, rows_of_trainee
from offices.uploads import sniff

from .selectors import record_json, trainee_record

JSON_NAME = "mine-data.json"
README_NAME = "README.txt"
FILES_DIR = "filer"
# The file name's ending for each kind of content (offices.uploads tells the kind by the
# first bytes; stored names are random and have none, e.g. receipts).
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def zip_name(stored: str, head: bytes) -> str:
    """The file's name in the zip: under filer/, with the ending its content calls for."""
    name = f"{FILES_DIR}/{stored}"
    extension = EXTENSIONS.get(sniff(io.BytesIO(head)))
    if extension is None:
        return name
    current = posixpath.splitext(stored)[1].lower()
    if current == extension or (extension == ".jpg" and current == ".jpeg"):
        return name
    return name + extension


def _zip_names(stored_names: set[str]) -> dict[str, str]:
    """Stored name → name in the zip, for the files that exist in storage."""
    names = {}
    for stored in sorted(stored_names):
        if not default_storage.exists(stored):
            continue
        with default_storage.open(stored, "rb") as handle:
            names[stored] = zip_name(stored, handle.read(16))
    return names


def _related_names(objects_by_model: dict) -> dict:
    """(related model, id) → its name, one query per related model."""
    wanted: dict = {}
    for model, objects in objects_by_model.items():
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey):
                ids = {getattr(o, field.attname) for o in objects} - {None}
            elif isinstance(field, ManyToManyField):
                ids = {r.pk for o in objects for r in getattr(o, field.name).all()}
            else:
                continue
            wanted.setdefault(field.related_model, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        if not ids:
            continue
        for obj in related._base_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def _names_of(obj, related: dict, files: dict[str, str]) -> dict:
    """What the row's ids, codes and stored file names mean to a reader."""
    names = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if value in (None, ""):
            continue
        if isinstance(field, ForeignKey):
            names[field.name] = related.get((field.related_model, value), "")
        elif isinstance(field, FileField):
            names[field.name] = files.get(value.name, "")
        elif field.choices:
            names[field.name] = str(obj._get_FIELD_display(field))
    for field in obj._meta.many_to_many:
        names[field.name] = [
            related.get((field.related_model, r.pk), "") for r in getattr(obj, field.name).all()
        ]
    return names


def own_data(office, trainee) -> tuple[dict, dict[str, str]]:
    """(the data as JSON-ready dict, stored file name → its name in the zip)."""
    objects_by_model = {}
    for model in sorted(office_owned_models(), key=_label):
        if model.trainee_path is None:
            continue
        objects = list(rows_of_trainee(model, trainee).order_by("pk"))
        if objects:
            objects_by_model[model] = objects
    stored = set()
    for model, objects in objects_by_model.items():
        file_fields = [f.name for f in model._meta.fields if isinstance(f, FileField)]
        stored |= {getattr(o, n).name for o in objects for n in file_fields if getattr(o, n)}
    files = _zip_names(stored)
    related = _related_names(objects_by_model)
    rows: dict[str, list] = {}
    for model, objects in objects_by_model.items():
        serialized = serializers.serialize("python", objects)
        for row, obj in zip(serialized, objects, strict=True):
            row["names"] = _names_of(obj, related, files)
        rows[_label(model)] = serialized
    reads = (
        ReadAccess.objects.filter(office=office, trainee_id=trainee.pk)
        .select_related("reader")
        .order_by("at")
    )
    data = {
        "generated_at": timezone.localtime().isoformat(),
        "summary": record_json(trainee_record(office, trainee)),
        "rows": rows,
        "read_access": [
            {
                "at": timezone.localtime(r.at).isoformat(),
                "reader": r.reader_name,
                "reader_email": r.reader_email,
                "roles": r.reader_roles,
                "roles_text": r.reader_roles_text,
                "what": r.what,
            }
            for r in reads
        ],
    }
    return data, files


def verify_address() -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('verify_start')}"


def readme(trainee, data: dict, files: dict[str, str]) -> str:
    """README.txt: what the zip holds, in the doctor's words."""
    tables = "\n".join(f"  {label}: {len(rows)}" for label, rows in sorted(data["rows"].items()))
    lines = [
        _("Alt ALIS-systemet har lagret om deg"),
        "",
        _("Lege: %(name)s (HPR %(hpr)s). Laget %(when)s.")
        % {
            "name": trainee.full_name,
            "hpr": trainee.hpr_number,
            "when": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
        },
        "",
        _(
            "%(json)s: opplysningene som JSON. «summary» er sammendraget av utdanningen, det "
            "samme som i søknadspakken. «rows» er alle radene om deg, ordnet etter tabell; "
            "«fields» er radene slik de er lagret (med id-er), og «names» ved siden av sier hva "
            "id-ene og kodene betyr (navn på kontor, kommune og personer, og hvor filen ligger "
            "i denne zip-filen). «read_access» er hvem som har åpnet opplysningene dine."
        )
        % {"json": JSON_NAME},
        "",
        _("Tabeller og antall rader:"),
        tables,
        "",
        _(
            "%(dir)s/: filene som hører til radene: signerte tjenesteattester og bekreftelser, "
            "avtaler, kvitteringer og vedlegg (%(n)s filer). Hver signerte PDF kan "
            "kontrolleres på %(verify)s."
        )
        % {"dir": FILES_DIR, "n": len(files), "verify": verify_address()},
        "",
        _("Mener du noe er feil, kan du be om retting i utdanningsmappen."),
        "",
    ]
    return "\n".join(lines)


def own_data_zip(office, trainee) -> bytes:
    data, files = own_data(office, trainee)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, readme(trainee, data, files))
        archive.writestr(
            JSON_NAME, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for stored, name in files.items():
            with default_storage.open(stored, "rb") as handle:
                archive.writestr(name, handle.read())
    return buffer.getvalue()
