from django.urls import path

from naikkelas.performance import views

app_name = "performance"
urlpatterns = [
    path("usaha/<int:pk>/kinerja/", views.kpi_month, name="kpi_month"),
    path("usaha/<int:pk>/kinerja/target/", views.target_create, name="target_new"),
    path("usaha/<int:pk>/buku/", views.books, name="books"),
    path("usaha/<int:pk>/buku/<int:entry_pk>/hapus/", views.entry_delete, name="entry_delete"),
    path("usaha/<int:pk>/buku/laporan-<str:month>.pdf", views.statement_pdf, name="statement"),
    path("kinerja/pantauan/", views.watchlist, name="watchlist"),
    path("kinerja/ringkasan/", views.overview, name="overview"),
    path("kinerja/impor/", views.report_upload, name="report_upload"),
    path("kinerja/iku/", views.kpi_library, name="kpis"),
    path("kinerja/iku/<int:pk>/", views.kpi_library, name="kpi_edit"),
    path("kinerja/ringkasan.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("usaha/<int:pk>/sop/", views.business_sops, name="business_sops"),
    path("sop/", views.sop_library, name="sop_library"),
    path("sop/<int:pk>/", views.sop_detail, name="sop"),
    path("sop/<int:pk>/cetak.pdf", views.sop_pdf, name="sop_pdf"),
]
