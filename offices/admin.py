from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CoordinatingPeriod, Office


class CoordinatingPeriodInline(admin.TabularInline):
    model = CoordinatingPeriod
    extra = 0


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "seat", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["seat"]
    inlines = [CoordinatingPeriodInline]
