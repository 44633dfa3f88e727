from django.urls import path

from naikkelas.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.import_home, name="home"),
    path("<int:pk>/", views.upload_detail, name="upload"),
    path("<int:pk>/periksa/", views.upload_check, name="check"),
    path("<int:pk>/jalankan/", views.upload_run, name="run"),
    path("<int:pk>/progres/", views.upload_progress, name="progress"),
    path("<int:pk>/ditolak.xlsx", views.upload_rejected, name="rejected"),
    path("<int:pk>/masalah.xlsx", views.upload_problems, name="problems"),
    path("<int:pk>/batalkan/", views.batch_undo, name="undo"),
    path("kualitas/", views.data_quality, name="quality"),
    path("kualitas.xlsx", views.data_quality, name="quality_xlsx"),
    path("ganda/", views.duplicates_queue, name="duplicates"),
    path("ganda/cari/", views.duplicates_search, name="duplicates_search"),
    path("ganda/<int:pk>/gabung/", views.cluster_merge, name="cluster_merge"),
    path("ganda/<int:pk>/beda/", views.cluster_not_same, name="cluster_not_same"),
    path("ganda/<int:pk>/lewati/", views.cluster_skip, name="cluster_skip"),
    path("ganda/gabungan/<int:pk>/batal/", views.merge_undo, name="merge_undo"),
    path("ganda/gabungan-orang/<int:pk>/batal/", views.person_merge_undo, name="person_merge_undo"),
]
