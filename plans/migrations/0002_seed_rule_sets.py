from django.db import migrations


def seed(apps, schema_editor):
    from plans.reference import seed_rule_sets

    seed_rule_sets(apps)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_catalogue_and_rule_sets")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
