"""Everything the system holds about a doctor, for the doctor (GDPR art. 15 and 20): one zip
with the data as JSON and every stored file (signed documents, agreements, attachments).

What belongs to the doctor is what the kernel's registry says (`offices.owned`): every
office-owned model's rows on the doctor's `trainee_path`, so a model added later is included
without a list kept here. The read-access log about the doctor is added, and the record's
summary (the same JSON as the application package).
"""

import io
import json
import zipfile

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import FileField
from django.utils import timezone

from audit.models import ReadAccess
from offices.owned import office_owned_models, rows_of_trainee

from .selectors import record_json, trainee_record


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def own_data(office, trainee) -> tuple[dict, list[str]]:
    """(the data as JSON-ready dict, the names of the stored files that belong to it)."""
    rows: dict[str, list] = {}
    files: list[str] = []
    for model in sorted(office_owned_models(), key=_label):
        if model.trainee_path is None:
            continue
        objects = list(rows_of_trainee(model, trainee).order_by("pk"))
        if not objects:
            continue
        rows[_label(model)] = serializers.serialize("python", objects)
        file_fields = [f.name for f in model._meta.fields if isinstance(f, FileField)]
        files += [
            getattr(o, name).name for o in objects for name in file_fields if getattr(o, name)
        ]
    reads = ReadAccess.objects.filter(office=office, trainee_id=trainee.pk).order_by("at")
    data = {
        "generated_at": timezone.localtime().isoformat(),
        "summary": record_json(trainee_record(office, trainee)),
        "rows": rows,
        "read_access": [
            {
                "at": timezone.localtime(r.at).isoformat(),
                "reader": r.reader_email,
                "roles": r.reader_roles,
                "what": r.what,
            }
            for r in reads
        ],
    }
    return data, files


def own_data_zip(office, trainee) -> bytes:
    data, files = own_data(office, trainee)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mine-data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name in sorted(set(files)):
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    archive.writestr(f"filer/{name}", handle.read())
    return buffer.getvalue()
