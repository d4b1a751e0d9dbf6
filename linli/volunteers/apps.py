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
        from linli.core.navigation import register_nav, register_subnav
        from linli.volunteers import permissions
        from linli.volunteers.demo import build_demo

        register_nav(_("Volunteers"), "volunteers:home", permissions.VIEW, order=50)
        register_nav(_("Activities"), "volunteers:activities", permissions.PORTAL, order=50)
        register_nav(_("My points"), "volunteers:me", permissions.PORTAL, order=51)
        register_nav(_("Points store"), "volunteers:store", permissions.PORTAL, order=52)
        # The tab bar of the app's pages (each tab shown only with one of its permissions).
        for key, label, url_name, perms in (
            ("home", _("Overview"), "volunteers:home", (permissions.VIEW,)),
            ("orgs", _("Organisations"), "volunteers:organisations", (permissions.VIEW,)),
            ("teams", _("Teams"), "volunteers:teams", (permissions.VIEW,)),
            ("people", _("Volunteers"), "volunteers:volunteers", (permissions.VIEW_VOLUNTEERS,)),
            (
                "activities",
                _("Activities"),
                "volunteers:activities",
                (permissions.VIEW, permissions.PORTAL),
            ),
            (
                "leaderboard",
                _("Leaderboard"),
                "volunteers:leaderboard",
                (permissions.VIEW, permissions.PORTAL),
            ),
            (
                "store",
                _("Points store"),
                "volunteers:store",
                (permissions.VIEW, permissions.PORTAL),
            ),
            ("me", _("My points"), "volunteers:me", (permissions.PORTAL,)),
        ):
            register_subnav("volunteers", key, label, url_name, *perms, group_label=_("Volunteers"))
        register_demo("volunteers", build_demo, order=50)

        from linli.core.pii import register_protected
        from linli.volunteers.models import Volunteer

        # Key rotation (manage.py rotate_pii_key) re-keys this column too.
        register_protected(
            Volunteer, encrypted="phone_encrypted", hash_field="phone_hash", kind="phone"
        )

        from linli.volunteers import figures, panels  # issue 14: resident page, cockpit

        panels.register()
        figures.register()

        from linli.volunteers import hub  # the hub, search and household page (core.hooks)

        hub.register()
