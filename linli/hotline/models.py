"""Community 110 (社区110), the request desk (BRIEF R3, issue 3).

A resident's request (`ServiceRequest`) belongs to a community and, when it is about a
household, to that household's grid and building; it is routed to the grid worker on duty
(`DutyAssignment`), carries the time limits of its `Category` as absolute deadlines, and keeps
its history as `RequestEvent`s (public updates the resident sees, internal notes he does not).
Escalation above the grid worker goes to the Party organisation's people when the Party app
knows them (`linli.core.escalation`), otherwise to a `GridEscalationContact`.

Status fields change only through `linli.hotline.services`; timestamps and durations needed
by the three rates are stored on the request so that the rates are one indexed aggregate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.escalation import CONTACT_LEVEL_CHOICES, EscalationLevel
from linli.core.models import PublicIdModel, TimeStampedModel
from linli.hotline.choices import (
    PUBLIC_TEXT_CHANNELS,
    CancelSource,
    Channel,
    DueState,
    EventKind,
    Priority,
    Status,
    VerdictSource,
)


class Category(TimeStampedModel):
    """A request type of one community's catalogue (Chinese names are data), with its priority,
    its time limits in minutes and optional extra questions.

    `questions` is a list of `{"key", "label", "kind", "required", "choices"}` objects
    (`kind` from `QuestionKind`); Open311 service definitions are built from it."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=50, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    contact_minutes = models.PositiveIntegerField(
        _("first contact within (minutes)"), null=True, blank=True
    )
    visit_minutes = models.PositiveIntegerField(
        _("at the door within (minutes)"), null=True, blank=True
    )
    resolve_minutes = models.PositiveIntegerField(_("resolved within (minutes)"))
    questions = models.JSONField(_("extra questions"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["community_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="hotline_category_code"),
            models.CheckConstraint(
                condition=Q(resolve_minutes__gt=0), name="hotline_category_resolve_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceRequest(PublicIdModel):
    """One request to Community 110: what, for whom, through which channel, where it stands,
    its deadlines and the resident's verdict. The caller's phone is stored encrypted with a
    lookup hash and a masked copy (PIPL), like a resident's."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    building = models.ForeignKey(
        "registry.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="requests"
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    description = models.TextField(_("description"))
    description_public = models.BooleanField(
        _("the resident lets the public read the description (anonymised)"), default=False
    )
    location_text = models.CharField(_("location"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    reporter_name = models.CharField(_("caller's name"), max_length=50, blank=True)
    reporter_phone_encrypted = models.TextField(_("caller's phone (encrypted)"), blank=True)
    reporter_phone_hash = models.CharField(
        _("caller's phone lookup hash"), max_length=64, blank=True
    )
    reporter_phone_masked = models.CharField(_("caller's phone"), max_length=20, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.GRID_WORKER
    )
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_to_name = models.CharField(_("escalated to (name)"), max_length=100, blank=True)
    last_escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    period_month = models.DateField(_("month"))
    due_contact_at = models.DateTimeField(_("first contact due"), null=True, blank=True)
    due_visit_at = models.DateTimeField(_("door visit due"), null=True, blank=True)
    due_resolve_at = models.DateTimeField(_("resolution due"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    on_site_at = models.DateTimeField(_("on site at"), null=True, blank=True)
    on_site_note = models.TextField(_("door-visit note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("what was done"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    solved = models.BooleanField(_("solved, says the resident"), null=True, blank=True)
    verdict_source = models.CharField(
        _("verdict given by"), max_length=20, choices=VerdictSource.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    cancel_source = models.CharField(
        _("cancelled by"), max_length=10, choices=CancelSource.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    due_state = models.CharField(
        _("time limit"), max_length=10, choices=DueState.choices, default=DueState.ON_TIME
    )
    due_soon_at = models.DateTimeField(_("marked due soon at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    was_overdue = models.BooleanField(_("was overdue"), default=False)
    contacted_in_time = models.BooleanField(_("first contact in time"), null=True, blank=True)
    door_seconds = models.PositiveIntegerField(_("seconds to the door"), null=True, blank=True)
    resolve_seconds = models.PositiveIntegerField(_("seconds to resolution"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="hotline_request_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="hotline_request_status_known"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")),
                name="hotline_request_not_merged_into_self",
            ),
            # A verdict always says who gave it (the resident, or staff recording a call).
            models.CheckConstraint(
                condition=Q(rating__isnull=True, verdict_source="")
                | Q(rating__isnull=False, verdict_source__in=VerdictSource.values),
                name="hotline_servicerequest_verdict_source",
            ),
            # Only the resident's own channels can carry his choice to publish his words.
            models.CheckConstraint(
                condition=Q(description_public=False)
                | Q(channel__in=[c.value for c in PUBLIC_TEXT_CHANNELS]),
                name="hotline_servicerequest_public_text_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "period_month"], name="hotline_req_comm_month"),
            models.Index(fields=["community", "submitted_at"], name="hotline_req_comm_submitted"),
            # The request list's default (open requests): its count reads only this index.
            models.Index(
                fields=["community", "status", "submitted_at"], name="hotline_req_comm_status"
            ),
            models.Index(fields=["grid", "status"], name="hotline_req_grid_status"),
            models.Index(fields=["assignee", "status"], name="hotline_req_assignee_status"),
            models.Index(fields=["household", "-submitted_at"], name="hotline_req_household"),
            models.Index(
                fields=["building", "category", "submitted_at"], name="hotline_req_duplicates"
            ),
            models.Index(fields=["status", "due_state"], name="hotline_req_status_due"),
        ]

    def __str__(self) -> str:
        return _("Request %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        """The number people quote on the phone."""
        return f"{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.ACCEPTED, Status.ON_SITE)

    @property
    def next_deadline(self) -> object:
        """The deadline the desk is working against now (None once resolved)."""
        if self.status == Status.SUBMITTED and self.due_contact_at:
            return self.due_contact_at
        if self.status in (Status.SUBMITTED, Status.ACCEPTED) and self.due_visit_at:
            return self.due_visit_at
        if self.is_open:
            return self.due_resolve_at
        return None


class RequestEvent(models.Model):
    """One line of a request's history: a transition, a public update (the resident sees it)
    or an internal note (staff only). Transitions are also in the audit trail."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    public = models.BooleanField(_("shown to the resident"), default=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=150, blank=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="hotline_event_request_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class RequestPhoto(PublicIdModel):
    """A photo the resident sent with his request, or one the worker took when resolving it.
    Served only through a scope-checked view (a photo of someone's home is personal)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("With the request")
        RESOLUTION = "resolution", _("Of the resolution")

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REPORT)
    file = models.FileField(_("file"), upload_to="hotline/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=30)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")
        ordering = ["request_id", "id"]

    def __str__(self) -> str:
        return str(self.public_id)


class DutyAssignment(TimeStampedModel):
    """Who is on duty for a grid (or, with no grid, the community's duty officer) on a weekday
    (none: every day). Fallback rows are used when no regular row matches."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on duty"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday (0 = Monday; empty = every day)"), null=True, blank=True
    )
    is_fallback = models.BooleanField(_("fallback"), default=False)

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty roster")
        ordering = ["community_id", "grid_id", "is_fallback", "weekday", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=6), name="hotline_duty_weekday"
            ),
        ]
        indexes = [models.Index(fields=["community", "grid"], name="hotline_duty_comm_grid")]

    def __str__(self) -> str:
        return f"{self.grid or self.community} · {self.user}"


class GridEscalationContact(TimeStampedModel):
    """A configured person above the grid worker, used while the Party organisation's tree
    does not name one: a grid's branch secretary, or (no grid) the community secretary."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=30, choices=CONTACT_LEVEL_CHOICES)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("work phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("escalation contact")
        verbose_name_plural = _("escalation contacts")
        ordering = ["community_id", "grid_id", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "grid", "level"],
                condition=Q(grid__isnull=False),
                name="hotline_contact_grid_level",
            ),
            models.UniqueConstraint(
                fields=["community", "level"],
                condition=Q(grid__isnull=True),
                name="hotline_contact_community_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.name}"
