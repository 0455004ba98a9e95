from django.contrib import admin

from .models import Question, QuestionCategory, QuestionVersion


@admin.register(QuestionCategory)
class QuestionCategoryAdmin(admin.ModelAdmin):
    list_display = ["full_path"]
    search_fields = ["full_path"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-only: questions change through exams.services so every edit leaves a version."""

    list_display = ["id", "kind", "stem", "category", "status", "version_number"]
    list_filter = ["kind", "status", "difficulty"]
    search_fields = ["stem"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuestionVersion)
class QuestionVersionAdmin(admin.ModelAdmin):
    list_display = ["question", "number", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
