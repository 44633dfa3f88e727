from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "naikkelas.catalog"
    verbose_name = _("Product catalogue")

    def ready(self):
        from naikkelas.catalog import services
        from naikkelas.registry import followers

        # A business that closes or moves changes what the public catalogue shows.
        followers.follow(changed=services.businesses_changed, rebuilt=services.businesses_rebuilt)
