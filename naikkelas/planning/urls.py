from django.urls import path

from naikkelas.planning import views

app_name = "planning"
urlpatterns = [
    path("indikator/", views.indicators, name="indicators"),
    path("indikator.xlsx", views.indicators_export, name="indicators_xlsx"),
    path("indikator/baru/", views.indicator_create, name="indicator_create"),
    path("indikator/<int:pk>/hapus/", views.indicator_delete, name="indicator_delete"),
    path("indikator/<int:pk>/nilai/", views.manual_value_record, name="manual_value"),
    path("bukti/<int:pk>/", views.evidence, name="evidence"),
    path("pokok-pikiran/", views.pokok_pikiran, name="pokok_pikiran"),
    path("bahan-lkpj.pdf", views.lkpj_pdf, name="lkpj_pdf"),
]
