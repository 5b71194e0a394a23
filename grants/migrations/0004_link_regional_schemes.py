from django.db import migrations


def forwards(apps, schema_editor):
    from grants.reference import link_scheme_offices

    link_scheme_offices(apps)


def backwards(apps, schema_editor):
    apps.get_model("grants", "Scheme").objects.update(office=None)


class Migration(migrations.Migration):
    """The seeded regional schemes belong to their office: the ALIS Vest pilot to ALIS Vest,
    ALIS Nord's scheme to ALIS Nord; the national schemes stay without an office."""

    dependencies = [("grants", "0003_scheme_office"), ("offices", "0002_reference_data")]

    operations = [migrations.RunPython(forwards, backwards)]
