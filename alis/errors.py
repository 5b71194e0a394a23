from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    """The 500 page shows the request id, so support can find the log lines of the failure.
    Rendered without context processors: whatever broke the page must not break this one."""
    from django.http import HttpResponseServerError
    from django.template import loader

    from alis.logging import current_request_id

    html = loader.get_template("500.html").render({"request_id": current_request_id()})
    return HttpResponseServerError(html)
