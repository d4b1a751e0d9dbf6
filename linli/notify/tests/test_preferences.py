"""The settings page: a kind muted on one channel (texts about ratings off, browser on), the
person's own quiet hours, and the service worker served for the whole site."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from linli.core.notify import Message, publish
from linli.notify import channels, delivery
from linli.notify.models import Delivery, DeliveryStatus, Preference

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 11, 30, 12, 0, tzinfo=SHANGHAI)


def settings_form(client, **changes):
    page = client.get("/notify/preferences/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: value
        for name, field in form.fields.items()
        if (value := form[name].value()) not in (None, False, "")
    }
    data["quiet_start"] = "22:00"
    data["quiet_end"] = "07:00"
    data.update(changes)
    return form, {k: v for k, v in data.items() if v is not False}


def test_a_resident_turns_off_texts_about_ratings_but_keeps_the_browser(
    resident_user, client_for, sms, settings
):
    settings.NOTIFY_VAPID_PRIVATE_KEY = ""
    client = client_for(resident_user)
    form, data = settings_form(client)
    row = [kind for kind, _label in form.kinds].index("hotline.please_rate")
    assert "hotline.assigned" not in [kind for kind, _label in form.kinds]  # staff kinds hidden
    data.pop(f"sms_{row}")
    assert client.post("/notify/preferences/", data).status_code == 302
    pref = Preference.objects.get(user=resident_user)
    assert pref.muted_kinds == ["hotline.please_rate:sms"]
    publish(
        Message(key="r:1", kind="hotline.please_rate", user_ids=(resident_user.pk,), title="请评价")
    )
    delivery.deliver_message("r:1", (resident_user.pk,), ("sms", "push"), now=NOON)
    assert sms == []
    outcomes = dict(Delivery.objects.values_list("channel", "outcome"))
    assert outcomes == {"sms": "muted", "push": "no subscription"}
    # The page shows the choice back.
    again, _data = settings_form(client)
    assert again[f"sms_{row}"].value() is False and again[f"push_{row}"].value() is True


def test_ones_own_quiet_hours_hold_texts(resident_user, client_for, sms):
    client = client_for(resident_user)
    _form, data = settings_form(client, quiet_start="12:00", quiet_end="13:30")
    assert client.post("/notify/preferences/", data).status_code == 302
    publish(
        Message(key="q:1", kind="hotline.please_rate", user_ids=(resident_user.pk,), title="请评价")
    )
    delivery.deliver_message("q:1", (resident_user.pk,), ("sms",), now=NOON)
    held = Delivery.objects.get()
    assert sms == [] and held.status == DeliveryStatus.PENDING
    assert held.next_attempt_at == dt.datetime(2026, 11, 30, 13, 30, tzinfo=SHANGHAI)


def test_quiet_hours_within_a_day_across_midnight_and_none():
    at = dt.datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI)
    assert channels.in_quiet_hours(at)
    assert not channels.in_quiet_hours(at, dt.time(12), dt.time(14))
    assert not channels.in_quiet_hours(at, dt.time(7), dt.time(7))
    assert channels.quiet_hours_end(at) == dt.datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI)


def test_a_bad_quiet_hour_is_a_form_error_not_a_500(resident_user, client_for):
    client = client_for(resident_user)
    _form, data = settings_form(client, quiet_start="25:99")
    answer = client.post("/notify/preferences/", data)
    assert answer.status_code == 200 and "error-quiet_start" in answer.content.decode()


def test_staff_choose_among_staff_kinds(worker_a, client_for):
    form, _data = settings_form(client_for(worker_a))
    kinds = [kind for kind, _label in form.kinds]
    assert "hotline.assigned" in kinds and "hotline.please_rate" not in kinds


def test_the_service_worker_may_control_the_whole_site(client, settings):
    answer = client.get("/notify/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert "showNotification" in answer.content.decode()


def test_the_subscribe_button_carries_the_servers_public_key(resident_user, client_for, settings):
    settings.NOTIFY_VAPID_PRIVATE_KEY = "private"
    settings.NOTIFY_VAPID_PUBLIC_KEY = "BPublicKey"
    page = client_for(resident_user).get("/notify/preferences/").content.decode()
    assert 'data-linli-push="BPublicKey"' in page and "/notify/sw.js" in page
    assert "notify/push.js" in page
