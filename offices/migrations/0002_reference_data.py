from django.db import migrations


def forwards(apps, schema_editor):
    from offices.reference import seed_reference_data

    seed_reference_data(apps)


class Migration(migrations.Migration):
    """The five offices and the 357 municipalities of 2024, each assigned to its office."""

    dependencies = [
        ("offices", "0001_initial"),
        ("municipalities", "0002_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
