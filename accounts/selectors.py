from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Invitation, Membership, User, hash_token


def memberships_for_user(user: User) -> QuerySet[Membership]:
    """All of a user's active memberships, across offices (for their home page only)."""
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("office", "municipality")
        .order_by("office__name", "role")
    )


def invitation_by_token(token: str) -> Invitation | None:
    """Look an invitation up by its secret token.

    Runs before any office is known (the invitee is not a member yet), so the caller wraps it
    in `scopes_disabled()`; the token itself is the authorisation.
    """
    return (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("office", "municipality", "invited_by")
        .first()
    )


def invitations_for_office(
    office, municipality_ids: set[int] | None = None
) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(office=office).select_related("municipality", "invited_by")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs


def invitable_municipalities(office, ids: set[int] | None = None) -> QuerySet:
    """The office's active municipalities an invitation may name (all of them, or those in
    `ids`). Through the office's reverse relation: the register sits above accounts."""
    municipalities = office.municipalities.filter(is_active=True).order_by("county", "name")
    return municipalities if ids is None else municipalities.filter(pk__in=ids)


def account_exists(email: str) -> bool:
    """Whether someone already has an account with this address (case-insensitive)."""
    return User.objects.filter(email__iexact=email).exists()


def members_for_office(
    office,
    *,
    municipality_ids: set[int] | None = None,
    role: str = "",
    municipality=None,
    query: str = "",
) -> QuerySet[Membership]:
    """The office's active roles, by name: all of them (municipality_ids None, the office) or
    those of the municipalities in `municipality_ids` (a leader); filtered by role,
    municipality and a name or address."""
    qs = Membership.objects.filter(office=office, is_active=True).select_related(
        "user", "municipality"
    )
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if role:
        qs = qs.filter(role=role)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    for word in query.split():
        qs = qs.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return qs.order_by("user__last_name", "user__first_name", "user__email", "role", "pk")


def member_get(office, membership_id: int, *, municipality_ids: set[int] | None) -> Membership:
    """One active role of the office the member may see; 404 for another office's, an ended
    one, or (a leader) one outside their municipalities."""
    membership = (
        members_for_office(office, municipality_ids=municipality_ids)
        .select_related("office")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership
