from django.contrib import admin

from guichet.ceam.models import CeamOrder, CeamOrderTransition


class TransitionInline(admin.TabularInline):
    model = CeamOrderTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(CeamOrder)
class CeamOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "beneficiary", "status", "ordered_at", "expected_on", "departure_on"]
    list_filter = ["status"]
    raw_id_fields = ["beneficiary", "ordered_by", "card", "provisional_certificate"]
    readonly_fields = ["status"]
    inlines = [TransitionInline]
