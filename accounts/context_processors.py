def office_access(request):
    """Expose the office and the user's access to it (set by OfficeScopeMiddleware)."""
    return {"office": getattr(request, "office", None), "access": getattr(request, "access", None)}
