from django.urls import path

from naikkelas.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("peluang/", views.public_list, name="public_list"),
    path("peluang/<int:pk>/", views.public_detail, name="public"),
    path("peluang/kelola/", views.office_list, name="office"),
    path("peluang/baru/", views.create, name="create"),
    path("peluang/pemasok-siap/", views.ready_suppliers, name="ready"),
    path("peluang/kemitraan/", views.partnership_list, name="partnerships"),
    path("peluang/kemitraan/<int:pk>/", views.partnership_detail, name="partnership"),
    path("peluang/pengadaan/", views.procurement_list, name="procurement"),
    path("peluang/pengadaan/<int:pk>/", views.procurement_detail, name="procurement_detail"),
    path("peluang/temu-bisnis/", views.event_list, name="events"),
    path("peluang/temu-bisnis/<int:pk>/", views.event_detail, name="event"),
    path("peluang/<int:pk>/kelola/", views.manage, name="manage"),
    path("peluang/<int:pk>/undang/", views.invite, name="invite"),
    path("peluang/<int:pk>/tawaran/<int:offer>/pilih/", views.shortlist, name="shortlist"),
    path("peluang/<int:pk>/hasil/", views.outcome, name="outcome"),
    path("usaha/<int:pk>/pengadaan/", views.business_readiness, name="business_readiness"),
    path("usaha/<int:pk>/pengadaan/dossier.<str:fmt>", views.dossier, name="dossier"),
    path("koperasi/<int:pk>/pengadaan/", views.cooperative_readiness, name="cooperative_readiness"),
]
