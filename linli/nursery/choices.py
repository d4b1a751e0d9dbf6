"""Choices of the day-care, and the national setting standard's class bands kept as data.

托育机构设置标准(试行) (2019): 乳儿班 6–12 months, at most 10 children, one carer per 3; 托小班
12–24 months, at most 15, one per 5; 托大班 24–36 months, at most 20, one per 7; children of
18 months and over may be taught in a mixed class of at most 18 (one carer per 5 here, the
strictest ratio of the bands it mixes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Band(models.TextChoices):
    INFANT = "infant", _("Infant class (6–12 months)")
    TODDLER = "toddler", _("Toddler class (12–24 months)")
    OLDER = "older", _("Older toddler class (24–36 months)")
    MIXED = "mixed", _("Mixed class (18–36 months)")


@dataclass(frozen=True)
class BandRule:
    """The standard's rule for one band: age in whole months [min_months, max_months), the
    largest class, and how many present children one carer on duty may look after."""

    min_months: int
    max_months: int
    max_children: int
    children_per_carer: int


BAND_RULES: dict[str, BandRule] = {
    Band.INFANT: BandRule(6, 12, 10, 3),
    Band.TODDLER: BandRule(12, 24, 15, 5),
    Band.OLDER: BandRule(24, 36, 20, 7),
    Band.MIXED: BandRule(18, 36, 18, 5),
}
MAX_CLASS_SIZE = max(r.max_children for r in BAND_RULES.values())


class ChildStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    ENROLLED = "enrolled", _("Enrolled")
    LEFT = "left", _("Left")


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class Mood(models.TextChoices):
    GOOD = "good", _("Cheerful")
    CALM = "calm", _("Calm")
    UPSET = "upset", _("Upset")
    UNWELL = "unwell", _("Seems unwell")


class HealthResult(models.TextChoices):
    FIT = "fit", _("Fit for day-care")
    UNFIT = "unfit", _("Not fit for day-care")


CONSENT_TEXT_VERSION = "2026-1"

# Seconds a pickup person's photo may stay in the viewer's own (private) browser cache, on the
# pages and through the API alike.
PICKUP_PHOTO_MAX_AGE = 600
