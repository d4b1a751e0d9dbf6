"""The inbox API: a person's own messages with the unread count, marking one or all read;
someone else's message is a 404, and the list costs the same queries however long it is."""

from __future__ import annotations

from linli.core.notify import Message, publish
from linli.notify.models import Notification
from linli.testing import assert_constant_queries


def tell(user_id: int, n: int, prefix: str = "k") -> None:
    publish(
        Message(key=f"{prefix}:{n}", kind="x.y", user_ids=(user_id,), title=f"消息{n}", url="/x/")
    )


def test_the_inbox_lists_my_messages_newest_first_with_the_unread_count(
    resident_user, worker_a, client_for
):
    tell(resident_user.pk, 1)
    tell(resident_user.pk, 2)
    tell(worker_a.pk, 3)
    body = client_for(resident_user).get("/api/notify/inbox").json()
    assert body["unread"] == 2 and body["count"] == 2
    assert [m["title"] for m in body["items"]] == ["消息2", "消息1"]
    assert body["items"][0]["read"] is False


def test_marking_one_read_then_all(resident_user, client_for):
    tell(resident_user.pk, 1)
    tell(resident_user.pk, 2)
    client = client_for(resident_user)
    first = Notification.objects.get(key="k:1")
    answer = client.post(f"/api/notify/inbox/{first.pk}/read")
    assert answer.status_code == 200 and answer.json()["read"] is True
    assert client.get("/api/notify/inbox").json()["unread"] == 1
    unread = client.get("/api/notify/inbox?unread_only=true").json()
    assert [m["title"] for m in unread["items"]] == ["消息2"]
    assert client.post("/api/notify/inbox/read-all").json() == {"marked": 1, "unread": 0}


def test_someone_elses_message_cannot_be_marked(resident_user, worker_a, client_for):
    tell(worker_a.pk, 1)
    note = Notification.objects.get()
    assert client_for(resident_user).post(f"/api/notify/inbox/{note.pk}/read").status_code == 404
    assert client_for(resident_user).post("/api/notify/inbox/99999999999999/read").status_code in (
        404,
        422,
    )
    note.refresh_from_db()
    assert note.read_at is None


def test_signed_out_there_is_no_inbox(client):
    assert client.get("/api/notify/inbox").status_code in (401, 403)


def test_the_inbox_costs_the_same_queries_however_many_messages(resident_user, client_for):
    client = client_for(resident_user)
    client.get("/api/notify/inbox")  # the session and the actor, once
    assert_constant_queries(
        lambda n: client.get("/api/notify/inbox"),
        [1, 5, 20],
        setup=lambda n: [tell(resident_user.pk, i, prefix=f"s{n}") for i in range(n)],
    )
