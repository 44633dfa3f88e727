from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "naikkelas.lifecycle"
    verbose_name = _("Lifecycle")

    def ready(self):
        from naikkelas.lifecycle import funnel
        from naikkelas.registry import followers

        # The funnel counts businesses, so it follows every business write the registry makes.
        followers.follow(changed=funnel.funnel_sync, rebuilt=funnel.funnel_rebuild)
