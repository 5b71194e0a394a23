from django.core.management import call_command
from django_scopes import scope

from goals.models import GoalProgress, GoalStatus, LearningActivity
from trainees.models import SupervisorAssignment


def test_demo_doctor_has_goals_in_every_state_and_is_idempotent(db, vest, client):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)
    with scope(office=vest):
        rows = GoalProgress.objects.filter(trainee__user__email="alis.masfjorden@demo.alis.no")
        statuses = sorted(rows.values_list("status", flat=True))
        assert statuses.count(GoalStatus.APPROVED) == 3
        assert set(statuses) == {
            GoalStatus.APPROVED,
            GoalStatus.SUBMITTED,
            GoalStatus.RETURNED,
            GoalStatus.IN_PROGRESS,
        }
        assert rows.get(status=GoalStatus.RETURNED).return_reason
        unsigned = LearningActivity.objects.filter(
            trainee__user__email="alis.masfjorden@demo.alis.no", signoffs__isnull=True
        )
        assert unsigned.count() == 2
        veileder = SupervisorAssignment.objects.get(
            trainee__user__email="alis.masfjorden@demo.alis.no", role="veileder", end__isnull=True
        )
        assert veileder.supervisor.user.email == "veileder.masfjorden@demo.alis.no"
