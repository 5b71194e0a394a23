"""Base for tasks that work inside one office."""

from celery._state import _task_stack
from celery.contrib.django.task import DjangoTask
from django_scopes import scope


class OfficeTask(DjangoTask):
    """Tasks take ids. The first argument is the office id; the body runs in that office's scope
    and receives the Office object in its place.

    The request keeps the original ids (not the Office object), so a retry re-sends exactly
    what was sent: this mirrors `celery.Task.__call__` and only swaps the argument for `run`.
    """

    def __call__(self, office_id, *args, **kwargs):
        from .models import Office

        office = Office.objects.get(pk=office_id)
        _task_stack.push(self)
        self.push_request(args=(office_id, *args), kwargs=kwargs)
        try:
            with scope(office=office):
                return self.run(office, *args, **kwargs)
        finally:
            self.pop_request()
            _task_stack.pop()
