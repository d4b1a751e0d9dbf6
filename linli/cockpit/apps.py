from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """The cockpit sits above every domain and imports none: it shows what each domain
    registered with `core.hooks.register_figures` (and the registry's places)."""

    name = "linli.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from linli.cockpit import permissions, tasks  # noqa: F401  (declarations, huey tasks)
        from linli.cockpit.api import router as api_router
        from linli.cockpit.demo import build_demo
        from linli.core.api import register_router
        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav, register_subnav

        register_router("/cockpit/", api_router)
        register_demo("cockpit", build_demo, order=200)
        register_nav(_("Cockpit"), "cockpit:index", permissions.VIEW, order=1)
        register_subnav(
            "cockpit",
            "index",
            _("Figures"),
            "cockpit:index",
            permissions.VIEW,
            group_label=_("Cockpit"),
        )
        register_subnav(
            "cockpit", "compare", _("Side by side"), "cockpit:compare", permissions.VIEW
        )
        register_subnav(
            "cockpit", "reports", _("Monthly reports"), "cockpit:reports", permissions.VIEW
        )
        register_subnav("cockpit", "screen", _("Big screen"), "cockpit:screen", permissions.VIEW)
