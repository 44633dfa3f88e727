from django.urls import path

from naikkelas.financing import views

app_name = "financing"
urlpatterns = [
    path("modal/", views.programme_list, name="programmes"),
    path("modal/program/baru/", views.programme_create, name="programme_new"),
    path("modal/program/<int:pk>/", views.programme_detail, name="programme"),
    path("modal/program/<int:pk>/ajukan/", views.application_create, name="apply"),
    path("modal/pengajuan/<int:pk>/", views.application_detail, name="application"),
    path("modal/pengajuan/<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("modal/pengajuan/<int:pk>/dokumen/<int:document>/", views.application_document, name="document"),
    path("modal/portofolio/", views.portfolio, name="portfolio"),
]
