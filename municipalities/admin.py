from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Municipality, OfficeAssignment


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
