"""Warm service cards: one per household, the right people on it, only staff work phones,
and a QR code that encodes the household's portal request page."""

from __future__ import annotations

import re

import segno

from linli.accounts.models import RoleAssignment, User
from linli.core.models import AuditEvent
from linli.core.roles import Role
from linli.party import cards
from linli.party.models import HouseholdLink
from linli.registry.models import Household
from linli.testing import assert_constant_queries

CARD_RE = re.compile(
    r'<section class="ws-card"[^>]*data-household="([^"]+)"[^>]*data-qr-payload="([^"]+)"'
)


def _grid_worker(world, grid, username, phone):
    user = User.objects.create_user(
        username=username, password="x", display_name=f"{username}姓名", work_phone=phone
    )
    RoleAssignment.objects.create(
        user=user, role=Role.GRID_WORKER, community=world.community, grid=grid
    )
    return user


def _cards(body: str) -> list[tuple[str, str]]:
    return CARD_RE.findall(body)


def test_the_batch_for_a_grid_has_exactly_one_card_per_household_of_that_grid(
    world, party, organiser, client_for
):
    for room in ("401", "402", "501"):
        Household.objects.create(
            community=world.community,
            building=world.building_a,
            unit=world.unit_a,
            room=room,
            floor=int(room[0]),
            tenure="owner",
        )
    response = client_for(organiser).get(f"/party/cards/print/?grid={world.grid_a.pk}")
    assert response.status_code == 200
    printed = [household for household, _payload in _cards(response.content.decode())]
    expected = Household.objects.filter(building__grid=world.grid_a, status="active")
    assert sorted(printed) == sorted(str(h.public_id) for h in expected)
    assert len(printed) == 5
    event = AuditEvent.objects.get(action="export", object_type="export", object_id="party.cards")
    assert event.after == {"rows": 5}


def test_the_qr_code_encodes_the_households_portal_request_page(
    world, party, organiser, client_for
):
    body = (
        client_for(organiser)
        .get(f"/party/cards/households/{world.household_a1.public_id}/")
        .content.decode()
    )
    [(household, payload)] = _cards(body)
    assert household == str(world.household_a1.public_id)
    assert payload == (
        f"http://testserver/hotline/portal/new/?household={world.household_a1.public_id}"
    )
    # The SVG on the card is segno's drawing of exactly that payload.
    svg = cards.qr_svg(payload)
    assert svg in body
    code = segno.make(payload, error="m", micro=False)
    assert code.designator.endswith("M")
    assert svg == code.svg_inline(scale=1, border=2, omitsize=True, dark="#000")


def test_a_card_names_the_people_to_call_with_staff_work_phones_only(
    world, party, organiser, client_for, actor_of
):
    _grid_worker(world, world.grid_a, "gw_a", "0514-81111111")
    HouseholdLink.objects.create(
        central=party.central, household=world.household_a2, linked_on="2024-01-01"
    )
    [card] = cards.build_cards(
        cards.card_households(
            actor_of(organiser), household_public_id=world.household_a2.public_id
        ),
        "https://linli.example",
    )
    assert card.grid == "第一网格"
    assert (card.grid_worker.name, card.grid_worker.phone) == ("gw_a姓名", "0514-81111111")
    # The branch secretary and the group leader are residents without staff accounts: names only.
    assert (card.branch_secretary.name, card.branch_secretary.phone) == ("张晓", "")
    assert (card.group_leader.name, card.group_leader.phone) == ("李芳", "")
    assert (card.central.name, card.central_address) == ("张晓", "12-2-301")
    assert card.qr_payload.startswith("https://linli.example/hotline/portal/new/?household=")
    body = (
        client_for(organiser)
        .get(f"/party/cards/households/{world.household_a2.public_id}/")
        .content.decode()
    )
    assert "0514-81111111" in body
    for resident_phone in ("13800000001", "13800000002", "13800000003", "138****0001"):
        assert resident_phone not in body


def test_an_officer_with_a_staff_account_shows_the_work_phone(world, party, actor_of, organiser):
    party.outsider.account = None
    party.outsider.save()
    party.m_a1.account = party.secretary_user
    party.m_a1.save()
    [card] = cards.build_cards(
        cards.card_households(
            actor_of(organiser), household_public_id=world.household_a1.public_id
        ),
        "http://x",
    )
    assert card.branch_secretary.phone == "0514-80000001"


def test_a_grid_worker_prints_her_own_grid_only(world, party, worker_a, client_for):
    client = client_for(worker_a)
    assert client.get(f"/party/cards/households/{world.household_b1.public_id}/").status_code == 404
    body = client.get("/party/cards/print/?all=1").content.decode()
    printed = {household for household, _payload in _cards(body)}
    assert printed == {str(world.household_a1.public_id), str(world.household_a2.public_id)}


def test_card_batches_take_the_same_number_of_queries_whatever_their_size(
    world, party, organiser, client_for
):
    _grid_worker(world, world.grid_a, "gw_a", "0514-81111111")
    _grid_worker(world, world.grid_b, "gw_b", "0514-82222222")
    client = client_for(organiser)
    batches = {  # households printed → the batch
        1: f"/party/cards/print/?building={world.building_b.pk}",
        3: "/party/cards/print/?all=1",
    }

    def print_cards(n):
        response = client.get(batches[n])
        assert response.status_code == 200
        assert len(_cards(response.content.decode())) == n

    assert_constant_queries(print_cards, batches)
