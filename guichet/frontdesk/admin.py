from django.contrib import admin
from django.http import HttpRequest

from guichet.frontdesk.models import FileConsultation


@admin.register(FileConsultation)
class FileConsultationAdmin(admin.ModelAdmin):
    """Read-only: the consultation log is never edited nor deleted."""

    list_display = ["at", "agent", "person", "reason"]
    list_filter = ["reason"]
    readonly_fields = ["agent", "person", "reason", "detail", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
