"""Filing reads its category and its assignee from each process's memory (linli.core.memo):
a change made through the desk's settings, the admin or the roles counts at the next filing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.accounts import services as accounts_services
from linli.accounts.models import RoleAssignment, User
from linli.core.errors import DomainError
from linli.hotline import services
from linli.hotline.models import Category, DutyAssignment
from linli.testing.outage import redis_down
from linli.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(db) -> Client:
    root = User.objects.create_superuser(username="root", password=PASSWORD, email="r@x.org")
    client = Client()
    client.force_login(root)
    return client


def _tables(ctx: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in ctx.captured_queries)


def test_a_second_filing_reads_neither_its_category_nor_the_roster(
    file_portal, resident_user, worker_a, actor_of
):
    resident = actor_of(resident_user)  # read once: a signed-in request has its actor
    file_portal(actor=resident)
    with CaptureQueriesContext(connection) as ctx:
        req = file_portal(actor=resident)
    assert req.assignee_id == worker_a.id and req.category.code == "water"
    sql = _tables(ctx)
    for table in ("hotline_category", "hotline_dutyassignment", "accounts_roleassignment"):
        assert f'FROM "{table}"' not in sql, table


def test_a_category_switched_off_in_the_admin_is_refused_at_the_next_filing(
    file_portal, world, root_client
):
    file_portal()
    water = Category.objects.get(community=world.community, code="water")
    form = {
        "community": water.community_id,
        "code": water.code,
        "name": water.name,
        "description": water.description,
        "group": water.group,
        "priority": water.priority,
        "contact_minutes": water.contact_minutes or "",
        "visit_minutes": water.visit_minutes or "",
        "resolve_minutes": water.resolve_minutes,
        "questions": '[{"key": "extent", "label": "范围", "choices": ["本户"]}]',
        "order": water.order,
        # "active" left out: the box is unticked
    }
    response = root_client.post(f"/admin/hotline/category/{water.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with pytest.raises(DomainError) as refused:
        file_portal()
    assert refused.value.field == "category"


def test_a_roster_row_added_in_the_admin_takes_the_next_filing(
    file_portal, world, admin, worker_a, root_client
):
    assert file_portal().assignee_id == worker_a.id
    response = root_client.post(
        "/admin/hotline/dutyassignment/add/",
        {"community": world.community.id, "grid": world.grid_a.id, "user": admin.id},
    )
    assert response.status_code == 302
    assert DutyAssignment.objects.filter(user=admin).exists()
    assert file_portal().assignee_id == admin.id
    row = DutyAssignment.objects.get(user=admin)
    response = root_client.post(f"/admin/hotline/dutyassignment/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert file_portal().assignee_id == worker_a.id


@pytest.mark.parametrize("signin_cache_seconds", [10, 0])
def test_a_grid_worker_whose_role_is_taken_away_gets_no_new_request(
    file_portal, admin, worker_a, actor_of, settings, signin_cache_seconds
):
    # The sign-in token says so even when sign-ins themselves are not remembered.
    settings.SIGNIN_CACHE_SECONDS = signin_cache_seconds
    assert file_portal().assignee_id == worker_a.id
    for assignment in RoleAssignment.objects.filter(user=worker_a):
        accounts_services.role_assignment_delete(actor=actor_of(admin), assignment=assignment)
    assert file_portal().assignee_id != worker_a.id


def _edit(actor, category: Category, **changes) -> None:
    """The category as it is, with `changes`, saved through the desk's settings."""
    fields = ("name", "priority", "contact_minutes", "visit_minutes", "resolve_minutes")
    data = {f: getattr(category, f) for f in fields} | {"questions": category.questions}
    services.category_update(
        actor=actor, category_id=category.pk, data=services.CategoryInput(**(data | changes))
    )


def test_a_category_edited_by_its_admin_counts_at_the_next_filing(
    file_portal, world, admin, actor_of
):
    file_portal()
    water = Category.objects.get(community=world.community, code="water")
    _edit(actor_of(admin), water, resolve_minutes=90)
    req = file_portal()
    assert (req.due_resolve_at - req.submitted_at).total_seconds() == 90 * 60


def test_filing_goes_on_when_redis_is_down(file_portal, worker_a, settings, monkeypatch):
    redis_down(settings, monkeypatch)
    assert [file_portal().assignee_id for _ in range(2)] == [worker_a.id, worker_a.id]


def test_the_list_and_rates_filters_show_a_renamed_category_at_the_next_view(
    file_portal, world, admin, actor_of, client_for
):
    file_portal()
    client = client_for(admin)
    for url in ("/hotline/", "/hotline/rates/"):
        assert ">用水<" not in client.get(url).content.decode()  # remembered now
    water = Category.objects.get(community=world.community, code="water")
    _edit(actor_of(admin), water, name="用水")
    for url in ("/hotline/", "/hotline/rates/"):
        page = client.get(url).content.decode()
        assert '<option value="water" >用水</option>' in page, url
