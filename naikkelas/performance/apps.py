from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "naikkelas.performance"
    verbose_name = _("Performance")

    def ready(self):
        from naikkelas.lifecycle import evidence
        from naikkelas.performance.selectors import sop_adopted_note

        # An adopted SOP answers the scorecard's question on SOPs.
        evidence.provide("sop", sop_adopted_note)
