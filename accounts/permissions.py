"""Who may do what: the one place that maps roles to permissions.

Views declare the permission they need (`accounts.access.office_permission`), templates ask the
same map through `access.can`. Municipality-bound roles (leader, doctor, supervisors) hold their
permissions only for their own municipality when a municipality is given.
"""

from dataclasses import dataclass, field
from datetime import date

from .models import COORDINATOR_ROLES, MUNICIPALITY_ROLES, Membership, Role

C, N, L, V, S, A = (
    Role.COORDINATOR,
    Role.NATIONAL_COORDINATOR,
    Role.MUNICIPAL_LEADER,
    Role.VEILEDER,
    Role.SUPERVISOR,
    Role.ALIS,
)

PERMISSIONS: dict[str, frozenset[str]] = {
    "office.view_dashboard": frozenset({C, N}),
    "municipality.view": frozenset({C, N, L}),
    "invitation.create": frozenset({C, N, L}),
    "plan.view_own": frozenset({A}),
    "supervision.view_own": frozenset({V, S}),
    # ALIS doctors: leaders for their own municipality, coordinators for the region.
    "trainee.view": frozenset({C, N, L}),
    "trainee.manage": frozenset({C, N, L}),
    "trainee.view_own": frozenset({A}),
    # The supervisor pool: the coordinator keeps it; leaders search it for a veileder.
    "supervisor.view_pool": frozenset({C, N, L}),
    "supervisor.manage_pool": frozenset({C, N}),
    "supervisor.view_capacity": frozenset({C, N}),
    "group.manage": frozenset({C, N, L}),
    # Only while the member's office holds the coordinating role (see OfficeAccess.can).
    "national.view_reports": frozenset({N}),
}
NATIONAL_PERMISSIONS = {"national.view_reports"}

# Whom each role may invite: coordinators invite municipal leaders; leaders invite the doctors
# and supervisors of their own municipality.
INVITABLE_ROLES: dict[str, tuple[str, ...]] = {C: (L,), N: (L,), L: (A, V, S)}


@dataclass
class OfficeAccess:
    """The current user's memberships in the office of this request."""

    office: object
    memberships: list[Membership] = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

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

    def __getattr__(self, name: str):
        # Lets templates ask `access.can_office_view_dashboard`-style questions without a tag.
        if name.startswith("can_"):
            return self.can(name[4:].replace("__", "."))
        raise AttributeError(name)
