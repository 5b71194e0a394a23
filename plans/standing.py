"""Where does a doctor stand, and when will they finish? The ONE answer every page, report and
reminder shows.

`standing(trainee, on)` gathers the doctor's records (service periods, supervision, group
meetings, courses, the approved plan) and asks the rules engine (`plans.rules.evaluate`, with the
duration convention of `plans.durations`). Min plan, the requirement page ("Hvor står jeg"),
Mine opplysninger, the leader's and coordinator's doctor pages, the progress overview, the
supervision overview, reminders and reports call this function and nothing else for a status or a
finish date.

* The projection follows the latest **approved** plan version, then the doctor's current pace
  when the plan falls short. A draft is never the official answer: `standing(…, preview=draft)`
  shows what the answer would be if it were approved ("hvis planen godkjennes").
* The doctor's overall status is the worst status of the requirements (met < on track < at
  risk < not met); "i rute" for a doctor means no requirement is at risk or not met. The
  recommended courses ("Anbefalt") are shown but never count towards it.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from offices import clock
from offices.dates import short_date
from trainees.models import Trainee
from trainees.selectors import IN_TRAINING

from .models import Catalogue, LearningGoal, PlanVersion, RuleSet
from .rules import (
    Compliance,
    Evaluation,
    Requirement,
    Status,
    evaluate,
    format_hours,
    format_months,
    supervision_compliance,
)
from .selectors import StandingInputs, plan_periods, standing_inputs


@dataclass(frozen=True)
class GoalCoverage:
    kind: str  # "ALM" or "FKM"
    approved: int
    submitted: int
    total: int

    @property
    def share(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0


@dataclass(frozen=True)
class Standing:
    trainee: Trainee
    on: date
    rule_set: RuleSet | None
    evaluation: Evaluation | None
    plan_version: PlanVersion | None  # the version the projection follows (approved, or preview)
    preview: bool = False
    goals: list[GoalCoverage] = field(default_factory=list)
    compliance: Compliance | None = None  # individual supervision per month and year
    # What is arranged that the records do not show yet, by requirement key (`arranged_for`).
    arranged: dict[str, str] = field(default_factory=dict)

    @property
    def supervision_behind(self) -> bool:
        """The one definition of "behind with supervision" (overview, reminders, reports)."""
        requirement = self.get("supervision")
        return requirement is not None and requirement.status in (Status.AT_RISK, Status.NOT_MET)

    @property
    def months_behind(self) -> int:
        """Consecutive calendar months, up to this one, that ended (or stand) behind."""
        count = 0
        for month in reversed(self.compliance.months if self.compliance else []):
            if not month.behind:
                break
            count += 1
        return count

    @property
    def requirements(self) -> list[Requirement]:
        return self.evaluation.requirements if self.evaluation else []

    @property
    def projected_completion(self) -> date | None:
        return self.evaluation.projected_completion if self.evaluation else None

    @property
    def deciding(self) -> Requirement | None:
        return self.evaluation.deciding if self.evaluation else None

    @property
    def status(self) -> Status:
        """The worst status among the requirements (not recorded counts as on track)."""
        if not self.requirements:
            return Status.NOT_RECORDED
        # A recommendation (recommended courses) never makes the status worse, nor better.
        worst = max((r.status for r in self.requirements), key=lambda s: s.rank)
        return Status.MET if worst == Status.RECOMMENDED else worst

    @property
    def at_risk(self) -> bool:
        """One definition for every overview and report: some requirement is at risk or not
        met."""
        return self.status in (Status.AT_RISK, Status.NOT_MET)

    def get(self, key: str) -> Requirement | None:
        return next((r for r in self.requirements if r.key == key), None)

    @property
    def behind(self) -> list[Requirement]:
        """The requirements at risk or not met, in the order of the requirement table: what
        makes the overall status worse than "i rute"."""
        return [r for r in self.requirements if r.status in (Status.AT_RISK, Status.NOT_MET)]

    def actions(self, *, own: bool) -> list[str]:
        """The next three concrete things to do, most urgent first (`own`: said to the doctor,
        "du"; otherwise about the doctor, by name, to the leader, office or veileder)."""
        return next_actions(self, own=own)[:3]

    def headline(self, *, own: bool) -> Headline:
        return headline(self, own=own)


@dataclass(frozen=True)
class Headline:
    """The top of every page that shows a doctor's standing: when they finish and what
    decides it (with that requirement's own status), then what is behind. The overall status
    tag (the worst requirement) stands beside it, so `behind` says why it is what it is."""

    finish: str
    behind: str


def _status_word(status: Status) -> str:
    return status.label.lower()


def headline(s: Standing, *, own: bool) -> Headline:
    """The headline in the reader's words: "du" for the doctor, the doctor's name for anyone
    else."""
    name = s.trainee.full_name
    deciding = s.deciding
    day = s.projected_completion
    if deciding is None:
        return Headline("", "")
    values = {"name": name, "r": deciding.label, "status": _status_word(deciding.status)}
    if day is not None:
        values["day"] = short_date(day)
    if day is not None and day <= s.on:
        finish = (
            _("Du nådde tjenestekravene %(day)s; kravet «%(r)s» ble nådd sist.")
            if own
            else _("%(name)s nådde tjenestekravene %(day)s; kravet «%(r)s» ble nådd sist.")
        ) % values
    elif day is not None:
        finish = (
            _(
                "Du er beregnet ferdig %(day)s, når kravet «%(r)s» er nådd. Det kravet er "
                "%(status)s."
            )
            if own
            else _(
                "%(name)s er beregnet ferdig %(day)s, når kravet «%(r)s» er nådd. Det kravet er "
                "%(status)s."
            )
        ) % values
    else:
        finish = (
            _(
                "Vi kan ikke beregne når du blir ferdig: verken planen eller dagens takt fører "
                "fram til kravet «%(r)s»."
            )
            if own
            else _(
                "Vi kan ikke beregne når %(name)s blir ferdig: verken planen eller dagens takt "
                "fører fram til kravet «%(r)s»."
            )
        ) % values
    others = [r for r in s.behind if r.key != deciding.key]
    if others:
        items = "; ".join(
            f"{r.label} ({_status_word(r.status)}"
            + (_(", mangler %(m)s") % {"m": r.missing} if r.missing else "")
            + ")"
            for r in others
        )
        behind = _("Ligger etter: %(items)s.") % {"items": items}
    elif s.status == Status.MET:
        behind = _("Alle kravene er oppfylt.")
    else:
        behind = _("Alle de andre kravene er oppfylt eller i rute.")
    return Headline(finish, behind)


# Apps above plans in the layers tell what is arranged for a requirement that neither the
# records nor the approved plan show yet (the hospital period: a confirmed module place, whose
# plan version waits for the leader). Each registers, at start (AppConfig.ready), a function
# trainee -> {requirement key: text}; the doctor's own pages show the text instead of only
# saying that something must be arranged.
_ARRANGED: list = []


def register_arranged(provider) -> None:
    if provider not in _ARRANGED:
        _ARRANGED.append(provider)


def arranged_for(trainee: Trainee) -> dict[str, str]:
    found: dict[str, str] = {}
    for provider in _ARRANGED:
        found.update(provider(trainee))
    return found


def standing(
    trainee: Trainee,
    on: date | None = None,
    *,
    preview: PlanVersion | None = None,
    with_goals: bool = True,
) -> Standing:
    """Where `trainee` stands on `on` (default: today). `preview` evaluates as if that plan
    version were approved; it never changes the official answer."""
    on = on or clock.today()
    inputs = standing_inputs([trainee], on)[trainee.pk]
    goals = goal_coverage(trainee) if with_goals else []
    result = _evaluate(trainee, on, inputs, preview=preview, goals=goals)
    if result.evaluation is not None:
        result = replace(result, arranged=arranged_for(trainee))
    return result


def standings(
    trainees, on: date | None = None, *, inputs: dict[int, StandingInputs] | None = None
) -> dict[int, Standing]:
    """The standing of each doctor, by id: the same answer as `standing`, with every input
    read for all the doctors at once (a fixed number of queries, `standing_inputs`), for the
    pages and reports that list many doctors. A caller that needs the inputs too (the service
    periods) reads them once and passes them."""
    on = on or clock.today()
    trainees = list(trainees)
    # A batch allocates many small objects and makes no reference cycles: the cyclic garbage
    # collector's full passes over the whole heap (the cached answers included) would only
    # slow it down, so it waits until the batch is done.
    with _collector_paused():
        if inputs is None:
            inputs = standing_inputs(trainees, on)
        values: dict[int, object] = {}  # each rule set's values, read once for the batch
        return {t.pk: _evaluate(t, on, inputs[t.pk], values=values) for t in trainees}


@contextmanager
def _collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(
    trainee: Trainee,
    on: date,
    inputs: StandingInputs,
    *,
    preview: PlanVersion | None = None,
    goals: list[GoalCoverage] | None = None,
    values: dict | None = None,
) -> Standing:
    goals = goals or []
    rule_set = inputs.rule_set
    if rule_set is None:
        return Standing(trainee, on, None, None, None, goals=goals)
    version = preview or inputs.approved
    if values is None:
        rules = rule_set.values()
    else:
        rules = values.get(id(rule_set)) or values.setdefault(id(rule_set), rule_set.values())
    plan = plan_periods(version)
    target = version.target_completion if version else None
    key = _fingerprint(
        get_language(), on, trainee.specialisation_start, rules, inputs, plan, target
    )
    cached = _RESULTS.get(key)
    if cached is None:
        evaluation = evaluate(
            rules,
            programme_start=trainee.specialisation_start,
            on=on,
            periods=inputs.periods,
            supervision=inputs.sessions,
            group=inputs.group,
            courses=inputs.courses,
            plan=plan,
            target=target,
        )
        compliance = evaluation.compliance
        if compliance is None or evaluation.compliance_until != on:
            compliance = supervision_compliance(
                inputs.sessions,
                rules,
                programme_start=trainee.specialisation_start,
                on=on,
                periods=inputs.periods,
            )
        cached = _RESULTS.put(key, (evaluation, compliance))
    evaluation, compliance = _copy(*cached)
    return Standing(
        trainee, on, rule_set, evaluation, version, preview is not None, goals, compliance
    )


def _copy(evaluation: Evaluation, compliance: Compliance | None):
    """A copy of a cached answer that a caller cannot change the cache through: new lists;
    their items (requirements, months, years) are frozen and hold only immutable values."""

    def lists(c: Compliance | None) -> Compliance | None:
        return c and replace(c, months=list(c.months), years=list(c.years))

    inner = evaluation.compliance
    copied = lists(compliance)
    return (
        replace(
            evaluation,
            requirements=list(evaluation.requirements),
            compliance=copied if inner is compliance else lists(inner),
        ),
        copied,
    )


class _Results:
    """The rules engine's answers by the fingerprint of everything they are computed from,
    in this process (least recently used out first). A doctor's answer is computed again
    exactly when one of its inputs changes: the key is a digest of the inputs themselves (the
    day, the language, the rule values, every period, session, meeting and course, and the
    plan), so no change can be missed and nothing needs to be told to forget."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._rows: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            value = self._rows.get(key)
            if value is not None:
                self._rows.move_to_end(key)
            return value

    def put(self, key: str, value):
        with self._lock:
            self._rows[key] = value
            self._rows.move_to_end(key)
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


_RESULTS = _Results()


def _fingerprint(language, on, start, rules, inputs: StandingInputs, plan, target) -> str:
    parts = (
        language,
        on,
        start,
        rules,
        _plain(inputs.periods),
        _plain(inputs.sessions),
        _plain(inputs.group),
        _plain(inputs.courses),
        None if plan is None else _plain(plan),
        target,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _plain(records) -> tuple:
    """The field values of the engine's records (frozen dataclasses of dates, numbers and
    text) as plain tuples: the same information as their repr, several times faster to
    write."""
    return tuple(tuple(vars(record).values()) for record in records)


def goal_coverage(trainee: Trainee) -> list[GoalCoverage]:
    """Approved and submitted goals of the catalogues in force, per kind (ALM, FKM)."""
    newest = (
        Catalogue.objects.filter(kind=OuterRef("catalogue__kind"))
        .order_by("-valid_from", "-imported_at")
        .values("pk")[:1]
    )
    goals = LearningGoal.objects.filter(catalogue=Subquery(newest))
    totals = dict(
        goals.values_list("catalogue__kind")
        .annotate(n=Count("pk"))
        .values_list("catalogue__kind", "n")
    )
    counts = {
        row["goal__catalogue__kind"]: row
        for row in trainee.goal_progress.filter(
            office=trainee.office_id, goal__in=goals.values("pk")
        )
        .values("goal__catalogue__kind")
        .annotate(
            approved=Count("pk", filter=Q(status="godkjent")),
            submitted=Count("pk", filter=Q(status="levert")),
        )
    }
    return [
        GoalCoverage(
            kind,
            counts.get(kind, {}).get("approved", 0),
            counts.get(kind, {}).get("submitted", 0),
            totals[kind],
        )
        for kind in sorted(totals)
    ]


def next_actions(s: Standing, *, own: bool = True) -> list[str]:
    """Concrete next steps from the standing, most urgent first: to the doctor ("du") when
    `own`, otherwise about the doctor by name."""
    actions: list[str] = []
    ev = s.evaluation
    if ev is None:
        return actions
    name = s.trainee.full_name

    def say(yours: str, theirs: str, **values) -> None:
        actions.append((yours if own else theirs) % {"name": name, **values})

    institution = ev.get("institution")
    if institution.status in (Status.AT_RISK, Status.NOT_MET):
        if s.arranged.get("institution"):
            say(
                _("Bekreftet plass: %(what)s. Utdanningsplanen med plassen må godkjennes."),
                _(
                    "Bekreftet plass for %(name)s: %(what)s. Utdanningsplanen med plassen må "
                    "godkjennes."
                ),
                what=s.arranged["institution"],
            )
        elif institution.missing:
            say(
                _("Book institusjonstjenesten (mangler %(m)s)."),
                _("Institusjonstjenesten til %(name)s må bookes (mangler %(m)s)."),
                m=institution.missing,
            )
        else:
            say(
                _("Book institusjonstjenesten."),
                _("Institusjonstjenesten til %(name)s må bookes."),
            )
    supervision = ev.get("supervision")
    if supervision.status in (Status.AT_RISK, Status.NOT_MET) and supervision.missing:
        say(
            _("Ta igjen %(h)s individuell veiledning (ligger etter per %(day)s)."),
            _("%(name)s må ta igjen %(h)s individuell veiledning (ligger etter per %(day)s)."),
            h=supervision.missing,
            day=short_date(s.on),
        )
    open_practice = ev.get("open")
    if open_practice.status in (Status.AT_RISK, Status.NOT_MET):
        say(
            _("Planlegg mer åpen uselektert allmennpraksis (mangler %(m)s)."),
            _("Planlegg mer åpen uselektert allmennpraksis for %(name)s (mangler %(m)s)."),
            m=open_practice.missing,
        )
    required_courses = s.get("required_courses")
    if (
        required_courses is not None
        and required_courses.status in (Status.AT_RISK, Status.NOT_MET)
        and required_courses.missing
    ):
        if required_courses.reason == "legevakt":
            say(
                _("Ta kurs som kreves fordi du har legevaktarbeid: %(what)s."),
                _("%(name)s må ta kurs som kreves for legevaktarbeid: %(what)s."),
                what=required_courses.missing,
            )
        else:
            say(
                _("Ta kurs som kreves: %(what)s."),
                _("%(name)s må ta kurs som kreves: %(what)s."),
                what=required_courses.missing,
            )
    group = ev.get("group")
    if group.status not in (Status.MET, Status.NOT_RECORDED) and group.missing:
        say(
            _("Gruppeveiledning mangler: %(what)s."),
            _("Gruppeveiledningen til %(name)s mangler: %(what)s."),
            what=group.missing,
        )
    total = ev.get("total")
    if total.status in (Status.AT_RISK, Status.NOT_MET):
        say(
            _("Oppdater utdanningsplanen: det som er planlagt, gir ikke %(need)s (mangler %(m)s)."),
            _(
                "Oppdater utdanningsplanen til %(name)s: det som er planlagt, gir ikke %(need)s "
                "(mangler %(m)s)."
            ),
            need=format_months(ev.rules.total_service_months),
            m=total.missing,
        )
    if s.plan_version is None:
        say(
            _("Be lederen lage og godkjenne en individuell utdanningsplan."),
            _("%(name)s har ingen godkjent individuell utdanningsplan: lag og godkjenn en."),
        )
    courses = s.get("courses")
    if courses is not None and courses.status == Status.RECOMMENDED and courses.missing:
        say(
            _("Anbefalte kurs du ikke har tatt ennå: %(what)s."),
            _("Anbefalte kurs %(name)s ikke har tatt ennå: %(what)s."),
            what=courses.missing,
        )
    for goal in s.goals:
        left = goal.total - goal.approved - goal.submitted
        if left > 0:
            say(
                _("Arbeid videre med læringsmålene: %(n)s %(kind)s-mål gjenstår."),
                _("%(name)s har %(n)s %(kind)s-mål igjen å arbeide med."),
                n=left,
                kind=goal.kind,
            )
    return actions


__all__ = [
    "GoalCoverage",
    "Headline",
    "arranged_for",
    "register_arranged",
    "Standing",
    "format_hours",
    "goal_coverage",
    "standing",
    "standings",
]


@dataclass
class ComplianceRow:
    trainee: Trainee
    standing: Standing

    @property
    def compliance(self):
        """plans.rules.Compliance, or None without a rule set."""
        return self.standing.compliance

    @property
    def behind(self) -> bool:
        return self.standing.supervision_behind


def compliance_overview(office, *, municipality_ids: set[int] | None, today: date) -> list:
    """Every doctor in training (of the given municipalities, or the whole office) with their
    supervision compliance, from the one standing."""
    trainees = Trainee.objects.filter(office=office, status__in=IN_TRAINING).select_related(
        "municipality"
    )
    if municipality_ids is not None:
        trainees = trainees.filter(municipality_id__in=municipality_ids)
    trainees = list(trainees.order_by("municipality__name", "last_name", "first_name"))
    current = standings(trainees, today)
    return [ComplianceRow(t, current[t.pk]) for t in trainees]
