"""Reads of the kernel's own rows that pages need outside the office middleware."""

from django.shortcuts import get_object_or_404

from .models import Office


def office_by_slug(slug: str) -> Office | None:
    return Office.objects.filter(slug=slug).first()


def office_get(slug: str) -> Office:
    """The office by its slug, or 404 (public pages that name an office in their address)."""
    return get_object_or_404(Office, slug=slug)
