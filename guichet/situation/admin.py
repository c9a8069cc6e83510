from django.contrib import admin

from guichet.situation.models import (
    BankDetailsChange,
    BankDetailsChangeTransition,
    NewbornDeclaration,
    NewbornDeclarationTransition,
    UsageNameChange,
    UsageNameChangeTransition,
)


class BankDetailsChangeTransitionInline(admin.TabularInline):
    model = BankDetailsChangeTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]
    can_delete = False


@admin.register(BankDetailsChange)
class BankDetailsChangeAdmin(admin.ModelAdmin):
    """Read only: a new IBAN is decided on the back office's case page (SIT9), never here."""

    list_display = ["id", "person", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    inlines = [BankDetailsChangeTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class UsageNameChangeTransitionInline(admin.TabularInline):
    model = UsageNameChangeTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]
    can_delete = False


@admin.register(UsageNameChange)
class UsageNameChangeAdmin(admin.ModelAdmin):
    """Read only: a usage name is decided on the back office's case page (SIT14), never here."""

    list_display = ["id", "person", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    inlines = [UsageNameChangeTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NewbornDeclarationTransitionInline(admin.TabularInline):
    model = NewbornDeclarationTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]
    can_delete = False


@admin.register(NewbornDeclaration)
class NewbornDeclarationAdmin(admin.ModelAdmin):
    """Read only: a child's NIR is certified on the back office's case page (SIT20)."""

    list_display = ["id", "first_names", "last_name", "parent", "status", "requested_at"]
    list_filter = ["status"]
    inlines = [NewbornDeclarationTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
