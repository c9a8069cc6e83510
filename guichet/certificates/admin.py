from django.contrib import admin

from guichet.certificates.models import Download, Issuance


class DownloadInline(admin.TabularInline):
    model = Download
    extra = 0
    readonly_fields = ["person", "user", "channel", "downloaded_at"]
    can_delete = False


@admin.register(Issuance)
class IssuanceAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "channel", "holder_initials", "issued_at", "valid_until"]
    list_filter = ["kind", "channel"]
    search_fields = ["reference"]
    readonly_fields = [f.name for f in Issuance._meta.fields]
    inlines = [DownloadInline]
