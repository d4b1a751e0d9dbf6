from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RidersConfig(AppConfig):
    name = "linli.riders"
    label = "riders"
    verbose_name = _("New-employment workers")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.riders.api import router as api_router

        register_router("/riders/", api_router)

        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav, register_subnav
        from linli.riders import permissions
        from linli.riders.demo import build_demo

        register_nav(_("Riders' station"), "riders:home", permissions.VIEW, order=60)
        register_nav(_("Summer class"), "riders:classes", permissions.CLASS_STAFF, order=61)
        register_nav(_("Safety report"), "riders:report_new", permissions.PORTAL, order=60)
        # The tab bar of the app's pages (each tab shown only with one of its permissions).
        for key, label, url_name, perms in (
            ("home", _("Overview"), "riders:home", (permissions.VIEW,)),
            ("workers", _("Workers"), "riders:workers", (permissions.VIEW,)),
            ("canteen", _("Canteen"), "riders:canteen", (permissions.VIEW,)),
            ("reports", _("Safety reports"), "riders:reports", (permissions.VIEW,)),
            (
                "class",
                _("Summer class"),
                "riders:classes",
                (permissions.VIEW, permissions.CLASS_STAFF),
            ),
        ):
            register_subnav(
                "riders", key, label, url_name, *perms, group_label=_("Riders' station")
            )
        # After the volunteers (points accounts) and Community 110 (its catalogue).
        register_demo("riders", build_demo, order=60)

        from linli.core.pii import register_protected
        from linli.riders.models import Worker

        # Key rotation (manage.py rotate_pii_key) re-keys this column too.
        register_protected(
            Worker, encrypted="phone_encrypted", hash_field="phone_hash", kind="phone"
        )

        from linli.riders import figures, panels  # issue 14: resident page, cockpit

        panels.register()
        figures.register()

        from linli.riders import hub  # the hub, search and household page (core.hooks)

        hub.register()
