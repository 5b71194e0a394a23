"""Import of positions from the spreadsheet coordinators keep (xlsx or csv).

Two steps, so nothing is saved before the coordinator has seen what will happen:

1. `read_spreadsheet` turns the uploaded file into plain rows (django-import-export's format
   classes do the parsing), and `import_plan` resolves and checks every row without writing:
   each row gets its errors by column and what it will do (create / update / unchanged).
2. `positions_import` builds the plan again from the same stored rows, refuses if any row has an
   error, and applies every row in one transaction: one bad row saves nothing.

Natural key (what makes a second import of the same file change nothing): a row is the same
position as an existing, not-ended position with the same **place** (municipality or group),
**medical office** and **list ceiling**. When several rows share that key, they are matched to
the existing positions with that key in the order they were created, and only rows beyond the
existing ones create new positions. Applicants, employment form, scheme and (optional) status
are then updated from the row.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from import_export.formats.base_formats import CSV, XLSX

from municipalities.models import Municipality
from offices import clock
from offices.spreadsheets import check_spreadsheet

from .models import (
    ACTIVE_STATUSES,
    LIST_CEILING_MAX,
    LIST_CEILING_MIN,
    STATUS_TRANSITIONS,
    EmploymentForm,
    MedicalOffice,
    MunicipalityGroup,
    Ownership,
    Position,
    Scheme,
    Status,
)
from .services import (
    medical_office_create,
    office_rules,
    position_change_status,
    position_create,
    position_update,
)

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

# The column headers coordinators already use (matched without regard to case).
KOMMUNE, KOMMUNENR, SOKERE, LEGEKONTOR, LISTETAK, DRIFTSFORM, ORDNING, STATUS = (
    "Kommune",
    "Kommunenr.",
    "Antall søkere",
    "Legekontor",
    "Listetak",
    "Driftsform ved ansettelse",
    "Ny eller gammel ordning",
    "Status",
)
REQUIRED_COLUMNS = [KOMMUNE, SOKERE, LEGEKONTOR, LISTETAK, DRIFTSFORM, ORDNING]
OPTIONAL_COLUMNS = [KOMMUNENR, STATUS]
# Columns of the coordinators' sheet that later issues fill; read past without a warning.
LATER_COLUMNS = ["Fylke", "Gruppeveiledning", "Individuell veileder", "Individuell plan"]

EMPLOYMENT_WORDS = {
    "fastlønn": EmploymentForm.SALARIED,
    "fastlonn": EmploymentForm.SALARIED,
    "fast lønn": EmploymentForm.SALARIED,
    "næring": EmploymentForm.SELF_EMPLOYED,
    "naering": EmploymentForm.SELF_EMPLOYED,
    "selvstendig næringsdrivende": EmploymentForm.SELF_EMPLOYED,
    "søker velger": EmploymentForm.APPLICANT_CHOOSES,
    "valgfritt": EmploymentForm.APPLICANT_CHOOSES,
    "valgfri": EmploymentForm.APPLICANT_CHOOSES,
}
SCHEME_WORDS = {
    "ny": Scheme.NEW,
    "ny ordning": Scheme.NEW,
    "gammel": Scheme.OLD,
    "gammel ordning": Scheme.OLD,
}
STATUS_WORDS = {label.lower(): value for value, label in Status.choices} | {
    v: v for v in Status.values
}
NAME_WITH_NUMBER = re.compile(r"^(?P<name>.*?)\s*\((?P<number>\d{3,4})\)$")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("Opprettes"),
    Action.UPDATE: gettext_lazy("Oppdateres"),
    Action.UNCHANGED: gettext_lazy("Uendret"),
    Action.ERROR: gettext_lazy("Feil"),
}


# --- Reading the file ------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_spreadsheet(filename: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Headers and rows (header → text) of an .xlsx or .csv file; ValidationError if unreadable.

    Empty lines are dropped; values are kept as text so they can be stored in the session and
    checked again on confirm."""
    check_spreadsheet(filename, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)  # streaming
    if len(content) > MAX_BYTES:
        raise ValidationError(_("Filen er for stor (mer enn 5 MB)."))
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            dataset = XLSX().create_dataset(content)
        elif name.endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252")
            first_line = text.split("\n", 1)[0]
            delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
            dataset = CSV().create_dataset(text, delimiter=delimiter)
        else:
            raise ValidationError(_("Last opp et regneark i formatet .xlsx eller .csv."))
    except ValidationError:
        raise
    except Exception as error:  # openpyxl/csv raise many kinds; the user needs one message
        raise ValidationError(
            _("Filen kunne ikke leses. Lagre den som .xlsx eller .csv og prøv igjen.")
        ) from error
    headers = [_cell(h) for h in (dataset.headers or [])]
    rows = []
    for values in dataset:
        cells = [_cell(v) for v in values]
        if any(cells):
            rows.append(dict(zip(headers, cells, strict=False)))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("Filen har %(n)s rader; del den opp i filer med høyst %(max)s rader.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    return headers, rows


# --- Planning: resolve and check every row, write nothing -----------------------------------


@dataclass
class RowPlan:
    line: int
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    action: str = Action.CREATE
    notes: list[str] = field(default_factory=list)
    position: Position | None = None
    fields: dict = field(default_factory=dict)
    new_medical_office: str = ""

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[Action.ERROR if self.errors else self.action]

    def cells(self, columns: list[str]):
        """(column, value, error) for the preview table."""
        return [(c, self.values.get(c, ""), self.errors.get(c, "")) for c in columns]


@dataclass
class ImportPlan:
    columns: list[str]
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.errors and r.action == action)

    @property
    def new_medical_offices(self) -> list[str]:
        return sorted({r.new_medical_office for r in self.rows if r.new_medical_office})


class _Lookup:
    """The office's municipalities, groups, medical offices and positions, loaded once."""

    def __init__(self, office):
        self.office = office
        municipalities = list(Municipality.objects.filter(office=office, is_active=True))
        self.by_number = {m.number: m for m in municipalities}
        self.by_name = defaultdict(list)
        for m in municipalities:
            self.by_name[m.name.casefold()].append(m)
        groups = MunicipalityGroup.objects.filter(office=office).prefetch_related("municipalities")
        self.groups = {g.name.casefold(): g for g in groups}
        self.medical_offices = {
            (mo.municipality_id, mo.name.casefold()): mo
            for mo in MedicalOffice.objects.filter(office=office)
        }
        self.existing = defaultdict(list)
        self.active_count = defaultdict(int)
        for p in Position.objects.filter(office=office, status__in=ACTIVE_STATUSES).order_by("pk"):
            self.existing[
                (p.municipality_id, p.group_id, p.medical_office_id, p.list_ceiling)
            ].append(p)
            if p.municipality_id:
                self.active_count[p.municipality_id] += 1
        self.limit = office_rules(office).max_positions_per_municipality

    def place(self, text: str, number_text: str):
        """(municipality, group, error) for what the row names."""
        number = number_text or ""
        name = text
        match = NAME_WITH_NUMBER.match(text)
        if not number and match:
            name, number = match["name"], match["number"]
        elif not number and text.isdigit():
            number = text
        if number:
            m = self.by_number.get(number.zfill(4))
            if m is None:
                return (
                    None,
                    None,
                    _("Kommunenummer %(number)s hører ikke til %(office)s.")
                    % {"number": number.zfill(4), "office": self.office.name},
                )
            return m, None, ""
        if not name:
            return None, None, _("Skriv kommunens navn eller nummer.")
        found = self.by_name.get(name.casefold(), [])
        if len(found) == 1:
            return found[0], None, ""
        if len(found) > 1:
            numbers = ", ".join(m.number for m in found)
            return (
                None,
                None,
                _(
                    "Flere kommuner i %(office)s heter «%(name)s» (%(numbers)s). "
                    "Skriv kommunenummeret i stedet."
                )
                % {"office": self.office.name, "name": name, "numbers": numbers},
            )
        group = self.groups.get(name.casefold())
        if group is not None:
            return None, group, ""
        return (
            None,
            None,
            _(
                "Finner ingen kommune som heter «%(name)s» i %(office)s. Sjekk stavemåten, "
                "eller skriv kommunenummeret."
            )
            % {"name": name, "office": self.office.name},
        )


def _whole_number(text: str, *, minimum: int, maximum: int | None = None):
    try:
        value = int(text.replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        return None
    if value < minimum or (maximum is not None and value > maximum):
        return None
    return value


def _plan_row(line: int, values: dict[str, str], lookup: _Lookup, has_status: bool) -> RowPlan:
    row = RowPlan(line=line, values=values)
    municipality, group, error = lookup.place(values.get(KOMMUNE, ""), values.get(KOMMUNENR, ""))
    if error:
        row.errors[KOMMUNENR if values.get(KOMMUNENR) else KOMMUNE] = error

    applicants_text = values.get(SOKERE, "")
    applicants = _whole_number(applicants_text, minimum=0) if applicants_text else 0
    if applicants is None:
        row.errors[SOKERE] = _("Skriv antall søkere som et helt tall, for eksempel 3.")

    ceiling_text = values.get(LISTETAK, "")
    ceiling = None
    if ceiling_text:
        ceiling = _whole_number(ceiling_text, minimum=LIST_CEILING_MIN, maximum=LIST_CEILING_MAX)
        if ceiling is None:
            row.errors[LISTETAK] = _(
                "Listetaket må være et helt tall mellom %(min)s og %(max)s (vanligvis 600–1100)."
            ) % {"min": LIST_CEILING_MIN, "max": LIST_CEILING_MAX}

    employment = EMPLOYMENT_WORDS.get(values.get(DRIFTSFORM, "").casefold())
    if employment is None:
        row.errors[DRIFTSFORM] = _("Skriv «Fastlønn», «Næring» eller «Søker velger».")
    scheme = SCHEME_WORDS.get(values.get(ORDNING, "").casefold())
    if scheme is None:
        row.errors[ORDNING] = _("Skriv «Ny» eller «Gammel».")
    status = None
    if has_status and values.get(STATUS):
        status = STATUS_WORDS.get(values[STATUS].casefold())
        if status is None:
            row.errors[STATUS] = _(
                "Skriv en av disse: Planlagt, Utlyst, Besatt, Ledig eller Avsluttet."
            )

    medical_office = None
    mo_name = values.get(LEGEKONTOR, "").strip()
    if mo_name and (municipality or group):
        places = [municipality.pk] if municipality else [m.pk for m in group.municipalities.all()]
        for pk in places:
            medical_office = lookup.medical_offices.get((pk, mo_name.casefold()))
            if medical_office:
                break
        if medical_office is None:
            if municipality:
                row.new_medical_office = f"{mo_name} ({municipality.name})"
                row.notes.append(_("Legekontoret «%(name)s» opprettes.") % {"name": mo_name})
            else:
                row.errors[LEGEKONTOR] = _(
                    "Finner ikke legekontoret «%(name)s» i kommunene i %(group)s. Opprett det "
                    "først under Legekontor."
                ) % {"name": mo_name, "group": group.name}
    if row.errors:
        row.action = Action.ERROR
        return row

    key = (
        municipality.pk if municipality else None,
        group.pk if group else None,
        medical_office.pk if medical_office else None,
        ceiling,
    )
    row.fields = {
        "municipality": municipality,
        "group": group,
        "medical_office": medical_office,
        "medical_office_name": mo_name,
        "list_ceiling": ceiling,
        "employment_form": employment,
        "scheme": scheme,
        "applicants": applicants,
        "status": status,
    }
    existing = lookup.existing.get(key) if medical_office or not mo_name else None
    if existing:
        position = existing.pop(0)
        row.position = position
        changes = _changes(position, row.fields)
        if status and status != position.status:
            if status not in STATUS_TRANSITIONS[position.status]:
                row.errors[STATUS] = _(
                    "Stillingen er «%(old)s» og kan ikke bli «%(new)s» direkte."
                ) % {
                    "old": position.get_status_display().lower(),
                    "new": Status(status).label.lower(),
                }
                row.action = Action.ERROR
                return row
            changes.append(
                _("Status: %(old)s → %(new)s")
                % {"old": position.get_status_display(), "new": Status(status).label}
            )
        row.action = Action.UPDATE if changes else Action.UNCHANGED
        row.notes.extend(changes)
        return row

    row.action = Action.CREATE
    if municipality and (status or Status.PLANNED) in ACTIVE_STATUSES:
        lookup.active_count[municipality.pk] += 1
        if lookup.active_count[municipality.pk] > lookup.limit:
            row.errors[KOMMUNE] = _(
                "%(municipality)s ville fått flere enn %(limit)s aktive ALIS-stillinger, som er "
                "det høyeste antallet %(office)s tillater per kommune."
            ) % {
                "municipality": municipality.name,
                "limit": lookup.limit,
                "office": lookup.office.name,
            }
            row.action = Action.ERROR
    return row


def _changes(position: Position, fields: dict) -> list[str]:
    changes = []
    if position.applicants != fields["applicants"]:
        changes.append(
            _("Antall søkere: %(old)s → %(new)s")
            % {"old": position.applicants, "new": fields["applicants"]}
        )
    if position.employment_form != fields["employment_form"]:
        changes.append(
            _("Driftsform: %(old)s → %(new)s")
            % {
                "old": position.get_employment_form_display(),
                "new": EmploymentForm(fields["employment_form"]).label,
            }
        )
    if position.scheme != fields["scheme"]:
        changes.append(
            _("Ordning: %(old)s → %(new)s")
            % {"old": position.get_scheme_display(), "new": Scheme(fields["scheme"]).label}
        )
    return changes


def import_plan(*, office, headers: list[str], rows: list[dict[str, str]]) -> ImportPlan:
    """Resolve and check every row against the office's data; writes nothing."""
    known = {c.casefold(): c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    later = {c.casefold() for c in LATER_COLUMNS}
    rename = {h: known[h.casefold()] for h in headers if h.casefold() in known}
    present = set(rename.values())
    columns = [c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if c in present]
    plan = ImportPlan(columns=columns)
    plan.ignored_columns = [
        h for h in headers if h and h.casefold() not in known and h.casefold() not in later
    ]
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        plan.file_errors.append(
            _("Filen mangler kolonnen %(columns)s. Første rad må ha overskriftene: %(all)s.")
            % {
                "columns": ", ".join(f"«{c}»" for c in missing),
                "all": ", ".join(REQUIRED_COLUMNS),
            }
        )
        return plan
    if not rows:
        plan.file_errors.append(_("Filen har ingen rader under overskriftene."))
        return plan
    with scope(office=office):
        lookup = _Lookup(office)
        for line, raw in enumerate(rows, start=2):  # line 1 holds the headers
            values = {rename[h]: v for h, v in raw.items() if h in rename}
            plan.rows.append(_plan_row(line, values, lookup, STATUS in present))
    return plan


# --- Applying: all rows in one transaction ---------------------------------------------------


@transaction.atomic
def positions_import(
    *, office, acting_user, headers: list[str], rows: list[dict[str, str]]
) -> ImportPlan:
    """Check the rows again and apply them all, or raise ValidationError and save nothing."""
    plan = import_plan(office=office, headers=headers, rows=rows)
    if plan.has_errors:
        raise ValidationError(
            _("Filen har feil, og ingenting er lagret. Rett feilene og prøv igjen.")
        )
    today = clock.today()
    created_offices: dict[tuple[int, str], MedicalOffice] = {}
    with scope(office=office):
        for row in plan.rows:
            f = row.fields
            if row.action == Action.UNCHANGED:
                continue
            medical_office = f["medical_office"]
            if medical_office is None and f["medical_office_name"]:
                key = (f["municipality"].pk, f["medical_office_name"].casefold())
                if key not in created_offices:
                    created_offices[key] = medical_office_create(
                        office=office,
                        acting_user=acting_user,
                        municipality=f["municipality"],
                        name=f["medical_office_name"],
                        ownership=Ownership.MUNICIPAL,
                    )
                medical_office = created_offices[key]
            if row.action == Action.CREATE:
                position_create(
                    office=office,
                    acting_user=acting_user,
                    municipality=f["municipality"],
                    group=f["group"],
                    medical_office=medical_office,
                    list_ceiling=f["list_ceiling"],
                    employment_form=f["employment_form"],
                    scheme=f["scheme"],
                    applicants=f["applicants"],
                    status=f["status"] or Status.PLANNED,
                    status_date=today,
                )
            else:
                position = position_update(
                    office=office,
                    acting_user=acting_user,
                    position=row.position,
                    employment_form=f["employment_form"],
                    scheme=f["scheme"],
                    applicants=f["applicants"],
                )
                if f["status"] and f["status"] != position.status:
                    position_change_status(
                        office=office,
                        acting_user=acting_user,
                        position=position,
                        status=f["status"],
                        on=max(today, position.status_date),
                        note=_("Fra import"),
                    )
    return plan
