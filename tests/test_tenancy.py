"""Nobody sees another office's data. Every route is classified; office routes 404 for outsiders."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import ScopeError, scope

from accounts.access import LOGIN, PUBLIC
from accounts.models import Invitation
from accounts.services import invitation_create

# Third-party route groups, classified as a whole by their prefix.
THIRD_PARTY_PREFIXES = {
    "admin/": "Django admin: staff only, guarded by admin itself",
    "konto/": "django-allauth: login, sign-up, password reset, MFA (public or own account)",
}


# One real object of the Vest office per URL argument, so outsiders are tested on real ids.
# A new URL argument without an entry here fails the suite.
def sample_kwargs(vest_objects):
    from .trainee_factories import vest_trainee_objects

    trainees = vest_trainee_objects(vest_objects["municipality"])
    return {
        "number": vest_objects["municipality"].number,
        "trainee_id": trainees["trainee"].pk,
        "period_id": trainees["period"].pk,
        "assignment_id": trainees["assignment"].pk,
        "supervisor_id": trainees["supervisor"].pk,
        "group_id": trainees["group"].pk,
    }


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def all_routes():
    return list(walk(get_resolver().url_patterns))


def office_routes():
    return [(route, p) for route, p in all_routes() if route.startswith("<slug:office_slug>/")]


def test_every_route_is_classified():
    unclassified = []
    for route, pattern in all_routes():
        access = getattr(pattern.callback, "access", None)
        if access in (PUBLIC, LOGIN) or (isinstance(access, tuple) and access[0] == "office"):
            continue
        if route.startswith(tuple(THIRD_PARTY_PREFIXES)):
            continue
        unclassified.append(route)
    assert unclassified == [], "Ruter uten tilgangsklassifisering: " + ", ".join(unclassified)


def test_office_routes_are_office_permission_views():
    for route, pattern in office_routes():
        access = getattr(pattern.callback, "access", None)
        assert isinstance(access, tuple) and access[0] == "office", route


def _url_for(pattern, kwargs, office_slug):
    names = set(pattern.pattern.regex.groupindex) - {"office_slug"}
    missing = names - set(kwargs)
    assert not missing, (
        f"Mangler eksempelverdi for {missing} i {pattern.name}: legg til i sample_kwargs"
    )
    return reverse(
        pattern.name, kwargs={"office_slug": office_slug, **{k: kwargs[k] for k in names}}
    )


def test_outsiders_get_404_on_every_office_route(
    client_for, coordinator_nord, leader_vadso, coordinator_vest, masfjorden
):
    kwargs = sample_kwargs({"municipality": masfjorden})
    routes = office_routes()
    assert len(routes) >= 5
    for outsider in (coordinator_nord, leader_vadso):
        client = client_for(outsider)
        for _route, pattern in routes:
            url = _url_for(pattern, kwargs, "vest")
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
    # The same URLs exist for the office's own coordinator (so the 404 above is about access).
    client = client_for(coordinator_vest)
    assert (
        client.get(
            _url_for(dict(office_routes())["<slug:office_slug>/"], kwargs, "vest")
        ).status_code
        == 200
    )


def test_anonymous_user_is_sent_to_login_from_office_pages(client, vest):
    response = client.get("/vest/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_unknown_office_is_404_like_a_foreign_one(client_for, coordinator_vest):
    assert client_for(coordinator_vest).get("/finnesikke/").status_code == 404


def test_a_municipality_of_another_office_is_404_inside_my_office(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    assert client.get("/vest/kommuner/4634/").status_code == 200
    # Vadsø exists, but belongs to Nord: in Vest's pages it does not exist.
    assert client.get("/vest/kommuner/5607/").status_code == 404


def test_query_on_office_owned_model_outside_a_scope_raises(
    db, vest, coordinator_vest, masfjorden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation_create(
            office=vest,
            acting_user=coordinator_vest,
            email="ny@masfjorden.example.no",
            role="leder",
            municipality=masfjorden,
        )
    with pytest.raises(ScopeError):
        list(Invitation.objects.all())
    with pytest.raises(ScopeError):
        Invitation.objects.filter(email="ny@masfjorden.example.no").count()
    with scope(office=vest):
        assert Invitation.objects.count() == 1
    with scope(office=Invitation._meta.get_field("office").related_model.objects.get(slug="nord")):
        assert Invitation.objects.count() == 0


def test_member_without_the_role_gets_403_not_the_page(client_for, alis_masfjorden):
    client = client_for(alis_masfjorden)
    assert client.get("/vest/").status_code == 403
    assert client.get("/vest/min-plan/").status_code == 200


def test_leader_sees_own_municipality_only(client_for, leader_masfjorden):
    client = client_for(leader_masfjorden)
    assert client.get("/vest/kommuner/4634/").status_code == 200
    assert client.get("/vest/kommuner/4601/").status_code == 403
