"""Writes about accounts: login throttling, invitations and resident sign-up, role grants."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Protocol

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import Invitation, LoginFailure, RoleAssignment, User
from linli.accounts.permissions import ISSUE_INVITATION
from linli.core import pii
from linli.core.audit import audit_record
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access
from linli.core.roles import Role
from linli.registry.choices import ResidentStatus
from linli.registry.models import Household, Resident
from linli.registry.validators import normalize_phone

INVITATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
INVITATION_DAYS = 14


def _phone_or_none(login: str) -> str | None:
    text = login.strip()
    if not text or not any(ch.isdigit() for ch in text) or any(ch.isalpha() for ch in text):
        return None
    try:
        return normalize_phone(text) or None
    except DomainError:
        return None


def login_key(login: str) -> str:
    """The key failures are counted under: a phone's hash, or the lower-cased username."""
    phone = _phone_or_none(login)
    if phone:
        return "phone:" + pii.lookup_hash("phone", phone)[:40]
    return "user:" + login.strip().lower()[:140]


def user_for_login(login: str) -> User | None:
    phone = _phone_or_none(login)
    if phone:
        return User.objects.filter(phone_hash=pii.lookup_hash("phone", phone)).first()
    return User.objects.filter(username__iexact=login.strip()).first()


def login_is_locked(key: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    count = LoginFailure.objects.filter(username_key=key, at__gte=since).count()
    return count >= settings.LOGIN_THROTTLE_FAILURES


def login_failure_record(key: str) -> None:
    LoginFailure.objects.create(username_key=key)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


@transaction.atomic
def invitation_issue(*, actor: Actor, household_public_id: str) -> str:
    """Issue a one-time code for a household and return it (shown once, stored hashed)."""
    household = access(
        actor, ISSUE_INVITATION, Household.objects.all(), public_id=household_public_id
    )
    code = "".join(secrets.choice(INVITATION_ALPHABET) for _ in range(8))
    Invitation.objects.create(
        household=household,
        code_hash=_code_hash(code),
        issued_by_id=actor.user_id,  # type: ignore[misc]  # staff always have a user
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.INVITE,
        obj=household,
        community_id=household.community_id,
    )
    return code


class OneTimeCodeBackend(Protocol):
    """How a resident proves he belongs to a household. Today: a staff-issued invitation code.
    An SMS one-time-code backend implements the same `verify` later."""

    def verify(self, *, code: str, phone: str) -> tuple[Household, Resident]: ...


class InvitationCodeBackend:
    def verify(self, *, code: str, phone: str) -> tuple[Household, Resident]:
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("household")
            .filter(code_hash=_code_hash(code), used_at__isnull=True)
            .first()
        )
        if invitation is None or invitation.expires_at < timezone.now():
            raise DomainError(
                _("This invitation code is not valid or has been used."), code="bad_invitation"
            )
        resident = Resident.objects.filter(
            household=invitation.household,
            phone_hash=pii.lookup_hash("phone", phone),
            status=ResidentStatus.ACTIVE,
        ).first()
        if resident is None:
            raise DomainError(
                _("This phone number is not registered for the invited household."),
                code="phone_not_in_household",
                field="phone",
            )
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        return invitation.household, resident


@transaction.atomic
def resident_account_activate(
    *, code: str, phone: str, password: str, backend: OneTimeCodeBackend | None = None
) -> User:
    """A resident sets his password with a one-time code and becomes a user of his household."""
    normalized = normalize_phone(phone)
    if not normalized:
        raise DomainError(_("Enter your phone number."), code="required", field="phone")
    household, resident = (backend or InvitationCodeBackend()).verify(code=code, phone=normalized)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password", field="password") from exc
    phone_hash = pii.lookup_hash("phone", normalized)
    user = User.objects.filter(resident=resident).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create(
                    username=f"r-{resident.public_id.hex[:12]}",
                    display_name=resident.name,
                    phone_hash=phone_hash,
                    resident=resident,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("This phone number already has an account."), code="phone_taken"
            ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.RESIDENT, household=household, community_id=household.community_id
    )
    from linli.accounts.selectors import actor_for_user

    audit_record(
        actor=actor_for_user(user),
        action=AuditEvent.Action.ACTIVATE,
        obj=resident,
        community_id=resident.community_id,
    )
    return user


def user_phone_hashes_rekey(old: pii.Cipher, new: pii.Cipher) -> int:
    """Key rotation step: a resident user signs in by his phone's lookup hash, which comes from
    his resident record (already re-encrypted under the new key when this runs)."""
    users = list(User.objects.filter(resident__isnull=False).select_related("resident"))
    for user in users:
        assert user.resident is not None
        user.phone_hash = new.lookup_hash("phone", new.decrypt(user.resident.phone_encrypted))
    User.objects.bulk_update(users, ["phone_hash"], batch_size=1000)
    return len(users)
