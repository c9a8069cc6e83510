from django.contrib import admin

from guichet.cases.models import Case, CaseTransition


class CaseTransitionInline(admin.TabularInline):
    model = CaseTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "fund", "status", "assignee", "due_at", "closed_at"]
    list_filter = ["kind", "status", "fund"]
    readonly_fields = ["subject_type", "subject_id", "opened_at", "closed_at"]
    inlines = [CaseTransitionInline]
