from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "linli.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.core.demo_hooks import register_demo
        from linli.core.followups import register_handler
        from linli.core.navigation import register_nav, register_subnav
        from linli.surveys import figures, hub, panels, permissions
        from linli.surveys.api import router as api_router
        from linli.surveys.demo import build_demo

        register_router("/surveys/", api_router)
        register_nav(_("Surveys"), "surveys:index", permissions.VIEW, order=60)
        register_nav(_("My surveys"), "surveys:mine", permissions.ANSWER, order=61)
        register_subnav(
            "surveys",
            "index",
            _("Surveys"),
            "surveys:index",
            permissions.VIEW,
            group_label=_("Surveys"),
        )
        register_subnav(
            "surveys", "wellbeing", _("Wellbeing indices"), "surveys:wellbeing", permissions.VIEW
        )
        register_demo("surveys", build_demo, order=80)
        panels.register()
        figures.register()
        hub.register()
        from linli.surveys.services import followup_requested

        register_handler(followup_requested)
