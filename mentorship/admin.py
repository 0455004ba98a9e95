"""Django admin for mentorship: read-only. Every write goes through mentorship.services (the HR and officer pages),
which check the rules, credit hours exactly once and write the audit."""

from django.contrib import admin

from .models import CheckIn, Evaluation, Pair, Programme, ReminderLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["year", "name", "unit", "state", "owner", "starts_on", "ends_on"]
    list_filter = ["year", "state"]


@admin.register(Pair)
class PairAdmin(ReadOnlyAdmin):
    list_display = ["programme", "mentor", "mentee", "state", "score", "started_on", "ended_on"]
    list_filter = ["state", "programme__year"]
    search_fields = ["mentee__name", "mentee__employee_no", "mentor__name", "mentor__employee_no"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["pair", "met_on", "minutes", "topic", "confirmed_at", "mentee_hours", "mentor_hours"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["pair", "side", "rating", "created_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["key", "user", "sent_at"]
