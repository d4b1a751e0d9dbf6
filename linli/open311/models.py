"""Open311 GeoReport v2 clients and the tokens their submissions receive.

A client (another system: a city platform, a mobile app) files requests into one community
with an api_key issued in the Django admin; only a hash of the key is kept. Every request a
client files gets a token, which the spec's `GET tokens/<id>` turns into the request's id.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import TimeStampedModel


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Open311Client(TimeStampedModel):
    """A system allowed to POST requests, with the community they go to."""

    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_hash = models.CharField(_("api_key hash"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("api_key starts with"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def set_key(self) -> str:
        """Give the client a new api_key; returns it (shown once, never stored)."""
        raw = new_key()
        self.key_hash = hash_key(raw)
        self.key_prefix = raw[:8]
        return raw


class Open311Token(models.Model):
    """The token returned for one request filed through Open311."""

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        Open311Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="tokens"
    )
    request = models.OneToOneField(
        "hotline.ServiceRequest",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="open311_token",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 token")
        verbose_name_plural = _("Open311 tokens")

    def __str__(self) -> str:
        return str(self.token)
