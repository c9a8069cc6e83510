from django.contrib import admin
from django.http import HttpRequest

from guichet.powers.models import PowerOfAttorney, PowerTransition, PowerUse


class TransitionInline(admin.TabularInline):
    model = PowerTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "reason", "at", "by", "note"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class UseInline(admin.TabularInline):
    model = PowerUse
    extra = 0
    can_delete = False
    readonly_fields = ["used_at", "agent", "fund", "document_type", "document_last_digits"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PowerOfAttorney)
class PowerOfAttorneyAdmin(admin.ModelAdmin):
    """Read-only: powers change only through the services (state machine + log)."""

    list_display = ["grantor", "proxy_last_name", "status", "created_at", "valid_until"]
    list_filter = ["status"]
    inlines = [TransitionInline, UseInline]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in PowerOfAttorney._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
