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
    path("ganda/", views.duplicates_queue, name="duplicates"),
]
