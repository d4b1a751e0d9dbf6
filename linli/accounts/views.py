"""Sign in, sign out, resident activation with an invitation code, issuing codes."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import services
from linli.accounts.forms import ActivateForm, LoginForm
from linli.core.forms import submit


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user, backend="linli.accounts.backends.LinliBackend")
        target = request.POST.get("next") or request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        return redirect(target)
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def activate_view(request: HttpRequest) -> HttpResponse:
    form = ActivateForm(request.POST or None)
    user = submit(request, form, lambda cd: services.resident_account_activate(**cd))
    if user:
        login(request, user, backend="linli.accounts.backends.LinliBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(request, "accounts/activate.html", {"form": form})


@login_required
@require_POST
def invite_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    code = services.invitation_issue(
        actor=request.actor,  # type: ignore[attr-defined]
        household_public_id=str(public_id),
    )
    return render(request, "accounts/_invitation.html", {"code": code})
