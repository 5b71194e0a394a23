"""Pages of the hospital period, under /<office>/sykehus/. Who sees what:

* the office (hospital.manage): the overview, trusts and departments, agreements, contacts;
* the office and leaders (hospital.request): the queue of doctors who need a place (a leader:
  their own municipality), requesting a place, taking a proposal, withdrawing, registering
  the module as service;
* the trust's contact (hospital.respond): the requests and bookings for their own trust, and
  the trust's module places; everything else is 404 to them;
* the doctor (hospital.view_own): their own need and bookings.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import office_permission
from audit.services import log_read
from municipalities.selectors import municipalities_for_office
from offices import clock
from offices.forms import run_action, run_service
from offices.pagination import HEAVY_PAGE_SIZE, paginate
from trainees.selectors import trainee_for_user, trainee_get

from . import selectors, services
from .forms import (
    AgreementForm,
    AnswerForm,
    ContactForm,
    DepartmentForm,
    GenerateForm,
    HospitalForm,
    PlaceForm,
    QueueFilterForm,
    RequestForm,
)
from .models import BookingStatus


def _scope(request) -> dict:
    """Which bookings and places the member may see: the office (everything), a leader (their
    municipalities), a trust's contact (their trusts)."""
    access = request.access
    if access.can("hospital.request"):
        return {"municipality_ids": access.visible_municipality_ids("hospital.request")}
    return {"trust_ids": selectors.contact_trust_ids(request.office, request.user)}


def _trust_ids(request) -> set[int] | None:
    return _scope(request).get("trust_ids")


# --- The office: overview, reference data, agreements, contacts ---------------------------------


@office_permission("hospital.manage")
def overview(request, office_slug):
    data = selectors.overview(request.office)
    data["waiting"] = paginate(request, data["waiting"], per_page=HEAVY_PAGE_SIZE)
    return render(request, "hospital/overview.html", data)


@office_permission("hospital.manage")
def trusts(request, office_slug):
    office = request.office
    trusts = selectors.office_trusts(office)
    hospitals = selectors.hospital_choices(office)
    hospital_form = HospitalForm(trusts=trusts, prefix="sykehus")
    department_form = DepartmentForm(hospitals=hospitals, prefix="avdeling")
    if request.method == "POST":
        if "sykehus-name" in request.POST:
            hospital_form = HospitalForm(request.POST, trusts=trusts, prefix="sykehus")
            form, make = hospital_form, services.hospital_create
        else:
            department_form = DepartmentForm(request.POST, hospitals=hospitals, prefix="avdeling")
            form, make = department_form, services.department_create
        if form.is_valid():
            saved, _result = run_service(
                form, lambda: make(office=office, acting_user=request.user, **form.cleaned_data)
            )
            if saved:
                messages.success(request, _("Lagret."))
                return redirect("hospital_trusts", office_slug)
    return render(
        request,
        "hospital/trusts.html",
        {
            "trusts": trusts,
            "hospitals": selectors.hospitals_for(office),
            "hospital_form": hospital_form,
            "department_form": department_form,
        },
    )


@office_permission("hospital.manage")
def agreement_list(request, office_slug):
    office = request.office
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        trusts=selectors.office_trusts(office),
        municipalities=municipalities_for_office(office),
    )
    if request.method == "POST" and form.is_valid():
        saved, agreement = run_service(
            form,
            lambda: services.agreement_create(
                office=office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Avtalen er lagret."))
            return redirect("hospital_agreement", office_slug, agreement.pk)
    return render(
        request,
        "hospital/agreement_list.html",
        {
            "agreements": selectors.agreements_for(office),
            "ending": {a.pk for a in selectors.agreements_ending(office, clock.today())},
            "form": form,
        },
    )


@office_permission("hospital.manage")
def agreement_detail(request, office_slug, trust_agreement_id):
    office = request.office
    agreement = selectors.agreement_get(office, trust_agreement_id)
    departments = selectors.departments_for(office, {agreement.trust_id})
    generate = GenerateForm(departments=departments, prefix="moduler")
    version = AgreementForm(
        trusts=selectors.office_trusts(office),
        municipalities=municipalities_for_office(office),
        initial={
            "trust": agreement.trust,
            "municipalities": list(agreement.municipalities.all()),
            "title": agreement.title,
            "start": agreement.start,
            "end": agreement.end,
            "places_four": agreement.places_four,
            "places_six": agreement.places_six,
            "contacts": agreement.contacts,
        },
        prefix="versjon",
    )
    if request.method == "POST" and "moduler-department" in request.POST:
        generate = GenerateForm(request.POST, departments=departments, prefix="moduler")
        if generate.is_valid():
            saved, made = run_service(
                generate,
                lambda: services.places_generate(
                    office=office,
                    acting_user=request.user,
                    agreement=agreement,
                    **generate.cleaned_data,
                ),
            )
            if saved:
                messages.success(request, _("%(n)s moduler lagt inn.") % {"n": len(made)})
                return redirect("hospital_places", office_slug)
    elif request.method == "POST":
        version = AgreementForm(
            request.POST,
            request.FILES,
            trusts=selectors.office_trusts(office),
            municipalities=municipalities_for_office(office),
            prefix="versjon",
        )
        if version.is_valid():
            saved, new = run_service(
                version,
                lambda: services.agreement_create(
                    office=office,
                    acting_user=request.user,
                    previous=agreement,
                    **version.cleaned_data,
                ),
            )
            if saved:
                messages.success(request, _("Ny versjon lagret."))
                return redirect("hospital_agreement", office_slug, new.pk)
    return render(
        request,
        "hospital/agreement_detail.html",
        {
            "agreement": agreement,
            "versions": selectors.agreement_versions(agreement),
            "is_current": not hasattr(agreement, "next_version"),
            "generate": generate,
            "version_form": version,
        },
    )


@office_permission("hospital.manage")
def agreement_document(request, office_slug, trust_agreement_id):
    agreement = selectors.agreement_get(request.office, trust_agreement_id)
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document_name or "avtale.pdf",
        content_type="application/pdf",
    )


@office_permission("hospital.manage")
def contacts(request, office_slug):
    office = request.office
    form = ContactForm(request.POST or None, trusts=selectors.office_trusts(office))
    if request.method == "POST" and form.is_valid():
        saved, contact = run_service(
            form,
            lambda: services.contact_invite(
                office=office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request, _("%(name)s er lagt inn og invitert.") % {"name": contact.name}
            )
            return redirect("hospital_contacts", office_slug)
    return render(
        request,
        "hospital/contacts.html",
        {"contacts": selectors.contacts_for(office), "form": form},
    )


# --- Places: the office and the trust's contact ----------------------------------------------


@office_permission("hospital.bookings")
def places(request, office_slug):
    office, access = request.office, request.access
    may_add = access.can("hospital.manage") or access.can("hospital.respond")
    trust_ids = None if access.can("hospital.request") else _trust_ids(request)
    form = None
    if may_add:
        departments = selectors.departments_for(office, trust_ids)
        form = PlaceForm(request.POST or None, departments=departments)
        if request.method == "POST" and form.is_valid():
            saved, _place = run_service(
                form,
                lambda: services.place_create(
                    office=office,
                    acting_user=request.user,
                    trust_ids=trust_ids,
                    **form.cleaned_data,
                ),
            )
            if saved:
                messages.success(request, _("Modulen er lagt inn."))
                return redirect("hospital_places", office_slug)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "hospital/places.html",
        {
            "places": selectors.places_for(office, trust_ids=trust_ids, from_day=clock.today()),
            "form": form,
        },
    )


# --- Needs and requests ----------------------------------------------------------------------


@office_permission("hospital.request")
def queue(request, office_slug):
    office, access = request.office, request.access
    visible = access.visible_municipality_ids("hospital.request")
    municipalities = municipalities_for_office(office)
    if visible is not None:
        municipalities = municipalities.filter(pk__in=visible)
    filters = QueueFilterForm(
        request.GET or None,
        trusts=selectors.office_trusts(office),
        municipalities=municipalities,
    )
    trust = municipality = None
    if filters.is_valid():
        trust = filters.cleaned_data["trust"]
        municipality = filters.cleaned_data["municipality"]
    needs = selectors.needs_queue(
        office,
        municipality_ids=visible,
        trust_id=trust.pk if trust else None,
        municipality_id=municipality.pk if municipality else None,
    )
    page = paginate(request, needs, per_page=HEAVY_PAGE_SIZE)
    return render(request, "hospital/queue.html", {"needs": page, "page": page, "filters": filters})


def _trainee_for_request(request, trainee_id):
    trainee = trainee_get(request.office, trainee_id)
    visible = request.access.visible_municipality_ids("hospital.request")
    if visible is not None and trainee.municipality_id not in visible:
        raise Http404
    return trainee


@office_permission("hospital.request")
def request_place(request, office_slug, trainee_id):
    office = request.office
    trainee = _trainee_for_request(request, trainee_id)
    need = selectors.need_for(trainee, booking=selectors.current_booking(trainee))
    places = selectors.places_for(office, from_day=clock.today())
    form = RequestForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        saved, booking = run_service(
            form,
            lambda: services.booking_request(
                office=office, acting_user=request.user, trainee=trainee, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Forespørselen er sendt til helseforetaket."))
            for text in selectors.booking_warnings(trainee, booking.place):
                messages.warning(request, text)
            return redirect("hospital_booking", office_slug, booking.pk)
    log_read(request, trainee, "sykehusbehov")
    return render(
        request, "hospital/request.html", {"trainee": trainee, "need": need, "form": form}
    )


# --- Bookings ----------------------------------------------------------------------------------


@office_permission("hospital.bookings")
def bookings(request, office_slug):
    # ?venter=1 (the inbox card's link): the bookings waiting for an answer.
    waiting = request.GET.get("venter") == "1"
    qs = selectors.bookings_for(request.office, **_scope(request))
    if waiting:
        qs = qs.filter(pk__in=selectors.waiting_bookings(request.office).values("pk"))
    return render(
        request,
        "hospital/bookings.html",
        {
            "bookings": paginate(request, qs),
            "waiting": waiting,
            "waiting_count": qs.count() if waiting else None,
            "Status": BookingStatus,
        },
    )


@office_permission("hospital.bookings")
def booking_detail(request, office_slug, booking_id):
    office, access = request.office, request.access
    booking = selectors.booking_get(office, booking_id, **_scope(request))
    answer = None
    if access.can("hospital.respond") and booking.status == BookingStatus.REQUESTED:
        others = selectors.places_for(
            office, trust_ids={booking.place.trust.pk}, from_day=clock.today()
        ).exclude(pk=booking.place_id)
        answer = AnswerForm(request.POST or None, places=others)
        if request.method == "POST" and answer.is_valid():
            if _answer(request, answer, booking):
                return redirect("hospital_booking", office_slug, booking.pk)
    elif request.method == "POST":
        raise Http404
    log_read(request, booking.trainee, "sykehusbestilling")
    warnings = []
    if booking.status in (BookingStatus.REQUESTED, BookingStatus.PROPOSED):
        warnings = selectors.booking_warnings(booking.trainee, booking.place)
    return render(
        request,
        "hospital/booking_detail.html",
        {
            "booking": booking,
            "warnings": warnings,
            "answer_form": answer,
            "may_act": access.can("hospital.request"),
            "Status": BookingStatus,
            "today": clock.today(),
        },
    )


def _answer(request, form, booking) -> bool:
    data, office, user = form.cleaned_data, request.office, request.user
    decision = data["decision"]
    if decision == AnswerForm.CONFIRM:
        call = lambda: services.booking_confirm(  # noqa: E731
            office=office, acting_user=user, booking=booking, answer=data["answer"]
        )
        done = _("Modulen er bekreftet. Legens utdanningsplan er oppdatert.")
    elif decision == AnswerForm.PROPOSE:
        call = lambda: services.booking_propose(  # noqa: E731
            office=office,
            acting_user=user,
            booking=booking,
            place=data["place"],
            answer=data["answer"],
        )
        done = _("Forslaget er sendt.")
    else:
        call = lambda: services.booking_decline(  # noqa: E731
            office=office, acting_user=user, booking=booking, answer=data["answer"]
        )
        done = _("Forespørselen er avslått.")
    saved, _result = run_service(form, call)
    if saved:
        messages.success(request, done)
    return saved


def _booking_action(request, booking_id, service, success: str):
    office = request.office
    booking = selectors.booking_get(
        office,
        booking_id,
        municipality_ids=request.access.visible_municipality_ids("hospital.request"),
    )
    if request.method == "POST":  # the booking is looked up first: another's id is 404
        run_action(
            request,
            lambda: service(office=office, acting_user=request.user, booking=booking),
            success,
        )
    return redirect("hospital_booking", office.slug, booking.pk)


@office_permission("hospital.request")
def booking_accept(request, office_slug, booking_id):
    return _booking_action(
        request,
        booking_id,
        services.booking_accept_proposal,
        _("Den foreslåtte modulen er tatt imot og bekreftet. Legens utdanningsplan er oppdatert."),
    )


@office_permission("hospital.request")
def booking_withdraw(request, office_slug, booking_id):
    return _booking_action(
        request, booking_id, services.booking_withdraw, _("Bestillingen er trukket.")
    )


@office_permission("hospital.request")
def booking_serve(request, office_slug, booking_id):
    return _booking_action(
        request,
        booking_id,
        services.booking_serve,
        _("Modulen er registrert som tjenesteperiode."),
    )


# --- The doctor ----------------------------------------------------------------------------------


@office_permission("hospital.view_own")
def my_hospital(request, office_slug):
    trainee = trainee_for_user(request.office, request.user)
    need = (
        selectors.need_for(trainee, booking=selectors.current_booking(trainee)) if trainee else None
    )
    own = selectors.bookings_for(request.office, trainee=trainee) if trainee else []
    return render(
        request, "hospital/mine.html", {"trainee": trainee, "need": need, "bookings": own}
    )
