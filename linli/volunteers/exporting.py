"""Excel (.xlsx) exports of volunteering: volunteers, organisations, the month's leaderboard and
the month's confirmed hours, built, audited and answered the one way (`linli.core.exporting`).
Phones leave masked, like everywhere else; every export is audited in its own transaction,
together with the rows it read."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import NotFound
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, communities_for, for_actor
from linli.volunteers import selectors
from linli.volunteers.choices import SignupStatus
from linli.volunteers.models import Signup, Volunteer
from linli.volunteers.permissions import EXPORT


def _check(actor: Actor, community_id: int) -> None:
    if community_id not in communities_for(actor, EXPORT):
        raise NotFound(_("Not found."))


def _export(
    actor: Actor,
    community_id: int,
    what: str,
    filename: str,
    sheet: Sheet,
    **details: object,
) -> Export:
    content, rows = build_workbook([sheet])
    record_export(
        actor=actor,
        what=f"volunteers.{what}",
        filename=filename,
        rows=rows,
        community_id=community_id,
        **details,
    )
    return Export(content, filename, rows)


@transaction.atomic
def export_volunteers(*, actor: Actor, community_id: int) -> Export:
    _check(actor, community_id)
    qs = (
        for_actor(actor, EXPORT, Volunteer.objects.filter(community_id=community_id))
        .select_related("resident", "account")
        .order_by("number")
    )
    rows = [
        (
            v.number,
            v.name,
            v.get_gender_display(),
            (v.resident.phone_masked if v.resident else v.phone_masked) or "",
            _("Resident") if v.resident_id else _("From outside"),
            v.skills,
            v.availability,
            v.get_status_display(),
            v.joined_on,
            float(v.hours_total),
            v.account.balance,
        )
        for v in qs
    ]
    headers = [
        _("Volunteer number"),
        _("Name"),
        _("Gender"),
        _("Phone"),
        _("Registered as"),
        _("Skills"),
        _("Availability"),
        _("Status"),
        _("Registered on"),
        _("Service hours"),
        _("Points balance"),
    ]
    return _export(
        actor, community_id, "volunteers", "volunteers.xlsx", Sheet(_("Volunteers"), headers, rows)
    )


@transaction.atomic
def export_organisations(*, actor: Actor, community_id: int) -> Export:
    _check(actor, community_id)
    qs = selectors.organisation_list(actor).filter(community_id=community_id)
    rows = [
        (
            o.name,
            o.get_org_type_display(),
            o.get_stage_display(),
            o.applied_on,
            o.incubating_on,
            o.registered_on,
            o.graduated_on,
            o.withdrawn_on,
            o.leader.name if o.leader else "",
            o.member_count,  # type: ignore[attr-defined]
            o.team_count,  # type: ignore[attr-defined]
            o.guiding_party_org,
        )
        for o in qs
    ]
    headers = [
        _("Name"),
        _("Type"),
        _("Stage"),
        _("Applied on"),
        _("Incubation began on"),
        _("Registered on"),
        _("Graduated on"),
        _("Withdrawn on"),
        _("Leader"),
        _("Members"),
        _("Teams"),
        _("Guiding Party organisation"),
    ]
    return _export(
        actor,
        community_id,
        "organisations",
        "organisations.xlsx",
        Sheet(_("Social organisations"), headers, rows),
    )


@transaction.atomic
def export_leaderboard(*, actor: Actor, community_id: int, month: dt.date) -> Export:
    _check(actor, community_id)
    by_points = selectors.leaderboard(
        actor, community_id=community_id, month=month, by="points", limit=100
    )
    by_hours = {
        r.account_id: r.value
        for r in selectors.leaderboard(
            actor, community_id=community_id, month=month, by="hours", limit=1000
        )
    }
    rows = [(r.rank, r.name, r.value, float(by_hours.get(r.account_id, 0))) for r in by_points]
    headers = [_("Rank"), _("Name"), _("Points earned"), _("Hours confirmed")]
    return _export(
        actor,
        community_id,
        "leaderboard",
        f"leaderboard-{month:%Y-%m}.xlsx",
        Sheet(f"{month:%Y-%m}", headers, rows),
        month=f"{month:%Y-%m}",
    )


@transaction.atomic
def export_hours(*, actor: Actor, community_id: int, month: dt.date) -> Export:
    """Every confirmed service of the month: who, which activity, when, how many hours."""
    _check(actor, community_id)
    start, end = dates.month_bounds(month)
    qs = (
        for_actor(actor, EXPORT, Signup.objects.all())
        .filter(
            activity__community_id=community_id,
            status=SignupStatus.CONFIRMED,
            volunteer__isnull=False,
            confirmed_at__gte=start,
            confirmed_at__lt=end,
        )
        .select_related("volunteer", "activity")
        .order_by("activity__starts_at", "id")
    )
    rows = [
        (
            s.volunteer.number if s.volunteer else "",
            s.person_name,
            s.activity.title,
            s.activity.place,
            timezone.localtime(s.activity.starts_at),
            float(s.hours or 0),
        )
        for s in qs
    ]
    headers = [_("Volunteer number"), _("Name"), _("Activity"), _("Place"), _("Time"), _("Hours")]
    return _export(
        actor,
        community_id,
        "hours",
        f"hours-{month:%Y-%m}.xlsx",
        Sheet(f"{month:%Y-%m}", headers, rows),
        month=f"{month:%Y-%m}",
    )
