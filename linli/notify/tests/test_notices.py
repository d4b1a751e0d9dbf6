"""Community notices: who may publish, bad dates and files refused, the fan-out to the right
residents' inboxes in batches, what a resident sees, read counts, withdrawal."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.core.errors import DomainError, NotFound
from linli.notify import selectors, services
from linli.notify.models import Notice, Notification


def publish(actor, world, **extra):
    extra.setdefault("audience", "grid")
    if extra["audience"] == "grid":
        extra.setdefault("grid_id", world.grid_a.id)
    return services.notice_publish(
        actor=actor,
        community_id=world.community.id,
        title=extra.pop("title", "停水通知"),
        body=extra.pop("body", "明天上午停水。"),
        **extra,
    )


def test_a_grid_notice_reaches_that_grids_residents_only(
    world, admin, resident_user, resident_b, actor_of, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(actor_of(admin), world)
    notice.refresh_from_db()
    assert notice.recipients == 1 and notice.fanned_out_at is not None
    assert Notification.objects.filter(user=resident_user, kind="notify.notice").count() == 1
    assert not Notification.objects.filter(user=resident_b).exists()
    assert [n.pk for n in selectors.notices_for_resident(actor_of(resident_user))] == [notice.pk]
    assert not selectors.notices_for_resident(actor_of(resident_b)).exists()
    with pytest.raises(NotFound):
        selectors.notice_get(actor_of(resident_b), notice.public_id)


def test_fan_out_runs_in_batches_and_twice_is_harmless(
    world, admin, resident_user, resident_b, actor_of
):
    notice = publish(actor_of(admin), world, audience="community")
    assert services.notice_fan_out(notice.pk, batch=1) == 2
    assert services.notice_fan_out(notice.pk, batch=1) == 2
    assert Notification.objects.filter(kind="notify.notice").count() == 2


def test_a_fan_out_that_dies_halfway_is_finished_by_the_sweep_without_duplicates(
    world, admin, resident_user, resident_b, actor_of
):
    notice = publish(actor_of(admin), world, audience="community")
    real = Notification.objects.bulk_create
    calls = []

    def dies_on_the_second_batch(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("the worker was killed")
        return real(rows, **kwargs)

    with (
        mock.patch.object(Notification.objects, "bulk_create", dies_on_the_second_batch),
        pytest.raises(RuntimeError),
    ):
        services.notice_fan_out(notice.pk, batch=1)
    notice.refresh_from_db()
    assert notice.fanned_out_at is None  # so the periodic task picks it up again
    assert Notification.objects.filter(kind="notify.notice").count() == 1
    assert notice.pk in services.notices_due_ids(timezone.now())
    with mock.patch.object(Notification.objects, "bulk_create", wraps=real) as insert:
        assert services.notice_fan_out(notice.pk, batch=1) == 2
    assert insert.call_count == 1  # only the one not reached yet
    assert sorted(
        Notification.objects.filter(kind="notify.notice").values_list("user_id", flat=True)
    ) == sorted([resident_user.pk, resident_b.pk])


def test_a_tag_notice_reaches_the_tagged(world, admin, resident_user, resident_b, actor_of):
    # The head of A1 was born in 1958: elderly; the head of B1 (1970) is not.
    notice = publish(actor_of(admin), world, audience="tag", tag="elderly")
    services.notice_fan_out(notice.pk)
    assert [n.pk for n in selectors.notices_for_resident(actor_of(resident_user))] == [notice.pk]
    assert not selectors.notices_for_resident(actor_of(resident_b)).exists()


def test_an_end_before_the_start_is_refused(world, admin, actor_of):
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        publish(actor_of(admin), world, starts_at=start, ends_at=start - dt.timedelta(hours=1))
    assert refused.value.field == "ends_at"
    assert not Notice.objects.exists()


def test_only_admins_publish_and_only_in_their_community(
    world, worker_a, other_admin, resident_user, actor_of
):
    for user in (worker_a, other_admin, resident_user):
        with pytest.raises(NotFound):
            publish(actor_of(user), world)


def test_attachments_of_the_wrong_type_are_refused(world, admin, actor_of):
    script = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    with pytest.raises(DomainError):
        publish(actor_of(admin), world, attachments=[script])


def test_a_later_notice_waits_for_its_start(world, admin, resident_user, actor_of):
    start = timezone.now() + dt.timedelta(hours=2)
    notice = publish(actor_of(admin), world, starts_at=start)
    assert services.notices_due_ids(timezone.now()) == []
    assert not selectors.notices_for_resident(actor_of(resident_user)).exists()
    assert services.notices_due_ids(start + dt.timedelta(minutes=1)) == [notice.pk]


def test_read_counts_and_withdrawal(
    world, admin, resident_user, actor_of, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(actor_of(admin), world, pinned=True)
    assert selectors.notice_list(actor_of(admin)).get().read_count == 0
    page = client_for(resident_user).get(f"/notify/notices/{notice.public_id}/")
    assert page.status_code == 200 and "停水通知" in page.content.decode()
    assert selectors.notice_list(actor_of(admin)).get().read_count == 1
    services.notice_withdraw(actor=actor_of(admin), public_id=notice.public_id)
    assert not selectors.notices_for_resident(actor_of(resident_user)).exists()


def test_the_publish_page_shows_a_bad_end_on_the_form(world, admin, client_for):
    page = client_for(admin).post(
        "/notify/notices/new/",
        {
            "audience": "grid",
            "grid_id": world.grid_a.id,
            "title": "t",
            "body": "b",
            "starts_at": "2026-12-02T10:00",
            "ends_at": "2026-12-01T10:00",
        },
    )
    assert page.status_code == 200
    assert 'data-testid="error-ends_at"' in page.content.decode()
