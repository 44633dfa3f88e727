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
    path("pokok-pikiran/<int:pk>/rencana/", views.pokok_pikiran_link, name="pokok_pikiran_link"),
    path("rencana/", views.plan_list, name="plans"),
    path("rencana/baru/", views.plan_create, name="plan_create"),
    path("rencana/<int:pk>/", views.plan_detail, name="plan"),
    path("rencana/<int:pk>/entri/", views.plan_node_add, name="plan_node_add"),
    path("rencana/<int:pk>/impor/", views.renja_upload, name="renja_upload"),
    path("rencana/<int:pk>/renja.xlsx", views.renja_xlsx, name="renja_xlsx"),
    path("entri/<int:pk>/indikator/", views.plan_target_add, name="plan_target_add"),
    path("indikator-rencana/<int:pk>/", views.plan_target_edit, name="plan_target_edit"),
    path("entri/<int:pk>/anggaran/", views.plan_budget_save, name="plan_budget_save"),
    path("entri/<int:pk>/hapus/", views.plan_node_delete, name="plan_node_delete"),
    path("laporan/<slug:kind>/", views.report_page, name="report"),
    path("laporan/<slug:kind>.pdf", views.report_pdf, name="report_pdf"),
    path("laporan/<slug:kind>.xlsx", views.report_xlsx, name="report_xlsx"),
    path("dasbor/", views.head_dashboard, name="head_dashboard"),
]
