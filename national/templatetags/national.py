from django import template

from national.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """User-written Markdown as safe HTML (national.rendering: no raw HTML, safe links)."""
    return render_markdown(text)
