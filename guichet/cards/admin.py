from django.contrib import admin

from guichet.cards.models import CardDeclaration, CardOrder, CardOrderTransition


class TransitionInline(admin.TabularInline):
    model = CardOrderTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(CardOrder)
class CardOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "beneficiary", "status", "submitted_at", "expected_on"]
    list_filter = ["status"]
    raw_id_fields = ["beneficiary", "ordered_by", "replaced_card", "claimed_by", "new_card"]
    readonly_fields = ["status", "photo", "document"]
    inlines = [TransitionInline]


@admin.register(CardDeclaration)
class CardDeclarationAdmin(admin.ModelAdmin):
    list_display = ["card", "kind", "declared_at"]
    raw_id_fields = ["card", "declared_by"]
