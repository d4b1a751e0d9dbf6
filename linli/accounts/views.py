"""Sign in, sign out, resident activation and password reset with a one-time code, issuing
codes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from linli.accounts import selectors, services, throttle
from linli.accounts.forms import (
    ActivateForm,
    CodeIssueForm,
    LoginForm,
    PasswordResetForm,
    SignInCodeForm,
)
from linli.accounts.models import Invitation
from linli.core.forms import submit
from linli.core.web import actor_of


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user, backend="linli.accounts.backends.LinliBackend")
        target = request.POST.get("next") or request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        response = redirect(target)
        throttle.remember_device(request, response, form.user.pk)
        return response
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@csrf_protect
@require_http_methods(["GET", "POST"])
def activate_view(request: HttpRequest) -> HttpResponse:
    form = ActivateForm(request.POST or None)
    address = throttle.client_address(request)
    user = submit(
        request,
        form,
        lambda cd: services.resident_account_activate(**cd, client_address=address),
    )
    if user:
        login(request, user, backend="linli.accounts.backends.LinliBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        response = redirect("home")
        throttle.remember_device(request, response, user.pk)
        return response
    return render(request, "accounts/activate.html", {"form": form})


@csrf_protect
@require_http_methods(["GET", "POST"])
def password_reset_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(request.POST or None)
    address = throttle.client_address(request)
    user = submit(
        request, form, lambda cd: services.resident_password_reset(**cd, client_address=address)
    )
    if user:
        messages.success(request, _("Your new password is set. Sign in with it."))
        return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in_code_view(request: HttpRequest) -> HttpResponse:
    """Self-service help: a code to the resident's phone, then the password-reset page. The
    answer does not say whether the phone has an account."""
    form = SignInCodeForm(request.POST or None)
    address = throttle.client_address(request)
    done = submit(
        request,
        form,
        lambda cd: services.sign_in_code_request(phone=cd["phone"], client_address=address) or True,
    )
    if done:
        messages.info(
            request,
            _(
                "If this phone number belongs to an account, a code is on its way by text "
                "message. Enter it below with a new password."
            ),
        )
        return redirect("accounts:password_reset")
    return render(request, "accounts/sign_in_code.html", {"form": form})


@login_required
@require_POST
def invite_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The household page's "issue a code" panel: without a member chosen, list the members
    (activation code for those without a password, reset code for those with an account);
    with one, issue his code and show it once."""
    actor = actor_of(request)
    members = selectors.household_members_for_codes(actor, public_id)
    form = CodeIssueForm(request.POST if "resident" in request.POST else None)

    def issue(cd: dict[str, Any]) -> str:
        if str(cd["resident"]) not in {m.public_id for m in members}:
            raise Http404  # a member of another household: not through this page
        return services.invitation_issue(
            actor=actor,
            resident_public_id=cd["resident"],
            purpose=cd["purpose"],
            reason=cd["reason"],
        )

    code = submit(request, form, issue)
    if code:
        purpose = form.cleaned_data["purpose"]
        return render(
            request,
            "accounts/_invitation.html",
            {
                "code": code,
                "is_reset": purpose == Invitation.Purpose.PASSWORD_RESET,
                "days": services.CODE_VALIDITY[Invitation.Purpose(purpose)].days,
            },
        )
    return render(
        request,
        "accounts/_invitation_members.html",
        {"household_id": public_id, "members": members, "form": form},
    )
