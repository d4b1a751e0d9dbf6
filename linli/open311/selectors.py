"""Reads of Open311's own rows: the client an api_key names."""

from __future__ import annotations

import copy

from linli.core import memo
from linli.open311.models import Open311Client, hash_key

# Clients change rarely (the admin adds one, switches one off or issues a new key) and every
# Open311 call reads one: each process remembers them (linli.core.memo) while this token is
# unchanged. The admin changes it with every save and deletion (open311/admin.py).
CLIENTS = memo.Token("open311-clients")
_clients: memo.Memo[Open311Client | None] = memo.Memo(CLIENTS)


def client_by_key(key: str) -> Open311Client | None:
    """The active client holding `key`, with its community (None: no such key, or the client
    is switched off). Each call gets its own copy of the remembered row."""
    if not key:
        return None
    digest = hash_key(key)
    found = _clients.get(
        digest,
        lambda: (
            Open311Client.objects.select_related("community")
            .filter(key_hash=digest, active=True)
            .first()
        ),
    )
    return copy.copy(found)
