"""The moved goal tables get the goals app's names (plans_* → goals_*; the many-to-many table of an
activity's goals follows), once every app points at the goals models (plans 0006). Content
types follow too, so history and admin log rows keep pointing at the same models. Rows stay."""

from django.db import migrations

MOVED = ['activitysignoff', 'digestlink', 'goaladvice', 'goalprogress', 'historicalactivitysignoff', 'historicalgoaladvice', 'historicalgoalprogress', 'historicallearningactivity', 'historicallearningactivity_goals', 'learningactivity']


def content_types_to_goals(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="plans", model__in=MOVED).update(app_label="goals")


def content_types_to_plans(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="goals", model__in=MOVED).update(app_label="plans")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("goals", "0001_move_goal_progress_from_plans"),
        ("plans", "0006_goal_progress_moved_to_goals"),
    ]

    operations = [
        migrations.RunPython(content_types_to_goals, content_types_to_plans),
        migrations.AlterModelTable(name='GoalProgress', table=None),
        migrations.AlterModelTable(name='GoalAdvice', table=None),
        migrations.AlterModelTable(name='HistoricalGoalAdvice', table=None),
        migrations.AlterModelTable(name='HistoricalGoalProgress', table=None),
        migrations.AlterModelTable(name='HistoricalLearningActivity', table=None),
        migrations.AlterModelTable(name='LearningActivity', table=None),
        migrations.AlterModelTable(name='HistoricalLearningActivity_goals', table=None),
        migrations.AlterModelTable(name='HistoricalActivitySignoff', table=None),
        migrations.AlterModelTable(name='DigestLink', table=None),
        migrations.AlterModelTable(name='ActivitySignoff', table=None),
    ]
