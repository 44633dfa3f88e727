from django.urls import path

from naikkelas.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("kunjungan/", views.worklist, name="worklist"),
    path("usaha/<int:pk>/kunjungan/", views.visit_create, name="visit_create"),
    path("usaha/<int:pk>/penilaian/", views.assessment_create, name="assessment_create"),
    path("usaha/<int:pk>/verifikasi/", views.business_panel, name="business_panel"),
    path("penilaian/<int:pk>/", views.assessment_detail, name="assessment"),
    path("foto-kunjungan/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("kartu-skor/", views.instrument_list, name="instruments"),
    path("kartu-skor/<int:pk>/", views.instrument_detail, name="instrument"),
    path("kartu-skor/<int:pk>/salin/", views.instrument_copy, name="instrument_copy"),
    path("kartu-skor/<int:pk>/pakai/", views.instrument_activate, name="instrument_activate"),
]
