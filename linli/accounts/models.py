"""Users, their roles over parts of the registry, invitations for residents, and the
login-failure log that drives throttling."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import TimeStampedModel
from linli.core.roles import Role


class User(AbstractUser):
    """A person who signs in. Staff sign in with a username; residents with their phone number
    (held only as a keyed hash here; the number itself lives encrypted on the resident)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True)
    work_phone = models.CharField(_("work phone"), max_length=30, blank=True)
    resident = models.OneToOneField(
        "registry.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~Q(phone_hash=""), name="user_unique_phone"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(TimeStampedModel):
    """One role held by one user over one place: a community, a grid, a household, or (for
    subdistrict viewers) every community of a subdistrict."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
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
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subdistrict = models.CharField(_("subdistrict"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "community", "grid", "household", "subdistrict"],
                name="role_assignment_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Invitation(TimeStampedModel):
    """A one-time code staff issue for one member of a household, shown once and kept only as a
    hash. An activation code lets a member without an account set his first password; a reset
    code lets a member with an account set a new one (the recovery flow). A code is bound to its
    member, works once (`used_by`), expires, and a member holds at most one open code: issuing a
    new one revokes the old."""

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Account activation")
        PASSWORD_RESET = "password_reset", _("Password reset")

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Null only on codes issued before codes were bound to a member; those no longer work.
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("household member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.ACTIVATION
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        User,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="accounts_invitation_one_open_per_member",
            )
        ]


class LoginFailure(models.Model):
    """One failed attempt to prove who one is: a wrong password at sign-in, or a wrong code or
    phone at activation / password reset. Kept (for the throttle's window, then purged) with the
    client address, so that back-off applies to the pair (login, address) and to an address
    spraying many logins, and a burst against one account can be seen."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Sign-in")
        CODE = "code", _("One-time code")

    username_key = models.CharField(_("username"), max_length=150)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.LOGIN
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")
        indexes = [
            models.Index(fields=["username_key", "at"], name="login_failure_key_at"),
            models.Index(fields=["client_address", "at"], name="login_failure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username_key} @ {self.at:%Y-%m-%d %H:%M}"


class ServiceAccount(TimeStampedModel):
    """A user that is another system (a district's 12345 platform, a data centre), not a
    person: it holds a role in one community like staff, never signs in with a password (its
    password is unusable) and reaches the API only with its tokens. A community admin creates
    it and manages its tokens."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="service_account"
    )
    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(TimeStampedModel):
    """A personal access token for the JSON API (`Authorization: Bearer linli_pat_...`).

    The token is `linli_pat_<key_id>_<secret>`: `key_id` finds the row (one indexed query),
    and only a keyed hash (HMAC with SECRET_KEY) of the whole token is kept, so the table does
    not give tokens back; the token itself is shown once, at creation. Scope: read-only or
    read-write, and a list of API domains (`hotline`, `registry`, ... — the first path segment
    under /api/). Every write made with a token is audited as its user, with the token's id."""

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(_("token id"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.READ
    )
    domains = models.JSONField(_("domains"), default=list)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (linli_pat_{self.key_id}…)"
