from django.db import migrations


def move(apps, schema_editor):
    from hospital.reference import placement_to_rule_sets

    placement_to_rule_sets(apps)


class Migration(migrations.Migration):
    """Where the institution service may lie moves to the rule set (one source for the
    requirement page and the booking); a value an office set here goes with it."""

    dependencies = [
        ("hospital", "0002_seed_institution_rules"),
        ("plans", "0008_courses_recommended_institution_placement"),
    ]

    operations = [
        migrations.RunPython(move, migrations.RunPython.noop),
        migrations.RemoveField(model_name="historicalinstitutionrule", name="last_part_from_month"),
        migrations.RemoveField(model_name="institutionrule", name="last_part_from_month"),
    ]
