"""HPR numbers are unique in the country, not only in one office (issue 10): a doctor who moves
region is transferred with the receiving office's acceptance, never registered a second time."""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    # Historical managers are plain (no scope), so this sees every office.
    Trainee = apps.get_model("trainees", "Trainee")
    duplicates = list(
        Trainee._base_manager.values("hpr_number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("hpr_number", flat=True)
    )
    if duplicates:
        raise RuntimeError(
            "HPR-nummer registrert i flere ALIS-kontorer: "
            + ", ".join(sorted(duplicates))
            + ". Slå sammen eller overfør legene (én oppføring per lege) før migreringen kjøres."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0005_course_records"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="trainee",
            name="trainee_hpr_per_office",
        ),
        migrations.AddConstraint(
            model_name="trainee",
            constraint=models.UniqueConstraint(
                fields=("hpr_number",),
                name="trainee_hpr_national",
                violation_error_message="Det finnes allerede en ALIS-lege med dette HPR-nummeret.",
            ),
        ),
    ]
