from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "linli.party"
    label = "party"
    verbose_name = _("Party organisation")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.party.api import router as api_router

        register_router("/party/", api_router)

        from linli.core.demo_hooks import register_demo
        from linli.core.escalation import register_escalation_source
        from linli.core.navigation import register_nav
        from linli.party import permissions
        from linli.party.demo import build_party_demo
        from linli.party.escalation import party_escalation_chain

        register_nav(_("Party organisation"), "party:home", permissions.VIEW, order=40)
        from linli.core.navigation import register_subnav

        for key, label, url_name in (
            ("tree", _("Organisation tree"), "party:home"),
            ("members", _("Party members"), "party:members"),
            ("centrals", _("Central households"), "party:centrals"),
            ("coverage", _("Coverage"), "party:coverage"),
        ):
            register_subnav(
                "party", key, label, url_name, permissions.VIEW, group_label=_("Party organisation")
            )
        register_nav(_("Service cards"), "party:cards", permissions.PRINT_CARDS, order=41)
        # Before the domains that read the tree (Community 110's escalation, say).
        register_demo("party", build_party_demo, order=20)
        register_escalation_source(party_escalation_chain)

        from linli.party import figures, panels  # issue 14: resident page, cockpit

        panels.register()
        figures.register()

        from linli.party import hub  # the hub, search and household page (core.hooks)

        hub.register()
