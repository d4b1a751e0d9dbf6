"""Base models and the audit trail shared by every domain."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and update timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """Anything about a person is addressed in URLs by an opaque UUID, never its row id."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One governance write or one reveal of personal data: who, when, what, before/after, why.

    Written by `linli.core.audit.audit_record` inside the same transaction as the change.
    Personal fields appear masked in `before`/`after`.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        MOVE_IN = "move_in", _("Move in")
        MOVE_OUT = "move_out", _("Move out")
        REVEAL = "reveal", _("Reveal personal data")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        INVITE = "invite", _("Issue invitation")
        ACTIVATE = "activate", _("Activate account")
        ROLE = "role", _("Change role")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    # The API token the actor used (a plain id: tokens live in accounts, above core).
    token_id = models.BigIntegerField(_("API token"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    # A plain id rather than a foreign key: core sits below the registry.
    community_id = models.BigIntegerField(_("community"), null=True, blank=True, db_index=True)
    field = models.CharField(_("field"), max_length=50, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["community_id", "-at"], name="audit_community_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    @property
    def field_label(self) -> str:
        """The revealed field as people call it (the code name otherwise)."""
        return str(REVEALABLE_FIELD_LABELS.get(self.field, self.field))

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) rows for display; nested summaries are shown as they are."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k, ""), after.get(k, "")) for k in keys]


REVEALABLE_FIELD_LABELS = {"citizen_id": _("Citizen ID number"), "phone": _("Phone")}
