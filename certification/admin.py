"""Django admin for certification: read-only. Every write goes through certification.services (HR's pages,
the import command), which check the rules, keep events append-only and write the audit."""

from django.contrib import admin

from .models import Certificate, CertificateEvent, ReminderLog, ReviewBlock, ReviewCycle, Verification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ["kind", "year", "seq", "effective_on", "ends_on", "reason", "voids", "actor", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "officer", "issuing_authority", "issued_on", "valid_until"]
    search_fields = ["number", "officer__employee_no", "officer__name"]
    exclude = ["verify_token"]  # the public key of the verify page is not for screens
    inlines = [EventInline]


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "kind", "year", "seq", "effective_on", "actor", "created_at"]
    list_filter = ["kind", "year"]
    search_fields = ["certificate__number", "certificate__officer__name"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(ReadOnlyAdmin):
    list_display = ["year", "window_opens", "deadline", "grace_days", "requires_hours", "requires_annual_exam"]


@admin.register(ReviewBlock)
class ReviewBlockAdmin(ReadOnlyAdmin):
    list_display = ["officer", "kind", "reason", "starts_on", "ends_on", "lifted_on"]
    list_filter = ["kind"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "year", "user", "emailed", "sent_at"]
    list_filter = ["kind", "year"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "at"]
