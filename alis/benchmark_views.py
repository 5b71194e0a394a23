"""Reference pages for benchmarks/pages.py, mounted only when ALIS_BENCHMARK_VIEWS is set in
the environment (never in a normal deployment): a bare view and a 50-row template, under
/<office_slug>/ so they pass the same middleware and access check as the office's pages."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from accounts.access import office_permission


@office_permission("trainee.view")
def bare(request, office_slug):
    return HttpResponse("ok", content_type="text/plain")


@office_permission("trainee.view")
def rows(request, office_slug):
    table = [(f"Rad {i}", f"Lege {i}", f"{i:09d}", "Masfjorden", "Ny ordning") for i in range(50)]
    return render(request, "benchmark_rows.html", {"rows": table})


urlpatterns = [
    path("_ytelse/tom/", bare, name="benchmark_bare"),
    path("_ytelse/50-rader/", rows, name="benchmark_rows"),
]
