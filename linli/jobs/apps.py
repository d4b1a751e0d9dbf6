from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "linli.jobs"
    label = "jobs"
    verbose_name = _("Doorstep jobs")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.jobs.api import router as api_router

        register_router("/jobs/", api_router)

        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav, register_subnav
        from linli.jobs import hooks, permissions
        from linli.jobs.demo import build_demo

        register_nav(_("Doorstep jobs"), "jobs:home", permissions.VIEW, order=65)
        register_nav(_("My jobs"), "jobs:me", permissions.PORTAL, order=65)
        for key, label, url_name, perms in (
            ("home", _("Overview"), "jobs:home", (permissions.VIEW,)),
            ("orders", _("Orders"), "jobs:orders", (permissions.VIEW,)),
            ("firms", _("Firms"), "jobs:firms", (permissions.VIEW,)),
            ("teams", _("Teams"), "jobs:teams", (permissions.VIEW,)),
            ("workers", _("Workers"), "jobs:workers", (permissions.VIEW,)),
            ("statements", _("Statements"), "jobs:statements", (permissions.VIEW,)),
            ("stats", _("Statistics"), "jobs:stats", (permissions.VIEW,)),
        ):
            register_subnav("jobs", key, label, url_name, *perms, group_label=_("Doorstep jobs"))
        register_demo("jobs", build_demo, order=65)
        hooks.register()
