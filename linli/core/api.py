"""The JSON API root (`/api/`, OpenAPI docs at `/api/docs`). Each app contributes a router;
domain errors become JSON with their HTTP status here, in one place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError as NinjaValidationError
from ninja.security import SessionAuth

from linli.core.errors import DomainError
from linli.core.permissions import Actor


class ActorSessionAuth(SessionAuth):
    """Session sign-in (with CSRF for writes); resolves the request's actor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = super().authenticate(request, key)
        if not user:
            return None
        return request.actor  # type: ignore[attr-defined, no-any-return]


api = NinjaAPI(
    title="Linli API",
    version="1",
    description="Linli (邻里) community platform. Sign in through /accounts/login/ first.",
    auth=ActorSessionAuth(),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "invalid_input", "message": "Invalid input.", "details": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": "Sign in first."}, status=401
    )


def register_routers() -> None:
    from linli.accounts.api import router as accounts_router
    from linli.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)
    api.add_router("/accounts/", accounts_router)


register_routers()
