from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Catalogue, LearningGoal, RuleSet


class LearningGoalInline(admin.TabularInline):
    model = LearningGoal
    extra = 0
    fields = ["code", "title", "theme", "typical_arena", "valid_from", "valid_to"]


@admin.register(Catalogue)
class CatalogueAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "version", "valid_from", "valid_to", "is_sample"]
    list_filter = ["kind", "specialty", "is_sample"]
    inlines = [LearningGoalInline]


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "scheme", "valid_from", "valid_to"]
    list_filter = ["scheme"]
