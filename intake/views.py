"""Office pages for recruitment rounds (under /<office_slug>/opptak/). Every view declares its
permission; rows are fetched by office (another office's ids are 404) and, for a leader, by
their municipalities, before any method check."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import office_permission
from audit.services import log_export
from offices import clock
from offices.forms import error_summary, form_error_texts, run_action, run_service
from offices.pdf import RenderLimitError

from . import exports, selectors, services
from .forms import (
    ApplicationForm,
    CriterionFormSet,
    DecisionForm,
    InviteForm,
    QuestionFormSet,
    ReasonForm,
    RoundForm,
    ScoreForm,
    criteria_initial,
    formset_items,
    questions_initial,
)
from .models import ApplicationStatus, RoundStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _seen(request) -> set[int] | None:
    """None for the office; the leader's municipalities otherwise."""
    return request.access.visible_municipality_ids("intake.view")


def _round(request, round_id):
    return selectors.round_get(request.office, round_id, _seen(request))


def _application(request, application_id):
    return selectors.application_get(request.office, application_id, _seen(request))


def _apply_ids(request) -> set[int]:
    return request.access.municipality_ids("intake.apply")


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _to_round(round_):
    return redirect("intake_round_detail", round_.office.slug, round_.pk)


def _pdf(request, make, filename: str, what: str, back):
    try:
        content = make()
    except RenderLimitError as error:
        messages.error(request, str(error))
        return back
    log_export(request, what)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Rounds -------------------------------------------------------------------------------------


@office_permission("intake.view")
def round_list(request, office_slug):
    rounds = selectors.rounds_for_office(request.office, _seen(request))
    return render(request, "intake/round_list.html", {"rounds": rounds})


@office_permission("intake.manage")
def round_create(request, office_slug):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, round_ = run_service(
            form,
            lambda: services.round_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request,
                _("Runden er laget med kriteriene og spørsmålene fra ALIS Nord. Se over dem."),
            )
            return redirect("intake_round_edit", office_slug, round_.pk)
    return render(request, "intake/round_form.html", {"form": form})


@office_permission("intake.view")
def round_detail(request, office_slug, round_id):
    office, access = request.office, request.access
    round_ = _round(request, round_id)
    seen = _seen(request)
    today = clock.today()
    applications = selectors.applications_for_round(office, round_, seen)
    # ?mine-uferdige=1 (the inbox card's link): the applications the user has still to score.
    unfinished = request.GET.get("mine-uferdige") == "1" and access.can("intake.assess")
    if unfinished:
        mine = selectors.unscored_by(office, request.user).filter(round=round_).values("pk")
        applications = applications.filter(pk__in=mine)
    apply_ids = _apply_ids(request)
    invited = set(
        selectors.invitations_for(office, round_).values_list("municipality_id", flat=True)
    )
    taken = set(selectors.bound_municipalities(office, round_))
    context = {
        "round": round_,
        "criteria": selectors.criteria_for(round_),
        "questions": list(round_.questions.all()),
        "applications": applications,
        "offers": selectors.offers_for_round(office, round_, seen),
        "can_manage": access.can("intake.manage"),
        "can_assess": access.can("intake.assess"),
        "can_apply": bool(
            round_.is_open and round_.deadline >= today and (apply_ids & invited) - taken
        ),
        "apply_ids": apply_ids,
        "today": today,
        "unfinished": unfinished,
    }
    if access.can("intake.manage"):
        context["invitations"] = selectors.invitations_for(office, round_)
        context["summary"] = selectors.round_summary(office, round_, today)
    return render(request, "intake/round_detail.html", context)


@office_permission("intake.manage")
def round_edit(request, office_slug, round_id):
    round_ = _round(request, round_id)
    if round_.is_decided:
        messages.error(request, _("Runden er vedtatt og kan ikke endres."))
        return _to_round(round_)
    post = request.POST if request.method == "POST" else None
    form = RoundForm(post, instance=round_)
    criteria = questions = None
    if round_.is_draft:
        criteria = CriterionFormSet(
            post, prefix="kriterier", initial=criteria_initial(round_.criteria.all())
        )
        questions = QuestionFormSet(
            post, prefix="sporsmal", initial=questions_initial(round_.questions.all())
        )
    if (
        post is not None
        and form.is_valid()
        and (criteria is None or (criteria.is_valid() and questions.is_valid()))
    ):

        def save():
            services.round_update(
                office=request.office,
                acting_user=request.user,
                round_=round_,
                **{k: form.cleaned_data[k] for k in services.ROUND_FIELDS},
            )
            if criteria is not None:
                services.round_items_save(
                    office=request.office,
                    acting_user=request.user,
                    round_=round_,
                    criteria=formset_items(criteria),
                    questions=formset_items(questions),
                )

        saved, _result = run_service(form, save)
        if saved:
            messages.success(request, _("Runden er lagret."))
            return _to_round(round_)
    return render(
        request,
        "intake/round_edit.html",
        {
            "round": round_,
            "form": form,
            "criteria": criteria,
            "questions": questions,
            "errors": error_summary(form, criteria, questions) if post is not None else [],
        },
    )


@office_permission("intake.manage")
def round_invite(request, office_slug, round_id):
    round_ = _round(request, round_id)
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        messages.error(
            request, _("Søknadsfristen er ute: runden tar ikke imot flere invitasjoner.")
        )
        return _to_round(round_)
    invited = selectors.invitations_for(request.office, round_).values("municipality_id")
    choices = selectors.region_municipalities(request.office).exclude(pk__in=invited)
    trusts = selectors.health_trust_names(choices.values_list("pk", flat=True), clock.today())
    form = InviteForm(request.POST or None, municipalities=choices, trusts=trusts)
    if request.method == "POST" and form.is_valid():
        saved, made = run_service(
            form,
            lambda: services.round_invite(
                office=request.office,
                acting_user=request.user,
                round_=round_,
                municipalities=form.cleaned_data["municipalities"],
            ),
            field="municipalities",
        )
        if saved:
            letters = sum(1 for i in made if i.channel == "brev")
            messages.success(
                request,
                _(
                    "%(n)s kommuner er invitert: %(mail)s på e-post, %(letters)s trenger brev "
                    "i posten."
                )
                % {"n": len(made), "mail": len(made) - letters, "letters": letters},
            )
            return _to_round(round_)
    return render(request, "intake/round_invite.html", {"round": round_, "form": form})


@office_permission("intake.manage")
def invitation_letters(request, office_slug, round_id):
    round_ = _round(request, round_id)
    invitations = list(selectors.letter_invitations(request.office, round_))
    if not invitations:
        messages.info(request, _("Alle inviterte kommuner har fått invitasjonen på e-post."))
        return _to_round(round_)
    return _pdf(
        request,
        lambda: exports.invitation_letters_pdf(request.office, round_, invitations),
        f"invitasjoner-{round_.pk}.pdf",
        f"opptak {round_.pk}: invitasjonsbrev",
        _to_round(round_),
    )


@office_permission("intake.manage")
def round_close(request, office_slug, round_id):
    """First a confirmation page (how many drafts will not be sent in, whether the deadline
    has passed); the round closes only on «Ja, lukk runden»."""
    round_ = _round(request, round_id)
    if not round_.is_open:
        messages.error(request, _("Bare en åpen runde kan lukkes for søknader."))
        return _to_round(round_)
    if request.method == "POST" and request.POST.get("bekreft") == "ja":
        run_action(
            request,
            lambda: services.round_close(
                office=request.office, acting_user=request.user, round_=round_
            ),
            _("Runden er lukket for søknader og klar for vurdering."),
        )
        return _to_round(round_)
    today = clock.today()
    return render(
        request,
        "intake/round_close.html",
        {
            "round": round_,
            "drafts": selectors.draft_applications(request.office, round_),
            "submitted": selectors.submitted_applications(request.office, round_).count(),
            "before_deadline": round_.deadline >= today,
            "days_left": (round_.deadline - today).days,
        },
    )


# --- Applications -----------------------------------------------------------------------------


def _application_form(request, round_, application=None):
    """Lead: the user's municipalities not bound to another application; partners: every
    invited municipality not bound elsewhere (only named until it confirms), and those this
    draft names already (so a clash shows as a clear message, not a lost tick)."""
    office = request.office
    invited = selectors.invited_municipalities(office, round_)
    taken = set(selectors.bound_municipalities(office, round_, exclude=application))
    free = invited.exclude(pk__in=taken)
    leads = free.filter(pk__in=_apply_ids(request))
    if application is not None:
        named = [m.pk for m in application.partners.all()]
        free = invited.filter(pk__in={*free.values_list("pk", flat=True), *named})
    data = request.POST if request.method == "POST" else None
    initial = ApplicationForm.initial_for(application) if application else None
    return ApplicationForm(data, initial=initial, round_=round_, leads=leads, municipalities=free)


def _save_application(request, round_, form, application=None):
    return run_service(
        form,
        lambda: services.application_save(
            office=request.office,
            acting_user=request.user,
            round_=round_,
            application=application,
            lead=form.cleaned_data["lead"],
            partners=form.cleaned_data["partners"],
            positions_requested=form.cleaned_data["positions_requested"],
            employment_form=form.cleaned_data["employment_form"],
            answers=form.answers(),
            note=form.cleaned_data["note"],
        ),
    )


def _after_save(request, form, application):
    """«Lagre utkast» keeps the draft; «Send inn» submits it too (its errors land on the
    form, and the draft stays saved)."""
    if request.POST.get("action") != "send":
        messages.success(request, _("Utkastet er lagret. Du kan fortsette senere."))
        return redirect("intake_application_edit", request.office.slug, application.pk)
    sent, _result = run_service(
        form,
        lambda: services.application_submit(
            office=request.office, acting_user=request.user, application=application
        ),
    )
    if sent:
        messages.success(request, _("Søknaden er sendt inn. Dere får en kvittering på e-post."))
        return redirect("intake_application_detail", request.office.slug, application.pk)
    return None


@office_permission("intake.apply")
def application_create(request, office_slug, round_id):
    round_ = _round(request, round_id)
    if not round_.is_open:
        messages.error(request, _("Runden tar ikke imot søknader nå."))
        return _to_round(round_)
    form = _application_form(request, round_)
    if not form.fields["lead"].queryset.exists():
        messages.info(
            request,
            _(
                "Kommunen din har allerede en søknad i denne runden, eller har bekreftet at "
                "den søker sammen med en annen kommune."
            ),
        )
        return _to_round(round_)
    if request.method == "POST" and form.is_valid():
        saved, application = _save_application(request, round_, form)
        if saved:
            response = _after_save(request, form, application)
            if response is not None:
                return response
            # The draft is saved, so the user goes on at its own page; the reason it was not
            # sent comes along (the form's errors would be lost in the redirect).
            messages.error(
                request,
                _("Søknaden er lagret som utkast, men ikke sendt inn: %(errors)s")
                % {"errors": " ".join(form_error_texts(form))},
            )
            return redirect("intake_application_edit", office_slug, application.pk)
    return render(request, "intake/application_form.html", {"round": round_, "form": form})


def _editable(request, application_id):
    application = _application(request, application_id)
    if application.lead_id not in _apply_ids(request):
        raise PermissionDenied
    return application


@office_permission("intake.apply")
def application_edit(request, office_slug, application_id):
    application = _editable(request, application_id)
    round_ = application.round
    if not application.is_draft or not round_.is_open:
        return redirect("intake_application_detail", office_slug, application.pk)
    form = _application_form(request, round_, application)
    if request.method == "POST" and form.is_valid():
        saved, application = _save_application(request, round_, form, application)
        if saved:
            response = _after_save(request, form, application)
            if response is not None:
                return response
    return render(
        request,
        "intake/application_form.html",
        {"round": round_, "form": form, "application": application},
    )


@office_permission("intake.apply")
def application_submit(request, office_slug, application_id):
    application = _editable(request, application_id)
    if (refused := _post_only(request)) is not None:
        return refused
    run_action(
        request,
        lambda: services.application_submit(
            office=request.office, acting_user=request.user, application=application
        ),
        _("Søknaden er sendt inn. Dere får en kvittering på e-post."),
    )
    return redirect("intake_application_detail", office_slug, application.pk)


def _answers(application):
    rows = []
    for question in application.round.questions.all():
        value = application.answers.get(str(question.pk))
        if isinstance(value, bool):
            value = _("Ja") if value else _("Nei")
        rows.append((question, value))
    return rows


@office_permission("intake.view")
def application_detail(request, office_slug, application_id, score_form=None, status=200):
    office, access = request.office, request.access
    application = _application(request, application_id)
    round_ = application.round
    figures = selectors.population_for([m.pk for m in application.municipalities()])
    apply_ids = _apply_ids(request)
    confirmed = selectors.confirmations_for(application)
    partners = sorted(application.partners.all(), key=lambda m: m.name)
    can_manage = access.can("intake.manage")
    with_leader = selectors.municipalities_with_leader(office, [m.pk for m in partners])
    live = not application.is_withdrawn and not round_.is_decided
    context = {
        "application": application,
        "round": round_,
        # (municipality, its confirmation or None, the user leads it, it has a leader user)
        "partner_rows": [
            (m, confirmed.get(m.pk), m.pk in apply_ids, m.pk in with_leader) for m in partners
        ],
        "partner_open": application.is_draft and round_.is_open,
        "can_manage": can_manage and live,
        "can_delete": application.is_draft and application.lead_id in apply_ids,
        "events": selectors.events_for(application) if can_manage else [],
        "reason_form": ReasonForm(),
        "answers": _answers(application),
        "figures": [(m, figures.get(m.pk)) for m in application.municipalities()],
        "population": selectors.application_population(application, figures),
        "can_edit": (application.is_draft and round_.is_open and application.lead_id in apply_ids),
        "offers": selectors.offers_for_round(office, round_, _seen(request)).filter(
            application=application
        ),
    }
    if access.can("intake.assess") and application.status == ApplicationStatus.SUBMITTED:
        criteria = selectors.criteria_for(round_)
        context["assessment"] = selectors.assessment(office, round_, clock.today())
        result = context["assessment"]
        row = next((r for r in result.rows if r.application.pk == application.pk), None)
        context["row"] = row
        context["score_table"] = row.table(result.criteria, result.assessors) if row else []
        if round_.status in (RoundStatus.OPEN, RoundStatus.ASSESSMENT):
            context["score_form"] = score_form or ScoreForm(
                criteria=criteria, mine=selectors.scores_by(office, application, request.user)
            )
    return render(request, "intake/application_detail.html", context, status=status)


def _municipality_in(application, request):
    """The municipality the form names, among the application's partners (404 otherwise)."""
    wanted = request.POST.get("municipality", "")
    for municipality in application.partners.all():
        if str(municipality.pk) == wanted:
            return municipality
    raise Http404


def _to_application(application):
    return redirect("intake_application_detail", application.office.slug, application.pk)


@office_permission("intake.apply")
def application_partner(request, office_slug, application_id):
    """A partner municipality's leader confirms the joint application or withdraws from it."""
    application = _application(request, application_id)
    if (refused := _post_only(request)) is not None:
        return refused
    municipality = _municipality_in(application, request)
    if municipality.pk not in _apply_ids(request):
        raise PermissionDenied
    office, user = request.office, request.user
    if request.POST.get("action") == "bekreft":
        run_action(
            request,
            lambda: services.partner_confirm(
                office=office, acting_user=user, application=application, municipality=municipality
            ),
            _("%(name)s har bekreftet samarbeidet.") % {"name": municipality.name},
        )
        return _to_application(application)
    done, _result = run_action(
        request,
        lambda: services.partner_withdraw(
            office=office, acting_user=user, application=application, municipality=municipality
        ),
        _("%(name)s er tatt ut av søknaden.") % {"name": municipality.name},
    )
    return _to_round(application.round) if done else _to_application(application)


@office_permission("intake.apply")
def application_delete(request, office_slug, application_id):
    """The lead deletes its own draft."""
    application = _editable(request, application_id)
    if (refused := _post_only(request)) is not None:
        return refused
    done, _result = run_action(
        request,
        lambda: services.application_delete_draft(
            office=request.office, acting_user=request.user, application=application
        ),
        _("Utkastet er slettet."),
    )
    return _to_round(application.round) if done else _to_application(application)


@office_permission("intake.manage")
def application_office(request, office_slug, application_id):
    """The office confirms for a partner without a leader user, removes a partner, or
    withdraws the application; every one with a reason in the application's log."""
    application = _application(request, application_id)
    if (refused := _post_only(request)) is not None:
        return refused
    office, user = request.office, request.user
    action, reason = request.POST.get("action"), request.POST.get("reason", "")
    if action == "trekk":
        run_action(
            request,
            lambda: services.application_withdraw(
                office=office, acting_user=user, application=application, reason=reason
            ),
            _("Søknaden er trukket."),
        )
        return _to_application(application)
    municipality = _municipality_in(application, request)
    if action == "bekreft":
        call = lambda: services.partner_confirm(  # noqa: E731
            office=office,
            acting_user=user,
            application=application,
            municipality=municipality,
            on_behalf=True,
            note=reason,
        )
        success = _("Samarbeidet er bekreftet for %(name)s.")
    else:
        call = lambda: services.application_remove_municipality(  # noqa: E731
            office=office,
            acting_user=user,
            application=application,
            municipality=municipality,
            reason=reason,
        )
        success = _("%(name)s er tatt ut av søknaden.")
    run_action(request, call, success % {"name": municipality.name})
    return _to_application(application)


@office_permission("intake.assess")
def application_score(request, office_slug, application_id):
    application = _application(request, application_id)
    if (refused := _post_only(request)) is not None:
        return refused
    criteria = selectors.criteria_for(application.round)
    form = ScoreForm(request.POST, criteria=criteria, mine={})
    if form.is_valid():
        saved, _result = run_service(
            form,
            lambda: services.scores_save(
                office=request.office,
                acting_user=request.user,
                application=application,
                scores=form.scores(),
            ),
        )
        if saved:
            messages.success(request, _("Poengene dine er lagret."))
            return redirect("intake_application_detail", office_slug, application.pk)
    return application_detail(request, office_slug, application.pk, score_form=form)


# --- Assessment and decision ------------------------------------------------------------------


@office_permission("intake.assess")
def assessment(request, office_slug, round_id):
    round_ = _round(request, round_id)
    today = clock.today()
    result = selectors.assessment(request.office, round_, today)
    for row in result.rows:
        row.cells = row.table(result.criteria, result.assessors)
    return render(
        request,
        "intake/assessment.html",
        {
            "round": round_,
            "assessment": result,
            "summary": selectors.round_summary(request.office, round_, today),
        },
    )


def _decision_lines(result):
    proposed = {(a.pk, m.pk): n for a, m, n in result.allocations}
    lines = []
    for row in result.rows:
        application = row.application
        form = application.employment_form
        for municipality in application.municipalities():
            lines.append(
                (
                    application,
                    municipality,
                    proposed.get((application.pk, municipality.pk), 0),
                    form,
                )
            )
    return lines


@office_permission("intake.manage")
def decision(request, office_slug, round_id):
    round_ = _round(request, round_id)
    if round_.status != RoundStatus.ASSESSMENT:
        messages.error(request, _("Runden må være lukket for søknader før vedtaket."))
        return _to_round(round_)
    result = selectors.assessment(request.office, round_, clock.today())
    form = DecisionForm(
        request.POST or None, lines=_decision_lines(result), initial={"decided_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        saved, _offers = run_service(
            form,
            lambda: services.round_decide(
                office=request.office,
                acting_user=request.user,
                round_=round_,
                decided_on=form.cleaned_data["decided_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                note=form.cleaned_data["note"],
                offers=form.offers(),
            ),
        )
        if saved:
            messages.success(
                request, _("Vedtaket er lagret, og søkerne har fått beskjed på e-post.")
            )
            return _to_round(round_)
    return render(
        request,
        "intake/decision.html",
        {"round": round_, "form": form, "assessment": result},
    )


@office_permission("intake.view")
def decision_letter(request, office_slug, application_id):
    application = _application(request, application_id)
    round_ = application.round
    if not round_.is_decided or application.status != ApplicationStatus.SUBMITTED:
        messages.info(request, _("Brevet lages når styringsgruppen har fattet vedtak."))
        return redirect("intake_application_detail", office_slug, application.pk)
    offers = list(
        selectors.offers_for_round(request.office, round_).filter(application=application)
    )
    return _pdf(
        request,
        lambda: exports.decision_letter_pdf(request.office, round_, application, offers),
        f"vedtak-{application.pk}.pdf",
        f"opptak {round_.pk}: vedtaksbrev søknad {application.pk}",
        redirect("intake_application_detail", office_slug, application.pk),
    )


def _offer_answered(accept: bool) -> str:
    return (
        _("Tilbudet er akseptert. Stillingene står nå som planlagt i oversikten.")
        if accept
        else _("Tilbudet er avslått.")
    )


@office_permission("intake.apply")
def offer_answer(request, office_slug, offer_id):
    """The leader answers their municipality's offer, or, as leader of the lead municipality,
    the offer of any municipality of their joint application."""
    offer = selectors.offer_get(request.office, offer_id, _apply_ids(request))
    if (refused := _post_only(request)) is not None:
        return refused
    accept = request.POST.get("answer") == "ja"
    run_action(
        request,
        lambda: services.offer_answer(
            office=request.office, acting_user=request.user, offer=offer, accept=accept
        ),
        _offer_answered(accept),
    )
    return _to_round(offer.round)


@office_permission("intake.manage")
def offer_record(request, office_slug, offer_id):
    """The office records a municipality's answer that came by letter, e-mail or phone."""
    offer = selectors.offer_get(request.office, offer_id)
    if (refused := _post_only(request)) is not None:
        return refused
    accept = request.POST.get("answer") == "ja"
    run_action(
        request,
        lambda: services.offer_answer(
            office=request.office,
            acting_user=request.user,
            offer=offer,
            accept=accept,
            on_behalf=True,
            note=request.POST.get("note", ""),
        ),
        _offer_answered(accept),
    )
    return _to_round(offer.round)


@office_permission("intake.manage")
def round_xlsx(request, office_slug, round_id):
    round_ = _round(request, round_id)
    today = clock.today()
    content = exports.round_workbook(
        request.office,
        round_,
        selectors.assessment(request.office, round_, today),
        selectors.round_summary(request.office, round_, today),
        list(selectors.offers_for_round(request.office, round_)),
    )
    log_export(request, f"opptak {round_.pk}: søknader og poeng (Excel)")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="opptak-{round_.pk}.xlsx"'
    return response
