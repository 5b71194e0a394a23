"""Rendering agreements: template bodies (safely) and the PDF.

Template bodies are written by coordinators. They are Django template syntax, but compiled by
a locked-down engine: no template loaders (no include/extends), no tag libraries to load, and
a whitelist of node types (text, variables, if, for) and filters. The context holds only plain
strings, numbers and lists — never model instances — and autoescaping is on, so a value cannot
inject markup and a template cannot reach anything we did not put in the context.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Node, TextNode, VariableNode
from django.template.defaultfilters import linebreaks_filter
from django.template.defaulttags import ForNode, IfNode
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .formatting import format_date, format_kr, format_number
from .models import Agreement, MeasureType

ENGINE = Engine(loaders=[], libraries={}, autoescape=True, string_if_invalid="")
ALLOWED_NODES = (TextNode, VariableNode, IfNode, ForNode)
ALLOWED_FILTERS = {"default", "upper", "lower", "capfirst", "title", "yesno", "length", "join"}

# The placeholders a template can use, with an explanation for the template editor.
PLACEHOLDERS: dict[str, object] = {
    "lege": _l("Legens navn"),
    "hpr": _l("Legens HPR-nummer"),
    "kommune": _l("Kommunens navn"),
    "kontor": _l("ALIS-kontorets navn"),
    "stillingsprosent": _l("Stillingsprosent (tall)"),
    "stillingstype": _l("Stillingstype"),
    "driftsform": _l("Driftsform (fastlønn eller næring)"),
    "fra": _l("Avtalen gjelder fra (dato)"),
    "til": _l("Avtalen gjelder til (dato)"),
    "tiltak": _l("Liste over avtalte tiltak (bruk {% for t in tiltak %}…{% endfor %})"),
    "ekstra_veiledning": _l("Ekstra veiledning, timer per måned"),
    "redusert_liste": _l("Redusert liste, antall pasienter"),
    "inntektsgaranti": _l("Inntektsgaranti per år (kr)"),
    "praksiskompensasjon": _l("Praksiskompensasjon (kr)"),
    "kursbudsjett": _l("Kursbudsjett (kr)"),
    "nettverkssamlinger": _l("Nettverkssamlinger per år"),
    "eget_kontor": _l("«ja» eller «nei»"),
    "bakvakt": _l("«ja» eller «nei»"),
    "vaktbelastning": _l("Legevaktbelastning"),
    "andre_tiltak": _l("Andre tiltak (fritekst)"),
    "vikarbyra": _l("«ja» eller «nei»"),
}


def _walk(nodes):
    for node in nodes:
        yield node
        if isinstance(node, IfNode):
            for _condition, nodelist in node.conditions_nodelists:
                yield from _walk(nodelist)
        elif isinstance(node, ForNode):
            yield from _walk(node.nodelist_loop)
            yield from _walk(node.nodelist_empty or [])


def _filter_names(node: Node) -> list[str]:
    expression = getattr(node, "filter_expression", None) or getattr(node, "sequence", None)
    if expression is None:
        return []
    return [func.__name__.removesuffix("_filter") for func, _args in expression.filters]


def compile_body(body: str):
    """Compile a template body, or raise TemplateSyntaxError with a message for the editor."""
    try:
        template = ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise TemplateSyntaxError(_("Malen har en feil: %(error)s") % {"error": error}) from None
    for node in _walk(template.nodelist):
        if not isinstance(node, ALLOWED_NODES):
            raise TemplateSyntaxError(
                _("Malen kan bare bruke plassholdere, {% if %} og {% for %}.")
            )
        if isinstance(node, TextNode) and "<" in node.s:
            raise TemplateSyntaxError(_("Malen skal være ren tekst uten HTML-koder (<…>)."))
        for name in _filter_names(node):
            if name not in ALLOWED_FILTERS:
                raise TemplateSyntaxError(
                    _("Filteret «%(name)s» kan ikke brukes i avtalemaler.") % {"name": name}
                )
    return template


def measure_lines(agreement: Agreement) -> list[tuple[str, str]]:
    """(measure type, human description) for each measure the agreement uses."""
    a = agreement
    texts = {
        MeasureType.EXTRA_SUPERVISION: lambda: (
            _("Ekstra veiledning: %(h)s timer per måned")
            % {"h": format_number(a.extra_supervision_hours)}
        ),
        MeasureType.REDUCED_LIST: lambda: (
            _("Redusert liste: til %(n)s pasienter") % {"n": format_number(a.reduced_list_to)}
        ),
        MeasureType.INCOME_GUARANTEE: lambda: (
            _("Inntektsgaranti: %(kr)s per år") % {"kr": format_kr(a.income_guarantee)}
        ),
        MeasureType.PRACTICE_COMPENSATION: lambda: (
            _("Praksiskompensasjon: %(kr)s") % {"kr": format_kr(a.practice_compensation)}
        ),
        MeasureType.COURSE_BUDGET: lambda: (
            _("Kursbudsjett: %(kr)s") % {"kr": format_kr(a.course_budget)}
        ),
        MeasureType.NETWORK_GATHERINGS: lambda: (
            _("Nettverkssamlinger: %(n)s per år") % {"n": a.network_gatherings_per_year}
        ),
        MeasureType.OWN_OFFICE: lambda: _("Eget kontor"),
        MeasureType.BACKUP_ON_CALL: lambda: _("Bakvakt på legevakt"),
        MeasureType.ON_CALL_LOAD: lambda: (
            _("Legevakt: %(load)s") % {"load": a.get_on_call_load_display().lower()}
        ),
    }
    return [(m, texts[m]()) for m in a.measures_in_use()]


def agreement_context(agreement: Agreement) -> dict[str, object]:
    """The only values a template body can see: plain strings, numbers and lists."""
    a, yes, no = agreement, _("ja"), _("nei")
    return {
        "lege": a.trainee.full_name,
        "hpr": a.trainee.hpr_number,
        "kommune": a.municipality.name,
        "kontor": a.office.name,
        "stillingsprosent": a.percentage,
        "stillingstype": a.get_position_type_display().lower(),
        "driftsform": a.get_employment_form_display().lower(),
        "fra": format_date(a.start),
        "til": format_date(a.end),
        "tiltak": [text for _m, text in measure_lines(a)],
        "ekstra_veiledning": format_number(a.extra_supervision_hours),
        "redusert_liste": format_number(a.reduced_list_to),
        "inntektsgaranti": format_kr(a.income_guarantee),
        "praksiskompensasjon": format_kr(a.practice_compensation),
        "kursbudsjett": format_kr(a.course_budget),
        "nettverkssamlinger": a.network_gatherings_per_year or "",
        "eget_kontor": yes if a.own_office else no,
        "bakvakt": yes if a.backup_on_call else no,
        "vaktbelastning": a.get_on_call_load_display() if a.on_call_load else "",
        "andre_tiltak": a.other_measures,
        "vikarbyra": yes if a.hired_through_temp_agency else no,
    }


def render_body(body: str, context: dict[str, object]) -> SafeString:
    """The body as HTML paragraphs: template text as written, values escaped."""
    rendered = compile_body(body).render(Context(context, autoescape=True))
    return linebreaks_filter(SafeString(rendered.strip()), autoescape=True)


def agreement_html(agreement: Agreement) -> str:
    return render_to_string(
        "agreements/agreement_pdf.html",
        {
            "agreement": agreement,
            "body": render_body(agreement.template_version.body, agreement_context(agreement)),
            "measures": measure_lines(agreement),
        },
    )


def agreement_pdf(agreement: Agreement) -> bytes:
    """The agreement as an A4 PDF in Norwegian, with page numbers."""
    from weasyprint import HTML  # slow import (~0.6 s): only where a PDF is made

    return HTML(string=agreement_html(agreement), base_url=str(settings.BASE_DIR)).write_pdf()
