"""Error codes of accounts (sign-in, one-time codes, roles); generic ones come from
`linli.core.errors.CoreError` (`REQUIRED`, `RATE_LIMITED`, `UNAUTHENTICATED`, ...)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class AccountsError(ErrorCodes):
    BAD_CODE = (
        "bad_code",
        _(
            "The one-time code and phone number do not match an open code (wrong, used, revoked "
            "or expired); the answer never says which."
        ),
    )
    ACCOUNT_EXISTS = (
        "account_exists",
        _("The member already has an account with a password: he needs a password reset code."),
    )
    NO_ACCOUNT = "no_account", _("The member has no account yet: he needs an activation code.")
    PHONE_MISSING = "phone_missing", _("The member has no phone number registered.")
    PHONE_TAKEN = "phone_taken", _("Another account already signs in with this phone number.")
    WEAK_PASSWORD = (
        "weak_password",
        _("The password is too short, too common, all digits or too like the user's name."),
    )
    ROLE_EXISTS = "role_exists", _("The user already holds this role over this place.")
    TOKEN_SCOPE = (
        "token_scope",
        _(
            "The API token does not allow this: it is read-only, or not scoped to this domain "
            "(HTTP 403)."
        ),
    )
    TOKEN_SESSION_ONLY = (
        "token_session_only",
        _("API tokens are made and revoked in a signed-in session, not with another token."),
    )
