"""Sign-in: staff by username, residents by phone number; both throttled."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from linli.accounts import services
from linli.accounts.models import User
from linli.accounts.selectors import user_with_assignments


class LinliBackend(ModelBackend):
    """Looks the user up by username or, when the login is a phone number, by its keyed hash.
    Failed attempts back off exponentially per (login, client address), per address and, for
    browsers that never signed in to the account, per login (`linli.accounts.throttle`); while
    a back-off runs every attempt fails without checking the password, so guessing gains
    nothing, and the owner signing in from elsewhere is not locked out. Every caller of
    `authenticate` (the sign-in page, the admin's) goes through this."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        if services.login_wait(request, username):
            raise PermissionDenied("throttled")
        user = services.user_for_login(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            services.login_failure_record(request, username)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        services.login_failure_record(request, username)
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a request with his role assignments in the same query, so
        that resolving his `Actor` costs nothing more."""
        user = user_with_assignments(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
