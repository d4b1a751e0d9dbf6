"""Choices of the surveys domain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    GENERAL = "general", _("Survey")
    WELLBEING = "wellbeing", _("Wellbeing survey (获得感 / 幸福感 / 安全感)")
    FOLLOWUP = "followup", _("Follow-up after a service")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING5 = "rating5", _("Rating 1–5")
    RATING10 = "rating10", _("Rating 0–10")
    TEXT = "text", _("Free text")


RATING_KINDS = (QuestionKind.RATING5, QuestionKind.RATING10)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Dimension(models.TextChoices):
    """What a rating question measures: the three wellbeing indices, or the satisfaction of a
    follow-up. Blank for an ordinary question."""

    NONE = "", _("—")
    GAIN = "gain", _("Sense of gain (获得感)")
    HAPPINESS = "happiness", _("Sense of happiness (幸福感)")
    SECURITY = "security", _("Sense of security (安全感)")
    SATISFACTION = "satisfaction", _("Satisfaction")


INDEX_DIMENSIONS = (Dimension.GAIN, Dimension.HAPPINESS, Dimension.SECURITY)


class Unit(models.TextChoices):
    RESIDENT = "resident", _("One answer per resident")
    HOUSEHOLD = "household", _("One answer per household")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper questionnaire entered by staff")


class AgeBand(models.TextChoices):
    UNDER_30 = "u30", _("Under 30")
    FROM_30 = "30-44", _("30–44")
    FROM_45 = "45-59", _("45–59")
    FROM_60 = "60-79", _("60–79")
    OVER_80 = "80+", _("80 and over")
    UNKNOWN = "", _("Unknown")


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    if age < 30:
        return AgeBand.UNDER_30
    if age < 45:
        return AgeBand.FROM_30
    if age < 60:
        return AgeBand.FROM_45
    if age < 80:
        return AgeBand.FROM_60
    return AgeBand.OVER_80


class ServiceLine(models.TextChoices):
    """The service lines Linli's domains follow up ("<domain>.<what>", see `core.followups`).
    Any other code a domain sends is accepted and labelled by `service_line_label`."""

    HOTLINE = "hotline.request", _("Community 110")
    CARE = "care.visit", _("Care visit")
    VENUE_BOOKING = "venues.booking", _("Venue booking")
    VENUE_SERVICE = "venues.service", _("Venue service")


def service_line_label(code: str) -> str:
    """A readable label for any service line: the known ones by name, another "<domain>.<what>"
    as the domain's own name (its app's verbose name) and what, else the code as given."""
    if code in ServiceLine.values:
        return str(ServiceLine(code).label)
    from django.apps import apps

    domain, _dot, what = code.partition(".")
    try:
        name = str(apps.get_app_config(domain).verbose_name)
    except LookupError:
        return code
    return f"{name} · {what}" if what else name
