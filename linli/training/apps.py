from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "linli.training"
    label = "training"
    verbose_name = _("Cadre training base")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.core.demo_hooks import register_demo
        from linli.core.hooks import FigureGroup, register_figures
        from linli.core.navigation import register_nav, register_subnav
        from linli.core.pii import register_protected
        from linli.training import permissions, selectors
        from linli.training.api import router as api_router
        from linli.training.demo import build_demo
        from linli.training.models import TrainingClass

        register_router("/training/", api_router)
        register_nav(_("Training base"), "training:classes", permissions.VIEW, order=70)
        for key, label, url_name in (
            ("classes", _("Classes"), "training:classes"),
            ("courses", _("Courses"), "training:courses"),
            ("lecturers", _("Lecturers"), "training:lecturers"),
            ("lodging", _("Lodging"), "training:lodging"),
            ("totals", _("Trainee visits"), "training:totals"),
        ):
            register_subnav(
                "training", key, label, url_name, permissions.VIEW, group_label=_("Training base")
            )
        register_demo("training", build_demo, order=70)
        register_figures(
            FigureGroup(
                domain="training",
                label=_("Training base"),
                perms=(permissions.VIEW,),
                provider=selectors.cockpit_figures,
                order=70,
            )
        )
        # Key rotation (manage.py rotate_pii_key) re-keys the contacts' phones too.
        register_protected(TrainingClass, encrypted="contact_phone_encrypted", kind="phone")
