"""Reads for the doctor's record: everything on one page, and the same content as JSON (the
application package and the download of own data use it as they are).

The requirement status comes from the one rules calculation (`plans.standing.standing`);
nothing here counts service or hours on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from agreements.models import Agreement
from audit.selectors import reads_of_own_data
from confirmations.models import Confirmation
from confirmations.rendering import verification_url
from confirmations.selectors import (
    IssuedFile,
    certificates_for_trainee,
    goal_confirmations_for_trainee,
    register_issued_file_lookup,
)
from goals.selectors import AchievedGoal, achieved_goals_for
from offices import clock
from offices.dates import short_date
from plans.standing import Standing, standing
from trainees.models import CourseRecord, ServicePeriod, SupervisorAssignment, Trainee
from trainees.selectors import (
    assignments_for_trainee,
    courses_for_trainee,
    group_attendance_for_trainee,
    groups_for_trainee,
    periods_for_trainee,
    sessions_for_trainee,
)

from .models import ApplicationPackage, CorrectionRequest, CorrectionStatus, PackageStatus

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "application-package.schema.json"
SCHEMA_VERSION = "1.0"


def package_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@dataclass
class GroupRecord:
    group: object
    hours_attended: Decimal
    meetings_attended: int


@dataclass
class Record:
    trainee: Trainee
    on: date
    standing: Standing
    periods: list[ServicePeriod]
    assignments: list[SupervisorAssignment]
    sessions: int
    groups: list[GroupRecord]
    courses: list[CourseRecord]
    goals: list[AchievedGoal]
    agreements: list[Agreement]
    certificates: list[Confirmation]  # every service certificate (valid, superseded, revoked)
    confirmations: list[Confirmation]  # every confirmation of achieved goals
    certificate_of_period: dict[int, Confirmation] = field(default_factory=dict)

    @property
    def compliance(self):
        return self.standing.compliance

    @property
    def documents(self) -> list[Confirmation]:
        """The valid signed documents, service certificates first: what the package attaches."""
        return [
            c for c in [*self.certificates, *self.confirmations] if c.status == "utstedt" and c.pdf
        ]

    @property
    def period_rows(self) -> list[tuple[ServicePeriod, Confirmation | None]]:
        return [(p, self.certificate_of_period.get(p.pk)) for p in self.periods]

    @property
    def periods_without_certificate(self) -> list[ServicePeriod]:
        return [
            p for p in self.periods if not p.is_leave and p.pk not in self.certificate_of_period
        ]


def trainee_record(office, trainee: Trainee, on: date | None = None) -> Record:
    """The doctor's whole record in `office`, as of `on` (default today)."""
    on = on or clock.today()
    certificates = list(certificates_for_trainee(office, trainee))
    attendance: dict[int, list] = {}
    for meeting in group_attendance_for_trainee(trainee):
        attendance.setdefault(meeting.group_id, []).append(meeting)
    return Record(
        trainee=trainee,
        on=on,
        standing=standing(trainee, on),
        periods=list(periods_for_trainee(trainee)),
        assignments=sorted(assignments_for_trainee(trainee), key=lambda a: (a.start, a.pk)),
        sessions=sessions_for_trainee(trainee, with_minutes=False).count(),
        groups=[
            GroupRecord(
                g,
                sum((m.hours for m in attendance.get(g.pk, [])), Decimal(0)),
                len(attendance.get(g.pk, [])),
            )
            for g in groups_for_trainee(trainee).order_by("start")
        ],
        courses=list(courses_for_trainee(office, trainee).order_by("completed_on", "pk")),
        goals=achieved_goals_for(office, trainee),
        agreements=list(
            Agreement.objects.filter(office=office, trainee=trainee)
            .select_related("municipality")
            .order_by("start", "pk")
        ),
        certificates=certificates,
        confirmations=list(goal_confirmations_for_trainee(office, trainee)),
        certificate_of_period={
            c.service_period_id: c
            for c in certificates
            if c.status == "utstedt" and c.service_period_id
        },
    )


def _date(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _hours(value: Fraction | Decimal | int) -> float:
    return round(float(value), 2)


def _requirements(s: Standing) -> dict:
    return {
        "on": s.on.isoformat(),
        "rule_set": s.rule_set.name if s.rule_set else None,
        "status": str(s.status),
        "projected_completion": _date(s.projected_completion),
        "items": [
            {
                "key": r.key,
                "label": str(r.label),
                "status": str(r.status),
                "text": str(r.text),
                "missing": str(r.missing or ""),
            }
            for r in s.requirements
        ],
    }


def _supervision(record: Record) -> dict:
    compliance = record.compliance
    return {
        "supervisors": [
            {
                "name": a.supervisor_name,
                "role": a.role,
                "start": a.start.isoformat(),
                "end": _date(a.end),
            }
            for a in record.assignments
        ],
        "individual": {
            "sessions": record.sessions,
            "hours": _hours(compliance.hours) if compliance else 0.0,
            "required_hours": _hours(compliance.required) if compliance else 0.0,
            "years": [
                {
                    "year": y.start.year,
                    "hours": _hours(y.hours),
                    "required_hours": _hours(y.required),
                }
                for y in (compliance.years if compliance else [])
            ],
        },
        "groups": [
            {
                "name": g.group.name,
                "leader": g.group.leader_display,
                "start": g.group.start.isoformat(),
                "end": _date(g.group.end),
                "hours_attended": _hours(g.hours_attended),
                "meetings_attended": g.meetings_attended,
            }
            for g in record.groups
        ],
    }


def _iso(text: str) -> str:
    return text


def _shown(text: str) -> str:
    """An ISO date from the facts as people read it (02.09.2026); anything else as it is."""
    try:
        return short_date(date.fromisoformat(text)) if text else ""
    except ValueError:
        return text


def document_subject(c: Confirmation, *, readable: bool = False) -> str:
    """What a signed document is about: the place and period of a service certificate, the
    number of goals of a goal confirmation. The JSON keeps ISO dates (machine-read); the
    package's PDF shows them as everywhere else (`readable`: dd.mm.yyyy)."""
    if not c.is_service_certificate:
        return f"{c.facts.get('goal_count', len(c.goals))} læringsmål"
    dates = _shown if readable else _iso
    start = c.facts.get("period_from", "")
    end = c.facts.get("period_to") or c.facts.get("certified_to", "")
    return f"{c.facts.get('place', '')}, {dates(start)} – {dates(end)}"


def document_json(c: Confirmation) -> dict:
    subject = document_subject(c)
    return {
        "kind": c.kind,
        "serial": c.serial,
        "code": c.code,
        "issued_at": timezone.localtime(c.issued_at).isoformat(),
        "sha256": c.sha256,
        "attachment": f"{c.serial}.pdf",
        "verify_url": verification_url(c.code),
        "subject": subject,
    }


def record_json(record: Record) -> dict:
    """The record as the package's JSON (records/schema/application-package.schema.json)."""
    t = record.trainee
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.localtime().isoformat(),
        "office": {"name": t.office.name, "slug": t.office.slug},
        "doctor": {
            "name": t.full_name,
            "hpr_number": t.hpr_number,
            "scheme": t.scheme,
            "specialisation_start": t.specialisation_start.isoformat(),
            "lis1_completed": _date(t.lis1_completed),
            "status": t.status,
            "municipality": {"name": t.municipality.name, "number": t.municipality.number},
        },
        "requirements": _requirements(record.standing),
        "service_periods": [
            {
                "place": p.place,
                "arena": p.arena,
                "arena_label": str(p.get_arena_display()),
                "percentage": p.percentage,
                "start": p.start.isoformat(),
                "end": _date(p.end),
                "is_leave": p.is_leave,
                "credited": p.credited,
                "municipality": p.municipality.name if p.municipality else None,
                "certificate": (
                    record.certificate_of_period[p.pk].serial
                    if p.pk in record.certificate_of_period
                    else None
                ),
            }
            for p in record.periods
        ],
        "supervision": _supervision(record),
        "courses": [
            {
                "kind": c.kind,
                "kind_label": str(c.get_kind_display()),
                "title": c.title,
                "hours": _hours(c.hours),
                "completed_on": c.completed_on.isoformat(),
            }
            for c in record.courses
        ],
        "learning_goals": {
            "coverage": [
                {"kind": g.kind, "approved": g.approved, "submitted": g.submitted, "total": g.total}
                for g in record.standing.goals
            ],
            "approved": [
                {
                    "code": g.code,
                    "title": g.title,
                    "approved_on": g.approved_on.isoformat(),
                    "approved_by": g.approved_by,
                }
                for g in record.goals
            ],
        },
        "agreements": [
            {
                "municipality": a.municipality.name,
                "status": a.status,
                "start": a.start.isoformat(),
                "end": a.end.isoformat(),
                "percentage": a.percentage,
                "employment_form": str(a.get_employment_form_display()),
                "signed_on": _date(a.signed_on),
            }
            for a in record.agreements
        ],
        "documents": [document_json(c) for c in record.documents],
    }


# --- Packages, correction requests, the read log ------------------------------------------


def packages_for_trainee(office, trainee):
    """The doctor's packages that can still be downloaded (or are being made), newest first;
    older ones whose files were cleared away (services.KEEP_PACKAGES) are left out."""
    return ApplicationPackage.objects.filter(office=office, trainee=trainee).exclude(
        status=PackageStatus.DONE, pdf=""
    )


def package_by_hash(sha256: str) -> IssuedFile | None:
    """Public lookup for /verify/ (registered in RecordsConfig.ready): the finished package
    whose signed PDF has this SHA-256, also one whose files were since cleared away (a copy
    sent to the Directorate stays ours). Cross-office like the confirmations' lookup; the
    page names only what the file itself says (the doctor, the day, the office)."""
    if not sha256:
        return None
    with scopes_disabled():
        package = (
            ApplicationPackage.objects.select_related("trainee")
            .filter(sha256=sha256, status=PackageStatus.DONE)
            .first()
        )
    if package is None:
        return None
    title = _("Søknadspakke for %(name)s, laget %(day)s") % {
        "name": package.trainee.full_name,
        "day": short_date(package.finished_at),
    }
    return IssuedFile(title=title, office_id=package.office_id)


# /verify/ (confirmations, a layer below) recognises the signed package too.
register_issued_file_lookup(package_by_hash)


def package_of_trainee(office, trainee, pk: int) -> ApplicationPackage:
    """One of the doctor's own packages, or 404 (another doctor's package does not exist here)."""
    return get_object_or_404(ApplicationPackage, office=office, trainee=trainee, pk=pk)


def corrections_of_trainee(office, trainee):
    return CorrectionRequest.objects.filter(office=office, trainee=trainee)


def correction_queue(office, municipality_ids: set[int] | None, *, open_only: bool = True):
    queue = CorrectionRequest.objects.filter(office=office).select_related(
        "trainee", "trainee__municipality", "handled_by"
    )
    if open_only:
        queue = queue.filter(status=CorrectionStatus.OPEN)
    if municipality_ids is not None:
        queue = queue.filter(trainee__municipality_id__in=municipality_ids)
    return queue.order_by("created_at", "pk")


def correction_get(office, pk: int) -> CorrectionRequest:
    return get_object_or_404(
        CorrectionRequest.objects.select_related("trainee", "trainee__municipality"),
        office=office,
        pk=pk,
    )


def recent_reads(office, user, limit: int = 10):
    return list(reads_of_own_data(office, user)[:limit])
