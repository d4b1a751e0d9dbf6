"""Issue 8 item 13: every role change is audited (`ROLE`) in its own transaction, including
the ones made in /admin/."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.accounts import services
from linli.accounts.models import RoleAssignment, User
from linli.conftest import PASSWORD
from linli.core.models import AuditEvent
from linli.core.roles import Role


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(username="root", password=PASSWORD, email="r@x.org")


@pytest.fixture
def root_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


def _role_events():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.ROLE).order_by("id"))


def test_granting_changing_and_removing_a_role_are_audited(world, worker_a, root, actor_of):
    actor = actor_of(root)
    assignment = services.role_assignment_save(
        actor=actor,
        assignment=RoleAssignment(user=worker_a, role=Role.CARE_WORKER, community=world.community),
    )
    assignment.title = "护理员"
    services.role_assignment_save(actor=actor, assignment=assignment)
    pk = assignment.pk
    services.role_assignment_delete(actor=actor, assignment=assignment)
    granted, changed, removed = _role_events()
    assert granted.actor_id == root.pk and granted.community_id == world.community.pk
    assert granted.before is None and granted.after["role"] == Role.CARE_WORKER
    assert changed.before == {"title": ""} and changed.after == {"title": "护理员"}
    assert removed.before["role"] == Role.CARE_WORKER and removed.after is None
    assert granted.object_id == changed.object_id == removed.object_id == str(pk)


def test_a_role_and_its_audit_commit_or_roll_back_together(
    world, worker_a, root, actor_of, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.role_assignment_save(
            actor=actor_of(root),
            assignment=RoleAssignment(
                user=worker_a, role=Role.CARE_WORKER, community=world.community
            ),
        )
    assert not RoleAssignment.objects.filter(role=Role.CARE_WORKER).exists()


def test_a_role_added_in_the_admin_is_audited(world, worker_a, root_client):
    response = root_client.post(
        "/admin/accounts/roleassignment/add/",
        {
            "user": worker_a.pk,
            "role": Role.COMMUNITY_ADMIN,
            "community": world.community.pk,
            "grid": "",
            "household": "",
            "subdistrict": "",
            "district": "",
            "title": "",
        },
    )
    assert response.status_code == 302
    [event] = _role_events()
    assert event.after["role"] == Role.COMMUNITY_ADMIN
    assert event.actor_label == "root"


def test_a_role_deleted_in_the_admin_is_audited(world, worker_a, root_client):
    assignment = worker_a.role_assignments.get()
    response = root_client.post(
        f"/admin/accounts/roleassignment/{assignment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    [event] = _role_events()
    assert event.before["role"] == Role.GRID_WORKER


def test_roles_bulk_deleted_in_the_admin_are_audited(world, worker_a, worker_b, root_client):
    ids = list(RoleAssignment.objects.values_list("pk", flat=True))
    response = root_client.post(
        "/admin/accounts/roleassignment/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.exists()
    assert len(_role_events()) == 2


def _user_form(client: Client, user: User) -> dict[str, object]:
    """The admin's user change form as the browser would post it back unchanged."""
    response = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = response.context["adminform"].form
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "password":
            continue
        if value is None:
            value = ""
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if hasattr(value, "all"):
            value = [v.pk for v in value.all()]
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = len(fs.forms)
        data[f"{prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f.instance.pk if name == "id" else f.initial.get(name, "")
                data[f"{prefix}-{i}-{name}"] = (
                    getattr(value, "pk", value) if value is not None else ""
                )
    data["last_login_0"] = data["last_login_1"] = ""
    joined = user.date_joined
    data["date_joined_0"] = joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = joined.strftime("%H:%M:%S")
    return data


def test_roles_changed_on_the_user_page_of_the_admin_are_audited(world, worker_a, root_client):
    data = _user_form(root_client, worker_a)
    prefix = "role_assignments"
    data[f"{prefix}-0-title"] = "一网格长"
    data[f"{prefix}-TOTAL_FORMS"] = 2
    data.update(
        {
            f"{prefix}-1-role": Role.CARE_WORKER,
            f"{prefix}-1-community": world.community.pk,
            f"{prefix}-1-user": worker_a.pk,
        }
    )
    response = root_client.post(f"/admin/accounts/user/{worker_a.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    events = _role_events()
    assert [e.after for e in events] == [{"title": "一网格长"}, events[1].after]
    assert events[1].after["role"] == Role.CARE_WORKER
    # Ticking "delete" on a role is audited too.
    data = _user_form(root_client, worker_a)
    data[f"{prefix}-1-DELETE"] = "on"
    response = root_client.post(f"/admin/accounts/user/{worker_a.pk}/change/", data)
    assert response.status_code == 302
    assert _role_events()[-1].before["role"] == Role.CARE_WORKER
    assert worker_a.role_assignments.count() == 1


def test_deleting_a_user_in_the_admin_audits_his_roles(world, worker_a, root_client):
    response = root_client.post(f"/admin/accounts/user/{worker_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=worker_a.pk).exists()
    [event] = _role_events()
    assert event.before["user"] == "worker_a"
