from django.contrib import admin

from guichet.complementary.models import (
    Choice,
    ChoiceRequest,
    ChoiceRequestTransition,
    Conflict,
    ConflictTransition,
)


class ConflictTransitionInline(admin.TabularInline):
    model = ConflictTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "person",
        "contract_a",
        "contract_b",
        "status",
        "exclusion",
        "detected_at",
    ]
    list_filter = ["status", "exclusion"]
    raw_id_fields = ["person", "family", "contract_a", "contract_b", "request"]
    inlines = [ConflictTransitionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    raw_id_fields = ["person", "chosen_contract"]


class ChoiceRequestTransitionInline(admin.TabularInline):
    model = ChoiceRequestTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(ChoiceRequest)
class ChoiceRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "family", "status", "requested_at", "applied_at", "closed_at"]
    list_filter = ["status"]
    readonly_fields = ["status"]
    raw_id_fields = ["family", "requested_by"]
    inlines = [ChoiceInline, ChoiceRequestTransitionInline]
