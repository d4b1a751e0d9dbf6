"""`linli.core.memo`: what a process remembers between requests, and when it reads again."""

from __future__ import annotations

import os

import pytest
from django.db import transaction

from linli.core import memo
from linli.testing.outage import redis_down

pytestmark = pytest.mark.django_db


class Source:
    """Rows that count how often they are read."""

    def __init__(self) -> None:
        self.reads = 0
        self.value = "old"

    def load(self) -> str:
        self.reads += 1
        return self.value


@pytest.fixture
def token() -> memo.Token:
    return memo.Token("test-memo")


def test_a_value_is_read_once_while_nothing_changed(token):
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    assert [remembered.get("k", source.load) for _ in range(3)] == ["old"] * 3
    assert source.reads == 1
    assert remembered.get("other", source.load) == "old" and source.reads == 2


def test_a_change_on_another_server_counts_at_the_next_read(token):
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    remembered.get("k", source.load)
    source.value = "new"
    token.write()  # another process's `changed()`: this one's memory is untouched
    assert remembered.get("k", source.load) == "new"


def test_a_change_in_this_process_forgets_and_writes_again_after_the_commit(
    token, django_capture_on_commit_callbacks
):
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        remembered.get("k", source.load)
        token.changed()
        source.value = "new"
        # Re-read inside the transaction (the old rows, as another process would see them)...
        assert remembered.get("k", source.load) == "new"
        before_commit = token.read()
        source.value = "newer"  # what the commit leaves
    # ...and the commit writes the token once more, so nothing read before it is used.
    assert token.read() != before_commit
    assert remembered.get("k", source.load) == "newer"


def test_a_change_while_a_value_is_read_makes_it_stale_at_once(token):
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()

    def load_while_changed() -> str:
        value = source.load()
        token.write()  # the change lands after the rows were read
        return value

    remembered.get("k", load_while_changed)
    assert remembered.get("k", source.load) == "old" and source.reads == 2


def test_every_token_counts(token):
    other = memo.Token("test-memo-other")
    remembered: memo.Memo[str] = memo.Memo(token, other)
    source = Source()
    remembered.get("k", source.load)
    other.write()
    remembered.get("k", source.load)
    assert source.reads == 2


def test_a_value_is_read_again_after_the_age_limit(token, monkeypatch, settings):
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    remembered.get("k", source.load)
    later = memo.time.monotonic() + settings.MEMO_SECONDS + 1
    monkeypatch.setattr(memo.time, "monotonic", lambda: later)
    remembered.get("k", source.load)
    assert source.reads == 2


def test_switched_off_every_get_reads(token, settings):
    settings.MEMO_SECONDS = 0
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    for _ in range(3):
        remembered.get("k", source.load)
    assert source.reads == 3 and token.read() == b""


def test_forget_all_empties_every_memo(token):
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    remembered.get("k", source.load)
    memo.forget_all()
    remembered.get("k", source.load)
    assert source.reads == 2


def test_with_redis_down_every_get_reads_and_a_change_still_stands(
    token, settings, monkeypatch, caplog
):
    redis_down(settings, monkeypatch)
    remembered: memo.Memo[str] = memo.Memo(token)
    source = Source()
    remembered.get("k", source.load)
    remembered.get("k", source.load)
    assert source.reads == 2  # nothing remembered is trusted
    token.changed()  # the change it reports is not refused
    assert "not written" in caplog.text


redis_only = pytest.mark.skipif("REDIS_URL" not in os.environ, reason="the Redis pass of CI")


@redis_only
def test_a_broken_token_connection_counts_as_down_once_then_reconnects(token, settings):
    settings.MEMO_TOKENS = "redis"
    token.write()
    mark = token.read()
    assert len(mark) == 8 and token.read() == mark  # the thread's own connection, reused
    memo._reader.conn._sock.close()  # the connection breaks (Redis restarted, say)
    assert token.read() != mark  # a mark nobody has: nothing remembered is trusted
    assert token.read() == mark  # the next read opens a new connection


@redis_only
def test_a_forked_worker_reads_the_tokens_on_its_own_connection(token, settings):
    settings.MEMO_TOKENS = "redis"
    token.write()
    mark = token.read()
    parent_conn = memo._reader.conn
    pid = os.fork()
    if pid == 0:  # a gunicorn worker forked from its master
        ok = False
        try:
            ok = token.read() == mark and memo._reader.conn is not parent_conn
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert token.read() == mark and memo._reader.conn is parent_conn  # the parent's is intact
