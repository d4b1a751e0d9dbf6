"""Surveys (issue 14): questionnaires with a target and a window, answers online or on paper,
the quarterly wellbeing survey and follow-ups after a service.

Anonymity (docs/surveys.md): a `Response` of an anonymous survey carries no resident, no
household, no account and no time finer than the survey itself; its primary key is a random
UUID. Whether a person has answered is kept apart, in `ReceiptSet`: one row per survey holding
the *sorted* keyed hashes of the persons (or households) who answered, so it records neither
who answered what nor in which order."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.registry.models import Building, Community, Grid, Household, Resident
from linli.surveys.choices import AgeBand, Channel, Dimension, QuestionKind, SurveyKind, Unit


class Survey(PublicIdModel):
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=SurveyKind.choices, default=SurveyKind.GENERAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    # Target: the community, narrowed to a grid or a building and/or a tag (60+, say).
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tag = models.CharField(_("only residents tagged"), max_length=20, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    unit = models.CharField(
        _("who answers"), max_length=10, choices=Unit.choices, default=Unit.RESIDENT
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # The quarter a wellbeing survey measures (its first day); the month otherwise.
    period = models.DateField(_("period"), null=True, blank=True, db_index=True)
    service_line = models.CharField(_("service line"), max_length=30, blank=True)
    published = models.BooleanField(_("published"), default=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["community", "kind", "period"], name="survey_kind_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_window_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    dimension = models.CharField(
        _("measures"), max_length=12, choices=Dimension.choices, blank=True, default=""
    )
    # Skip logic: shown only when the answer to question `show_if_key` is one of
    # `show_if_values` (an earlier single- or multiple-choice question).
    show_if_key = models.SlugField(_("shown only if question"), max_length=30, blank=True)
    show_if_values = models.JSONField(_("has one of the answers"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="question_key_once")]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One completed questionnaire. For an anonymous survey `resident`, `household` and
    `day` stay empty (a check constraint holds it); `grid_id` and `age_band` are kept for the
    cross-tabs, whose small cells the results suppress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    anonymous = models.BooleanField(_("anonymous"))
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("answered on"), null=True, blank=True)
    grid_id = models.IntegerField(_("grid"), null=True, blank=True)
    age_band = models.CharField(
        _("age band"), max_length=5, choices=AgeBand.choices, blank=True, default=""
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    followup = models.OneToOneField(
        "FollowUp",
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey_id", "id"]  # a random id: the order says nothing
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(
                    resident__isnull=True,
                    household__isnull=True,
                    day__isnull=True,
                    followup__isnull=True,
                ),
                name="response_anonymous_unlinked",
            ),
            models.UniqueConstraint(
                fields=["survey", "resident"],
                condition=Q(resident__isnull=False, followup__isnull=True),
                name="response_once_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    number = models.SmallIntegerField(_("rating"), null=True, blank=True)
    # A rating on a 0–100 scale (0–10 × 10; 1–5 → 0, 25, … 100): what the indices average.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    values = models.JSONField(_("choices"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "score"], name="answer_question_score")]

    def __str__(self) -> str:
        return str(self.id)


class ReceiptSet(models.Model):
    """Who has answered one survey: the sorted keyed hashes (HMAC-SHA256, first 32 hex digits)
    of the residents or households, newline-separated. Sorting forgets the order of answering;
    the hash cannot be reversed without the key and says nothing about the answer."""

    survey = models.OneToOneField(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="receipts",
        primary_key=True,
    )
    count = models.PositiveIntegerField(_("answers"), default=0)
    hashes = models.TextField(_("receipts"), blank=True)

    class Meta:
        verbose_name = _("receipts")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.count}"


class FollowUp(TimeStampedModel):
    """An invitation to rate a service just received (a Community 110 request closed, a care
    visit, a booking ...), sent to a household; answered once."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="followups"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    service_line = models.CharField(_("service line"), max_length=30)
    ref = models.CharField(_("about"), max_length=64)
    label = models.CharField(_("service"), max_length=200, blank=True)
    url = models.CharField(_("link to the service"), max_length=300, blank=True)
    sent_on = models.DateField(_("sent on"))
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_line", "ref"], name="followup_once_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_line}:{self.ref}"
