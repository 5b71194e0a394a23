"""Writes for recruitment rounds: every one keyword-only, taking the office and the acting
user, in one transaction inside the office's scope, validating before it saves.

The round moves draft → open (invited) → assessment (closed for applications) → decided; an
application moves draft → submitted (locked); an offer moves offered → accepted (the planned
positions are made here, by positions.services.position_create, in the same transaction) or
declined.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from accounts.language import speaking
from accounts.models import Membership
from agreements.formatting import format_date
from municipalities.models import Municipality
from notifications.services import Reminder, reminder_queue
from offices import clock
from offices.dates import short_date
from offices.owned import ensure_same_office
from offices.permissions import Role
from offices.vocabularies import EmploymentForm, Scheme
from positions.models import Status as PositionStatus
from positions.services import office_rules, position_create

from . import selectors
from .models import (
    Application,
    ApplicationEvent,
    ApplicationEventKind,
    ApplicationStatus,
    Criterion,
    Invitation,
    InvitationChannel,
    Offer,
    OfferStatus,
    PartnerConfirmation,
    Question,
    QuestionKind,
    Round,
    RoundStatus,
    Score,
)
from .selection import hard_rule_errors

# The criteria and questions of the ALIS Nord invitation (2019), as a start the office edits.
DEFAULT_CRITERIA = [
    (
        gettext_lazy("Representativ for regionen"),
        gettext_lazy("Små og store kommuner, alle helseforetaksområder og fylker."),
        3,
        False,
    ),
    (
        gettext_lazy("Vilje til å prøve næring"),
        gettext_lazy("Kommunen kan tilby ALIS i næringsdrift."),
        2,
        False,
    ),
    (
        gettext_lazy("Interkommunalt samarbeid"),
        gettext_lazy("Søknader fra flere kommuner sammen prioriteres."),
        2,
        False,
    ),
    (
        gettext_lazy("Samisk språkområde"),
        gettext_lazy("Kommuner i forvaltningsområdet for samisk språk."),
        1,
        False,
    ),
    (
        gettext_lazy("Kvalitet i veiledning og supervisjon"),
        gettext_lazy("Hva søknaden beskriver."),
        3,
        False,
    ),
    (
        # The cut-off date is the day the round is made; the office changes it if the
        # steering group set another.
        gettext_lazy("Legen er ikke ansatt før %(date)s"),
        gettext_lazy(
            "Stillingen gjelder en lege som ikke var ansatt i kommunen før skjæringsdatoen "
            "%(date)s. Endre datoen om styringsgruppen har satt en annen."
        ),
        1,
        True,
    ),
    (
        gettext_lazy("Ny ordning"),
        gettext_lazy("ALIS-legen følger ny spesialistutdanning (fra 1. mars 2019)."),
        1,
        True,
    ),
]
DEFAULT_QUESTIONS = [
    (gettext_lazy("ALIS-legen får egen pasientliste"), QuestionKind.YES_NO),
    (gettext_lazy("ALIS-legen får eget kontor"), QuestionKind.YES_NO),
    (gettext_lazy("Daglig supervisjon er sikret"), QuestionKind.YES_NO),
    (gettext_lazy("Timer strukturert veiledning per måned"), QuestionKind.NUMBER),
    (gettext_lazy("Vaktbelastning (legevakt): hvor ofte"), QuestionKind.TEXT),
    (gettext_lazy("Bakvakt er sikret"), QuestionKind.YES_NO),
]

# Joint applications are small cooperations between neighbours ("Tana + Lebesby", a shared
# out-of-hours service); ten partners is more than any real one and keeps one draft from
# writing to the leaders of a whole region.
MAX_PARTNERS = 10
ROUND_FIELDS = ("title", "invitation_text", "deadline", "programme_cap", "max_per_municipality")


def _refuse(message, field: str | None = None):
    raise ValidationError({field: message} if field else message)


def _lock(office, round_: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round_.pk, office=office)


# --- The round ------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    office,
    acting_user,
    title: str,
    invitation_text: str,
    deadline: date,
    programme_cap: int,
    max_per_municipality: int | None = None,
    with_defaults: bool = True,
) -> Round:
    """A new round in draft, with the ALIS Nord criteria and questions to start from (unless
    `with_defaults` is false). The most-per-municipality rule starts as the office's rule for
    positions."""
    if deadline < clock.today():
        _refuse(_("Søknadsfristen kan ikke være tilbake i tid."), "deadline")
    with scope(office=office):
        round_ = Round(
            office=office,
            title=title.strip(),
            invitation_text=invitation_text.strip(),
            deadline=deadline,
            programme_cap=programme_cap,
            max_per_municipality=(
                max_per_municipality or office_rules(office).max_positions_per_municipality
            ),
            created_by=acting_user,
        )
        round_.full_clean()
        round_.save()
        if with_defaults:
            cut_off = {"date": format_date(clock.today())}
            for order, (name, description, weight, must_have) in enumerate(DEFAULT_CRITERIA):
                Criterion.objects.create(
                    office=office,
                    round=round_,
                    name=str(name).replace("%(date)s", cut_off["date"]),
                    description=str(description).replace("%(date)s", cut_off["date"]),
                    weight=weight,
                    must_have=must_have,
                    order=order,
                )
            for order, (text, kind) in enumerate(DEFAULT_QUESTIONS):
                Question.objects.create(
                    office=office, round=round_, text=str(text), kind=kind, order=order
                )
    return round_


@transaction.atomic
def round_update(*, office, acting_user, round_: Round, **fields) -> Round:
    """Change the round's text, deadline, cap or rule (not after the decision)."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Ukjente felt: {unknown}")
    ensure_same_office(office, round_)
    with scope(office=office):
        round_ = _lock(office, round_)
        if round_.is_decided:
            _refuse(_("Runden er vedtatt og kan ikke endres."))
        deadline = fields.get("deadline", round_.deadline)
        if deadline != round_.deadline and deadline < clock.today() and not round_.is_decided:
            _refuse(_("Søknadsfristen kan ikke være tilbake i tid."), "deadline")
        for name, value in fields.items():
            setattr(round_, name, value.strip() if isinstance(value, str) else value)
        round_.full_clean()
        round_.save()
    return round_


@transaction.atomic
def round_items_save(
    *, office, acting_user, round_: Round, criteria: list[dict], questions: list[dict]
) -> Round:
    """Replace the round's criteria and questions (while it is a draft: applications answer
    the questions and assessors score the criteria as they were sent out). Each item is a
    dict of the model's fields; an item with `id` updates that row, `delete` removes it."""
    ensure_same_office(office, round_)
    with scope(office=office):
        round_ = _lock(office, round_)
        if not round_.is_draft:
            _refuse(_("Kriterier og spørsmål kan bare endres før invitasjonen er sendt."))
        _save_items(office, round_, Criterion, criteria)
        _save_items(office, round_, Question, questions)
        if not round_.criteria.exists():
            _refuse(_("Runden må ha minst ett kriterium."))
    return round_


def _save_items(office, round_, model, items: list[dict]) -> None:
    existing = {row.pk: row for row in model.objects.filter(office=office, round=round_)}
    for order, item in enumerate(items):
        item = dict(item)
        pk, delete = item.pop("id", None), item.pop("delete", False)
        row = existing.get(getattr(pk, "pk", pk)) if pk else None
        if pk and row is None:
            _refuse(_("Finnes ikke i denne runden."))
        if delete:
            if row is not None:
                row.delete()
            continue
        row = row or model(office=office, round=round_)
        for name, value in item.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        row.order = order
        row.full_clean()
        row.save()


def _leaders(office, municipality) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            office=office,
            role=Role.MUNICIPAL_LEADER,
            municipality=municipality,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__email")
    ]


def _mail(office, *, user, kind, key, subject, body, link) -> None:
    reminder_queue(
        office=office,
        reminder=Reminder(
            recipient=user.email,
            user_id=user.pk,
            kind=kind,
            subject_key=key,
            period="opptak",
            subject=subject,
            body=body,
            link=link,
            # A letter with a deadline, not a reminder: never held for the quiet month or a
            # weekly digest.
            urgent=True,
        ),
    )


@transaction.atomic
def round_invite(*, office, acting_user, round_: Round, municipalities) -> list[Invitation]:
    """Invite municipalities (all of the region by default, in the view): an e-mail through
    the outbox to each active leader, a letter for post where the municipality has none. Opens
    a draft round; an open round can invite more (those invited before are skipped)."""
    ensure_same_office(office, round_)
    municipalities = list(municipalities)
    with scope(office=office):
        round_ = _lock(office, round_)
        if round_.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
            _refuse(_("Søknadsfristen er ute: runden tar ikke imot flere invitasjoner."))
        today = clock.today()
        if round_.deadline < today:
            _refuse(_("Søknadsfristen har gått ut. Sett en ny frist først."), "deadline")
        if not municipalities:
            _refuse(_("Velg minst én kommune."), "municipalities")
        for municipality in municipalities:
            if municipality.office_id != office.pk or not municipality.is_active:
                _refuse(_("%(name)s hører ikke til dette kontoret.") % {"name": municipality})
        if not round_.criteria.exists():
            _refuse(_("Runden må ha minst ett kriterium."))
        already = set(round_.invitations.values_list("municipality_id", flat=True))
        link = reverse("intake_round_detail", args=[office.slug, round_.pk])
        made = []
        for municipality in municipalities:
            if municipality.pk in already:
                continue
            leaders = _leaders(office, municipality)
            invitation = Invitation.objects.create(
                office=office,
                round=round_,
                municipality=municipality,
                channel=InvitationChannel.EMAIL if leaders else InvitationChannel.LETTER,
                recipients=", ".join(u.email for u in leaders)[:500],
                sent_on=today,
            )
            for user in leaders:
                _mail(
                    office,
                    user=user,
                    kind="opptak_invitasjon",
                    key=f"intake-invitation:{invitation.pk}",
                    subject=_("Invitasjon: %(title)s") % {"title": round_.title},
                    body=_(
                        "%(office)s inviterer %(municipality)s til å søke om ALIS.\n\n%(text)s"
                        "\n\nSøknadsfrist: %(deadline)s."
                    )
                    % {
                        "office": office.name,
                        "municipality": municipality.name,
                        "text": round_.invitation_text,
                        "deadline": format_date(round_.deadline),
                    },
                    link=link,
                )
            made.append(invitation)
        if round_.is_draft:
            round_.status, round_.opened_on = RoundStatus.OPEN, today
            round_.save(update_fields=["status", "opened_on"])
    return made


@transaction.atomic
def round_close(*, office, acting_user, round_: Round) -> Round:
    """Stop taking applications: the round goes to assessment."""
    ensure_same_office(office, round_)
    with scope(office=office):
        round_ = _lock(office, round_)
        if not round_.is_open:
            _refuse(_("Bare en åpen runde kan lukkes for søknader."))
        if not round_.applications.filter(status=ApplicationStatus.SUBMITTED).exists():
            _refuse(_("Ingen søknader er sendt inn ennå."))
        round_.status = RoundStatus.ASSESSMENT
        round_.save(update_fields=["status"])
    return round_


# --- Applications -------------------------------------------------------------------------------


def _clean_answers(round_: Round, answers: dict) -> dict:
    """The answers keyed by question id (as text), each checked against its kind."""
    cleaned = {}
    for question in round_.questions.all():
        value = answers.get(str(question.pk), answers.get(question.pk))
        if value in (None, ""):
            continue
        if question.kind == QuestionKind.YES_NO:
            if value not in (True, False, "ja", "nei"):
                _refuse(_("Svar ja eller nei: %(q)s") % {"q": question.text})
            value = value in (True, "ja")
        elif question.kind == QuestionKind.NUMBER:
            try:
                value = int(value)
            except (TypeError, ValueError):
                _refuse(_("Svar med et helt tall: %(q)s") % {"q": question.text})
            if value < 0:
                _refuse(_("Svar med et helt tall: %(q)s") % {"q": question.text})
        else:
            value = str(value).strip()[:2000]
        cleaned[str(question.pk)] = value
    return cleaned


def _bound_text(municipality, application) -> str:
    if application.lead_id == municipality.pk:
        return _("%(name)s har sin egen søknad i denne runden.") % {"name": municipality.name}
    return _("%(name)s har bekreftet at den søker sammen med %(lead)s i denne runden.") % {
        "name": municipality.name,
        "lead": application.lead.name,
    }


def _check_municipalities(office, round_, lead, partners, application=None) -> None:
    """Who may stand in the application. Naming a partner binds nobody (it confirms or
    withdraws itself), so only what binds is refused: a municipality that has its own
    application, or that has confirmed another one."""
    if len(partners) > MAX_PARTNERS:
        _refuse(
            _(
                "En felles søknad kan ha høyst %(max)s samarbeidskommuner; %(count)s er valgt. "
                "Del samarbeidet i flere søknader, eller ta ut kommuner som ikke skal være med."
            )
            % {"max": MAX_PARTNERS, "count": len(partners)},
            "partners",
        )
    invited = set(round_.invitations.values_list("municipality_id", flat=True))
    for municipality in [lead, *partners]:
        if municipality.pk not in invited:
            _refuse(
                _("%(name)s er ikke invitert i denne runden.") % {"name": municipality.name},
                "partners" if municipality != lead else "lead",
            )
    if lead in partners:
        _refuse(_("Den ansvarlige kommunen kan ikke også stå som samarbeidskommune."), "partners")
    bound = selectors.bound_municipalities(office, round_, exclude=application)
    if lead.pk in bound:
        _refuse(_bound_text(lead, bound[lead.pk]), "lead")
    clash = [_bound_text(m, bound[m.pk]) for m in partners if m.pk in bound]
    if clash:
        _refuse(
            " ".join(clash) + " " + _("Ta kommunen ut av listen over samarbeidskommuner."),
            "partners",
        )


def _log(office, application, kind, acting_user, municipality=None, reason="") -> None:
    ApplicationEvent.objects.create(
        office=office,
        application=application,
        municipality=municipality,
        kind=kind,
        by=acting_user,
        at=clock.now(),
        reason=reason[:300],
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Skriv en begrunnelse."), "reason")
    if len(reason) > 300:
        _refuse(_("Begrunnelsen kan være høyst 300 tegn."), "reason")
    return reason


@transaction.atomic
def application_save(
    *,
    office,
    acting_user,
    round_: Round,
    lead: Municipality,
    partners=(),
    positions_requested: int,
    employment_form: str,
    answers: dict,
    note: str = "",
    application: Application | None = None,
) -> Application:
    """Create or change a draft application (what is written is kept as it is; the required
    answers are checked when it is submitted)."""
    ensure_same_office(office, round_, application)
    partners = list(partners)
    with scope(office=office):
        round_ = _lock(office, round_)
        if not round_.is_open:
            _refuse(_("Runden tar ikke imot søknader nå."))
        if application is not None:
            application = Application.objects.select_for_update().get(
                pk=application.pk, office=office, round=round_
            )
            if not application.is_draft:
                _refuse(_("Søknaden er sendt inn og kan ikke endres."))
        _check_municipalities(office, round_, lead, partners, application)
        application = application or Application(
            office=office, round=round_, created_by=acting_user
        )
        application.lead = lead
        application.positions_requested = positions_requested
        application.employment_form = employment_form
        application.answers = _clean_answers(round_, answers)
        application.note = note.strip()
        application.full_clean(exclude=["partners"])
        named_before = (
            set(application.partners.values_list("pk", flat=True)) if application.pk else set()
        )
        application.save()
        application.partners.set(partners)
        _ask_partners(
            office,
            acting_user,
            application,
            [m for m in partners if m.pk not in named_before],
        )
        # A municipality taken out of the list is no longer confirmed.
        PartnerConfirmation.objects.filter(office=office, application=application).exclude(
            municipality__in=partners
        ).delete()
    return application


def _ask_partners(office, acting_user, application: Application, named: list) -> None:
    """The leaders of each municipality newly named as a partner are asked, by e-mail in their
    own language, to confirm the joint application (or take their municipality out of it).
    Once per round, lead and partner, whatever drafts are changed, deleted and written anew:
    the key names no application, so deleting a draft and writing it again cannot be used to
    send a partner's leaders letter after letter. The link goes to the round's page, which lists
    the application the partner stands in (whichever draft that is now) and still answers when
    the draft the letter was about has been deleted. A municipality without a leader in ALIS is
    confirmed by the office (it sees the list of those waiting on the application's page)."""
    link = reverse("intake_round_detail", args=[office.slug, application.round_id])
    round_ = application.round
    for municipality in named:
        for user in _leaders(office, municipality):
            if acting_user is not None and user.pk == acting_user.pk:
                continue  # a leader of both municipalities named it themselves
            with speaking(user):
                values = {
                    "lead": application.lead.name,
                    "municipality": municipality.name,
                    "round": round_.title,
                    "office": office.name,
                    "deadline": short_date(round_.deadline),
                }
                subject = _("%(lead)s ber %(municipality)s bekrefte en felles ALIS-søknad") % values
                body = (
                    _(
                        "%(lead)s har ført opp %(municipality)s som samarbeidskommune i søknaden "
                        "til «%(round)s» hos %(office)s. Søknaden kan ikke sendes inn før "
                        "%(municipality)s har bekreftet. Åpne søknaden for å bekrefte samarbeidet, "
                        "eller ta kommunen ut av den om dere ikke skal være med. Søknadsfristen er "
                        "%(deadline)s."
                    )
                    % values
                )
            _mail(
                office,
                user=user,
                kind="opptak_samarbeid",
                key=f"intake-partner:{round_.pk}:{application.lead_id}:{municipality.pk}",
                subject=subject,
                body=body,
                link=link,
            )


@transaction.atomic
def application_submit(*, office, acting_user, application: Application) -> Application:
    """Submit and lock the application before the deadline; every required question answered.
    The leaders of its municipalities get an acknowledgement by e-mail."""
    ensure_same_office(office, application)
    with scope(office=office):
        _lock(office, application.round)
        application = Application.objects.select_for_update().get(pk=application.pk, office=office)
        round_ = application.round
        if application.is_withdrawn:
            _refuse(_("Søknaden er trukket."))
        if not application.is_draft:
            _refuse(_("Søknaden er allerede sendt inn."))
        if not round_.is_open:
            _refuse(_("Runden tar ikke imot søknader nå."))
        if clock.today() > round_.deadline:
            _refuse(
                _("Søknadsfristen gikk ut %(deadline)s.")
                % {"deadline": format_date(round_.deadline)}
            )
        missing = [
            q.text
            for q in round_.questions.filter(required=True)
            if application.answers.get(str(q.pk)) in (None, "")
        ]
        if missing:
            _refuse(_("Svar på alle spørsmålene først: %(q)s.") % {"q": "; ".join(missing)})
        partners = sorted(application.partners.all(), key=lambda m: m.name)
        bound = selectors.bound_municipalities(office, round_, exclude=application)
        clash = [_bound_text(m, bound[m.pk]) for m in partners if m.pk in bound]
        if clash:
            _refuse(" ".join(clash) + " " + _("Ta kommunen ut av søknaden før den sendes inn."))
        confirmed = selectors.confirmations_for(application)
        waiting = [m.name for m in partners if m.pk not in confirmed]
        if waiting:
            _refuse(
                _(
                    "Samarbeidskommunene må bekrefte før søknaden sendes inn. Venter på: "
                    "%(names)s. Lederen i kommunen bekrefter på søknadens side; har kommunen "
                    "ingen leder i ALIS, bekrefter kontoret for den."
                )
                % {"names": ", ".join(waiting)}
            )
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = clock.now()
        application.submitted_by = acting_user
        application.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        link = reverse("intake_application_detail", args=[office.slug, application.pk])
        notified = set()
        for municipality in application.municipalities():
            for user in _leaders(office, municipality):
                if user.pk in notified:
                    continue
                notified.add(user.pk)
                _mail(
                    office,
                    user=user,
                    kind="opptak_kvittering",
                    key=f"intake-application:{application.pk}",
                    subject=_("Søknaden er mottatt: %(title)s") % {"title": round_.title},
                    body=_(
                        "%(office)s har mottatt søknaden fra %(name)s om %(n)s ALIS. "
                        "Søknaden er låst; ta kontakt med kontoret om noe må rettes."
                    )
                    % {
                        "office": office.name,
                        "name": application.name,
                        "n": application.positions_requested,
                    },
                    link=link,
                )
    return application


def _live_application(office, application) -> Application:
    _lock(office, application.round)
    application = Application.objects.select_for_update().get(pk=application.pk, office=office)
    if application.is_withdrawn:
        _refuse(_("Søknaden er trukket."))
    return application


def _partner_of(application, municipality) -> None:
    if not application.partners.filter(pk=municipality.pk).exists():
        _refuse(
            _("%(name)s står ikke som samarbeidskommune i søknaden.") % {"name": municipality.name}
        )


@transaction.atomic
def partner_confirm(
    *,
    office,
    acting_user,
    application: Application,
    municipality: Municipality,
    on_behalf: bool = False,
    note: str = "",
) -> PartnerConfirmation:
    """A partner municipality says yes to the joint application: its leader (the view checks
    that the acting user leads it), or the office on its behalf when it has no leader user
    (`on_behalf`, saying how the yes came). Refused while the municipality has its own
    application or has confirmed another one in the round."""
    ensure_same_office(office, application, municipality)
    with scope(office=office):
        application = _live_application(office, application)
        if not application.is_draft:
            _refuse(_("Søknaden er sendt inn; samarbeidet kan ikke endres."))
        if not application.round.is_open:
            _refuse(_("Runden tar ikke imot søknader nå."))
        _partner_of(application, municipality)
        if PartnerConfirmation.objects.filter(
            office=office, application=application, municipality=municipality
        ).exists():
            _refuse(_("%(name)s har allerede bekreftet.") % {"name": municipality.name})
        if on_behalf:
            if selectors.municipalities_with_leader(office, [municipality.pk]):
                _refuse(
                    _(
                        "%(name)s har en leder med bruker i ALIS. Lederen bekrefter selv på "
                        "søknadens side."
                    )
                    % {"name": municipality.name}
                )
            note = (note or "").strip()
            if not note:
                _refuse(_("Skriv hvordan kommunen bekreftet (brev, e-post, telefon)."), "note")
            if len(note) > 300:
                _refuse(_("Begrunnelsen kan være høyst 300 tegn."), "note")
        bound = selectors.bound_municipalities(office, application.round, exclude=application)
        if municipality.pk in bound:
            _refuse(
                _bound_text(municipality, bound[municipality.pk])
                + " "
                + _("Den søknaden må trekkes før kommunen kan bekrefte dette samarbeidet.")
            )
        confirmation = PartnerConfirmation.objects.create(
            office=office,
            application=application,
            municipality=municipality,
            confirmed_at=clock.now(),
            confirmed_by=acting_user,
            on_behalf=on_behalf,
            note=note if on_behalf else "",
        )
        _log(
            office,
            application,
            ApplicationEventKind.CONFIRMED_BY_OFFICE
            if on_behalf
            else ApplicationEventKind.CONFIRMED,
            acting_user,
            municipality,
            note if on_behalf else "",
        )
    return confirmation


@transaction.atomic
def partner_withdraw(
    *, office, acting_user, application: Application, municipality: Municipality
) -> Application:
    """A partner municipality's leader takes it out of a draft (named without asking, or
    changed its mind). After the application is sent in, only the office can."""
    ensure_same_office(office, application, municipality)
    with scope(office=office):
        application = _live_application(office, application)
        if not application.is_draft:
            _refuse(_("Søknaden er sendt inn. Kontakt kontoret om kommunen skal ut av søknaden."))
        _partner_of(application, municipality)
        _leave(office, application, municipality)
        _log(office, application, ApplicationEventKind.PARTNER_LEFT, acting_user, municipality)
    return application


def _leave(office, application, municipality) -> None:
    application.partners.remove(municipality)
    PartnerConfirmation.objects.filter(
        office=office, application=application, municipality=municipality
    ).delete()


def _before_decision(application) -> None:
    if application.round.is_decided:
        _refuse(_("Runden er vedtatt; søknaden kan ikke endres."))


@transaction.atomic
def application_remove_municipality(
    *, office, acting_user, application: Application, municipality: Municipality, reason: str
) -> Application:
    """The office takes a partner municipality out of an application (a draft or one sent in,
    before the decision), with the reason in the application's log."""
    ensure_same_office(office, application, municipality)
    with scope(office=office):
        application = _live_application(office, application)
        _before_decision(application)
        if municipality.pk == application.lead_id:
            _refuse(_("Den ansvarlige kommunen kan ikke fjernes. Trekk søknaden i stedet."))
        _partner_of(application, municipality)
        reason = _reason(reason)
        _leave(office, application, municipality)
        _log(
            office,
            application,
            ApplicationEventKind.PARTNER_REMOVED,
            acting_user,
            municipality,
            reason,
        )
    return application


@transaction.atomic
def application_withdraw(
    *, office, acting_user, application: Application, reason: str
) -> Application:
    """The office withdraws an application (a draft or one sent in, before the decision),
    with the reason in its log. It stays on the round's page as «Trukket»; its municipalities
    are free to apply again."""
    ensure_same_office(office, application)
    with scope(office=office):
        application = _live_application(office, application)
        _before_decision(application)
        reason = _reason(reason)
        application.status = ApplicationStatus.WITHDRAWN
        application.withdrawn_at, application.withdrawn_by = clock.now(), acting_user
        application.withdrawn_reason = reason
        application.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdrawn_by",
                "withdrawn_reason",
                "updated_at",
            ]
        )
        _log(office, application, ApplicationEventKind.WITHDRAWN, acting_user, reason=reason)
    return application


@transaction.atomic
def application_delete_draft(*, office, acting_user, application: Application) -> None:
    """The lead deletes its own draft (nothing is sent in; the round's history keeps only what
    was sent in)."""
    ensure_same_office(office, application)
    with scope(office=office):
        application = _live_application(office, application)
        if not application.is_draft:
            _refuse(_("Bare et utkast kan slettes."))
        application.delete()


# --- Assessment ---------------------------------------------------------------------------------


@transaction.atomic
def scores_save(
    *, office, acting_user, application: Application, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """The acting assessor's scores of a submitted application: criterion id → (value,
    comment). A must-have criterion takes 0 (not met) or 1 (met); the others 0–5. Each
    assessor has one score per criterion (a new one replaces theirs)."""
    ensure_same_office(office, application)
    with scope(office=office):
        application = Application.objects.get(pk=application.pk, office=office)
        round_ = application.round
        if application.status != ApplicationStatus.SUBMITTED:
            _refuse(_("Søknaden er ikke sendt inn."))
        if round_.status not in (RoundStatus.OPEN, RoundStatus.ASSESSMENT):
            _refuse(_("Runden er vedtatt; poengene kan ikke endres."))
        criteria = {c.pk: c for c in round_.criteria.all()}
        saved = []
        for criterion_id, (value, comment) in scores.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                _refuse(_("Finnes ikke i denne runden."))
            if value is None:
                Score.objects.filter(
                    office=office,
                    application=application,
                    criterion=criterion,
                    assessor=acting_user,
                ).delete()
                continue
            if not 0 <= value <= criterion.max_score:
                _refuse(
                    _("%(name)s: gi fra 0 til %(max)s poeng.")
                    % {"name": criterion.name, "max": criterion.max_score}
                )
            score, _created = Score.objects.update_or_create(
                office=office,
                application=application,
                criterion=criterion,
                assessor=acting_user,
                defaults={"value": value, "comment": (comment or "").strip()[:300]},
            )
            saved.append(score)
    return saved


# --- Decision and offers --------------------------------------------------------------------


@transaction.atomic
def round_decide(
    *,
    office,
    acting_user,
    round_: Round,
    decided_on: date,
    decision_reference: str,
    offers: list[tuple[Application, Municipality, int, str]],
    note: str = "",
) -> list[Offer]:
    """Record the steering group's decision: offers per municipality (application,
    municipality, number of ALIS, employment form). Refused, with every broken rule named,
    when the offers exceed the programme cap or give a municipality more than the round allows
    (active positions it has count). Every applicant is told by e-mail: an offer or a
    rejection, with the letter on the round's page."""
    ensure_same_office(office, round_)
    with scope(office=office):
        round_ = _lock(office, round_)
        if round_.status != RoundStatus.ASSESSMENT:
            _refuse(_("Runden må være lukket for søknader før vedtaket."))
        if decided_on > clock.today():
            _refuse(_("Vedtaksdatoen kan ikke være fram i tid."), "decided_on")
        if not decision_reference.strip():
            _refuse(_("Skriv hvilket møte som fattet vedtaket."), "decision_reference")
        # The applications as they are now in this round (not as the caller last saw them).
        fresh = {
            a.pk: a
            for a in Application.objects.filter(
                office=office, round=round_, pk__in=[o[0].pk for o in offers]
            )
            .select_related("lead")
            .prefetch_related("partners")
        }
        offers = [(fresh.get(o[0].pk), *o[1:]) for o in offers if o[2]]
        for application, municipality, positions, employment_form in offers:
            if application is None or application.status != ApplicationStatus.SUBMITTED:
                _refuse(_("Finnes ikke i denne runden."))
            if municipality not in application.municipalities():
                _refuse(_("%(name)s står ikke i søknaden.") % {"name": municipality.name})
            if positions < 0:
                _refuse(_("Antallet kan ikke være negativt."))
            if employment_form not in EmploymentForm.values:
                _refuse(_("Velg driftsform."))
        ids = [o[1].pk for o in offers]
        if len(ids) != len(set(ids)):
            _refuse(_("En kommune kan bare få ett tilbud i en runde."))
        errors = hard_rule_errors(
            [(o[1].pk, o[2]) for o in offers],
            cap=round_.programme_cap,
            max_per_municipality=round_.max_per_municipality,
            existing=selectors.active_positions_by_municipality(office, ids),
            names={o[1].pk: o[1].name for o in offers},
        )
        if errors:
            raise ValidationError(errors)
        made = [
            Offer.objects.create(
                office=office,
                round=round_,
                application=application,
                municipality=municipality,
                positions=positions,
                employment_form=employment_form,
            )
            for application, municipality, positions, employment_form in offers
        ]
        round_.status = RoundStatus.DECIDED
        round_.decided_on = decided_on
        round_.decision_reference = decision_reference.strip()
        round_.decision_note = note.strip()
        round_.save()
        _tell_applicants(office, round_, made)
    return made


def _tell_applicants(office, round_, offers) -> None:
    link = reverse("intake_round_detail", args=[office.slug, round_.pk])
    offered = {o.application_id for o in offers}
    for application in selectors.submitted_applications(office, round_):
        if application.pk in offered:
            subject = _("Tilbud om ALIS: %(title)s") % {"title": round_.title}
            body = _(
                "Styringsgruppen har tilbudt %(name)s ALIS i %(title)s. Svar på tilbudet på "
                "rundens side; tilbudsbrevet ligger der."
            )
        else:
            subject = _("Svar på søknaden: %(title)s") % {"title": round_.title}
            body = _(
                "Styringsgruppen kunne dessverre ikke tilby %(name)s ALIS i %(title)s. "
                "Brevet med begrunnelsen ligger på rundens side."
            )
        body = body % {"name": application.name, "title": round_.title}
        notified = set()
        for municipality in application.municipalities():
            for user in _leaders(office, municipality):
                if user.pk not in notified:
                    notified.add(user.pk)
                    _mail(
                        office,
                        user=user,
                        kind="opptak_vedtak",
                        key=f"intake-decision:{application.pk}",
                        subject=subject,
                        body=body,
                        link=link,
                    )


@transaction.atomic
def offer_answer(
    *, office, acting_user, offer: Offer, accept: bool, on_behalf: bool = False, note: str = ""
) -> Offer:
    """The municipality accepts or declines its offer (its leader, or the leader of the
    application's lead municipality; the view checks who). The office records an answer that
    came by letter or phone with `on_behalf` and `note` (how it came); who and when are kept.
    Accepting creates the offer's planned positions in the positions overview (one per ALIS,
    the offer's employment form, the new scheme), in this transaction: if one cannot be made
    (the office's rule for positions), nothing is. The offer row is locked, so of two answers
    at once the second is refused as already answered."""
    ensure_same_office(office, offer)
    with scope(office=office):
        offer = Offer.objects.select_for_update().get(pk=offer.pk, office=office)
        if not offer.is_open:
            _refuse(_("Tilbudet er allerede besvart."))
        note = (note or "").strip()
        if on_behalf and not note:
            _refuse(_("Skriv hvordan svaret kom (brev, e-post, telefon)."), "note")
        if len(note) > 300:
            _refuse(_("Begrunnelsen kan være høyst 300 tegn."), "note")
        offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
        offer.answered_at, offer.answered_by = clock.now(), acting_user
        offer.answered_by_office, offer.answer_note = on_behalf, note
        offer.save(
            update_fields=[
                "status",
                "answered_at",
                "answered_by",
                "answered_by_office",
                "answer_note",
            ]
        )
        if on_behalf:
            _log(
                office,
                offer.application,
                ApplicationEventKind.OFFER_RECORDED,
                acting_user,
                offer.municipality,
                note,
            )
        if accept:
            positions = [
                position_create(
                    office=office,
                    acting_user=acting_user,
                    municipality=offer.municipality,
                    employment_form=offer.employment_form,
                    scheme=Scheme.NEW,
                    status=PositionStatus.PLANNED,
                )
                for _n in range(offer.positions)
            ]
            offer.created_positions.set(positions)
    return offer
