from django import forms
from django.contrib import admin

from guichet.accounts.enums import UserKind
from guichet.accounts.models import User
from guichet.exchanges.models import FundService, SubjectRoute, Thread, ThreadTransition


class ThreadTransitionInline(admin.TabularInline):
    model = ThreadTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "from_service", "to_service", "at", "by", "note"]
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """The threads' status and audit trail; the messages themselves stay in the agents' pages
    of the fund (rule ECH11)."""

    list_display = ["id", "fund", "service", "subject", "status", "assignee", "due_on", "closed_at"]
    list_filter = ["status", "subject", "fund", "service"]
    fields = [
        "fund",
        "service",
        "subject",
        "status",
        "assignee",
        "created_at",
        "due_on",
        "closed_at",
    ]
    readonly_fields = fields
    inlines = [ThreadTransitionInline]


class SubjectRouteFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """ECH15: one service per subject and fund — a subject routed to another service of
        the fund is refused on the form, not left to the database's constraint."""
        super().clean()
        fund_id = self.instance.fund_id
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("subject") and not form.cleaned_data.get("DELETE")
        ]
        seen: set[str] = set()
        for form in kept:
            subject = form.cleaned_data["subject"]
            elsewhere = SubjectRoute.objects.filter(fund_id=fund_id, subject=subject).exclude(
                service_id=self.instance.pk
            )
            if subject in seen or (fund_id and elsewhere.exists()):
                label = form.fields["subject"].choices
                name = dict(label).get(subject, subject)
                form.add_error(
                    "subject",
                    f"L'objet « {name} » est déjà aiguillé vers un autre service de cette "
                    "caisse : retirez-le de ce service-là d'abord.",
                )
            seen.add(subject)


class SubjectRouteInline(admin.TabularInline):
    """ECH15: the subjects this service receives (one service per subject and fund)."""

    model = SubjectRoute
    formset = SubjectRouteFormSet
    extra = 0


class FundServiceForm(forms.ModelForm):
    class Meta:
        model = FundService
        fields = ["fund", "code", "name", "is_default", "agents"]

    def clean(self) -> dict:
        """ECH16: only agents of the service's own fund are attached to it."""
        data = super().clean() or {}
        fund = data.get("fund")
        strangers = (
            [agent for agent in data.get("agents") or [] if agent.fund_id != fund.pk]
            if fund
            else []
        )
        if strangers:
            names = ", ".join(str(agent) for agent in strangers)
            self.add_error(
                "agents", f"Ces agents ne sont pas de la caisse de ce service : {names}."
            )
        return data


@admin.register(FundService)
class FundServiceAdmin(admin.ModelAdmin):
    """The fund's services, their subjects and their agents (ECH15, ECH16): data per fund,
    seeded with rules.DEFAULT_SERVICES."""

    form = FundServiceForm
    list_display = ["name", "fund", "code", "is_default"]
    list_filter = ["fund"]
    search_fields = ["name", "code"]
    filter_horizontal = ["agents"]
    inlines = [SubjectRouteInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "agents":
            kwargs["queryset"] = User.objects.filter(kind=UserKind.AGENT).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
