"""`core.db.Prepared`: a read compiled once returns, for each run's values, the rows the ORM
returns for the same filter, converted alike, in one statement; bad values fail as the ORM's
lookup fails. And `permissions.allows`, the scope check on a row already read, says what
`for_actor` says for every persona, permission and household of the test world."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.db import Param, Prepared, from_row
from linli.core.permissions import ANONYMOUS, allows, for_actor, known_perms, narrowed
from linli.hotline import services
from linli.hotline.models import Category
from linli.registry.models import Community, Household
from linli.testing.world import PERSONAS, World, make_persona

pytestmark = pytest.mark.django_db

FIELDS = ("id", "public_id", "community_id", "room", "building__grid_id", "unit__number")
BY_PUBLIC_ID = Prepared(
    Household,
    lambda: Household.objects.filter(public_id=Param("key", Household, "public_id")).values(
        *FIELDS
    ),
)
CATEGORY = Prepared(
    Category,
    lambda: Category.objects.filter(
        community_id=Param("community", Category, "community"),
        code=Param("code", Category, "code"),
        active=True,  # a constant compiled into the statement, between the values
    ).values("id", "code", "active", "questions"),
)


def test_each_run_returns_the_rows_the_orm_returns_for_its_own_values(world: World) -> None:
    for household in (world.household_a1, world.household_b1, world.household_a1):
        with CaptureQueriesContext(connection) as ctx:
            rows = BY_PUBLIC_ID.rows(key=household.public_id)
        assert rows == list(Household.objects.filter(pk=household.pk).values(*FIELDS))
        assert isinstance(rows[0]["public_id"], uuid.UUID)  # converted as the ORM converts
        assert len(ctx.captured_queries) == 1
    # A UUID given as text is prepared as the lookup prepares it.
    assert BY_PUBLIC_ID.rows(key=str(world.household_b1.public_id))[0]["id"] == (
        world.household_b1.id
    )
    assert BY_PUBLIC_ID.rows(key=uuid.uuid4()) == []


def test_several_values_and_a_constant_go_to_their_own_places(world: World) -> None:
    services.categories_ensure_defaults(actor=services.SYSTEM, community_id=world.community.id)
    services.categories_ensure_defaults(
        actor=services.SYSTEM, community_id=world.other_community.id
    )
    category = Category.objects.filter(community=world.other_community).order_by("id").last()
    assert category is not None
    expected: list[dict[str, Any]] = [
        dict(row)
        for row in Category.objects.filter(pk=category.pk).values(
            "id", "code", "active", "questions"
        )
    ]
    assert CATEGORY.rows(community=world.other_community.id, code=category.code) == expected
    assert CATEGORY.rows(community=world.community.id, code=category.code) != expected
    Category.objects.filter(pk=category.pk).update(active=False)
    assert CATEGORY.rows(community=world.other_community.id, code=category.code) == []


def test_a_malformed_value_fails_as_the_lookup_fails(world: World) -> None:
    with pytest.raises(ValidationError):
        BY_PUBLIC_ID.rows(key="not-a-uuid")
    with pytest.raises(ValueError):
        CATEGORY.rows(community="one", code="noise")


def test_only_a_values_queryset_of_its_own_model_is_prepared(world: World) -> None:
    with pytest.raises(ValueError):
        Param("key", Household, "residents")  # a relation, not a column
    with pytest.raises(ValueError):
        Prepared(Household, lambda: Household.objects.all()).rows()
    with pytest.raises(ValueError):
        Prepared(Household, lambda: Community.objects.values("id")).rows()


def test_allows_says_what_for_actor_says_on_every_household(world: World, actor_of) -> None:
    households = list(
        Household.objects.select_related("building").order_by("id")
    )  # both communities, both grids
    checked = 0
    for name in PERSONAS:
        actor = actor_of(make_persona(name, world))
        for perm in sorted(known_perms()):
            seen = set(for_actor(actor, perm, Household.objects.all()).values_list("id", flat=True))
            for household in households:
                said = allows(
                    actor,
                    perm,
                    Household,
                    community_id=household.community_id,
                    grid_id=household.building.grid_id,
                    household_id=household.id,
                )
                assert said == (household.id in seen), (name, perm, household.id)
                checked += said
    assert checked  # some persona may see some household


def test_allows_sees_a_model_without_grids_through_the_grids_community(
    world: World, worker_a, actor_of
) -> None:
    actor = actor_of(worker_a)
    for community in (world.community, world.other_community):
        seen = for_actor(actor, "registry.view_community", Community.objects.all())
        assert (
            allows(actor, "registry.view_community", Community, community_id=community.id)
            == seen.filter(pk=community.pk).exists()
        )


def test_each_shape_has_its_own_statement_and_the_statements_stay_bounded(world: World) -> None:
    by = Prepared(
        Household,
        lambda key: Household.objects.filter(**{key: Param("v", Household, key)}).values("id"),
    )
    by.MAX_PLANS = 1
    a1, b1 = world.household_a1, world.household_b1
    assert by.rows("id", v=a1.id) == [{"id": a1.id}]
    assert by.rows("public_id", v=b1.public_id) == [{"id": b1.id}]
    assert len(by._plans) == 1  # the first was forgotten
    assert by.rows("id", v=b1.id) == [{"id": b1.id}]
    assert by.rows("public_id", v=a1.public_id) == [{"id": a1.id}]


def test_a_scope_that_holds_nothing_reads_no_row(world: World, worker_a, actor_of) -> None:
    scoped = Prepared(
        Household,
        lambda actor: (
            for_actor(actor, "registry.view_household", Household.objects.all())
            .filter(pk=Param("pk", Household, "id"))
            .values("id")
        ),
    )
    a1, b1 = world.household_a1, world.household_b1
    worker = narrowed(actor_of(worker_a), "registry.view_household")
    assert scoped.rows(worker, pk=a1.id) == [{"id": a1.id}]
    assert scoped.rows(worker, pk=b1.id) == []  # another grid
    assert scoped.rows(narrowed(ANONYMOUS, "registry.view_household"), pk=a1.id) == []


def test_from_row_loads_the_columns_given_in_any_order_and_defers_the_rest(world: World) -> None:
    h = world.household_a1
    loaded = from_row(
        Household,
        {"room": h.room, "unit_id": h.unit_id, "public_id": h.public_id, "id": h.id},
        using="default",
    )
    assert (loaded.pk, loaded.public_id, loaded.room, loaded.unit_id) == (
        h.id,
        h.public_id,
        h.room,
        h.unit_id,
    )
    assert loaded.get_deferred_fields() >= {"community_id", "building_id"}
    assert not loaded._state.adding and loaded._state.db == "default"
    assert loaded == h and hash(loaded) == hash(h)
    with CaptureQueriesContext(connection) as ctx:
        assert loaded.building_id == h.building_id  # a deferred field loads on first use
        assert loaded.building_id == h.building_id
    assert len(ctx.captured_queries) == 1
    assert loaded.unit.number == h.unit.number  # relations load as usual
    with pytest.raises(ValueError):
        from_row(Household, {"id": h.id, "building__number": "12"}, using="default")
