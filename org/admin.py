from django.contrib import admin

from .models import AuditEntry, Officer, RoleCategory, RoleGrant, Unit, User

admin.site.register(User)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-only here: full paths of a subtree must move together, so units change through org.services."""

    list_display = ["full_path", "kind"]
    search_fields = ["full_path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RoleCategory)
class RoleCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "name", "unit", "role_category", "status"]
    list_filter = ["role_category", "status", "enforcement_duty"]
    search_fields = ["employee_no", "name", "phone"]
    raw_id_fields = ["user", "unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # an edit here is an officer edit like any other: the placement history follows it
        from .services import placement_record

        placement_record(officer=obj)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
