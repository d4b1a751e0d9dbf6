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
    ApiTokenForm,
    CodeIssueForm,
    LoginForm,
    PasswordResetForm,
    ServiceAccountForm,
    SignInCodeForm,
)
from linli.accounts.models import Invitation
from linli.accounts.permissions import MANAGE_SERVICE_ACCOUNTS, USE_API_TOKENS
from linli.core.api import api_domains
from linli.core.forms import submit
from linli.core.permissions import Actor, has_perm
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


# --- API tokens and service accounts --------------------------------------------------------


def _token_owners(actor: Actor) -> list[tuple[int, str]]:
    return [(a.user_id, str(a)) for a in selectors.service_accounts_for(actor)]


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    """The actor's own API tokens, and (for an admin) his communities' service accounts and
    their tokens."""
    actor = actor_of(request)
    if not (has_perm(actor, USE_API_TOKENS) or has_perm(actor, MANAGE_SERVICE_ACCOUNTS)):
        raise Http404
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": list(selectors.api_tokens_for(actor)[:200]),
            "service_accounts": list(selectors.service_accounts_for(actor)),
            "may_manage": has_perm(actor, MANAGE_SERVICE_ACCOUNTS),
            "prefix": services.TOKEN_PREFIX,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_new_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not (has_perm(actor, USE_API_TOKENS) or has_perm(actor, MANAGE_SERVICE_ACCOUNTS)):
        raise Http404
    form = ApiTokenForm(request.POST or None, domains=api_domains(), owners=_token_owners(actor))
    made = submit(
        request,
        form,
        lambda cd: services.api_token_create(
            actor=actor,
            name=cd["name"],
            access_level=cd["access_level"],
            domains=cd["domains"],
            days=cd["days"],
            owner_id=cd["owner"] or None,
        ),
    )
    if made:
        row, token = made
        response = render(request, "accounts/token_created.html", {"row": row, "token": token})
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/token_new.html", {"form": form})


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    row = services.api_token_revoke(actor=actor_of(request), token_id=token_id)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": row.name})
    return redirect("accounts:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def service_account_new_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, MANAGE_SERVICE_ACCOUNTS):
        raise Http404
    form = ServiceAccountForm(
        request.POST or None,
        communities=selectors.service_account_communities(actor),
        roles=[(r.value, r.label) for r in services.SERVICE_ROLES],
    )
    account = submit(request, form, lambda cd: services.service_account_create(actor=actor, **cd))
    if account:
        messages.success(
            request,
            _("The service account %(name)s is ready: make it a token below.") % {"name": account},
        )
        return redirect("accounts:tokens")
    return render(request, "accounts/service_account_new.html", {"form": form})
