from django.urls import path

from naikkelas.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("beranda/", views.home_page, name="home"),
    path("corong/", views.funnel_page, name="funnel"),
    path("corong.xlsx", views.funnel_export, name="funnel_xlsx"),
]
