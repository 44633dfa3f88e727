from django.urls import path

from naikkelas.planning import views

app_name = "planning"
urlpatterns = [
    path("indikator/", views.indicators, name="indicators"),
]
