"""The open pages are cached in fragments keyed on a generation number: any save or delete of
what they show (offices, coordinating periods, positions, advertisements, routines) moves it on,
so a visitor never waits longer than the next request for a change."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from offices.models import CoordinatingPeriod, Office
from positions.models import Position

from .models import Advertisement, Routine, RoutineVersion

KEY = "national:public-generation"


def public_generation() -> int:
    generation = cache.get(KEY)
    if generation is None:
        cache.add(KEY, 1, timeout=None)
        generation = cache.get(KEY, 1)
    return generation


def bump_public_generation() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(KEY, 1, timeout=None)


SHOWN = (Office, CoordinatingPeriod, Position, Advertisement, Routine, RoutineVersion)


@receiver(post_save)
@receiver(post_delete)
def _changed(sender, **kwargs):
    if sender in SHOWN:
        bump_public_generation()
