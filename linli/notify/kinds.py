"""The kinds of messages a person may mute per channel on his settings page: the resident's
and the staff's. A kind published but not listed here still reaches the inbox and its default
channels; list it to let people choose."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RESIDENT_KINDS: tuple[tuple[str, Promise], ...] = (
    ("hotline.accepted", _("My request was accepted")),
    ("hotline.visited", _("Someone came about my request")),
    ("hotline.please_rate", _("Please rate a resolved request")),
    ("hotline.rate_reminder", _("Rating reminders")),
    ("volunteers.activity_reminder", _("Activity reminders (the day before)")),
    ("volunteers.pickup_ready", _("Store pickup ready")),
    ("venues.booking_approved", _("Booking approved")),
    ("venues.booking_refused", _("Booking refused")),
    ("deliberation.vote_opened", _("A vote opened")),
    ("surveys.followup", _("How did a service go?")),
    ("notify.notice", _("Community notices")),
)
STAFF_KINDS: tuple[tuple[str, Promise], ...] = (
    ("hotline.assigned", _("A request assigned to me")),
    ("hotline.due_soon", _("A request due soon")),
    ("hotline.overdue", _("A request overdue")),
    ("hotline.reopened", _("A request reopened")),
    ("hotline.escalated", _("A request escalated (urgent: always sent)")),
    ("care.task_raised", _("New proactive visit tasks")),
)
