from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CooperationAgreement,
    EducationPlan,
    EducationUnitRegistration,
    Municipality,
    OfficeAssignment,
)


class OfficeAssignmentInline(admin.TabularInline):
    model = OfficeAssignment
    extra = 0
    readonly_fields = ["office", "start", "end", "note"]
    can_delete = False


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "county", "office", "is_active"]
    list_filter = ["office", "county", "is_active"]
    search_fields = ["number", "name"]
    readonly_fields = ["office"]  # moved only through the move command, which keeps history
    inlines = [OfficeAssignmentInline]


class CrossOfficeReadOnlyAdmin(SimpleHistoryAdmin):
    """Staff look across offices here, so the office scope is lifted for reading (there is no
    office in an admin URL). Read-only: every write goes through the services and the
    office's own pages, which validate in the office scope."""

    def get_queryset(self, request):
        return self.model.objects.with_scopes_disabled().all()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EducationUnitRegistration)
class EducationUnitRegistrationAdmin(CrossOfficeReadOnlyAdmin):
    list_display = ["municipality", "office", "status", "submitted_at", "decided_at"]
    list_filter = ["office", "status"]
    search_fields = ["municipality__name", "municipality__number", "org_number"]
    list_select_related = ["municipality", "office"]


@admin.register(EducationPlan)
class EducationPlanAdmin(CrossOfficeReadOnlyAdmin):
    list_display = ["municipality", "office", "version", "created_at", "created_by"]
    list_filter = ["office"]
    search_fields = ["municipality__name", "municipality__number"]
    list_select_related = ["municipality", "office", "created_by"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(CrossOfficeReadOnlyAdmin):
    list_display = ["municipality", "office", "counterparty_type", "counterparty_name", "start"]
    list_filter = ["office", "counterparty_type"]
    search_fields = ["municipality__name", "counterparty_name"]
    list_select_related = ["municipality", "office"]


# Health-trust areas and former names: reference data, maintained like the register.
from .areas import HealthTrust, HealthTrustArea, MunicipalityName  # noqa: E402


@admin.register(HealthTrust)
class HealthTrustAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]


@admin.register(HealthTrustArea)
class HealthTrustAreaAdmin(admin.ModelAdmin):
    list_display = ["municipality", "health_trust", "valid_from", "valid_to", "source"]
    list_filter = ["health_trust"]
    search_fields = ["municipality__name", "municipality__number"]


@admin.register(MunicipalityName)
class MunicipalityNameAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "valid_from", "valid_to"]
    search_fields = ["name", "municipality__name"]
