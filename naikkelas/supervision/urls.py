from django.urls import path

from naikkelas.supervision import views

app_name = "supervision"
urlpatterns = [
    path("pengawasan/", views.dashboard, name="dashboard"),
    path("pengawasan/rat/", views.compliance, name="compliance"),
    path("pengawasan/laporan/impor/", views.reports_upload, name="reports_upload"),
    path("pengawasan/penilaian/<int:pk>/", views.rating_detail, name="rating"),
    path("koperasi/<int:pk>/pengawasan/", views.cooperative_supervision, name="cooperative"),
    path("koperasi/<int:pk>/pengawasan/rat/", views.meeting_create, name="meeting_new"),
    path("koperasi/<int:pk>/pengawasan/laporan/", views.report_create, name="report_new"),
    path("koperasi/<int:pk>/pengawasan/penilaian/", views.rating_create, name="rating_new"),
    path("koperasi/<int:pk>/pengawasan/kunjungan/", views.visit_create, name="visit_new"),
    path("koperasi/<int:pk>/pengawasan/tindak-lanjut/", views.follow_up_close, name="follow_up_done"),
    path(
        "koperasi/<int:pk>/pengawasan/rat/<int:meeting>/<str:kind>/", views.meeting_file, name="meeting_file"
    ),
]
