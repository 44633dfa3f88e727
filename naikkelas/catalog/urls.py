from django.contrib.sitemaps.views import sitemap
from django.urls import path

from naikkelas.catalog import views
from naikkelas.catalog.sitemaps import SITEMAPS

app_name = "catalog"
urlpatterns = [
    path("katalog/", views.home, name="home"),
    path("katalog/cari/", views.search, name="search"),
    path("katalog/kategori/<slug:slug>/", views.category, name="category"),
    path("katalog/produk/<int:pk>/", views.product, name="product_short"),
    path("katalog/produk/<int:pk>-<slug:slug>/", views.product, name="product"),
    path("katalog/produk/<int:pk>/wa/", views.product_whatsapp, name="whatsapp"),
    path("katalog/produk/<int:pk>/dilihat/", views.product_seen, name="seen"),
    path("katalog/produk/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("katalog/foto/<int:pk>/<str:size>.<str:ext>", views.photo, name="photo"),
    path("katalog/kelola/", views.curation, name="curation"),
    path("katalog/kelola/angka/", views.figures, name="figures"),
    path("katalog/kelola/ekspor-shopee.xlsx", views.marketplace_export, name="export"),
    path("katalog/produk/<int:pk>/ubah/", views.product_edit, name="product_edit"),
    path("katalog/produk/<int:pk>/kurasi/<slug:move>/", views.product_move, name="product_move"),
    path("katalog/produk/<int:pk>/foto/<int:photo>/hapus/", views.photo_delete, name="photo_delete"),
    path("usaha/<int:pk>/toko/", views.shop_link_save, name="shop_link"),
    path("usaha/<int:pk>/produk/", views.business_products, name="business_products"),
    path("usaha/<int:pk>/kalkulator/", views.calculator, name="calculator"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
