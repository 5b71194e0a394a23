from django.db import migrations


def forwards(apps, schema_editor):
    from agreements.reference import seed_agreement_reference_data

    seed_agreement_reference_data(apps)


class Migration(migrations.Migration):
    """Two grant schemes (the pilot, and a current-style one marked as example data) and the
    national agreement template."""

    dependencies = [
        ("agreements", "0001_agreements_templates_grants"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
