from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from linli.accounts.api import router as api_router
        from linli.core.api import register_router

        register_router("/accounts/", api_router)

        from linli.accounts.tokens import verify
        from linli.core.api import register_bearer_verifier

        register_bearer_verifier(verify)

        from linli.accounts.permissions import USE_API_TOKENS
        from linli.core.navigation import register_nav

        register_nav(_("API tokens"), "accounts:tokens", USE_API_TOKENS, order=190)

        from linli.accounts import permissions  # noqa: F401
        from linli.accounts.services import on_resident_moved_out, user_phone_hashes_rekey
        from linli.core.pii import register_rotation_step
        from linli.registry.services import register_move_out_listener

        register_rotation_step(user_phone_hashes_rekey)
        register_move_out_listener(on_resident_moved_out)
