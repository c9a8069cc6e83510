"""ECH15: every fund gets the default services and routes, and every thread the service of its
subject (0004 then makes a thread's service mandatory). The list is copied here (a migration does not
import the app's code, which will change): rules.DEFAULT_SERVICES of the day."""

from django.db import migrations

SERVICES = (
    ("prestations", "Prestations", ("reimbursement", "complementary")),
    ("indemnites-journalieres", "Indemnités journalières", ("daily_allowance",)),
    ("carte-vitale-droits", "Carte Vitale et droits", ("rights", "carte_vitale", "personal_details")),
    ("relations-assures", "Relations avec les assurés", ("appointment", "other")),
)
DEFAULT = "relations-assures"


def seed(apps, schema_editor):
    Fund = apps.get_model("reference", "Fund")
    FundService = apps.get_model("exchanges", "FundService")
    SubjectRoute = apps.get_model("exchanges", "SubjectRoute")
    Thread = apps.get_model("exchanges", "Thread")
    for fund in Fund.objects.all():
        routes = {}
        for code, name, subjects in SERVICES:
            service, _ = FundService.objects.get_or_create(
                fund=fund, code=code, defaults={"name": name, "is_default": code == DEFAULT}
            )
            for subject in subjects:
                route, _ = SubjectRoute.objects.get_or_create(
                    fund=fund, subject=subject, defaults={"service": service}
                )
                routes[subject] = route.service_id
        for subject, service_id in routes.items():
            Thread.objects.filter(fund=fund, subject=subject, service__isnull=True).update(
                service_id=service_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0002_fund_services"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
