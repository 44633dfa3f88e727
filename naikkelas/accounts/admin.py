from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from naikkelas.accounts.models import User


@admin.register(User)
class NaikkelasUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("naikkelas", {"fields": ("role", "region", "districts")}))
    list_display = ("username", "first_name", "role", "region", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("region", "districts")  # thousands of regions: no giant select boxes
