"""Goal progress moved from the plans app to goals (goals 0001, events 0002, plans 0006): a
database at the schema before the move keeps every row, and the move can be undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scope, scopes_disabled

from events.models import Signup
from goals.models import GoalProgress, GoalStatus, LearningActivity
from goals.sample_catalogue import load_sample_catalogue

from .progress_helpers import first_goals, make_doctor, record

BEFORE = [("plans", "0005_rule_set_readings"), ("events", "0001_events_catalogue_signups")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_goal_rows_survive_the_move_between_apps(
    transactional_db, vest, masfjorden, alis_masfjorden
):
    load_sample_catalogue()
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden)
    goal_a, goal_b = first_goals(2)
    activity = record(doctor, [goal_a, goal_b])
    with scope(office=vest):
        progress = GoalProgress.objects.get(trainee=doctor, goal=goal_a)
        progress.status = GoalStatus.SUBMITTED
        progress.save()

    # Back to the schema main had before the move: the rows are the plans app's again.
    executor = _migrate([("goals", None)])
    assert "plans_goalprogress" in _tables() and "goals_goalprogress" not in _tables()
    old = executor.loader.project_state(BEFORE).apps
    with scopes_disabled():
        old_activity = old.get_model("plans", "LearningActivity").objects.get(pk=activity.pk)
        assert {g.code for g in old_activity.goals.all()} == {goal_a.code, goal_b.code}
        old_progress = old.get_model("plans", "GoalProgress").objects.get(goal_id=goal_a.pk)
        assert old_progress.status == "levert"
        event_signup = old.get_model("events", "Signup")
        assert event_signup._meta.get_field("learning_activity").related_model is (
            old.get_model("plans", "LearningActivity")
        )

    # Forward again, as on a database made at main: the same rows, now in goals_* tables.
    _migrate(executor.loader.graph.leaf_nodes())
    tables = _tables()
    assert {"goals_goalprogress", "goals_learningactivity_goals"} <= tables
    assert not {"plans_goalprogress", "plans_learningactivity"} & tables
    with scope(office=vest):
        assert set(LearningActivity.objects.get(pk=activity.pk).goals.all()) == {goal_a, goal_b}
        progress = GoalProgress.objects.get(trainee=doctor, goal=goal_a)
        assert progress.status == GoalStatus.SUBMITTED
        assert [h.status for h in progress.history.order_by("history_id")] == [
            "ikke_startet",
            "pagar",
            "levert",
        ]
    assert Signup._meta.get_field("learning_activity").related_model is LearningActivity
