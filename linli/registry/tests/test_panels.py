"""One resident, one record (issue 14, B1): the resident's page shows the panels every domain
registered, each only to the personas its domain lets see it, with a constant number of
queries; the resident sees his own whole record and downloads it (audited)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from linli.core.hooks import panels_for
from linli.core.models import AuditEvent
from linli.hotline import services as hotline_services
from linli.party.choices import OrgKind, Standing
from linli.party.models import CentralHousehold, HouseholdLink, Member, Organisation
from linli.riders import services as rider_services
from linli.testing import assert_constant_queries
from linli.volunteers import points
from linli.volunteers import services as volunteer_services

ALL = {
    "registry.household",
    "party.membership",
    "hotline.requests",
    "volunteers.record",
    "riders.worker",
}


@pytest.fixture
def record(world, admin, resident_user, actor_of):
    """Resident A1 is a Party member whose household a central household looks after, filed a
    Community 110 request, volunteers with a points account, and rides for a platform."""
    committee = Organisation.objects.create(
        community=world.community, kind=OrgKind.COMMITTEE, name="社区党委"
    )
    org = Organisation.objects.create(
        community=world.community,
        kind=OrgKind.GRID_BRANCH,
        name="第一网格党支部",
        grid=world.grid_a,
        parent=committee,
    )
    member = Member.objects.create(
        community=world.community,
        organisation=org,
        resident=world.resident_a1,
        joined_on=dt.date(2001, 7, 1),
        standing=Standing.FULL,
    )
    central = CentralHousehold.objects.create(
        community=world.community,
        household=world.household_a2,
        host=member,
        started_on=dt.date(2023, 1, 1),
    )
    HouseholdLink.objects.create(
        central=central, household=world.household_a1, linked_on=dt.date(2023, 1, 1)
    )
    hotline_services.categories_ensure_defaults(
        actor=hotline_services.SYSTEM, community_id=world.community.id
    )
    hotline_services.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="water",
        description="厨房水管漏水",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        answers={"extent": "本户"},
    )
    volunteer_services.volunteer_register(
        actor=actor_of(admin),
        community_id=world.community.id,
        resident_public_id=world.resident_a1.public_id,
    )
    points.account_open(
        community_id=world.community.id,
        resident_id=world.resident_a1.id,
        name=world.resident_a1.name,
    )
    rider_services.worker_register(
        actor=actor_of(admin),
        community_id=world.community.id,
        kind="rider",
        platform="美团",
        work_station="美团曲江站",
        resident_public_id=world.resident_a1.public_id,
    )
    return world


def shown(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r'data-panel="([a-z._]+)"', response.content.decode()))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ALL),
        ("organiser", ALL),
        ("viewer", ALL),
        ("worker_a", {"registry.household", "party.membership", "hotline.requests"}),
        ("care", {"registry.household"}),
    ],
)
def test_each_persona_sees_the_panels_its_roles_may_see(
    record, persona, expected, client_for, request
):
    user = request.getfixturevalue(persona)
    url = reverse("registry:resident", args=[record.resident_a1.public_id])
    assert shown(client_for(user).get(url)) == expected


def test_outside_the_reach_the_page_is_a_404(record, worker_b, other_admin, client_for):
    url = reverse("registry:resident", args=[record.resident_a1.public_id])
    for user in (worker_b, other_admin):
        assert client_for(user).get(url).status_code == 404


def test_the_resident_sees_his_whole_record_but_not_his_familys_private_panels(
    record, resident_user, client_for
):
    client = client_for(resident_user)
    mine = client.get(reverse("registry:my_record"))
    assert shown(mine) == ALL - {"party.membership"}
    assert "my-record-download" in mine.content.decode()
    child = client.get(reverse("registry:resident", args=[record.resident_a1_child.public_id]))
    assert shown(child) == {"registry.household", "hotline.requests"}


def test_staff_have_no_my_record_page(record, admin, client_for):
    assert client_for(admin).get(reverse("registry:my_record")).status_code == 404
    assert (
        client_for(admin).get(reverse("registry:my_record_download", args=["json"])).status_code
        == 404
    )


def test_the_resident_downloads_his_record_as_json_and_xlsx_audited(
    record, resident_user, client_for
):
    client = client_for(resident_user)
    response = client.get(reverse("registry:my_record_download", args=["json"]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert {key for key, rows in data.items() if rows} == ALL - {"party.membership"}
    assert data["hotline.requests"][0]["description"] == "厨房水管漏水"
    assert data["riders.worker"][0]["platform"] == "美团"
    xlsx = client.get(reverse("registry:my_record_download", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    events = AuditEvent.objects.filter(action="export", object_id="registry.my_record")
    assert events.count() == 2
    assert client.get(reverse("registry:my_record_download", args=["csv"])).status_code == 404


def test_every_panel_runs_a_constant_number_of_queries(record, admin, resident_user, actor_of):
    actor = actor_of(admin)
    resident_actor = actor_of(resident_user)

    def more(n: int) -> None:
        for i in range(n):
            hotline_services.request_file(
                actor=resident_actor,
                community_id=record.community.id,
                category_code="water",
                description=f"第{n}-{i}次漏水",
                channel="portal",
                household_public_id=record.household_a1.public_id,
                answers={"extent": "本户"},
            )

    for panel in panels_for(actor):
        counts = assert_constant_queries(
            lambda _n, p=panel: p.context(actor, record.resident_a1.pk), [1, 3, 8], setup=more
        )
        assert max(counts.values()) <= 5, (panel.key, counts)
