from django.db import migrations


def forwards(apps, schema_editor):
    from municipalities.reference_areas import seed_health_trust_areas

    seed_health_trust_areas(apps)


class Migration(migrations.Migration):
    """Every municipality of the 2024 register in a health-trust area; the former names."""

    dependencies = [
        ("municipalities", "0006_health_trust_areas_and_former_names"),
        ("offices", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
