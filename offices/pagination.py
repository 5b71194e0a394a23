"""One way to split a list into pages, for every list that grows with the office.

A page is `?side=N` (or another parameter where one screen shows two lists); filters and sorting
stay in the query string (the page links keep every other parameter), and
`page.paginator.count` is the total the page states. Pages that compute something per row
(a doctor's standing) paginate first and compute only for the rows shown. The links are drawn
by templates/_pagination.html.
"""

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50  # rows of a plain list
HEAVY_PAGE_SIZE = 25  # rows that each carry a computed standing (the rules engine per doctor)
PARAM = "side"


def paginate(
    request, rows: QuerySet | Sequence, *, per_page: int = PAGE_SIZE, param: str = PARAM
) -> Page:
    """The page of `rows` asked for in `request.GET[param]`; a page number that is not a
    number gives the first page, one past the end the last (never an error page)."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return "?" + query.urlencode()

    last = page.paginator.num_pages
    page.first_url = url(1) if page.number > 2 else ""
    page.previous_url = url(page.number - 1) if page.has_previous() else ""
    page.next_url = url(page.number + 1) if page.has_next() else ""
    page.last_url = url(last) if page.number < last - 1 else ""
    return page
