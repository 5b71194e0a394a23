"""Base for tasks that work inside one office."""

from functools import wraps

from celery.contrib.django.task import DjangoTask
from django_scopes import scope

from .models import Office


def _in_office(fun, *, bound: bool):
    """`fun` with its office argument given as an id: resolved, and the body run in its scope."""
    if bound:

        @wraps(fun)
        def run(task, office_id, *args, **kwargs):
            office = Office.objects.get(pk=office_id)
            with scope(office=office):
                return fun(task, office, *args, **kwargs)

        return run

    @wraps(fun)
    def run(office_id, *args, **kwargs):
        office = Office.objects.get(pk=office_id)
        with scope(office=office):
            return fun(office, *args, **kwargs)

    return staticmethod(run)


class OfficeTask(DjangoTask):
    """Tasks take ids. The first argument is the office id; the body runs in that office's scope
    and receives the Office object in its place.

    Only `run` is wrapped (when `@shared_task(base=OfficeTask)` makes the task class, which
    passes the body as `run`); Celery's own `__call__`, request and retry machinery are left as
    they are, so the request keeps the original ids and a retry re-sends exactly what was sent.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None:
            bound = not isinstance(run, staticmethod)
            cls.run = _in_office(run if bound else run.__func__, bound=bound)
