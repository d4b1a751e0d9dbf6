"""Finding a resident by a full citizen ID number or phone (issue 8 item 2).

A lookup by a full number is a disclosure: it confirms who holds the number, and with a
masked number and a birth date on screen it lets anyone try candidates until one matches. So
only roles that may reveal personal numbers can look one up, only among the residents whose
numbers they may reveal; every lookup writes an audit row (in its own short transaction, even
though it happens while reading a list), and an actor gets `LOOKUPS_PER_HOUR` of them.
Everyone else's full-number query matches nobody.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, communities_for, for_actor, has_perm
from linli.registry.models import Resident
from linli.registry.permissions import REVEAL_PII
from linli.registry.validators import normalize_phone

ID_RE = re.compile(r"^\d{17}[\dXx]$")
# How many full-number lookups one person may make in an hour (a busy hotline desk makes a
# few dozen); `settings.REGISTRY_LOOKUPS_PER_HOUR` overrides it.
LOOKUPS_PER_HOUR = 60
# The audit rows' `field`: also what the rate limit counts.
LOOKUP_FIELDS = {"citizen_id": "citizen_id_lookup", "phone": "phone_lookup"}


class TooManyLookups(DomainError):
    code = CoreError.RATE_LIMITED
    status = 429


def full_number(text: str) -> tuple[str, str] | None:
    """("citizen_id" | "phone", normalized number) when a search query is a full ID number or
    a valid phone number; None for anything else (names, pinyin, room codes, fragments)."""
    q = text.strip()
    if ID_RE.match(q):
        return "citizen_id", q.upper()
    digits = q.replace(" ", "").replace("-", "")
    if digits.isdigit() and len(digits) >= 7:
        try:
            return "phone", normalize_phone(q)
        except DomainError:
            return None
    return None


def may_look_up(actor: Actor) -> bool:
    return has_perm(actor, REVEAL_PII)


def lookups_per_hour() -> int:
    return int(getattr(settings, "REGISTRY_LOOKUPS_PER_HOUR", LOOKUPS_PER_HOUR))


@transaction.atomic
def resident_lookup_ids(actor: Actor, kind: str, number: str) -> list[int]:
    """The residents holding `number` among those whose numbers the actor may reveal; audited
    and rate-limited. Actors who may not reveal get an empty list and no audit row."""
    if not may_look_up(actor):
        return []
    field = LOOKUP_FIELDS[kind]
    if actor.user_id is not None:
        since = dates.local_now() - dt.timedelta(hours=1)
        recent = AuditEvent.objects.filter(
            actor_id=actor.user_id,
            action=AuditEvent.Action.REVEAL,
            field__in=LOOKUP_FIELDS.values(),
            at__gte=since,
        ).count()
        if recent >= lookups_per_hour():
            raise TooManyLookups(
                _(
                    "You have searched by full ID or phone number %(n)s times in the last hour."
                    " Try again later, or search by name or room."
                )
                % {"n": recent}
            )
    hash_field = "citizen_id_hash" if kind == "citizen_id" else "phone_hash"
    matches = list(
        for_actor(actor, REVEAL_PII, Resident.objects.all())
        .filter(**{hash_field: pii.lookup_hash(kind, number)})
        .only("id", "public_id", "name", "community_id")
        .order_by("id")[:20]
    )
    masked = pii.mask_citizen_id(number) if kind == "citizen_id" else pii.mask_phone(number)
    match_communities = {r.community_id for r in matches}
    reveal_communities = list(communities_for(actor, REVEAL_PII))
    community_id = (
        next(iter(match_communities))
        if len(match_communities) == 1
        else (reveal_communities[0] if len(reveal_communities) == 1 else None)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        obj=matches[0] if len(matches) == 1 else None,
        object_type=Resident._meta.label_lower,
        object_label=matches[0].name if len(matches) == 1 else masked,
        community_id=community_id,
        field=field,
        reason=_("Search by full number %(number)s") % {"number": masked},
        after={"query": masked, "matches": [str(r.public_id) for r in matches]},
    )
    return [r.pk for r in matches]
