from django.db import migrations


def seed(apps, schema_editor):
    from hospital.reference import seed_institution_rules

    seed_institution_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("hospital", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
