"""The inbox and its badge on every page, opening a message, the large-type switch, push
subscriptions, and the hotline's events reaching the resident."""

from __future__ import annotations

import re

from linli.core.notify import Message, publish
from linli.hotline import services as hotline
from linli.notify.models import Notification, Preference, PushSubscription


def test_the_badge_counts_unread_messages_and_opening_one_reads_it(resident_user, client_for):
    publish(Message(key="k:1", kind="x.y", user_ids=(resident_user.pk,), title="一", url="/x/"))
    publish(Message(key="k:2", kind="x.y", user_ids=(resident_user.pk,), title="二"))
    client = client_for(resident_user)
    page = client.get("/notify/").content.decode()
    assert 'data-testid="unread-badge">2<' in page
    note = Notification.objects.get(key="k:1")
    opened = client.get(f"/notify/m/{note.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/x/"
    assert 'data-testid="unread-badge">1<' in client.get("/notify/").content.decode()
    client.post("/notify/read-all/")
    assert 'data-testid="unread-badge"' not in client.get("/notify/").content.decode()


def test_someone_elses_message_is_a_404(resident_user, worker_a, client_for):
    publish(Message(key="k:1", kind="x.y", user_ids=(worker_a.pk,), title="一"))
    note = Notification.objects.get()
    assert client_for(resident_user).get(f"/notify/m/{note.pk}/").status_code == 404


def test_large_type_is_remembered_per_user(resident_user, client_for):
    client = client_for(resident_user)
    assert 'class="elder' not in client.get("/").content.decode()
    client.post("/notify/large-type/", {"next": "/"})
    assert Preference.objects.get(user=resident_user).large_type
    assert 'class="elder' in client.get("/").content.decode()


def test_a_browser_subscribes_and_unsubscribes(resident_user, client_for):
    client = client_for(resident_user)
    body = {"endpoint": "https://push.example/1", "keys": {"p256dh": "p", "auth": "a"}}
    assert client.post("/notify/push/", body, content_type="application/json").status_code == 200
    assert PushSubscription.objects.filter(user=resident_user).count() == 1
    bad = client.post("/notify/push/", {"endpoint": "http://x"}, content_type="application/json")
    assert bad.status_code == 400
    client.post("/notify/push/", {**body, "remove": True}, content_type="application/json")
    assert not PushSubscription.objects.exists()


def test_the_hotline_tells_the_resident_to_rate_and_the_badge_clears_when_he_does(
    world, worker_a, resident_user, actor_of, client_for, django_capture_on_commit_callbacks
):
    for category in ("water",):
        hotline.categories_ensure_defaults(actor=hotline.SYSTEM, community_id=world.community.id)
    resident, worker = actor_of(resident_user), actor_of(worker_a)
    with django_capture_on_commit_callbacks(execute=True):  # filing notifies after its commit
        req = hotline.request_file(
            actor=resident,
            community_id=world.community.id,
            category_code=category,
            description="厨房水管漏水",
            channel="portal",
            household_public_id=world.household_a1.public_id,
            answers={"extent": "本户"},
        )
    assert Notification.objects.get(kind="hotline.assigned").user_id == worker_a.pk
    hotline.request_accept(actor=worker, public_id=req.public_id)
    hotline.request_check_in(actor=worker, public_id=req.public_id)
    hotline.request_resolve(actor=worker, public_id=req.public_id, note="换了阀门")
    kinds = list(
        Notification.objects.filter(user=resident_user)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["hotline.accepted", "hotline.visited", "hotline.please_rate"]
    client = client_for(resident_user)
    home = client.get("/").content.decode()
    assert 'data-kind="hotline.please_rate"' in home and 'data-testid="tile-badge">1' in home
    hotline.request_rate(actor=resident, public_id=req.public_id, rating=5, solved=True)
    home = client.get("/").content.decode()
    # The "please rate" item and its badge are gone; closing the request asked the household
    # the one-minute follow-up questionnaire instead (core.followups), now the only item waiting.
    assert 'data-kind="hotline.please_rate"' not in home
    assert re.findall(r'data-kind="([^"]+)"', home) == ["surveys.followup"]
    assert home.count('data-testid="tile-badge"') == 1


def test_the_rating_reminder_goes_once_two_days_after_resolving(
    world, worker_a, resident_user, actor_of
):
    import datetime as dt

    from django.utils import timezone

    from linli.hotline.reminders import rating_reminders_send

    hotline.categories_ensure_defaults(actor=hotline.SYSTEM, community_id=world.community.id)
    worker = actor_of(worker_a)
    req = hotline.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="water",
        description="水管漏水",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        answers={"extent": "本户"},
    )
    hotline.request_accept(actor=worker, public_id=req.public_id)
    hotline.request_resolve(actor=worker, public_id=req.public_id, note="修好了")
    assert rating_reminders_send() == 0
    later = timezone.now() + dt.timedelta(days=2, minutes=1)
    assert rating_reminders_send(now=later) == 1
    assert rating_reminders_send(now=later) == 1  # published again, kept once
    assert Notification.objects.filter(kind="hotline.rate_reminder").count() == 1
