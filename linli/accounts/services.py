"""Writes about accounts: login throttling, one-time codes (activation and password reset),
role grants and their audit, ending a household role when its member moves out, API tokens and
service accounts."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from linli.accounts import signin_cache, throttle
from linli.accounts.errors import AccountsError
from linli.accounts.models import (
    ApiToken,
    Invitation,
    LoginFailure,
    RoleAssignment,
    ServiceAccount,
    User,
)
from linli.accounts.permissions import (
    ISSUE_INVITATION,
    MANAGE_SERVICE_ACCOUNTS,
    USE_API_TOKENS,
)
from linli.accounts.selectors import api_tokens_for
from linli.core import pii
from linli.core.api import api_domains
from linli.core.audit import audit_record, changed
from linli.core.errors import Conflict, CoreError, DomainError, NotFound, PermissionDenied
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for, require
from linli.core.roles import ROLE_REACH, Reach, Role
from linli.registry.choices import ResidentStatus
from linli.registry.models import Community, Household, Residency, Resident
from linli.registry.validators import normalize_phone


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


class Throttled(DomainError):
    """Too many failed attempts from here: try again later (HTTP 429)."""

    code = CoreError.RATE_LIMITED
    status = 429


def throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return _(
        "Too many failed attempts. For your account's safety, try again in %(minutes)d minute(s)."
    ) % {"minutes": minutes}


def login_wait(request: HttpRequest | None, login: str) -> int:
    """Seconds before the next sign-in attempt for `login` from this request's address may
    be checked (0: now). A browser that signed in to that account before passes the
    account-wide back-off (see `linli.accounts.throttle`)."""
    user = user_for_login(login)
    known = user is not None and user.pk in throttle.known_device_user_ids(request)
    return throttle.wait_seconds(
        purpose=LoginFailure.Purpose.LOGIN,
        key=login_key(login),
        address=throttle.client_address(request),
        known_device=known,
    )


def login_failure_record(request: HttpRequest | None, login: str) -> None:
    throttle.failure_record(
        purpose=LoginFailure.Purpose.LOGIN,
        key=login_key(login),
        address=throttle.client_address(request),
    )


# ---------------------------------------------------------------- one-time codes

# 32 symbols (no 0/O, 1/I) of 5 bits each: 12 of them carry 60 bits, typed as XXXX-XXXX-XXXX.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4
CODE_VALIDITY = {
    Invitation.Purpose.ACTIVATION: dt.timedelta(days=14),
    Invitation.Purpose.PASSWORD_RESET: dt.timedelta(days=3),
}
# The errors that mean "wrong code or phone": each counts toward the throttle.
PROOF_FAILURES = frozenset({AccountsError.BAD_CODE.value})


def code_normalize(code: str) -> str:
    """What the resident typed, without spaces, dashes and case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(code: str) -> str:
    # Keyed (SECRET_KEY): a stolen table of hashes does not give the codes back.
    return salted_hmac(
        "linli.accounts.invitation", code_normalize(code), algorithm="sha256"
    ).hexdigest()


def _code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def _open_codes_revoke(resident_id: int) -> int:
    return Invitation.objects.filter(
        resident_id=resident_id, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def _has_password(resident: Resident) -> bool:
    user = User.objects.filter(resident=resident).first()
    return user is not None and user.has_usable_password()


@transaction.atomic
def invitation_issue(
    *,
    actor: Actor,
    resident_public_id: Any,
    purpose: str = Invitation.Purpose.ACTIVATION,
    reason: str = "",
) -> str:
    """Issue a one-time code for one member of a household and return it (shown once, stored
    as a keyed hash). An activation code only for a member without a password; a reset code
    only for a member with an account, with the reason (how the member proved who he is).
    Any earlier open code of the member is revoked: a member holds at most one."""
    resident = access(
        actor,
        ISSUE_INVITATION,
        Resident.objects.select_for_update().select_related("household"),
        public_id=resident_public_id,
        status=ResidentStatus.ACTIVE,
    )
    if purpose not in Invitation.Purpose.values:
        raise DomainError(
            _("Unknown kind of code."), code=CoreError.INVALID_CHOICE, field="purpose"
        )
    if not resident.phone_hash:
        raise DomainError(
            _("Record this member's phone number first: he signs in with it."),
            code=AccountsError.PHONE_MISSING,
        )
    has_account = User.objects.filter(resident=resident).exists()
    reason = reason.strip()
    if purpose == Invitation.Purpose.ACTIVATION and _has_password(resident):
        raise DomainError(
            _("This member already has an account. Issue a password reset code instead."),
            code=AccountsError.ACCOUNT_EXISTS,
        )
    if purpose == Invitation.Purpose.PASSWORD_RESET:
        if not has_account:
            raise DomainError(
                _("This member has no account yet. Issue an activation code instead."),
                code=AccountsError.NO_ACCOUNT,
            )
        if not reason:
            raise DomainError(
                _("Say how the member proved who he is (e.g. came in person with his ID card)."),
                code=CoreError.REQUIRED,
                field="reason",
            )
    if actor.user_id is None:  # only a signed-in person issues codes
        raise DomainError(_("Sign in first."), code=CoreError.UNAUTHENTICATED)
    _open_codes_revoke(resident.pk)
    code = _code_new()
    expires_at = timezone.now() + CODE_VALIDITY[Invitation.Purpose(purpose)]
    try:
        with transaction.atomic():
            Invitation.objects.create(
                household_id=resident.household_id,
                resident=resident,
                purpose=purpose,
                code_hash=_code_hash(code),
                issued_by_id=actor.user_id,
                expires_at=expires_at,
            )
    except IntegrityError as exc:  # another code issued for him at the same moment
        raise Conflict(_("A code was just issued for this member. Try again.")) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.INVITE,
        obj=resident,
        community_id=resident.community_id,
        reason=reason[:500],
        after={"purpose": purpose, "expires_at": expires_at.isoformat()},
    )
    return code


@dataclass(frozen=True)
class CodeProof:
    """What a one-time code proved: this member of this household holds this phone. Carries the
    stored invitation (None for a backend without stored codes, such as SMS)."""

    household: Household
    resident: Resident
    invitation: Invitation | None


class OneTimeCodeBackend(Protocol):
    """How a member proves he is who he claims. Today: a staff-issued code bound to him. An SMS
    one-time-code backend implements the same `verify` later."""

    def verify(self, *, code: str, phone: str, purpose: str) -> CodeProof: ...


def _bad_code() -> DomainError:
    # One answer for every mismatch: it does not tell which half (code or phone) was right.
    return DomainError(
        _(
            "This code and phone number do not match an open code. Check both, or ask your "
            "grid worker for a new code."
        ),
        code=AccountsError.BAD_CODE,
    )


class InvitationCodeBackend:
    def verify(self, *, code: str, phone: str, purpose: str) -> CodeProof:
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("household", "resident")
            .filter(
                code_hash=_code_hash(code),
                purpose=purpose,
                resident__isnull=False,
                used_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if invitation is None or invitation.resident is None:
            raise _bad_code()
        resident = invitation.resident
        lives_there = Residency.objects.filter(
            resident=resident, household_id=invitation.household_id, moved_out__isnull=True
        ).exists()
        if (
            resident.phone_hash != pii.lookup_hash("phone", phone)
            or resident.status != ResidentStatus.ACTIVE
            or resident.household_id != invitation.household_id
            or not lives_there
        ):
            raise _bad_code()
        return CodeProof(household=invitation.household, resident=resident, invitation=invitation)


T = TypeVar("T")


def _with_code(*, phone: str, client_address: str | None, action: Callable[[str], T]) -> T:
    """Run `action(normalized_phone)` in its own transaction behind the code throttle. A wrong
    code or phone is logged toward the throttle after the rollback (so the failure log is
    kept while the refused change is not); hence no `@transaction.atomic` on the callers."""
    normalized = normalize_phone(phone)
    if not normalized:
        raise DomainError(_("Enter your phone number."), code=CoreError.REQUIRED, field="phone")
    key = login_key(normalized)
    purpose = LoginFailure.Purpose.CODE
    wait = throttle.wait_seconds(
        purpose=purpose, key=key, address=client_address, known_device=True
    )
    if wait:
        raise Throttled(throttled_message(wait), details={"retry_after": wait})
    try:
        with transaction.atomic():
            return action(normalized)
    except DomainError as exc:
        if exc.code in PROOF_FAILURES:
            throttle.failure_record(purpose=purpose, key=key, address=client_address)
        raise


def _password_check(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            " ".join(exc.messages), code=AccountsError.WEAK_PASSWORD, field="password"
        ) from exc


def _code_consume(proof: CodeProof, user: User) -> None:
    if proof.invitation is not None:
        proof.invitation.used_at = timezone.now()
        proof.invitation.used_by = user
        proof.invitation.save(update_fields=["used_at", "used_by", "updated_at"])
    _open_codes_revoke(proof.resident.pk)


def resident_account_activate(
    *,
    code: str,
    phone: str,
    password: str,
    client_address: str | None = None,
    backend: OneTimeCodeBackend | None = None,
) -> User:
    """A member without an account (or without a usable password) sets his first password with
    the activation code issued to him and becomes a user of his household. It never touches an
    account that has a password: that is the reset flow's job. Throttled per phone and address;
    the write is one transaction."""

    def activate(normalized: str) -> User:
        proof = (backend or InvitationCodeBackend()).verify(
            code=code, phone=normalized, purpose=Invitation.Purpose.ACTIVATION
        )
        resident = proof.resident
        user = User.objects.select_for_update().filter(resident=resident).first()
        if user is not None and user.has_usable_password():
            raise DomainError(
                _(
                    "You already have an account: sign in with your phone number. Forgot the "
                    "password? Ask your grid worker for a password reset code."
                ),
                code=AccountsError.ACCOUNT_EXISTS,
            )
        _password_check(password, user)
        if user is None:
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        username=f"r-{resident.public_id.hex[:12]}",
                        display_name=resident.name,
                        phone_hash=pii.lookup_hash("phone", normalized),
                        resident=resident,
                    )
            except IntegrityError as exc:
                raise DomainError(
                    _("This phone number already has an account."), code=AccountsError.PHONE_TAKEN
                ) from exc
        user.set_password(password)
        user.save(update_fields=["password"])
        signin_cache.changed()
        _code_consume(proof, user)
        actor = _self_actor(user)
        if not RoleAssignment.objects.filter(
            user=user, role=Role.RESIDENT, household=proof.household
        ).exists():
            role_assignment_save(
                actor=actor,
                assignment=RoleAssignment(
                    user=user,
                    role=Role.RESIDENT,
                    household=proof.household,
                    community_id=proof.household.community_id,
                ),
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ACTIVATE,
            obj=resident,
            community_id=resident.community_id,
        )
        return user

    return _with_code(phone=phone, client_address=client_address, action=activate)


def resident_password_reset(
    *,
    code: str,
    phone: str,
    password: str,
    client_address: str | None = None,
    backend: OneTimeCodeBackend | None = None,
) -> User:
    """The recovery flow: a member with an account sets a new password with the reset code
    staff issued to him (after he proved who he is in person). Audited; his other sessions end
    (their session hash no longer matches the new password)."""

    def reset(normalized: str) -> User:
        proof = (backend or InvitationCodeBackend()).verify(
            code=code, phone=normalized, purpose=Invitation.Purpose.PASSWORD_RESET
        )
        user = User.objects.select_for_update().filter(resident=proof.resident).first()
        if user is None:
            raise DomainError(
                _("You have no account yet: ask your grid worker for an activation code."),
                code=AccountsError.NO_ACCOUNT,
            )
        _password_check(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        signin_cache.changed()  # his other sessions end
        _code_consume(proof, user)
        audit_record(
            actor=_self_actor(user),
            action=AuditEvent.Action.UPDATE,
            obj=user,
            community_id=proof.resident.community_id,
            field="password",
            reason="password reset with a staff-issued code",
        )
        return user

    return _with_code(phone=phone, client_address=client_address, action=reset)


def _self_actor(user: User) -> Actor:
    from linli.accounts.selectors import actor_for_user  # selectors import this module's models

    return actor_for_user(user)


# ---------------------------------------------------------------- role assignments


def _role_snapshot(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": str(assignment.user),
        "role": assignment.role,
        "community": assignment.community_id,
        "grid": assignment.grid_id,
        "household": assignment.household_id,
        "subdistrict": assignment.subdistrict,
        "district": assignment.district,
        "title": assignment.title,
    }


def _role_community_id(assignment: RoleAssignment) -> int | None:
    if assignment.community_id:
        return assignment.community_id
    if assignment.grid_id and assignment.grid is not None:
        return assignment.grid.community_id
    if assignment.household_id and assignment.household is not None:
        return assignment.household.community_id
    return None


@transaction.atomic
def role_assignment_save(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    """Grant a role, or change a granted one, and audit it (`ROLE`, before/after) in the same
    transaction. The admin calls this from `save_model`/`save_formset`; who may grant roles
    there is the admin's own permission (staff with the change permission)."""
    before: dict[str, Any] | None = None
    if assignment.pk is not None:
        old = RoleAssignment.objects.select_related("user").filter(pk=assignment.pk).first()
        before = _role_snapshot(old) if old is not None else None
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise DomainError(
            _("This person already holds this role there."), code=AccountsError.ROLE_EXISTS
        ) from exc
    signin_cache.changed()
    after = _role_snapshot(assignment)
    if before is not None:
        before, after = changed(before, after)
        if not after:
            return assignment
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE,
        obj=assignment,
        community_id=_role_community_id(assignment),
        before=before,
        after=after,
    )
    return assignment


@transaction.atomic
def role_assignment_delete(*, actor: Actor, assignment: RoleAssignment, reason: str = "") -> None:
    """Take a role away and audit it (`ROLE`, before only) in the same transaction."""
    community_id = _role_community_id(assignment)
    label, pk = str(assignment), assignment.pk
    before = _role_snapshot(assignment)
    assignment.delete()
    signin_cache.changed()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE,
        object_type=RoleAssignment._meta.label_lower,
        object_id=str(pk),
        object_label=label,
        community_id=community_id,
        reason=reason,
        before=before,
    )


@transaction.atomic
def user_roles_delete(*, actor: Actor, user: User) -> int:
    """Take every role of `user` away (audited one by one), e.g. before the user is deleted."""
    rows = list(RoleAssignment.objects.select_related("user").filter(user=user))
    for row in rows:
        role_assignment_delete(actor=actor, assignment=row)
    return len(rows)


def household_roles_end(*, actor: Actor, resident: Resident, household_id: int) -> int:
    """A member left `household_id`: his roles over that household end (audited) and his open
    codes are revoked, inside the move-out's own transaction (registry calls this through
    `register_move_out_listener`). Returns how many roles ended."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("household_roles_end must run inside the move-out's transaction")
    _open_codes_revoke(resident.pk)
    rows = list(
        RoleAssignment.objects.select_related("user").filter(
            user__resident=resident, household_id=household_id
        )
    )
    for row in rows:
        role_assignment_delete(actor=actor, assignment=row, reason="moved out")
    return len(rows)


def user_phone_hashes_rekey(old: pii.Cipher, new: pii.Cipher) -> int:
    """Key rotation step: a resident user signs in by his phone's lookup hash, which comes from
    his resident record (already re-encrypted under the new key when this runs)."""
    users = list(User.objects.filter(resident__isnull=False).select_related("resident"))
    for user in users:
        assert user.resident is not None
        user.phone_hash = new.lookup_hash("phone", new.decrypt(user.resident.phone_encrypted))
    User.objects.bulk_update(users, ["phone_hash"], batch_size=1000)
    return len(users)


def on_resident_moved_out(actor: Actor, resident: Resident, household_id: int) -> None:
    """The registry's move-out listener (registered in `AccountsConfig.ready`)."""
    household_roles_end(actor=actor, resident=resident, household_id=household_id)


# --- self-service sign-in help (issue 15) --------------------------------------------------------

SELF_CODE_VALIDITY = dt.timedelta(minutes=15)
SELF_CODES_PER_HOUR = 3  # per member
SELF_REQUESTS_PER_HOUR_PER_ADDRESS = 10


def sign_in_code_request(*, phone: str, client_address: str | None = None) -> bool:
    """A resident who forgot his password asks for a one-time code: it goes to his own phone
    through the notifier (`core.notify`, SMS, urgent so quiet hours do not hold it), works on
    the password-reset page for 15 minutes, once (it is a reset code bound to him), and a new
    one revokes the old. At most 3 per member and 10 per address an hour. The answer is the
    same whether or not the phone has an account (True only says a code was made, for tests);
    a phone that is not a valid number is the one error shown."""
    from django.core.cache import cache

    from linli.core.notify import Message, publish

    normalized = normalize_phone(phone)
    if not normalized:
        raise DomainError(_("Enter your phone number."), code=CoreError.REQUIRED, field="phone")
    if client_address:
        key = f"accounts:sign-in-code:{client_address}"
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count > SELF_REQUESTS_PER_HOUR_PER_ADDRESS:
            return False
    user = user_for_login(normalized)
    if user is None or not user.is_active or user.resident_id is None:
        return False
    if not user.has_usable_password():
        return False  # not activated yet: the activation code comes from his grid worker
    now = timezone.now()
    with transaction.atomic():
        resident = Resident.objects.select_for_update().filter(pk=user.resident_id).first()
        if (
            resident is None
            or resident.status != ResidentStatus.ACTIVE
            or not resident.household_id
        ):
            return False
        recent = Invitation.objects.filter(
            resident=resident, issued_by=user, created_at__gte=now - dt.timedelta(hours=1)
        ).count()
        if recent >= SELF_CODES_PER_HOUR:
            return False
        _open_codes_revoke(resident.pk)
        code = _code_new()
        invitation = Invitation.objects.create(
            household_id=resident.household_id,
            resident=resident,
            purpose=Invitation.Purpose.PASSWORD_RESET,
            code_hash=_code_hash(code),
            issued_by=user,
            expires_at=now + SELF_CODE_VALIDITY,
        )
        audit_record(
            actor=_self_actor(user),
            action=AuditEvent.Action.INVITE,
            obj=invitation,
            community_id=resident.community_id,
            reason="self-service sign-in code",
        )
        publish(
            Message(
                key=f"accounts.sign_in_code:{invitation.pk}",
                kind="accounts.sign_in_code",
                user_ids=(user.pk,),
                # The code rides only in the text message (`secret`, never stored); the
                # inbox keeps the fact that one was sent.
                title=_("A sign-in code was sent to your phone"),
                body=_("Valid for 15 minutes. Nobody from the community will ask you for it."),
                secret=_(
                    "Your Linli code: %(code)s. Valid for 15 minutes. Nobody from the community "
                    "will ask you for it."
                )
                % {"code": code},
                urgent=True,
                channels=("sms",),
                community_id=resident.community_id,
            )
        )
    return True


# --- API tokens and service accounts (issue 16 item 7) ---------------------------------------

TOKEN_PREFIX = "linli_pat_"
TOKEN_MAX_DAYS = 365
TOKEN_DEFAULT_RATE = 120  # requests per minute


def token_hash(token: str) -> str:
    """Keyed (SECRET_KEY) hash of a whole token: a stolen table does not give tokens back."""
    return salted_hmac("linli.accounts.api-token", token, algorithm="sha256").hexdigest()


def _no_token(actor: Actor) -> None:
    """Tokens are managed in a signed-in session: a token cannot mint or revoke tokens."""
    if actor.token_id is not None:
        raise PermissionDenied(
            _("API tokens are made and revoked in a signed-in session, not with another token."),
            code=AccountsError.TOKEN_SESSION_ONLY,
        )


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "name": token.name,
        "user": str(token.user),
        "key_id": token.key_id,
        "access": token.access,
        "domains": list(token.domains),
        "expires_at": token.expires_at.isoformat(),
    }


def _token_owner(actor: Actor, owner_id: int | None) -> tuple[User, int | None]:
    """The user a new token is for: the actor himself (staff), or a service account in a
    community the actor manages. Anything else is NotFound."""
    if owner_id is None or owner_id == actor.user_id:
        require(actor, USE_API_TOKENS)
        user = User.objects.filter(pk=actor.user_id or 0, is_active=True).first()
        if user is None:
            raise NotFound(_("Not found."))
        return user, None
    account = access(
        actor,
        MANAGE_SERVICE_ACCOUNTS,
        ServiceAccount.objects.select_related("user").filter(user__is_active=True),
        user_id=owner_id,
    )
    return account.user, account.community_id


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    name: str,
    access_level: str,
    domains: list[str],
    days: int,
    owner_id: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for the actor (or for a service account he manages); returns the row and
    the token itself, which is shown once and never stored."""
    _no_token(actor)
    user, community_id = _token_owner(actor, owner_id)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), code=CoreError.REQUIRED, field="name")
    if access_level not in ApiToken.Access.values:
        raise DomainError(
            _("Choose read only or read and write."),
            code=CoreError.INVALID_CHOICE,
            field="access_level",
        )
    known = set(api_domains())
    chosen = sorted(set(domains))
    if not chosen or not set(chosen) <= known:
        raise DomainError(
            _("Choose one or more of the API's domains."),
            code=CoreError.INVALID_CHOICE,
            field="domains",
        )
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise DomainError(
            _("A token lasts from 1 to %(days)d days.") % {"days": TOKEN_MAX_DAYS},
            code=CoreError.INVALID_NUMBER,
            field="days",
        )
    key_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{key_id}_{secrets.token_urlsafe(30)}"
    row = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_id=key_id,
        token_hash=token_hash(token),
        access=access_level,
        domains=chosen,
        rate_per_minute=TOKEN_DEFAULT_RATE,
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by_id=actor.user_id or user.pk,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        community_id=community_id,
        after=_token_snapshot(row),
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token at once (its next request is a 401). Revoking twice changes nothing."""
    _no_token(actor)
    try:
        row = api_tokens_for(actor).select_for_update(of=("self",)).get(pk=token_id)
    except ApiToken.DoesNotExist as exc:
        raise NotFound(_("Not found.")) from exc
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at", "updated_at"])
        community = ServiceAccount.objects.filter(user_id=row.user_id).values_list(
            "community_id", flat=True
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=row,
            community_id=community.first(),
            field="revoked_at",
            before={"revoked_at": None},
            after={"revoked_at": row.revoked_at.isoformat()},
        )
    return row


SERVICE_ROLES = tuple(
    r for r in Role if ROLE_REACH[r] == Reach.COMMUNITY and r not in (Role.VOLUNTEER,)
)


@transaction.atomic
def service_account_create(
    *, actor: Actor, community_id: int, name: str, role: str, description: str = ""
) -> ServiceAccount:
    """A user for another system: one role in one community, no password sign-in."""
    _no_token(actor)
    require(actor, MANAGE_SERVICE_ACCOUNTS)
    if community_id not in communities_for(actor, MANAGE_SERVICE_ACCOUNTS):
        raise NotFound(_("Not found."))
    name = name.strip()
    if not name:
        raise DomainError(_("Give the account a name."), code=CoreError.REQUIRED, field="name")
    if role not in SERVICE_ROLES:
        raise DomainError(
            _("Choose one of the roles offered."), code=CoreError.INVALID_CHOICE, field="role"
        )
    community = Community.objects.get(pk=community_id)
    user = User(username=f"svc-{secrets.token_hex(5)}", display_name=name[:100])
    user.set_unusable_password()
    user.save()
    account = ServiceAccount.objects.create(
        user=user,
        community=community,
        description=description.strip()[:200],
        created_by_id=actor.user_id or user.pk,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=account,
        community_id=community_id,
        after={"name": name, "username": user.username, "role": role},
    )
    role_assignment_save(
        actor=actor, assignment=RoleAssignment(user=user, role=role, community=community)
    )
    return account
