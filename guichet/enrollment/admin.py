from django.contrib import admin

from guichet.enrollment.models import EmailConfirmation, EmailConfirmationTransition


class TransitionInline(admin.TabularInline):
    model = EmailConfirmationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(EmailConfirmation)
class EmailConfirmationAdmin(admin.ModelAdmin):
    list_display = ["email", "user", "status", "way", "sent_at", "confirmed_at"]
    list_filter = ["status", "way"]
    readonly_fields = ["user", "email", "status", "way", "sent_at", "confirmed_at"]
    inlines = [TransitionInline]
