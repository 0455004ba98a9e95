"""Django admin for the learning data HR may need to look at. The ledger is read-only here too."""

from django.contrib import admin

from .models import CourseAssignment, CreditEntry, HourRule, TrainingDayRule

# Credit categories are content's (edited as a Wagtail snippet under /cms/snippets/); no admin here.


@admin.register(HourRule)
class HourRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "role_category", "category", "required_hours"]
    list_filter = ["year", "role_category"]


@admin.register(TrainingDayRule)
class TrainingDayRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "role_category", "min_days"]


@admin.register(CourseAssignment)
class CourseAssignmentAdmin(admin.ModelAdmin):
    list_display = ["year", "course_id", "role_category", "unit"]
    list_filter = ["year"]


@admin.register(CreditEntry)
class CreditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "officer", "year", "category", "hours", "source_kind", "source_id", "reverses"]
    list_filter = ["year", "source_kind", "category"]
    search_fields = ["officer__employee_no", "officer__name", "source_id"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
