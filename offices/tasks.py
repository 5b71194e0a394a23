"""Base for tasks that work inside one office."""

from celery.contrib.django.task import DjangoTask
from django_scopes import scope


class OfficeTask(DjangoTask):
    """Tasks take ids. The first argument is the office id; the body runs in that office's scope
    and receives the Office object in its place."""

    def __call__(self, office_id, *args, **kwargs):
        from .models import Office

        office = Office.objects.get(pk=office_id)
        with scope(office=office):
            return super().__call__(office, *args, **kwargs)
