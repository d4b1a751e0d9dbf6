"""Warm service cards (温馨服务卡): one card per household with the people to call.

A card carries the household's grid, its grid worker's name and **work** phone, the grid
branch secretary, the building group leader, the central household that looks after it, the
Community 110 number and a QR code opening the resident portal's request page for that
household. Only staff work phones (`User.work_phone`) ever appear: a Party officer who is a
resident without a staff account is shown by name only, never with a phone from the
registry.

A batch is built in a fixed number of queries whatever its size (households; grid workers;
secretaries and group leaders; central-household links), and the QR codes are cached per
URL, so reprinting a grid costs little.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import segno
from django.db.models import QuerySet

from linli.accounts.selectors import grid_worker_contacts
from linli.core.permissions import Actor, for_actor
from linli.party.choices import OfficeRole, OrgKind
from linli.party.models import HouseholdLink, Office, Organisation
from linli.party.permissions import PRINT_CARDS
from linli.registry.choices import HouseholdStatus
from linli.registry.models import Household

# The resident portal's request form (Community 110); `household` preselects the home.
PORTAL_REQUEST_PATH = "/hotline/portal/new/"


def portal_url(base_url: str, household_public_id: Any) -> str:
    """The address a card's QR code opens."""
    return f"{base_url.rstrip('/')}{PORTAL_REQUEST_PATH}?household={household_public_id}"


@lru_cache(maxsize=16384)
def qr_svg(payload: str) -> str:
    """The QR code of `payload` as inline SVG (medium error correction survives a scuffed
    card; no fixed size, the card's CSS sizes it)."""
    code = segno.make(payload, error="m", micro=False)
    return str(code.svg_inline(scale=1, border=2, omitsize=True, dark="#000"))


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""


@dataclass(frozen=True)
class Card:
    household_public_id: str
    address: str
    community: str
    grid: str
    grid_worker: Contact | None
    branch_secretary: Contact | None
    group_leader: Contact | None
    central: Contact | None
    central_address: str
    service_phone: str
    qr_payload: str

    @property
    def qr(self) -> str:
        return qr_svg(self.qr_payload)


def card_households(
    actor: Actor,
    *,
    community_id: int | None = None,
    grid_id: int | None = None,
    building_id: int | None = None,
    household_public_id: Any = None,
) -> QuerySet[Household]:
    """The active households a batch prints, in the actor's card-printing scope."""
    qs = for_actor(actor, PRINT_CARDS, Household.objects.filter(status=HouseholdStatus.ACTIVE))
    if community_id:
        qs = qs.filter(community_id=community_id)
    if grid_id:
        qs = qs.filter(building__grid_id=grid_id)
    if building_id:
        qs = qs.filter(building_id=building_id)
    if household_public_id:
        qs = qs.filter(public_id=household_public_id)
    return qs.select_related("building__grid", "unit", "community").order_by(
        "building__grid__number", "building_id", "unit__number", "floor", "room"
    )


def _officer(office: Office | None) -> Contact | None:
    """An officer as a card shows them: the work phone only through a staff account."""
    if office is None:
        return None
    member = office.member
    account = member.account
    phone = account.work_phone if account is not None else ""
    return Contact(name=member.display_name, phone=phone)


def build_cards(households: Iterable[Household], base_url: str) -> list[Card]:
    """The cards of the given households (four queries beyond the households themselves)."""
    homes = list(households)
    grid_ids = {h.building.grid_id for h in homes}
    building_ids = {h.building_id for h in homes}
    workers = {
        grid_id: Contact(name=staff.name, phone=staff.work_phone)
        for grid_id, staff in grid_worker_contacts(grid_ids).items()
    }
    branch_of_grid: dict[int, Contact | None] = {}
    leader_of_building: dict[int, Contact | None] = {}
    offices = (
        Office.objects.filter(
            ended_on__isnull=True,
            role__in=[OfficeRole.SECRETARY, OfficeRole.GROUP_LEADER],
        )
        .filter(
            organisation__in=Organisation.objects.filter(
                kind=OrgKind.GRID_BRANCH, grid_id__in=grid_ids
            )
            | Organisation.objects.filter(kind=OrgKind.BUILDING_GROUP, building_id__in=building_ids)
        )
        .select_related("organisation", "member__resident", "member__account")
        .order_by("id")
    )
    for office in offices:
        org = office.organisation
        if org.kind == OrgKind.GRID_BRANCH and office.role == OfficeRole.SECRETARY:
            branch_of_grid.setdefault(org.grid_id, _officer(office))  # type: ignore[arg-type]
        elif org.kind == OrgKind.BUILDING_GROUP and office.role == OfficeRole.GROUP_LEADER:
            leader_of_building.setdefault(org.building_id, _officer(office))  # type: ignore[arg-type]
    centrals: dict[int, tuple[Contact, str]] = {}
    for link in HouseholdLink.objects.filter(
        household_id__in=[h.pk for h in homes], ended_on__isnull=True
    ).select_related(
        "central__host__resident",
        "central__host__account",
        "central__household__building",
        "central__household__unit",
    ):
        host = link.central.host
        phone = host.account.work_phone if host.account is not None else ""
        centrals[link.household_id] = (
            Contact(name=host.display_name, phone=phone),
            link.central.household.address,
        )
    cards = []
    for h in homes:
        central = centrals.get(h.pk)
        cards.append(
            Card(
                household_public_id=str(h.public_id),
                address=h.address,
                community=h.community.name,
                grid=h.building.grid.name,
                grid_worker=workers.get(h.building.grid_id),
                branch_secretary=branch_of_grid.get(h.building.grid_id),
                group_leader=leader_of_building.get(h.building_id),
                central=central[0] if central else None,
                central_address=central[1] if central else "",
                service_phone=h.community.service_phone,
                qr_payload=portal_url(base_url, h.public_id),
            )
        )
    return cards
