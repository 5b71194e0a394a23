"""A sign-up's learning activity is the goals app's model now (the same table and rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0001_events_catalogue_signups"),
        ("goals", "0001_move_goal_progress_from_plans"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="signup",
                    name="learning_activity",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="goals.learningactivity",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
