"""Filing a request: the one entry point of every channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.db import Param, Prepared, insert
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor, allows, communities_for, has_perm
from linli.hotline import catalogue, routing
from linli.hotline.choices import (
    MAX_DESCRIPTION,
    PUBLIC_TEXT_CHANNELS,
    Channel,
    EventKind,
    Status,
    Transition,
)
from linli.hotline.errors import HotlineError
from linli.hotline.models import Category, RequestEvent, RequestPhoto, ServiceRequest
from linli.hotline.permissions import FILE, WORK
from linli.hotline.photos import check_photos
from linli.hotline.selectors import category_by_code, household_from_row
from linli.hotline.services._common import _audit, _event, _notify_later, _save_photos
from linli.registry.models import Community, Household
from linli.registry.validators import normalize_phone


def _category(community_id: int, code: str) -> Category:
    category = category_by_code(community_id, code)
    if category is None:
        raise DomainError(
            _("Unknown request category: %(code)s") % {"code": code[:40]},
            code=HotlineError.UNKNOWN_CATEGORY,
            field="category",
        )
    return category


def _deadline(start: dt.datetime, minutes: int | None) -> dt.datetime | None:
    return start + dt.timedelta(minutes=minutes) if minutes else None


def _coordinate(value: Any, bound: int, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or not -bound <= number <= bound:
        raise DomainError(
            _("%(field)s must be a number between -%(bound)d and %(bound)d.")
            % {"field": field_name, "bound": bound},
            code=CoreError.INVALID_NUMBER,
            field=field_name,
        )
    return number.quantize(Decimal("0.000001"))


# What filing and its answer read of a household: its scope (community, grid, id) and its
# address. The read runs on every filing that names a household, so it is compiled once
# (`core.db.Prepared`): by the public id a caller sends, or by the primary key a resident's
# grant holds.
_HOUSEHOLD_COLUMNS = ("id", "public_id", "community_id", "building_id", "unit_id", "room")
_HOUSEHOLD_FIELDS = (*_HOUSEHOLD_COLUMNS, "building__grid_id", "building__number", "unit__number")
_HOUSEHOLD = Prepared(
    Household,
    lambda key: Household.objects.filter(**{key: Param("value", Household, key)}).values(
        *_HOUSEHOLD_FIELDS
    )[:1],
)


def _read_household(key: str, value: Any) -> Household | None:
    """The household with `key` (public_id or id) equal to `value`, with its building and unit
    attached as `select_related` would attach them; None for none or a malformed value."""
    try:
        rows = _HOUSEHOLD.rows(key, value=value)
    except (ValueError, TypeError, ValidationError):
        return None
    if not rows:
        return None
    row = rows[0]
    return household_from_row(
        router.db_for_read(Household),
        {f: row[f] for f in _HOUSEHOLD_COLUMNS},
        building={"grid_id": row["building__grid_id"], "number": row["building__number"]},
        unit={"number": row["unit__number"]},
    )


def _household_for_filing(
    actor: Actor,
    channel: str,
    community_id: int,
    household_public_id: Any,
    household_id: int | None = None,
) -> Household | None:
    if household_public_id not in (None, ""):
        household = _read_household("public_id", household_public_id)
    elif household_id:
        household = _read_household("id", household_id)
    elif channel == Channel.PORTAL:
        raise DomainError(_("Choose the household."), code=CoreError.REQUIRED, field="household")
    else:
        return None
    if household is None:
        raise NotFound(_("Not found."))
    if channel in (Channel.PORTAL, Channel.PHONE):
        # The scope check `access()` would make, on the row just read.
        if not allows(
            actor,
            FILE if channel == Channel.PORTAL else WORK,
            Household,
            community_id=household.community_id,
            grid_id=household.building.grid_id,
            household_id=household.pk,
        ):
            raise NotFound(_("Not found."))
    # Integration channels attach a household of the same community without scope checks:
    # the calling module authenticated its client; nothing about the household is returned.
    elif household.community_id != community_id:
        raise NotFound(_("Not found."))
    return household


def _check_filer(actor: Actor, channel: str, community_id: int) -> None:
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), code=CoreError.INVALID_CHOICE, field="channel")
    if channel == Channel.PHONE and community_id not in communities_for(actor, WORK):
        raise NotFound(_("Not found."))
    if channel == Channel.PORTAL and not has_perm(actor, FILE):
        raise NotFound(_("Not found."))


def request_file(
    *,
    actor: Actor,
    community_id: int,
    category_code: str,
    description: str,
    channel: str,
    household_public_id: Any = None,
    household_id: int | None = None,
    community_known: bool = False,
    location_text: str = "",
    photos: Sequence[UploadedFile[bytes]] = (),
    reporter_name: str = "",
    reporter_phone: str = "",
    lat: Any = None,
    long: Any = None,
    answers: dict[str, Any] | None = None,
    description_public: bool = False,
    also_write: Callable[[ServiceRequest], object] | None = None,
) -> ServiceRequest:
    """File a request with Community 110: the one entry point of every channel.

    - `channel="portal"`: a resident for his own household (`household_public_id` required;
      another household is a 404).
    - `channel="phone"`: staff holding `hotline.work` in the community, for a household in
      their scope or none.
    - `channel="open311"` / `"safety_outpost"`: another module, which has authenticated its own
      client; `household_public_id` (optional) must belong to the community. A module that has
      just loaded the community itself passes `community_known=True` (one query less).

    `household_id` (the primary key) may stand in for `household_public_id`: the API passes the
    resident's own household from his grant.

    `description_public` is the resident's own choice to let the public read his description
    (anonymised): only on the portal and Open311, never for words taken down on the phone or
    sent from a rider's report.

    The request gets the category's deadlines, is routed to the grid's duty worker (or the
    community's duty officer) and the assignee is notified after the commit.

    `also_write(request)`: the caller's own rows that commit or fail with the request (Open311
    records its token), written inside the filing's transaction after the request's rows.
    Prefer it to wrapping the call in a transaction of one's own, which would put the checks
    and reads under SQLite's write lock too.

    Checks and reads run before the transaction, which holds only the writes: on SQLite a
    write transaction holds the database's one write lock from its first statement, so a
    short one lets parallel intake through (bench/bench_hotline_intake.py)."""
    _check_filer(actor, channel, community_id)
    if (
        channel not in (Channel.PHONE, Channel.PORTAL)
        and not community_known
        and not Community.objects.filter(pk=community_id).exists()
    ):  # staff and residents reach only communities their grants name
        raise NotFound(_("Not found."))
    household = _household_for_filing(
        actor, channel, community_id, household_public_id, household_id
    )
    if household is not None and household.community_id != community_id:
        raise NotFound(_("Not found."))
    if description_public and channel not in PUBLIC_TEXT_CHANNELS:
        raise DomainError(
            _("Only the resident himself can choose to publish his description."),
            code=HotlineError.NOT_PUBLISHABLE,
            field="description_public",
        )
    text = (description or "").strip()
    if not text:
        raise DomainError(_("Describe the problem."), code=CoreError.REQUIRED, field="description")
    if len(text) > MAX_DESCRIPTION:
        raise DomainError(
            _("The description may be at most %(n)d characters.") % {"n": MAX_DESCRIPTION},
            code=CoreError.TOO_LONG,
            field="description",
        )
    category = _category(community_id, str(category_code or "").strip())
    clean = catalogue.clean_answers(category.questions, answers)
    lat_value = _coordinate(lat, 90, "lat")
    long_value = _coordinate(long, 180, "long")
    checked = check_photos(list(photos))
    phone = ""
    if reporter_phone and reporter_phone.strip():
        phone = normalize_phone(reporter_phone)
    now = timezone.now()
    grid_id = household.building.grid_id if household else None
    picked = routing.pick(community_id, grid_id, now)
    # Joins a caller's transaction without a savepoint (riders and care add their own rows).
    with transaction.atomic(savepoint=False):
        req, event = _file(
            actor,
            community_id=community_id,
            household=household,
            category=category,
            channel=channel,
            values={
                "description": text,
                "description_public": bool(description_public),
                "location_text": (location_text or "").strip()[:200],
                "lat": lat_value,
                "long": long_value,
                "answers": clean,
                "reporter_name": (reporter_name or "").strip()[:50],
                "reporter_phone_encrypted": pii.encrypt(phone),
                "reporter_phone_hash": pii.lookup_hash("phone", phone),
                "reporter_phone_masked": pii.mask_phone(phone),
                "assignee_id": picked.user_id if picked else None,
            },
            photos=checked,
            now=now,
        )
        if also_write is not None:
            also_write(req)
    # What the answer shows, prepared after the writes (on SQLite, outside the write lock).
    if req.assignee_id:
        user_model = ServiceRequest.assignee.field.related_model
        ServiceRequest.assignee.field.set_cached_value(
            req, user_model(pk=req.assignee_id, display_name=picked.label if picked else "")
        )
    history = RequestEvent.objects.filter(request_id=req.pk)
    history._result_cache = [event]  # what prefetch_related("events") would leave
    setattr(history, "_prefetch_done", True)  # noqa: B010
    setattr(req, "_prefetched_objects_cache", {"events": history})  # noqa: B010
    return req


def _file(
    actor: Actor,
    *,
    community_id: int,
    household: Household | None,
    category: Category,
    channel: str,
    values: dict[str, Any],
    photos: list[tuple[UploadedFile[bytes], str, str]],
    now: dt.datetime,
) -> tuple[ServiceRequest, RequestEvent]:
    """The writes of `request_file`, inside its transaction: the request and its `submitted`
    event, which `request_file` then attaches as the request's history (as if prefetched) so
    that a caller shows it right after filing without another query."""
    req = insert(
        ServiceRequest(
            community_id=community_id,
            grid_id=household.building.grid_id if household else None,
            building_id=household.building_id if household else None,
            household=household,
            category=category,
            priority=category.priority,
            channel=channel,
            status=Status.SUBMITTED,
            filed_by_id=actor.user_id,
            submitted_at=now,
            period_month=dates.month_of(now),
            due_contact_at=_deadline(now, category.contact_minutes),
            due_visit_at=_deadline(now, category.visit_minutes),
            due_resolve_at=now + dt.timedelta(minutes=category.resolve_minutes),
            **values,
        )
    )
    _save_photos(req, photos, RequestPhoto.Kind.REPORT)
    event = _event(req, EventKind.SUBMITTED, actor, at=now, data={"channel": channel})
    _audit(actor, req, Transition.SUBMIT, "", channel=channel, category=category.code)
    _notify_later(
        req,
        "assigned",
        _("New request %(number)s: %(category)s")
        % {"number": req.number, "category": category.name},
        req.assignee_id,
    )
    return req, event
