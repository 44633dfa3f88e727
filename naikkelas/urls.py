"""URLs: pages, the JSON API under /api/v1/, language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from naikkelas.accounts import views as account_views
from naikkelas.api.api import api
from naikkelas.ops.health import healthz
from naikkelas.ops.metrics import metrics
from naikkelas.registry import views as registry_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("usaha/", registry_views.business_list, name="business_list"),
    path("usaha/ekspor.csv", registry_views.business_export, name="business_export"),
    path("usaha/ekspor.xlsx", registry_views.business_export, name="business_export_xlsx"),
    path("usaha/ekspor-sidt.csv", registry_views.business_export_sidt, name="business_export_sidt"),
    path("usaha/ekspor-sidt.xlsx", registry_views.business_export_sidt, name="business_export_sidt_xlsx"),
    path("usaha/baru/", registry_views.business_create, name="business_create"),
    path("usaha/<int:pk>/", registry_views.business_detail, name="business_detail"),
    path("usaha/<int:pk>/ubah/", registry_views.business_edit, name="business_edit"),
    path("usaha/<int:pk>/dokumen/", registry_views.business_document_add, name="business_document_add"),
    path("usaha/<int:pk>/nik/", registry_views.business_reveal_nik, name="business_reveal_nik"),
    path(
        "usaha/<int:pk>/deklarasi/<int:declaration_id>/<str:decision>/",
        registry_views.declaration_decide,
        name="declaration_decide",
    ),
    path(
        "usaha/<int:pk>/akun-pemilik/", registry_views.business_owner_account, name="business_owner_account"
    ),
    path("koperasi/", registry_views.cooperative_list, name="cooperative_list"),
    path("koperasi/ekspor.csv", registry_views.cooperative_export, name="cooperative_export"),
    path("koperasi/ekspor.xlsx", registry_views.cooperative_export, name="cooperative_export_xlsx"),
    path("koperasi/ekspor-ods.csv", registry_views.cooperative_export_ods, name="cooperative_export_ods"),
    path(
        "koperasi/ekspor-ods.xlsx", registry_views.cooperative_export_ods, name="cooperative_export_ods_xlsx"
    ),
    path("koperasi/baru/", registry_views.cooperative_create, name="cooperative_create"),
    path("koperasi/<int:pk>/", registry_views.cooperative_detail, name="cooperative_detail"),
    path("koperasi/<int:pk>/ubah/", registry_views.cooperative_edit, name="cooperative_edit"),
    path("impor/", include("naikkelas.intake.urls")),
    path("", include("naikkelas.lifecycle.urls")),
    path("", include("naikkelas.performance.urls")),
    path("", include("naikkelas.training.urls")),
    path("", include("naikkelas.financing.urls")),
    path("", include("naikkelas.supervision.urls")),
    path("", include("naikkelas.catalog.urls")),
    path("dasbor/", include("naikkelas.dashboard.urls")),
    path("rencana/", include("naikkelas.planning.urls")),
    path("privasi/", include("naikkelas.privacy.urls")),
    path("", include("naikkelas.opportunities.urls")),
    path("audit/", account_views.audit_log, name="audit_log"),
    path("akun/token/", account_views.api_tokens, name="api_tokens"),
    path("akun/token/<int:pk>/cabut/", account_views.api_token_revoke, name="api_token_revoke"),
    # The API's address on its own opens its documentation (served from the app's own files: works offline).
    path(
        "api/v1/", RedirectView.as_view(pattern_name="api_v1:openapi-view", permanent=False), name="api_root"
    ),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
