from django.urls import path

from naikkelas.training import views

app_name = "training"
urlpatterns = [
    path("pelatihan/", views.cohort_list, name="cohorts"),
    path("pelatihan/ringkasan/", views.summary, name="summary"),
    path("pelatihan/kpi/", views.kpi_by_cohort, name="kpi_by_cohort"),
    path("pelatihan/program/baru/", views.programme_detail, name="programme_new"),
    path("pelatihan/program/<int:pk>/", views.programme_detail, name="programme"),
    path("pelatihan/program/<int:pk>/soal/", views.question_create, name="question_new"),
    path("pelatihan/angkatan/<int:pk>/", views.cohort_detail, name="cohort"),
    path("pelatihan/angkatan/<int:pk>/sesi/", views.session_create, name="session_new"),
    path("pelatihan/angkatan/<int:pk>/undang-email/", views.invite_email, name="invite_email"),
    path(
        "pelatihan/angkatan/<int:pk>/terbitkan-sertifikat/",
        views.certificates_issue,
        name="certificates_issue",
    ),
    path("pelatihan/angkatan/<int:pk>/sertifikat.zip", views.certificates_zip, name="certificates_zip"),
    path(
        "pelatihan/angkatan/<int:pk>/cabut/<str:number>/", views.certificate_revoke, name="certificate_revoke"
    ),
    path("pelatihan/sesi/<int:pk>/absen/", views.session_checkin, name="checkin"),
    path("daftar/<str:token>/", views.register, name="register"),
    path("peserta/<str:token>/", views.participant, name="participant"),
    path("peserta/<str:token>/tes/<str:kind>/", views.participant_test, name="test"),
    path("peserta/<str:token>/sertifikat.pdf", views.certificate_pdf, name="certificate"),
    path("sertifikat/<str:number>/", views.verify, name="verify"),
    path("pelatihan/program/<int:pk>/dampak/", views.programme_impact, name="impact"),
]
