from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "naikkelas.registry"
    verbose_name = _("Registry")

    def ready(self):
        from django.db.models.signals import post_migrate

        # Schema upkeep, not business logic: re-create the search index wherever a migration dropped it.
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender, using, **kwargs):
    from django.db import connections

    from naikkelas.registry.search import ensure_search_index

    ensure_search_index(connections[using])
