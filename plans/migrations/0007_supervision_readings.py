from django.db import migrations


def seed(apps, schema_editor):
    from plans.reference import add_missing_readings

    add_missing_readings(apps)


class Migration(migrations.Migration):
    """The shipped rule sets state how the supervision requirement accrues (per month of
    service, not of leave) and what two years of group supervision are."""

    dependencies = [("plans", "0006_goal_progress_moved_to_goals")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
