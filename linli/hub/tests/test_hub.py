"""The resident hub, the menus by role, search across modules and the household page's
panels."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from linli.core import hooks, navigation
from linli.hotline import services as hotline
from linli.hotline.choices import Status
from linli.hotline.models import ServiceRequest
from linli.hub import selectors
from linli.testing import assert_constant_queries


def test_a_resident_lands_on_the_hub_and_staff_on_their_figures(resident_user, admin, client_for):
    hub = client_for(resident_user).get("/").content.decode()
    for key in ("hotline.file", "hotline.mine", "notify.notices", "registry.household"):
        assert f'data-testid="tile-{key}"' in hub
    assert 'data-testid="bottom-bar"' in hub
    staff = client_for(admin).get("/").content.decode()
    assert 'data-testid="figure-residents"' in staff and 'data-testid="tiles"' not in staff


def _resolved(world, n: int) -> None:
    """`n` resolved requests of household A1, waiting for a rating."""
    category = hotline.categories_ensure_defaults(
        actor=hotline.SYSTEM, community_id=world.community.id
    )
    del category
    from linli.hotline.models import Category

    water = Category.objects.get(community=world.community, code="water")
    now = timezone.now()
    existing = ServiceRequest.objects.filter(household=world.household_a1).count()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            community=world.community,
            grid=world.grid_a,
            building=world.building_a,
            household=world.household_a1,
            category=water,
            priority=water.priority,
            channel="portal",
            status=Status.RESOLVED,
            description=f"漏水 {i}",
            submitted_at=now,
            accepted_at=now,
            resolved_at=now,
            period_month=now.date().replace(day=1),
            resolution_note="修好了",
            due_resolve_at=now,
        )
        for i in range(existing, n)
    )


def test_the_hub_runs_a_constant_number_of_queries(world, resident_user):
    client = Client()
    client.force_login(resident_user)

    def page(n: int) -> None:
        body = client.get("/").content.decode()
        assert body.count('data-kind="hotline.please_rate"') == min(n, 10)

    assert_constant_queries(page, [1, 5, 20], setup=lambda n: _resolved(world, n))


def test_a_tiles_badge_counts_its_kinds_among_the_waiting_items_without_a_query(
    resident_user, actor_of, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(hooks, "_TILES", {})
    monkeypatch.setattr(hooks, "_WAITING", {})
    hooks.register_tile(
        hooks.Tile(key="x.mine", label="X", url_name="home", perms=(), badge_kinds=("x.rate",))
    )
    waiting = [
        hooks.WaitingItem(kind="x.rate", title="a", url="/a/"),
        hooks.WaitingItem(kind="x.other", title="b", url="/b/"),
        hooks.WaitingItem(kind="x.rate", title="c", url="/c/"),
    ]
    hooks.register_waiting(hooks.WaitingSource(domain="x", perms=(), items=lambda a: waiting))
    actor = actor_of(resident_user)
    assert [t.badge for t in selectors.tiles(actor)] == [2]
    items = selectors.waiting(actor)
    with django_assert_num_queries(0):
        assert [t.badge for t in selectors.tiles(actor, items=items)] == [2]
        assert [t.badge for t in selectors.tiles(actor, badges=False)] == [0]


def test_the_desktop_menu_has_at_most_seven_groups_and_places_ungrouped_entries():
    assert len(navigation.GROUPS) <= 7
    assert navigation.default_group("hotline:requests") == "hotline"
    assert navigation.default_group("registry:import") == "admin"
    assert navigation.default_group("newdomain:home") == "service"  # a domain nobody listed
    navigation.register_nav("Cockpit", "cockpit:home", "x.view", order=5)
    navigation.register_nav("Votes", "hotline:rates", "x.vote", order=6, group="governance")
    groups = navigation.nav_groups_for(frozenset({"x.view", "x.vote"}))
    assert [(g.key, [e.url_name for e in g.entries]) for g in groups] == [
        ("governance", ["hotline:rates"]),
        ("data", ["cockpit:home"]),
    ]
    navigation._ENTRIES[:] = [e for e in navigation._ENTRIES if not e.perm.startswith("x.")]


def test_an_admin_sees_grouped_dropdowns_and_a_grid_worker_a_bottom_bar(
    admin, worker_a, client_for
):
    page = client_for(admin).get("/").content.decode()
    assert 'data-testid="navgroup-residents"' in page and 'data-testid="navgroup-hotline"' in page
    assert 'data-testid="bottom-bar"' not in page
    assert 'data-testid="bottom-bar"' in client_for(worker_a).get("/").content.decode()


def _menu(page: str) -> str:
    return page[page.index('id="nav"') : page.index("</ul>\n      </div>")]


def test_the_kept_menu_follows_the_language_the_role_and_new_entries(
    world, admin, worker_a, client_for
):
    client = client_for(admin)
    chinese = _menu(client.get("/hotline/").content.decode())
    assert ">居民</button>" in chinese and "Residents" not in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _menu(client.get("/hotline/").content.decode())
    assert ">Residents</button>" in english and "居民" not in english
    # the grid worker's menu is her own, not the admin's kept one
    worker = _menu(client_for(worker_a).get("/hotline/").content.decode())
    assert "/registry/import/" in chinese and "/registry/import/" not in worker
    # an entry registered later shows on the next page
    navigation.register_nav("Later", "hotline:rates", "hotline.view_rates", order=999)
    try:
        assert ">Later</a>" in _menu(client.get("/hotline/").content.decode())
    finally:
        navigation._ENTRIES[:] = [e for e in navigation._ENTRIES if e.label != "Later"]


@pytest.fixture
def filed(world, resident_user, actor_of):
    hotline.categories_ensure_defaults(actor=hotline.SYSTEM, community_id=world.community.id)
    return hotline.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="water",
        description="电梯异响 12-2",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        answers={"extent": "本户"},
    )


def test_search_finds_residents_households_and_requests_within_scope(
    world, worker_a, worker_b, actor_of, filed
):
    worker = actor_of(worker_a)
    found = {g.domain: [h.label for h in g.hits] for g in selectors.search(worker, "张晓")}
    assert found["registry.residents"] == ["张晓"]
    initials = {g.domain: [h.label for h in g.hits] for g in selectors.search(worker, "zx")}
    assert "张晓" in initials["registry.residents"]
    room = world.household_a1.address
    by_room = {g.domain: [h.label for h in g.hits] for g in selectors.search(worker, room)}
    assert by_room["registry.households"] == [room]
    by_number = {g.domain: g.hits for g in selectors.search(worker, filed.number)}
    assert [h.url for h in by_number["hotline"]] == [f"/hotline/r/{filed.public_id}/"]
    by_text = {g.domain: g.hits for g in selectors.search(worker, "电梯")}
    assert len(by_text["hotline"]) == 1
    # Grid B's worker finds nothing of grid A.
    assert selectors.search(actor_of(worker_b), "张晓") == []
    assert selectors.search(actor_of(worker_b), "电梯") == []


def test_search_handles_empty_and_one_character_queries(worker_a, resident_user, client_for):
    client = client_for(worker_a)
    assert client.get("/hub/search/").status_code == 200
    page = client.get("/hub/search/?q=张").content.decode()
    assert 'data-testid="search-too-short"' in page
    assert client.get("/hub/search/?q=" + "x" * 500).status_code == 200
    assert client_for(resident_user).get("/hub/search/?q=张晓").status_code == 404


def test_the_household_page_shows_the_domains_panels(world, worker_a, client_for, filed):
    page = client_for(worker_a).get(f"/registry/households/{world.household_a1.public_id}/")
    html = page.content.decode()
    assert 'data-testid="household-panel-hotline.requests"' in html
    assert "电梯异响" in html
    assert 'data-testid="household-panel-party.central"' in html


def test_hooks_keep_their_signatures():
    # The plug-in points other domains code against stay as they were.
    names = ("register_tile", "register_waiting", "register_search", "register_household_panel")
    assert all(callable(getattr(hooks, name)) for name in names)
