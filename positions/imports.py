"""Import of positions from the spreadsheet coordinators keep (xlsx or csv), as they write it.

Two steps, so nothing is saved before the coordinator has seen what will happen:

1. `read_spreadsheet` turns the uploaded file into plain rows (django-import-export's format
   classes do the parsing), and `import_plan` resolves and checks every row without writing:
   each row gets what we understood of each cell (shown beside the original, see
   `interpret.py`), its errors by column and what it will do (create / update / unchanged).
2. `positions_import` builds the plan again from the same stored rows, refuses if any row has an
   error, and applies every row in one transaction: one bad row saves nothing. Rows are
   validated in the plan (against data loaded once) and written with a handful of bulk
   statements, not row by row.

Natural key (what makes a second import of the same file change nothing): a row is the same
position as an existing, not-ended position with the same **place** (municipality or group),
**medical office** and **list ceiling**. When several rows share that key, they are matched to
the existing positions with that key in the order they were created, and only rows beyond the
existing ones create new positions. Everything else in the row updates the position.
"""

import difflib
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from import_export.formats.base_formats import CSV, XLSX
from simple_history.utils import bulk_create_with_history

from municipalities.models import HealthTrustArea, Municipality, MunicipalityName
from offices import clock
from offices.dates import short_date
from offices.spreadsheets import check_spreadsheet, control_character, control_character_text

from . import interpret
from .models import (
    ACTIVE_STATUSES,
    STATUS_TRANSITIONS,
    EmploymentForm,
    Fact,
    MedicalOffice,
    MunicipalityGroup,
    Ownership,
    Position,
    PositionStatusChange,
    Scheme,
    Status,
)
from .services import office_rules

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 40
MAX_CELL = 1000  # characters; the longest real cell (a medical office's name, a note) is far less

# The columns, by the name the export writes; `HEADER_SYNONYMS` lists how coordinators write them.
KOMMUNE, KOMMUNENR, SOKERE, LEGEKONTOR, LISTETAK, DRIFTSFORM, ORDNING = (
    "Kommune",
    "Kommunenr.",
    "Antall søkere",
    "Legekontor",
    "Listetak",
    "Driftsform ved ansettelse",
    "Ny eller gammel ordning",
)
STATUS, STATUS_FRA, GRUPPE, VEILEDER, PLAN, HELSEFORETAK = (
    "Status",
    "Status fra",
    "Gruppeveiledning",
    "Individuell veileder",
    "Individuell plan",
    "Helseforetak",
)
REQUIRED_COLUMNS = [KOMMUNE, SOKERE, LEGEKONTOR, LISTETAK, DRIFTSFORM, ORDNING]
OPTIONAL_COLUMNS = [KOMMUNENR, HELSEFORETAK, STATUS, STATUS_FRA, GRUPPE, VEILEDER, PLAN]
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
HEADER_SYNONYMS = {
    KOMMUNE: ["Kommune", "Kommunenavn", "Kommuner", "Sted"],
    KOMMUNENR: ["Kommunenr.", "Kommunenr", "Kommunenummer", "Knr"],
    SOKERE: ["Antall søkere", "Søkere", "Antall sokere", "Ant. søkere"],
    LEGEKONTOR: ["Legekontor", "Legesenter", "Legekontor/legesenter"],
    LISTETAK: ["Listetak", "Listestørrelse", "Liste-tak", "Liste tak", "Listelengde"],
    DRIFTSFORM: ["Driftsform ved ansettelse", "Driftsform"],
    ORDNING: ["Ny eller gammel ordning", "Ordning", "Ny/gammel ordning", "Ny/gammel"],
    STATUS: ["Status"],
    STATUS_FRA: ["Status fra", "Statusdato"],
    GRUPPE: ["Gruppeveiledning", "Gruppe veiledning", "Gruppe-veiledning", "Veiledningsgruppe"],
    VEILEDER: ["Individuell veileder", "Individuelle veileder", "Individuell veiledning"],
    PLAN: ["Individuell plan", "IP", "Individuelle plan", "Utdanningsplan"],
    HELSEFORETAK: ["Helseforetak", "HF", "OSO-område", "OSO område", "OSO"],
}
# Columns of the export that are shown, not read (they follow from the register and records).
QUIET_COLUMNS = ["Fylke", "ALIS-lege"]


def _norm(header: str) -> str:
    return re.sub(r"[^\wæøå]+", "", header.casefold())


HEADER_LOOKUP = {_norm(v): c for c, variants in HEADER_SYNONYMS.items() for v in variants}
NAME_WITH_NUMBER = re.compile(r"^(?P<name>.*?)\s*\((?P<number>\d{3,4})\)$")
GROUP_SPLIT = re.compile(r"\s*[+/]\s*")
FACT_FIELDS = {
    GRUPPE: ("group_supervision", "group_supervision_note"),
    VEILEDER: ("individual_supervisor", "individual_supervisor_note"),
    PLAN: ("individual_plan", "individual_plan_note"),
}
# Fields compared to decide whether a row changes an existing position.
COMPARED = [
    "applicants",
    "applicants_shared",
    "list_note",
    "employment_form",
    "employment_uncertain",
    "employment_note",
    "employment_note_date",
    "scheme",
    "scheme_uncertain",
]
FACTS = [name for pair in FACT_FIELDS.values() for name in pair]
FIELD_LABELS = {
    "applicants": gettext_lazy("Antall søkere"),
    "applicants_shared": gettext_lazy("Felles søkere"),
    "list_note": gettext_lazy("Merknad til listen"),
    "employment_form": gettext_lazy("Driftsform"),
    "employment_uncertain": gettext_lazy("Driftsform usikker"),
    "employment_note": gettext_lazy("Merknad til driftsform"),
    "employment_note_date": gettext_lazy("Dato i merknaden"),
    "scheme": gettext_lazy("Ordning"),
    "scheme_uncertain": gettext_lazy("Ordning usikker"),
    "group_supervision": gettext_lazy("Gruppeveiledning"),
    "group_supervision_note": gettext_lazy("Merknad til gruppeveiledning"),
    "individual_supervisor": gettext_lazy("Individuell veileder"),
    "individual_supervisor_note": gettext_lazy("Merknad til veileder"),
    "individual_plan": gettext_lazy("Individuell plan"),
    "individual_plan_note": gettext_lazy("Merknad til individuell plan"),
}


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
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime from Excel: its date,
        # written as the coordinators write it (01.09.2026), which the preview shows as it is
        with translation.override("nb"):
            return short_date(value.date())
    return str(value).strip()


def _column(headers: list[str], index: int) -> str:
    """A column's header as the message names it (cut short; a header may itself be odd)."""
    header = headers[index] if index < len(headers) else ""
    return "".join(c for c in header if not control_character(c))[:40]


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
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(
            _("Filen har %(n)s kolonner; et regneark for import kan ha høyst %(max)s.")
            % {"n": len(headers), "max": MAX_COLUMNS}
        )
    rows, too_long, control = [], [], []
    for line, values in enumerate([dataset.headers or [], *dataset], start=1):
        cells = [_cell(v) for v in values]
        too_long += [
            (line, _column(headers, i), len(c)) for i, c in enumerate(cells) if len(c) > MAX_CELL
        ]
        # Refused here, before the preview: a NUL would pass every check and then fail on save.
        control += [
            (line, _column(headers, i), char)
            for i, c in enumerate(cells)
            if (char := control_character(c))
        ]
        if line > 1 and any(cells) and not too_long and not control:
            rows.append(dict(zip(headers, cells, strict=False)))
    if control:
        line, column, char = control[0]
        raise ValidationError(
            _("Rad %(line)s, kolonne «%(column)s»: %(problem)s Filen har %(count)s slike celler.")
            % {
                "line": line,
                "column": column,
                "problem": control_character_text(char),
                "count": len(control),
            }
        )
    if too_long:
        line, column, length = too_long[0]
        raise ValidationError(
            _(
                "Rad %(line)s, kolonne «%(column)s» har %(length)s tegn; en celle kan ha høyst "
                "%(max)s. Filen har %(count)s slike celler. Rett dem og last opp filen på nytt."
            )
            % {
                "line": line,
                "column": column,
                "length": length,
                "max": MAX_CELL,
                "count": len(too_long),
            }
        )
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
    understood: dict[str, str] = field(default_factory=dict)
    action: str = Action.CREATE
    notes: list[str] = field(default_factory=list)
    position: Position | None = None
    fields: dict = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)  # steps to walk, in order
    status_date: date | None = None
    new_medical_office: str = ""
    new_group: str = ""
    maybe_existing: Position | None = None  # an unmatched position this row may really be

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[Action.ERROR if self.errors else self.action]

    def cells(self, columns: list[str]):
        """(column, value, what we understood, error) for the preview table."""
        return [
            (c, self.values.get(c, ""), self.understood.get(c, ""), self.errors.get(c, ""))
            for c in columns
        ]


@dataclass
class ImportPlan:
    columns: list[str]
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # (the header as written, the column we took it for), for headers written differently
    renamed_columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.errors and r.action == action)

    @property
    def new_medical_offices(self) -> list[str]:
        return sorted({r.new_medical_office for r in self.rows if r.new_medical_office})

    @property
    def new_groups(self) -> list[str]:
        return sorted({r.new_group for r in self.rows if r.new_group})

    @property
    def maybe_existing_count(self) -> int:
        return sum(1 for r in self.rows if r.maybe_existing is not None)

    @property
    def interpreted_count(self) -> int:
        return sum(len(r.understood) for r in self.rows)


def status_path(current: str, target: str) -> list[str] | None:
    """The shortest walk through the status machine from `current` to `target` (excluding
    `current`), e.g. planned → [advertised, filled]; None if there is none."""
    if current == target:
        return []
    queue, seen = deque([(current, [])]), {current}
    while queue:
        status, path = queue.popleft()
        for nxt in STATUS_TRANSITIONS[status]:
            if nxt in seen:
                continue
            if nxt == target:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return None


class _Lookup:
    """The office's municipalities, groups, medical offices, positions and the reference data,
    loaded once (a fixed number of queries whatever the number of rows)."""

    def __init__(self, office, today: date):
        self.office = office
        municipalities = list(Municipality.objects.filter(office=office, is_active=True))
        self.by_number = {m.number: m for m in municipalities}
        self.by_pk = {m.pk: m for m in municipalities}
        self.by_name = defaultdict(list)
        for m in municipalities:
            self.by_name[m.name.casefold()].append(m)
        self.former = defaultdict(list)
        for former in MunicipalityName.objects.filter(municipality__in=municipalities):
            self.former[former.name.casefold()].append(former)
        self.trusts = {
            a.municipality_id: a.health_trust
            for a in HealthTrustArea.objects.valid_on(today)
            .filter(municipality__in=municipalities)
            .select_related("health_trust")
        }
        groups = list(
            MunicipalityGroup.objects.filter(office=office).prefetch_related("municipalities")
        )
        self.groups = {g.name.casefold(): g for g in groups}
        self.groups_by_members = {
            frozenset(m.pk for m in g.municipalities.all()): g for g in groups
        }
        self.group_members = {g.pk: [m.pk for m in g.municipalities.all()] for g in groups}
        self.medical_offices = {
            (mo.municipality_id, mo.name.casefold()): mo
            for mo in MedicalOffice.objects.filter(office=office)
        }
        self.existing = defaultdict(list)
        self.active_count = defaultdict(int)
        positions = Position.objects.filter(office=office, status__in=ACTIVE_STATUSES)
        positions = positions.select_related("municipality", "group", "medical_office")
        for p in positions.order_by("pk"):
            self.existing[
                (p.municipality_id, p.group_id, p.medical_office_id, p.list_ceiling)
            ].append(p)
            if p.municipality_id:
                self.active_count[p.municipality_id] += 1
        # Positions whose doctor is registered: their facts come from the doctor's records.
        self.held = set(
            Position.objects.filter(office=office, holders__isnull=False).values_list(
                "pk", flat=True
            )
        )
        self.limit = office_rules(office).max_positions_per_municipality
        self.new_groups: dict[frozenset, str] = {}

    def _one(self, name: str):
        """(municipality, understood, error) for one municipality name."""
        found = self.by_name.get(name.casefold(), [])
        if len(found) == 1:
            return found[0], "", ""
        if len(found) > 1:
            numbers = ", ".join(m.number for m in found)
            return (
                None,
                "",
                _(
                    "Flere kommuner i %(office)s heter «%(name)s» (%(numbers)s). "
                    "Skriv kommunenummeret i stedet."
                )
                % {"office": self.office.name, "name": name, "numbers": numbers},
            )
        former = {f.municipality_id: f for f in self.former.get(name.casefold(), [])}
        if len(former) == 1:
            f = next(iter(former.values()))
            m = self.by_pk[f.municipality_id]
            return (
                m,
                _("%(municipality)s (%(number)s): «%(name)s» er et navn fra før %(year)s. %(note)s")
                % {
                    "municipality": m.name,
                    "number": m.number,
                    "name": name,
                    "year": f.valid_to.year,
                    "note": f.note,
                },
                "",
            )
        return None, "", self._not_found(name)

    def _not_found(self, name: str) -> str:
        message = _(
            "Finner ingen kommune som heter «%(name)s» i %(office)s. Sjekk stavemåten, "
            "eller skriv kommunenummeret."
        ) % {"name": name, "office": self.office.name}
        names = [m.name for ms in self.by_name.values() for m in ms]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
        if close:
            message += " " + _("Mente du «%(name)s»?") % {"name": close[0]}
        return message

    def place(self, text: str, number_text: str):
        """(municipality, group, new group members, understood, error) for what the row names."""
        number = number_text or ""
        name = text.strip()
        match = NAME_WITH_NUMBER.match(name)
        if not number and match:
            name, number = match["name"], match["number"]
        elif not number and name.isdigit():
            number = name
        if number:
            m = self.by_number.get(number.zfill(4))
            if m is None:
                error = _("Kommunenummer %(number)s hører ikke til %(office)s.") % {
                    "number": number.zfill(4),
                    "office": self.office.name,
                }
                return None, None, None, "", error
            return m, None, None, "", ""
        if not name:
            return None, None, None, "", _("Skriv kommunens navn eller nummer.")
        group = self.groups.get(name.casefold())
        if group is not None and not self.by_name.get(name.casefold()):
            return None, group, None, self._known_group(group), ""
        parts = [p for p in GROUP_SPLIT.split(name) if p]
        if len(parts) > 1 and not self.by_name.get(name.casefold()):
            return self._group(parts)
        m, understood, error = self._one(name)
        return m, None, None, understood, error

    def _known_group(self, group) -> str:
        """A cooperation named as it is registered («Tana + Lebesby») is still shown with its
        members, as a cooperation written member by member is."""
        numbers = ", ".join(
            self.by_pk[pk].number for pk in self.group_members[group.pk] if pk in self.by_pk
        )
        return _("Samarbeidet «%(group)s» (%(numbers)s)") % {
            "group": group.name,
            "numbers": numbers,
        }

    def _group(self, parts: list[str]):
        members = []
        for part in parts:
            m, _understood, error = self._one(part)
            if error:
                return None, None, None, "", error
            members.append(m)
        key = frozenset(m.pk for m in members)
        label = " + ".join(m.name for m in members)
        numbers = ", ".join(m.number for m in members)
        group = self.groups_by_members.get(key)
        if group is not None:
            understood = _("Samarbeidet «%(group)s» (%(numbers)s)") % {
                "group": group.name,
                "numbers": numbers,
            }
            return None, group, None, understood, ""
        name = self.new_groups.setdefault(key, label)
        understood = _("Interkommunalt samarbeid %(name)s (%(numbers)s); det opprettes") % {
            "name": name,
            "numbers": numbers,
        }
        return None, None, members, understood, ""


def _date_cell(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return interpret.date_in(text)


def _plan_row(line: int, values: dict[str, str], lookup: _Lookup, present: set[str]) -> RowPlan:
    row = RowPlan(line=line, values=values)
    municipality, group, new_members, understood, error = lookup.place(
        values.get(KOMMUNE, ""), values.get(KOMMUNENR, "")
    )
    place_column = KOMMUNENR if values.get(KOMMUNENR) else KOMMUNE
    if error:
        row.errors[place_column] = error
    if understood:
        row.understood[KOMMUNE] = understood

    cells = {
        SOKERE: interpret.applicants(values.get(SOKERE, "")),
        LISTETAK: interpret.list_ceiling(values.get(LISTETAK, "")),
        DRIFTSFORM: interpret.employment(values.get(DRIFTSFORM, "")),
        ORDNING: interpret.scheme(values.get(ORDNING, "")),
        STATUS: interpret.status(values.get(STATUS, "")),
    }
    for column in FACT_FIELDS:
        cells[column] = interpret.fact(values.get(column, ""))
    for column, cell in cells.items():
        if column not in present:
            continue
        if cell.error:
            row.errors[column] = cell.error
        elif cell.understood:
            row.understood[column] = cell.understood

    members = [municipality] if municipality else []
    if group is not None:
        members = [lookup.by_pk[pk] for pk in lookup.group_members[group.pk] if pk in lookup.by_pk]
    elif new_members:
        members = new_members
    if HELSEFORETAK in present and values.get(HELSEFORETAK) and members:
        trust = lookup.trusts.get(members[0].pk)
        written = values[HELSEFORETAK].strip()
        said = _norm(written)
        if trust and said != _norm(trust.code) and said not in _norm(trust.name):
            row.understood[HELSEFORETAK] = _(
                "Registeret har %(municipality)s i %(trust)s; oversikten grupperer etter registeret"
            ) % {"municipality": members[0].name, "trust": trust.name}

    medical_office = None
    mo_name = values.get(LEGEKONTOR, "").strip()
    mo_municipality = members[0] if members else None
    if mo_name and members:
        for m in members:
            medical_office = lookup.medical_offices.get((m.pk, mo_name.casefold()))
            if medical_office:
                break
        if medical_office is None:
            row.new_medical_office = f"{mo_name} ({mo_municipality.name})"
            row.notes.append(
                _("Legekontoret «%(name)s» opprettes i %(municipality)s.")
                % {"name": mo_name, "municipality": mo_municipality.name}
            )
    if row.errors:
        row.action = Action.ERROR
        return row

    applicants, ceiling = cells[SOKERE], cells[LISTETAK]
    employment, scheme = cells[DRIFTSFORM], cells[ORDNING]
    row.fields = {
        "municipality": municipality,
        "group": group,
        "new_group_members": new_members,
        "medical_office": medical_office,
        "medical_office_name": mo_name,
        "medical_office_municipality": mo_municipality,
        "list_ceiling": ceiling.value,
        "applicants_text": applicants.extra["text"],
    }
    wanted = {
        "applicants": applicants.value,
        "applicants_shared": applicants.extra["shared"],
        "list_note": ceiling.extra["note"],
        "employment_form": employment.value,
        "employment_uncertain": employment.extra["uncertain"],
        "employment_note": employment.extra["note"],
        "employment_note_date": employment.extra["date"],
        "scheme": scheme.value,
        "scheme_uncertain": scheme.extra["uncertain"],
    }
    facts = {}
    for column, (value_field, note_field) in FACT_FIELDS.items():
        if column in present:
            facts[value_field] = cells[column].value
            facts[note_field] = cells[column].extra["note"]
    target = cells[STATUS].value if STATUS in present else None
    row.status_date = _date_cell(values.get(STATUS_FRA, "")) if STATUS_FRA in present else None

    if new_members:
        row.new_group = lookup.new_groups[frozenset(m.pk for m in new_members)]
    key = (
        municipality.pk if municipality else None,
        group.pk if group else None,
        medical_office.pk if medical_office else None,
        ceiling.value,
    )
    existing = lookup.existing.get(key) if (medical_office or not mo_name) else None
    if existing and not new_members:
        position = existing.pop(0)
        row.position = position
        if position.pk in lookup.held and facts:
            facts = {}
            row.notes.append(
                _("Gruppeveiledning, veileder og plan vises fra legens egne opplysninger.")
            )
        row.fields.update(wanted | facts)
        changes = _changes(position, wanted | facts)
        if target and target != position.status:
            path = status_path(position.status, target)
            if path is None:
                row.errors[STATUS] = _("Stillingen er «%(old)s» og kan ikke bli «%(new)s».") % {
                    "old": position.get_status_display().lower(),
                    "new": Status(target).label.lower(),
                }
                row.action = Action.ERROR
                return row
            row.statuses = path
            changes.append(
                _("Status: %(steps)s")
                % {"steps": " → ".join(str(Status(s).label) for s in [position.status, *path])}
            )
        row.action = Action.UPDATE if changes else Action.UNCHANGED
        row.notes.extend(changes)
        return row

    row.fields.update(wanted | facts)
    row.action = Action.CREATE
    target = target or Status.PLANNED
    # Every status is reachable from planned; the steps are kept as the position's history.
    row.statuses = [Status.PLANNED, *(status_path(Status.PLANNED, target) or [])]
    if len(row.statuses) > 1:
        row.notes.append(
            _("Status: %(steps)s")
            % {"steps": " → ".join(str(Status(s).label) for s in row.statuses)}
        )
    if municipality and target in ACTIVE_STATUSES:
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


def _display(name: str, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if name == "employment_form":
        return str(EmploymentForm(value).label)
    if name == "scheme":
        return str(Scheme(value).label)
    if name in ("group_supervision", "individual_supervisor", "individual_plan"):
        return str(Fact(value).label)
    if isinstance(value, date):
        return short_date(value)
    return str(value)


def _changes(position: Position, wanted: dict) -> list[str]:
    return [
        _("%(field)s: %(old)s → %(new)s")
        % {
            "field": FIELD_LABELS[name],
            "old": _display(name, getattr(position, name)),
            "new": _display(name, value),
        }
        for name, value in wanted.items()
        if getattr(position, name) != value
    ]


def map_headers(headers: list[str]) -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """(header → column, [(header, column) written differently], ignored headers). The first
    header that means a column wins; a second one is ignored."""
    rename, renamed, ignored, taken = {}, [], [], set()
    quiet = {_norm(c) for c in QUIET_COLUMNS}
    for header in headers:
        column = HEADER_LOOKUP.get(_norm(header))
        if column and column not in taken:
            rename[header] = column
            taken.add(column)
            if header != column:
                renamed.append((header, column))
        elif header and _norm(header) not in quiet:
            ignored.append(header)
    return rename, renamed, ignored


def import_plan(*, office, headers: list[str], rows: list[dict[str, str]]) -> ImportPlan:
    """Resolve and check every row against the office's data; writes nothing."""
    rename, renamed, ignored = map_headers(headers)
    present = set(rename.values())
    plan = ImportPlan(columns=[c for c in ALL_COLUMNS if c in present])
    plan.renamed_columns, plan.ignored_columns = renamed, ignored
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
        lookup = _Lookup(office, clock.today())
        for line, raw in enumerate(rows, start=2):  # line 1 holds the headers
            values = {rename[h]: v for h, v in raw.items() if h in rename}
            plan.rows.append(_plan_row(line, values, lookup, present))
        _hint_existing(plan.rows, lookup)
    return plan


# The fields a coordinator may have changed in a row that is still the same position: the key
# (medical office, list ceiling) and the two words of the position. A row differing from an
# unmatched position of its place in at most two of them is probably that position.
HINT_MAX_DIFFERENCES = 2


def _hint_differences(row: RowPlan, position: Position) -> list[str]:
    f = row.fields
    mo_name = position.medical_office.name if position.medical_office_id else ""
    differences = []
    if mo_name.casefold() != f["medical_office_name"].casefold():
        differences.append((LEGEKONTOR, mo_name or "–", f["medical_office_name"] or "–"))
    for column, name, new in [
        (LISTETAK, "list_ceiling", f["list_ceiling"]),
        (DRIFTSFORM, "employment_form", f["employment_form"]),
        (ORDNING, "scheme", f["scheme"]),
    ]:
        old = getattr(position, name)
        if old != new:
            differences.append((column, _display(name, old), _display(name, new)))
    return [
        _("%(field)s: %(old)s → %(new)s") % {"field": column, "old": old, "new": new}
        for column, old, new in differences
    ]


def _hint_existing(rows: list[RowPlan], lookup: _Lookup) -> None:
    """A row that creates a position while its place has an active position no row matched,
    differing in one or two fields (a changed list ceiling, a renamed medical office), says so:
    the import cannot tell an edit from a new position, the coordinator can. Runs after every
    row is matched, so a position another row updates is never offered."""
    unmatched = defaultdict(list)
    for (municipality_id, group_id, _mo, _ceiling), positions in lookup.existing.items():
        unmatched[(municipality_id, group_id)].extend(positions)
    for row in rows:
        if row.errors or row.action != Action.CREATE or row.fields.get("new_group_members"):
            continue
        place = (
            row.fields["municipality"].pk if row.fields["municipality"] else None,
            row.fields["group"].pk if row.fields["group"] else None,
        )
        candidates = [
            (len(differences), position.pk, position, differences)
            for position in unmatched.get(place, [])
            if 0 < len(differences := _hint_differences(row, position)) <= HINT_MAX_DIFFERENCES
        ]
        if not candidates:
            continue
        _count, _pk, position, differences = min(candidates, key=lambda c: c[:2])
        row.maybe_existing = position
        row.notes.append(
            _(
                "Kan være eksisterende stilling %(position)s (%(status)s); forskjellen er "
                "%(differences)s. Importen oppretter en ny stilling. Er det samme stilling, "
                "endre den i oversikten først og last opp filen på nytt."
            )
            % {
                "position": position,
                "status": position.get_status_display().lower(),
                "differences": ", ".join(differences),
            }
        )


# --- Applying: validated in the plan, written in bulk, in one transaction -------------------

POSITION_FK = ["office", "municipality", "group", "medical_office"]
UPDATED_FIELDS = ["applicants_text", *COMPARED, *FACTS, "status", "status_date"]


def _check(obj, exclude: list[str]) -> None:
    """Field validation without the per-row foreign-key queries (the plan resolved the keys
    against the office's own rows)."""
    obj.clean_fields(exclude=exclude)


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
    with scope(office=office):
        todo = [r for r in plan.rows if r.action != Action.UNCHANGED]
        groups = _create_groups(office, todo)
        offices = _create_medical_offices(office, todo)
        creates, updates, changes = [], [], []
        for row in todo:
            f = row.fields
            medical_office = f["medical_office"]
            if medical_office is None and f["medical_office_name"]:
                key = (f["medical_office_municipality"].pk, f["medical_office_name"].casefold())
                medical_office = offices[key]
            group = f["group"]
            if f["new_group_members"]:
                group = groups[frozenset(m.pk for m in f["new_group_members"])]
            values = {k: f[k] for k in ["applicants_text", *COMPARED, *FACTS] if k in f}
            last = row.status_date or today
            if row.action == Action.CREATE:
                position = Position(
                    office=office,
                    municipality=f["municipality"],
                    group=group,
                    medical_office=medical_office,
                    list_ceiling=f["list_ceiling"],
                    status=row.statuses[-1],
                    status_date=last,
                    **values,
                )
                _check(position, POSITION_FK)
                creates.append((position, row))
            else:
                position = row.position
                if not (f["applicants_text"] or position.applicants != f["applicants"]):
                    values.pop("applicants_text")  # keep «1 + 3» when the sum is unchanged
                for name, value in values.items():
                    setattr(position, name, value)
                if row.statuses:
                    last = max(last, position.status_date)
                    position.status, position.status_date = row.statuses[-1], last
                _check(position, POSITION_FK)
                updates.append(position)
                for status in row.statuses:
                    changes.append(
                        PositionStatusChange(
                            office=office,
                            position=position,
                            status=status,
                            date=last,
                            changed_by=acting_user,
                            note=_("Fra import"),
                        )
                    )
        if creates:
            Position.objects.bulk_create([p for p, _row in creates])
            _history([p.pk for p, _row in creates], "+", acting_user)
        for position, row in creates:
            for i, status in enumerate(row.statuses):
                changes.append(
                    PositionStatusChange(
                        office=office,
                        position=position,
                        status=status,
                        date=position.status_date,
                        changed_by=acting_user,
                        note=_("Opprettet fra import") if i == 0 else _("Fra import"),
                    )
                )
        if updates:
            Position.objects.bulk_update(updates, UPDATED_FIELDS)
            _history([p.pk for p in updates], "~", acting_user)
        PositionStatusChange.objects.bulk_create(changes)
    return plan


HISTORY_CHUNK = 500  # ids per statement where the database takes no array (SQLite: ≤ 999 params)


def _history(ids: list[int], history_type: str, acting_user) -> None:
    """The audit trail rows (simple-history) of the positions `ids` as they now stand, copied
    by the database from the rows just written (INSERT … SELECT): the rows
    `bulk_create_with_history` / `bulk_update_with_history` write (every tracked field, the
    time, the user, "+" created or "~" changed), without building an object per row.

    PostgreSQL takes every id in one statement (`= ANY(array)`); other databases (the demo's
    SQLite has no ANY) get `IN (%s, …)` in chunks small enough for their parameter limit."""
    history = Position.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    start = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "  # noqa: S608
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {columns}, %s, '', %s, %s FROM {quote(Position._meta.db_table)} "
    )
    head = [
        connection.ops.adapt_datetimefield_value(clock.now()),
        history_type,
        acting_user.pk if acting_user else None,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(start + "WHERE id = ANY(%s)", [*head, list(ids)])
            return
        for i in range(0, len(ids), HISTORY_CHUNK):
            chunk = list(ids[i : i + HISTORY_CHUNK])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(start + f"WHERE id IN ({marks})", [*head, *chunk])


def _create_groups(office, rows: list[RowPlan]) -> dict[frozenset, MunicipalityGroup]:
    """The cooperations the file names that do not exist yet (few: one by one is fine)."""
    created = {}
    for row in rows:
        members = row.fields["new_group_members"]
        if not members:
            continue
        key = frozenset(m.pk for m in members)
        if key not in created:
            group = MunicipalityGroup(office=office, name=row.new_group)
            group.full_clean()
            group.save()
            group.municipalities.set(members)
            created[key] = group
    return created


def _create_medical_offices(office, rows: list[RowPlan]) -> dict[tuple[int, str], MedicalOffice]:
    new = {}
    for row in rows:
        f = row.fields
        if f["medical_office"] is None and f["medical_office_name"]:
            key = (f["medical_office_municipality"].pk, f["medical_office_name"].casefold())
            if key not in new:
                medical_office = MedicalOffice(
                    office=office,
                    municipality=f["medical_office_municipality"],
                    name=f["medical_office_name"],
                    ownership=Ownership.MUNICIPAL,
                )
                _check(medical_office, ["office", "municipality"])
                new[key] = medical_office
    if new:
        bulk_create_with_history(list(new.values()), MedicalOffice)
    return new
