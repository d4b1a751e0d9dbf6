"""Signing in, accounts and API tokens in the persona walk (`linli.testing.walk`)."""

from dataclasses import dataclass
from typing import Any

from linli.accounts import services
from linli.accounts.models import ApiToken
from linli.core.roles import Role
from linli.testing.walk import LOGIN, Case, Scene, everyone, sees


@dataclass
class Tokens:
    own: ApiToken  # worker_a's
    service: ApiToken  # a service account's of the admin's community


def build(scene: Scene) -> Any:
    world = scene.world
    own, _ = services.api_token_create(
        actor=scene.actor("worker_a"), name="own", access_level="read", domains=["hotline"], days=30
    )
    account = services.service_account_create(
        actor=scene.actor("admin"),
        community_id=world.community.pk,
        name="District 12345",
        role=Role.SERVICE_STAFF,
    )
    service, _ = services.api_token_create(
        actor=scene.actor("admin"),
        name="sync",
        access_level="read",
        domains=["registry"],
        days=30,
        owner_id=account.user_id,
    )
    return Tokens(own=own, service=service)


# Staff see the token pages; a resident and a volunteer (no API use) get a 404.
_STAFF_PAGES = {**everyone(), "resident_user": 404, "volunteer": 404}

CASES = {
    "accounts:login": Case(expect={"anonymous": 200}),
    "accounts:invite": Case(lambda s: {"public_id": s.world.household_a1.public_id}),
    "/api/accounts/me": Case(expect=everyone()),
    "accounts:tokens": Case(expect=_STAFF_PAGES),
    "accounts:token_new": Case(expect=_STAFF_PAGES),
    "accounts:service_account_new": Case(expect=sees("admin", "other_admin")),
    # a POST-only page: every GET is refused (405 for those who may, sign-in for nobody)
    "accounts:token_revoke": Case(
        lambda s: {"token_id": s.accounts.service.pk}, expect={"anonymous": LOGIN}
    ),
    "/api/accounts/tokens": Case(expect=everyone()),
    "/api/accounts/tokens/{token_id}/revoke": Case(lambda s: {"token_id": s.accounts.service.pk}),
}
