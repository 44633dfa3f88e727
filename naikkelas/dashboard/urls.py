from django.urls import path

from naikkelas.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("corong/", views.funnel_page, name="funnel"),
    path("corong.xlsx", views.funnel_export, name="funnel_xlsx"),
]
