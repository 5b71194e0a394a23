"""Grant schemes and their rules are national data kept by staff in the admin (rules change
almost yearly). Claims, invoices and settlements are kept in the office pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EligibilityRule, Scheme


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "valid_from", "valid_to", "amount", "municipal_share"]
    inlines = [EligibilityRuleInline]
