import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0003_seed_fund_services")]

    operations = [
        migrations.AlterField(
            model_name="thread",
            name="service",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="threads",
                to="exchanges.fundservice",
                verbose_name="service",
            ),
        ),
    ]
