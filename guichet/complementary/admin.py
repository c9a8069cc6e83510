from django.contrib import admin

from guichet.complementary.models import Choice, ChoiceRequest, Conflict


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


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    raw_id_fields = ["person", "chosen_contract"]


@admin.register(ChoiceRequest)
class ChoiceRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "family", "requested_at", "applied_at", "closed_at"]
    raw_id_fields = ["family", "requested_by"]
    inlines = [ChoiceInline]
