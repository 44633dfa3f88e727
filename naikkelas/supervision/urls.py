from django.urls import path

from naikkelas.supervision import views

app_name = "supervision"
urlpatterns = [
    path("pengawasan/", views.dashboard, name="dashboard"),
    path("pengawasan/rat/", views.compliance, name="compliance"),
    path("pengawasan/laporan/impor/", views.reports_upload, name="reports_upload"),
    path("pengawasan/penilaian/<int:pk>/", views.rating_detail, name="rating"),
    path("koperasi/<int:pk>/pengawasan/", views.cooperative_supervision, name="cooperative"),
    path(
        "koperasi/<int:pk>/pengawasan/rat/<int:meeting>/<str:kind>/", views.meeting_file, name="meeting_file"
    ),
]
