from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "naikkelas.api"
    verbose_name = "API"
