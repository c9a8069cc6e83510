from django.contrib import admin
from django.http import HttpRequest

from guichet.appointments.models import (
    Absence,
    Appointment,
    AppointmentTransition,
    Motif,
    OpeningSlot,
    Place,
    PlaceClosure,
)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "fund", "address", "is_active"]
    list_filter = ["fund", "is_active"]


@admin.register(Motif)
class MotifAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "fund",
        "channel",
        "duration_minutes",
        "min_booking_delay_hours",
        "max_booking_delay_days",
    ]
    list_filter = ["fund", "channel"]


@admin.register(OpeningSlot)
class OpeningSlotAdmin(admin.ModelAdmin):
    """Read-only here: openings are created through the service, which refuses overlaps (RDV4)."""

    list_display = ["place", "agent", "weekdays", "start_time", "end_time", "first_day", "last_day"]
    list_filter = ["place"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["agent", "start", "end", "reason"]


@admin.register(PlaceClosure)
class PlaceClosureAdmin(admin.ModelAdmin):
    """Read-only here: a closure is recorded through the service, which cancels and notifies
    the day's appointments (RDV23)."""

    list_display = ["place", "day", "reason", "created_by"]
    list_filter = ["place"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TransitionInline(admin.TabularInline):
    model = AppointmentTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: appointments change only through the services (state machine + log)."""

    list_display = ["start", "place", "motif", "agent", "status", "represented_by_proxy"]
    list_filter = ["status", "place"]
    inlines = [TransitionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Appointment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
