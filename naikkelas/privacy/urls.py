from django.urls import path

from naikkelas.privacy import views

app_name = "privacy"
urlpatterns = [
    path("ajukan/", views.public_request, name="public_request"),
    path("ajukan/kode/", views.public_code, name="public_code"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/salinan.<str:form>", views.my_copy, name="my_copy"),
    path("data-saya/persetujuan/", views.my_consent, name="my_consent"),
    path("data-saya/permintaan/", views.my_request, name="my_request"),
    path("data-saya/pembatasan/cabut/", views.my_restriction_lift, name="my_restriction_lift"),
    path("permintaan/", views.request_list, name="requests"),
    path("permintaan/<int:pk>/", views.request_detail, name="request"),
    path("kotak-keluar/", views.outbox_page, name="outbox"),
    path("insiden/", views.incident_list, name="incidents"),
    path("insiden/<int:pk>/", views.incident_detail, name="incident"),
    path("insiden/<int:pk>/pemberitahuan.pdf", views.incident_notice, name="incident_notice"),
    path("dpia/", views.impact_assessments, name="dpia"),
    path("register/", views.processing_register, name="register"),
    path("orang/<int:pk>/", views.person_page, name="person"),
    path("orang/<int:pk>/salinan.<str:form>", views.person_copy, name="person_copy"),
]
