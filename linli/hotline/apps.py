from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "linli.hotline"
    label = "hotline"
    verbose_name = _("Community 110")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.hotline.api import router as api_router

        register_router("/hotline/", api_router)

        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav, register_subnav
        from linli.hotline import permissions, tasks  # noqa: F401  (declarations, huey tasks)
        from linli.hotline.demo import build_demo

        register_nav(_("Community 110"), "hotline:requests", permissions.VIEW_INTERNAL, order=30)
        register_nav(_("My requests"), "hotline:portal", permissions.FILE, order=31)
        register_nav(_("Service rates"), "hotline:rates", permissions.VIEW_RATES, order=32)
        register_subnav(
            "hotline",
            "requests",
            _("Requests"),
            "hotline:requests",
            permissions.VIEW_INTERNAL,
            group_label=_("Community 110"),
        )
        register_subnav(
            "hotline", "rates", _("Service rates"), "hotline:rates", permissions.VIEW_RATES
        )
        register_subnav(
            "hotline", "settings", _("Settings"), "hotline:settings", permissions.MANAGE
        )
        register_demo("hotline", build_demo, order=30)

        from linli.core.jinja import register_filter
        from linli.hotline.templatetags.hotline import status_tone

        register_filter("status_tone", status_tone)

        from linli.core.pii import register_protected
        from linli.hotline.models import ServiceRequest

        # Key rotation (manage.py rotate_pii_key) re-keys this column too.
        register_protected(
            ServiceRequest,
            encrypted="reporter_phone_encrypted",
            hash_field="reporter_phone_hash",
            kind="phone",
        )

        from linli.hotline import figures, panels  # issue 14: resident page, cockpit

        panels.register()
        figures.register()

        from linli.hotline import hub  # the hub, search and household page (core.hooks)

        hub.register()
