"""The volunteers part of the Wenchang demo: the brief's figures in the database and on the
pages, and a ledger whose balances, lots and stock add up as the services would leave them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Sum
from django.test import Client

from linli.accounts.models import User
from linli.demo.builder import DEFAULT_SEED, DemoSummary, build_demo, reset_demo
from linli.volunteers import points
from linli.volunteers.choices import OrgStage, RedemptionStatus, TeamKind
from linli.volunteers.models import (
    PointsAccount,
    PointsEntry,
    Redemption,
    SocialOrganisation,
    StoreItem,
    Team,
    Volunteer,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock():
        summary = build_demo(seed=DEFAULT_SEED)
    yield summary
    with django_db_blocker.unblock():
        reset_demo()


def test_the_brief_figures_hold_in_the_database(demo, db):
    figures = demo.domains["volunteers"]
    assert figures["social organisations incubated"] == 72
    assert SocialOrganisation.objects.exclude(stage=OrgStage.WITHDRAWN).count() == 72
    assert Team.objects.filter(kind=TeamKind.SERVICE).count() == 28
    assert Team.objects.filter(kind=TeamKind.CULTURAL).count() == 23
    assert Volunteer.objects.count() >= 1000
    assert Volunteer.objects.filter(resident__isnull=False).count() >= 1000
    assert figures["ledger entries"] > 5000
    assert figures["redemptions"] > 500


def test_every_balance_is_the_sum_of_its_entries_and_its_lots(demo, db):
    totals = dict(
        PointsEntry.objects.values("account").annotate(s=Sum("points")).values_list("account", "s")
    )
    for account in PointsAccount.objects.all():
        assert account.balance == totals.get(account.pk, 0) >= 0
    sample = PointsAccount.objects.order_by("-balance")[:40]
    for account in sample:
        assert sum(lot.left for lot in points.open_lots(account.pk)) == account.balance


def test_stock_never_negative_and_open_pickup_codes_unique(demo, db):
    assert not StoreItem.objects.filter(stock__lt=0).exists()
    codes = list(
        Redemption.objects.filter(status=RedemptionStatus.RESERVED).values_list(
            "pickup_code", flat=True
        )
    )
    assert len(codes) == len(set(codes))


def test_hours_on_the_volunteer_match_his_confirmed_service(demo, db):
    from linli.volunteers.models import Signup

    sums = dict(
        Signup.objects.filter(status="confirmed")
        .values("volunteer")
        .annotate(h=Sum("hours"))
        .values_list("volunteer", "h")
    )
    for v in Volunteer.objects.order_by("-hours_total")[:50]:
        assert v.hours_total == sums.get(v.pk, 0)


def test_the_figures_show_on_the_pages(demo, db):
    admin = User.objects.get(username="wenchang_admin")
    client = Client()
    client.force_login(admin)
    page = client.get("/volunteers/").content.decode()
    assert 'data-testid="figure-organisations">72<' in page
    assert 'data-testid="figure-service-teams">28<' in page
    assert 'data-testid="figure-cultural-teams">23<' in page
    active = Volunteer.objects.filter(status="active").count()
    assert active >= 1000
    assert f'data-testid="figure-volunteers">{active}<' in page
    board = client.get("/volunteers/organisations/").content.decode()
    assert board.count("/volunteers/organisations/") >= 72
    resident = User.objects.get(username="resident")
    client.force_login(resident)
    me = client.get("/volunteers/me/").content.decode()
    balance = PointsAccount.objects.get(resident=resident.resident).balance
    assert f'data-testid="my-balance">{balance}<' in me
