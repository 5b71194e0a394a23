"""Grant schemes are national data kept by staff in the admin (rates change almost yearly).
Agreements and templates are edited in the office pages, where access rules apply."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GrantRate, GrantScheme


class GrantRateInline(admin.TabularInline):
    model = GrantRate
    extra = 0


@admin.register(GrantScheme)
class GrantSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start", "end", "municipal_share", "auditor_report_deadline"]
    inlines = [GrantRateInline]
