from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "linli.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers and social organisations")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.volunteers.api import router as api_router

        register_router("/volunteers/", api_router)

        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav
        from linli.volunteers import permissions
        from linli.volunteers.demo import build_demo

        register_nav(_("Volunteers"), "volunteers:home", permissions.VIEW, order=50)
        register_nav(_("Activities"), "volunteers:activities", permissions.PORTAL, order=50)
        register_nav(_("My points"), "volunteers:me", permissions.PORTAL, order=51)
        register_nav(_("Points store"), "volunteers:store", permissions.PORTAL, order=52)
        register_demo("volunteers", build_demo, order=50)

        from linli.core.pii import register_protected
        from linli.volunteers.models import Volunteer

        # Key rotation (manage.py rotate_pii_key) re-keys this column too.
        register_protected(
            Volunteer, encrypted="phone_encrypted", hash_field="phone_hash", kind="phone"
        )
