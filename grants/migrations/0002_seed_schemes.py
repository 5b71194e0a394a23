from django.db import migrations


def forwards(apps, schema_editor):
    from grants.reference import seed_grant_schemes

    seed_grant_schemes(apps, link_offices=False)


class Migration(migrations.Migration):
    """The grant schemes the seeds describe (ALIS Vest pilot, ALIS Nord, the national scheme
    for ALIS agreements and for supervision)."""

    dependencies = [("grants", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
