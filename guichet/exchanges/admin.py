from django.contrib import admin

from guichet.exchanges.models import Thread, ThreadTransition


class ThreadTransitionInline(admin.TabularInline):
    model = ThreadTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """The threads' status and audit trail; the messages themselves stay in the agents' pages
    of the fund (rule ECH11)."""

    list_display = ["id", "fund", "subject", "status", "assignee", "due_on", "closed_at"]
    list_filter = ["status", "subject", "fund"]
    fields = ["fund", "subject", "status", "assignee", "created_at", "due_on", "closed_at"]
    readonly_fields = fields
    inlines = [ThreadTransitionInline]
