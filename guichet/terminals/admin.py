"""The IT team's list of kiosks: last use, status, revocation, enrolment of a new kiosk.

Adding a kiosk here enrols it: the one-time enrolment code and link are shown once, on the
page that follows (only their digest is stored).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from guichet.accounts.models import User
from guichet.terminals import services
from guichet.terminals.models import KioskDevice, KioskTransition


def _by(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class KioskTransitionInline(admin.TabularInline):
    model = KioskTransition
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "installed_at", "last_used_at", "revoked_at")
    list_filter = ("status",)
    search_fields = ("name",)
    fields = (
        "name",
        "status",
        "created_at",
        "created_by",
        "enrolment_expires_at",
        "installed_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = (
        "status",
        "created_at",
        "created_by",
        "enrolment_expires_at",
        "installed_at",
        "last_used_at",
        "revoked_at",
    )
    inlines = [KioskTransitionInline]
    actions = ["revoke_selected", "renew_enrolment_code"]

    def get_inlines(self, request: HttpRequest, obj: KioskDevice | None) -> list:
        return self.inlines if obj is not None else []  # no history before the kiosk exists

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoked, never deleted: the list and its audit trail stay

    def save_model(
        self, request: HttpRequest, obj: KioskDevice, form: object, change: bool
    ) -> None:
        if change:  # only the name can change here
            super().save_model(request, obj, form, change)
            return
        enrolment = services.kiosk_enrol(name=obj.name, by=_by(request))
        obj.pk = enrolment.device.pk
        request._kiosk_enrolment = enrolment  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: KioskDevice, post_url_continue: str | None = None
    ) -> HttpResponse:
        enrolment = getattr(request, "_kiosk_enrolment", None)
        if enrolment is None:
            return super().response_add(request, obj, post_url_continue)
        return self._enrolment_page(request, [enrolment])

    def _enrolment_page(
        self, request: HttpRequest, enrolments: list[services.Enrolment]
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": "Code d'enregistrement de la borne",
            "opts": self.model._meta,
            "enrolments": enrolments,
            "lifetime_hours": int(services.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600),
        }
        response = TemplateResponse(request, "admin/terminals/enrolment.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Révoquer les bornes sélectionnées")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[KioskDevice]) -> None:
        revoked = sum(
            services.kiosk_revoke(device_id=pk, by=_by(request))
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(request, f"Bornes révoquées : {revoked}.", messages.SUCCESS)

    @admin.action(description="Nouveau code d'enregistrement (bornes en attente)")
    def renew_enrolment_code(
        self, request: HttpRequest, queryset: QuerySet[KioskDevice]
    ) -> HttpResponse | None:
        enrolments = []
        for pk in queryset.values_list("pk", flat=True):
            try:
                enrolments.append(services.kiosk_enrolment_renew(device_id=pk))
            except ValueError as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
        return self._enrolment_page(request, enrolments) if enrolments else None
