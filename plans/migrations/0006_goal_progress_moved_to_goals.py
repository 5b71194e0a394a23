"""Goal progress and its companions now belong to the goals app (goals 0001 took them over, tables
and rows included); the plans app only forgets them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0005_rule_set_readings"),
        ("goals", "0001_move_goal_progress_from_plans"),
        ("events", "0002_signup_activity_in_goals"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalLearningActivity_goals"),
                migrations.DeleteModel(name="HistoricalActivitySignoff"),
                migrations.DeleteModel(name="HistoricalGoalAdvice"),
                migrations.DeleteModel(name="HistoricalGoalProgress"),
                migrations.DeleteModel(name="HistoricalLearningActivity"),
                migrations.DeleteModel(name="DigestLink"),
                migrations.DeleteModel(name="ActivitySignoff"),
                migrations.DeleteModel(name="GoalAdvice"),
                migrations.DeleteModel(name="GoalProgress"),
                migrations.DeleteModel(name="LearningActivity"),
            ],
            database_operations=[],
        ),
    ]
