"""Notifications and notices in the persona walk: who reads a grid-A notice and its attachment,
whose message opens, who publishes and sees failures."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.notify import Message, publish
from linli.notify import services
from linli.notify.models import Notification
from linli.testing.walk import Case, Scene, sees

STAFF = ("admin", "worker_a", "worker_b", "organiser", "viewer")


def build(scene: Scene) -> Any:
    world = scene.world
    notice = services.notice_publish(
        actor=scene.actor("admin"),
        community_id=world.community.id,
        audience="grid",
        grid_id=world.grid_a.id,
        title="停水通知",
        body="明天 9:00–12:00 A 网格停水。",
        attachments=[
            SimpleUploadedFile("通知.pdf", b"%PDF-1.4 walk", content_type="application/pdf")
        ],
    )
    resident = scene.user("resident_user")
    publish(
        Message(
            key="walk.message",
            kind="walk.test",
            user_ids=(resident.pk,),
            title="您的诉求已受理",
            url="/hotline/portal/",
        )
    )
    message = Notification.objects.get(key="walk.message", user_id=resident.pk)
    return SimpleNamespace(notice=notice, message=message, attachment=notice.attachments.get())


notice = lambda s: {"public_id": s.notify.notice.public_id}  # noqa: E731

CASES = {
    "notify:open": Case(
        lambda s: {"notification_id": s.notify.message.pk}, expect=sees("resident_user", ok=302)
    ),
    "notify:notice": Case(notice, expect=sees(*STAFF, "resident_user")),
    "notify:notice_withdraw": Case(notice),
    "notify:attachment": Case(
        lambda s: {"attachment_id": s.notify.attachment.pk}, expect=sees(*STAFF, "resident_user")
    ),
    "notify:notice_new": Case(expect=sees("admin", "other_admin")),
    "notify:failures": Case(expect=sees("admin", "other_admin")),
    "/api/notify/inbox/{notification_id}/read": Case(
        lambda s: {"notification_id": s.notify.message.pk}
    ),
    # Takes no body at all, so there is no malformed body to refuse: marking one's own inbox
    # read is the answer to any POST (test_api.py checks what it does).
    "/api/notify/inbox/read-all": Case(write=False),
}
