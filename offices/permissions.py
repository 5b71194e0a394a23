"""Who may do what: the one place that maps roles to permissions.

Views declare the permission they need (`accounts.access.office_permission`), templates ask the
same map through `access.can`. Municipality-bound roles (leader, doctor, supervisors) hold their
permissions only for their own municipality when a municipality is given.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "koordinator", _("Kontorkoordinator")
    NATIONAL_COORDINATOR = "nasjonal", _("Nasjonal koordinator")
    MUNICIPAL_LEADER = "leder", _("Kommunal leder")
    VEILEDER = "veileder", _("Veileder")
    SUPERVISOR = "supervisor", _("Supervisør")
    ALIS = "alis", _("ALIS-lege")
    # The health trust's contact person (hospital/): sees only the requests and bookings for
    # their own trust (hospital.selectors.contact_trust_ids), nothing else of the office.
    TRUST_CONTACT = "helseforetak", _("Kontaktperson i helseforetak")


# Roles that only make sense for one municipality.
MUNICIPALITY_ROLES = {Role.MUNICIPAL_LEADER, Role.ALIS, Role.VEILEDER, Role.SUPERVISOR}
COORDINATOR_ROLES = {Role.COORDINATOR, Role.NATIONAL_COORDINATOR}
# Roles of people outside the office and the municipalities: every page they may not open is
# answered 404, as if it did not exist (accounts.access.office_permission).
LIMITED_ROLES = {Role.TRUST_CONTACT}

C, N, L, V, S, A, T = (
    Role.COORDINATOR,
    Role.NATIONAL_COORDINATOR,
    Role.MUNICIPAL_LEADER,
    Role.VEILEDER,
    Role.SUPERVISOR,
    Role.ALIS,
    Role.TRUST_CONTACT,
)

PERMISSIONS: dict[str, frozenset[str]] = {
    "office.view_dashboard": frozenset({C, N}),
    # The work inbox (inbox/): what waits for each role, with counts and links.
    "inbox.view": frozenset({C, N, L, V, S}),
    # The read-access log (audit): the doctor sees who looked at their data; the office reviews
    # and exports it.
    "read_log.view_own": frozenset({A}),
    "read_log.review": frozenset({C, N}),
    "notifications.view_log": frozenset({C, N}),
    "municipality.view": frozenset({C, N, L}),
    # The office's own notes on its municipalities: flags and the contact log.
    "municipality.keep_profile": frozenset({C, N}),
    "invitation.create": frozenset({C, N, L}),
    # The office's members and ending a role (accounts/): coordinators for the office, a leader
    # for the veiledere and supervisors of their own municipality (ENDABLE_ROLES).
    "membership.view": frozenset({C, N, L}),
    "membership.end": frozenset({C, N, L}),
    # Positions and medical offices: the whole region for coordinators, the own municipality
    # for its leader.
    "position.view": frozenset({C, N, L}),
    "position.manage": frozenset({C, N, L}),
    # The coordinator's regional overview, its export and the spreadsheet import.
    "overview.view": frozenset({C, N}),
    "overview.import": frozenset({C, N}),
    "rules.manage": frozenset({C, N}),
    # Education units: the office decides registrations; the municipality's leader and the
    # office keep its general education plan and cooperation agreements.
    "unit_registration.decide": frozenset({C, N}),
    "education_plan.edit": frozenset({C, N, L}),
    "cooperation_agreement.edit": frozenset({C, N, L}),
    "cooperation_agreement.download": frozenset({C, N, L}),
    "plan.view_own": frozenset({A}),
    # Individual education plans: leaders (own municipality) and coordinators read and revise
    # them; the doctor acknowledges a version of their own plan, the leader approves it.
    "plan.view": frozenset({C, N, L}),
    "plan.edit": frozenset({C, N, L}),
    "plan.acknowledge": frozenset({A}),
    "plan.approve": frozenset({L}),
    # The supervision log: the veileder records sessions for their own doctors; leaders and the
    # office follow hours and dates. Minutes are for the doctor and the veileder only
    # (trainees.selectors.can_read_minutes).
    "supervision_log.view": frozenset({C, N, L, V}),
    "supervision_log.record": frozenset({C, N, L, V}),
    "supervision_log.view_own": frozenset({A}),
    "supervision_log.overview": frozenset({C, N, L}),
    # The learning-goal catalogue is national reference data: every role may browse it.
    "catalogue.view": frozenset({C, N, L, V, S, A}),
    # Importing a new catalogue version is national coordination (see NATIONAL_PERMISSIONS).
    "catalogue.import": frozenset({N}),
    "supervision.view_own": frozenset({V, S}),
    "confirmation.download": frozenset({C, N, L, A}),
    "confirmation.download_for_municipality": frozenset({L}),
    "confirmation.issue": frozenset({L}),
    # ALIS agreements: leaders write their municipality's; doctors read their own only
    # (see can_view_agreement); coordinators follow all of the office's.
    "agreement.view": frozenset({C, N, L, A}),
    "agreement.view_municipality": frozenset({C, N, L}),
    "agreement.view_own": frozenset({A}),
    "agreement.edit": frozenset({L}),
    "agreement.record_experience": frozenset({L}),
    "agreement_template.view": frozenset({C, N, L}),
    "agreement_template.manage": frozenset({C, N}),
    # National templates are shared by all offices: only the national coordinator writes them.
    "agreement_template.manage_national": frozenset({N}),
    "experience.view_overview": frozenset({C, N}),
    # Grants (grants/): leaders file their municipality's claims (coordinators may too); the
    # doctor reads their own; the office decides, pays, invoices the municipal share and
    # reports the year to the auditor.
    "grant.view": frozenset({C, N, L, A}),
    "grant.view_claim": frozenset({C, N, L}),
    "grant.view_own": frozenset({A}),
    "grant.edit_claim": frozenset({C, N, L}),
    "grant.decide": frozenset({C, N}),
    "grant.settle": frozenset({C, N}),
    # ALIS doctors: leaders for their own municipality, coordinators for the region.
    "trainee.view": frozenset({C, N, L}),
    "trainee.manage": frozenset({C, N, L}),
    "trainee.view_own": frozenset({A}),
    # Reading one doctor's plan, goal progress and standing: leaders and the office by
    # municipality, veiledere and supervisører for their own doctors while assigned
    # (trainees.access.access_followed_trainee).
    "trainee.follow": frozenset({C, N, L, V, S}),
    # A doctor moving to another office's municipality: the sender asks (trainee.manage), the
    # receiving office's coordinators accept or decline.
    "transfer.decide": frozenset({C, N}),
    # The supervisor pool: the coordinator keeps it; leaders search it for a veileder.
    "supervisor.view_pool": frozenset({C, N, L}),
    "supervisor.manage_pool": frozenset({C, N}),
    "supervisor.view_capacity": frozenset({C, N}),
    "group.manage": frozenset({C, N, L}),
    # The office's regional status reports: viewing, downloading and ordering one.
    "report.view": frozenset({C, N}),
    "report.create": frozenset({C, N}),
    # Goal progress and sign-off: the doctor records and submits their own goals; the doctor's
    # assigned veileder/supervisører sign and advise (checked per doctor through the
    # assignments); the leader approves for their own municipality; the office follows all.
    "progress.view_own": frozenset({A}),
    "progress.sign": frozenset({V, S}),
    "progress.approve": frozenset({L}),
    "progress.view": frozenset({C, N, L}),
    # Only while the member's office holds the coordinating role (see OfficeAccess.can):
    # viewing and ordering national reports (aggregates of every office, nothing personal).
    "national.view_reports": frozenset({N}),
    # Learning activities and gatherings (events/): everyone browses and signs themself up;
    # the office keeps the catalogue, runs events, records attendance and sees evaluations;
    # a leader signs up the doctors of their own municipality.
    "event.view": frozenset({C, N, L, V, S, A}),
    "event.manage": frozenset({C, N}),
    "event.signup_others": frozenset({C, N, L}),
    # The hospital period (hospital/): the office keeps trusts, agreements, places, the queue
    # of doctors who need a place and the overview; the leader (own municipality) and the
    # office request places; the trust's contact answers requests for their own trust and
    # enters places; the doctor follows their own need and bookings.
    "hospital.manage": frozenset({C, N}),
    "hospital.request": frozenset({C, N, L}),
    "hospital.bookings": frozenset({C, N, L, T}),
    "hospital.respond": frozenset({T}),
    "hospital.view_own": frozenset({A}),
    # The doctor's whole record (records/): the doctor reads it, builds the signed application
    # package, downloads everything held about them and asks for corrections; leaders (own
    # municipality) and the office read it and answer correction requests.
    "record.view_own": frozenset({A}),
    "record.view": frozenset({C, N, L}),
    "correction.handle": frozenset({C, N, L}),
    # Recruitment rounds (intake/): the office runs rounds, invites, assesses and records the
    # steering group's decision; a leader sees the rounds that invite their municipality,
    # applies (alone or with others) and answers the offer.
    "intake.view": frozenset({C, N, L}),
    "intake.manage": frozenset({C, N}),
    "intake.assess": frozenset({C, N}),
    "intake.apply": frozenset({L}),
    # The national workspace (national/): every office's coordinators read it and follow up
    # what is given to their own office (action items, tasks, routines it owns); the office
    # that holds the coordinating role on the day calls meetings, writes minutes, assigns
    # tasks and approves routines (see NATIONAL_PERMISSIONS).
    "national.view": frozenset({C, N}),
    "national.coordinate": frozenset({C, N}),
    # Publishing the office's advertised positions on the open website.
    "position.advertise": frozenset({C, N}),
}
NATIONAL_PERMISSIONS = {"national.view_reports", "catalogue.import", "national.coordinate"}

# Whom each role may invite: coordinators invite municipal leaders, and (like the leaders, who
# often leave it to the office) the doctors and supervisors of any municipality of the office;
# leaders invite the doctors and supervisors of their own municipality.
INVITABLE_ROLES: dict[str, tuple[str, ...]] = {C: (L, A, V, S), N: (L, A, V, S), L: (A, V, S)}

# Whose role each role may end ("Avslutt rolle"): the office ends any role in it (the national
# role only by a national coordinator); a leader ends the veiledere and supervisors of their own
# municipality. Nobody ends their own role on that page.
ENDABLE_ROLES: dict[str, tuple[str, ...]] = {
    C: (C, L, V, S, A, T),
    N: (C, N, L, V, S, A, T),
    L: (V, S),
}


@dataclass
class OfficeAccess:
    """The current user's memberships in the office of this request."""

    office: object
    memberships: list  # accounts.Membership rows = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    @property
    def is_national_coordinator(self) -> bool:
        """Holds the national role (cheap: no query). Whether the office coordinates now is
        asked by `can`, so templates ask this first to spare everyone else that query."""
        return Role.NATIONAL_COORDINATOR in self.roles

    @property
    def is_limited(self) -> bool:
        """Holds only roles of people outside the office (a trust's contact): pages they may
        not open answer 404, not 403."""
        return bool(self.roles) and self.roles <= LIMITED_ROLES

    @property
    def is_coordinator(self) -> bool:
        return bool(self.roles & COORDINATOR_ROLES)

    def municipality_ids(self, perm: str) -> set[int]:
        """Municipalities for which a municipality-bound role grants `perm`."""
        allowed = PERMISSIONS[perm]
        return {
            m.municipality_id
            for m in self.memberships
            if m.role in allowed and m.role in MUNICIPALITY_ROLES
        }

    def visible_municipality_ids(self, perm: str) -> set[int] | None:
        """None for coordinators (the whole office); else the municipalities where a
        municipality-bound role grants `perm`. Selectors take it as `municipality_ids`."""
        return None if self.is_coordinator else self.municipality_ids(perm)

    def can(self, perm: str, municipality=None) -> bool:
        allowed = PERMISSIONS[perm]
        if perm in NATIONAL_PERMISSIONS and not self.office.is_coordinating(self.today):
            return False
        for m in self.memberships:
            if m.role not in allowed:
                continue
            if municipality is None or m.role not in MUNICIPALITY_ROLES:
                return True
            if m.municipality_id == municipality.pk:
                return True
        return False

    def invitable_roles(self) -> list[str]:
        roles: list[str] = []
        for held in sorted(self.roles):
            roles.extend(r for r in INVITABLE_ROLES.get(held, ()) if r not in roles)
        return roles

    def may_end(self, membership) -> bool:
        """Whether this member may end `membership` (a role in this office, not their own)."""
        if membership.office_id != self.office.pk or not membership.is_active:
            return False
        if membership.user_id in {m.user_id for m in self.memberships}:
            return False
        for m in self.memberships:
            if membership.role not in ENDABLE_ROLES.get(m.role, ()):
                continue
            if m.role not in MUNICIPALITY_ROLES or m.municipality_id == membership.municipality_id:
                return True
        return False

    def __getattr__(self, name: str):
        # Lets templates ask `access.can_office_view_dashboard`-style questions without a tag.
        if name.startswith("can_"):
            return self.can(name[4:].replace("__", "."))
        raise AttributeError(name)


def can_view_agreement(access: OfficeAccess, user, agreement) -> bool:
    """Leaders and coordinators see the municipality's agreements; a doctor only their own."""
    if access.can("agreement.view_municipality", agreement.municipality):
        return True
    return (
        access.can("agreement.view_own", agreement.municipality)
        and agreement.trainee.user_id is not None
        and agreement.trainee.user_id == user.pk
    )
