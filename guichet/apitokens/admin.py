from django.contrib import admin

from guichet.apitokens.models import IssuedToken, TokenFamily


class IssuedTokenInline(admin.TabularInline):
    model = IssuedToken
    fields = ("kind", "created_at", "expires_at", "used_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(TokenFamily)
class TokenFamilyAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "ip_address", "revoked_at", "revoked_reason")
    list_filter = ("revoked_reason",)
    readonly_fields = ("user", "created_at", "ip_address")
    inlines = [IssuedTokenInline]
