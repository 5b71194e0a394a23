from django.shortcuts import render

from accounts.access import office_permission
from national.selectors import coordinating_work, follow_up_counts
from offices import clock
from offices.permissions import Role

from . import cards, selectors


@office_permission("inbox.view")
def inbox(request, office_slug):
    """What waits for the user in this office, one section per role they hold."""
    access, office, today = request.access, request.office, clock.today()
    slug = office.slug
    context = {}
    if access.is_coordinator:
        counts = selectors.coordinator_counts(office, today)
        intake = selectors.coordinator_intake(office, request.user, today)
        context["coordinator_cards"] = cards.coordinator_cards(slug, counts, intake)
    if access.can("national.view"):
        # What the national cooperation waits for from this office (national/).
        context["national_cards"] = cards.national_cards(slug, follow_up_counts(office, today))
        # And, while the office holds the coordinating role, what it acts on for all five.
        work = coordinating_work(office, clock.now())
        if work.coordinating:
            context["coordinating_cards"] = cards.coordinating_cards(slug, work)
    leader_ids = {m.municipality_id for m in access.memberships if m.role == Role.MUNICIPAL_LEADER}
    if leader_ids:
        counts = selectors.leader_counts(office, leader_ids, today)
        intake = selectors.leader_intake(office, leader_ids, today)
        context["leader_cards"] = cards.leader_cards(slug, counts, intake)
        context["checklists"] = [
            c for c in selectors.start_checklists(office, leader_ids) if not c.done
        ]
        context["leader_municipalities"] = [
            m.municipality for m in access.memberships if m.role == Role.MUNICIPAL_LEADER
        ]
    if access.roles & {Role.VEILEDER, Role.SUPERVISOR}:
        doctors = selectors.supervised_doctors(office, request.user, today)
        counts = selectors.supervisor_counts(office, request.user)
        due = sum(1 for d in doctors if d.session_due)
        context["supervisor_cards"] = cards.supervisor_cards(slug, counts, due)
        context["doctors"] = doctors
    return render(request, "inbox/inbox.html", context)
