"""Rendering agreements: template bodies (in a sandbox) and the PDF.

Template bodies are written by coordinators, so they are untrusted code. They are compiled by a
Jinja2 `SandboxedEnvironment` with autoescape on, and before anything runs the syntax tree is
checked against a whitelist:

- names: only the placeholders in `PLACEHOLDERS` (plain strings, numbers and one list — never
  model instances) and loop variables; no attribute or item access, no function calls, no
  arithmetic, no globals (so no `range`), no `include`/`import`/`extends`/macros/`set`;
- filters: only those in `FILTERS`, which work on short values;
- loops: only over a placeholder list (`tiltak`), nested at most `MAX_LOOP_DEPTH` deep;
- all output is escaped whatever its origin: values, string literals *and* the template's own
  text (text is turned into constants before compiling, and constants are escaped), so no `<`
  from anywhere reaches the HTML as markup.

Rendering is bounded in time and size as well (`RENDER_SECONDS`, `MAX_OUTPUT_CHARS`), and a body
is limited to `MAX_BODY_CHARS`. The same check runs when a template is saved (the form and the
service) and again when it is rendered, so a body stored before this check is refused too.
"""

from __future__ import annotations

import re

from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from jinja2 import TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from offices.pdf import RenderLimitError, render_pdf, time_limit

from .formatting import format_date, format_kr, format_number
from .models import Agreement, MeasureType

MAX_BODY_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
MAX_LOOP_DEPTH = 2
RENDER_SECONDS = 2


class TemplateBodyError(ValueError):
    """A template body that cannot be used; the message is for the coordinator."""


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
    "tiltak": _l(
        "Liste over avtalte tiltak (bruk {% for t in tiltak %}…{% else %}ingen{% endfor %})"
    ),
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
# The placeholders that are lists (the only things a loop may go over).
LIST_PLACEHOLDERS = {"tiltak"}


def _yesno(value, arg: str = "ja,nei") -> str:
    choices = [part.strip() for part in str(arg).split(",")]
    yes, no = (choices + ["", ""])[:2]
    return yes if value else no


def _join(value, separator: str = ", ") -> str:
    """`join`, sized before it is built: nested joins multiply their input (a join whose
    separator is another join), so the result is refused before Python builds a huge string."""
    items = [str(item) for item in value]
    separator = str(separator)
    size = sum(len(item) for item in items) + len(separator) * max(len(items) - 1, 0)
    if size > MAX_OUTPUT_CHARS:
        raise TemplateBodyError(
            _("Den utfylte malen blir for lang (mer enn %(n)s tegn).")
            % {"n": format_number(MAX_OUTPUT_CHARS)}
        )
    return separator.join(items)


def _default(value, fallback: str = "") -> object:
    return value if value not in (None, "") else fallback


# Filters that are safe on short values: none pads, repeats or formats to a chosen width.
FILTERS = {
    "default": _default,
    "upper": lambda value: str(value).upper(),
    "lower": lambda value: str(value).lower(),
    "capfirst": lambda value: capfirst(str(value)),
    "capitalize": lambda value: str(value).capitalize(),
    "title": lambda value: str(value).title(),
    "trim": lambda value: str(value).strip(),
    "yesno": _yesno,
    "length": len,
    "join": _join,
}
FILTER_HELP = ", ".join(sorted(FILTERS))

# Syntax-tree nodes a body may contain. Anything else (Call, Getattr, Getitem, Slice, Mul, Pow,
# Add, Concat, Include, Import, Extends, Macro, Assign, Block, CallBlock, FilterBlock, With,
# Scope, Test, …) is refused.
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.Name,
    nodes.Filter,
    nodes.If,
    nodes.For,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
)


class _Environment(SandboxedEnvironment):
    """No loader, no globals, no tests; only our filters. Undefined names render as ''."""

    def __init__(self):
        super().__init__(autoescape=True, loader=None, keep_trailing_newline=True)
        self.globals = {}
        self.filters = dict(FILTERS)
        self.tests = {}

    def call(self, *args, **kwargs):  # a second net: the tree check already refuses calls
        raise TemplateBodyError(_("Malen kan ikke kalle funksjoner."))


ENV = _Environment()


def _check(node: nodes.Node, depth: int = 0) -> None:
    if not isinstance(node, ALLOWED_NODES):
        raise TemplateBodyError(
            _(
                "Malen kan bare bruke plassholdere, filtre, {%% if %%} og {%% for %%} "
                "(ikke «%(what)s»)."
            )
            % {"what": type(node).__name__}
        )
    if isinstance(node, nodes.Filter) and node.name not in FILTERS:
        raise TemplateBodyError(
            _("Filteret «%(name)s» kan ikke brukes i avtalemaler. Tillatt: %(allowed)s.")
            % {"name": node.name, "allowed": FILTER_HELP}
        )
    if isinstance(node, nodes.For):
        depth += 1
        if depth > MAX_LOOP_DEPTH:
            raise TemplateBodyError(
                _("Malen kan ha høyst %(n)s {%% for %%} inni hverandre.") % {"n": MAX_LOOP_DEPTH}
            )
        if not (isinstance(node.iter, nodes.Name) and node.iter.name in LIST_PLACEHOLDERS):
            raise TemplateBodyError(
                _("{%% for %%} kan bare gå gjennom en liste-plassholder: %(names)s.")
                % {"names": ", ".join(sorted(LIST_PLACEHOLDERS))}
            )
        if node.test is not None or node.recursive:
            raise TemplateBodyError(_("{% for %} kan ikke ha betingelse eller rekursjon."))
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name.startswith("_"):
        raise TemplateBodyError(_("Ukjent plassholder «%(name)s».") % {"name": node.name})
    for child in node.iter_child_nodes():
        _check(child, depth)


def _text_to_constants(node: nodes.Node) -> None:
    """Make the template's own text an escaped constant (Jinja emits TemplateData raw)."""
    for child in node.find_all(nodes.Output):
        child.nodes = [
            nodes.Const(part.data, lineno=part.lineno)
            if isinstance(part, nodes.TemplateData)
            else part
            for part in child.nodes
        ]


def _syntax_message(error: TemplateSyntaxError) -> str:
    unknown_tag = re.search(r"unknown tag '(\w+)'", error.message or "")
    if unknown_tag:
        return _(
            "Linje %(line)s: «{%% %(tag)s %%}» kan ikke brukes i avtalemaler. "
            "Tillatt: {%% if %%}, {%% else %%}, {%% for %%} og plassholdere."
        ) % {"line": error.lineno, "tag": unknown_tag[1]}
    return _("Malen har en feil på linje %(line)s: %(error)s") % {
        "line": error.lineno,
        "error": error.message,
    }


def compile_body(body: str):
    """Check and compile a body, or raise TemplateBodyError with a message for the editor."""
    if len(body) > MAX_BODY_CHARS:
        raise TemplateBodyError(
            _("Malen er for lang (høyst %(n)s tegn).") % {"n": format_number(MAX_BODY_CHARS)}
        )
    try:
        tree = ENV.parse(body)
    except TemplateSyntaxError as error:
        raise TemplateBodyError(_syntax_message(error)) from None
    _check(tree)
    unknown = meta.find_undeclared_variables(tree) - PLACEHOLDERS.keys()
    if unknown:
        raise TemplateBodyError(
            _("Ukjent plassholder: %(names)s. Se listen over plassholdere.")
            % {"names": ", ".join(sorted(unknown))}
        )
    _text_to_constants(tree)
    try:
        return ENV.from_string(tree)
    except TemplateError as error:
        raise TemplateBodyError(_("Malen har en feil: %(error)s") % {"error": error}) from None


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
    """The only values a template body can see: plain strings, numbers and lists. Dates and
    numbers are bokmål, as the agreement text is (format_date), in any interface language."""
    with translation.override("nb"):
        numbers = {
            "ekstra_veiledning": format_number(agreement.extra_supervision_hours),
            "redusert_liste": format_number(agreement.reduced_list_to),
            "inntektsgaranti": format_kr(agreement.income_guarantee),
            "praksiskompensasjon": format_kr(agreement.practice_compensation),
            "kursbudsjett": format_kr(agreement.course_budget),
        }
    a, yes, no = agreement, _("ja"), _("nei")
    return {
        **numbers,
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
        "nettverkssamlinger": a.network_gatherings_per_year or "",
        "eget_kontor": yes if a.own_office else no,
        "bakvakt": yes if a.backup_on_call else no,
        "vaktbelastning": a.get_on_call_load_display() if a.on_call_load else "",
        "andre_tiltak": a.other_measures,
        "vikarbyra": yes if a.hired_through_temp_agency else no,
    }


def _plain(value):
    """Plain str (never a Markup/SafeString that autoescape would trust), number or list."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def render_body(body: str, context: dict[str, object]) -> SafeString:
    """The body as HTML paragraphs: every character escaped, within time and size limits."""
    template = compile_body(body)
    values = {name: _plain(context.get(name, "")) for name in PLACEHOLDERS}
    parts, size = [], 0
    try:
        with time_limit(RENDER_SECONDS, _("Malen tok for lang tid å fylle ut.")):
            for part in template.generate(values):
                size += len(part)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateBodyError(
                        _("Den utfylte malen blir for lang (mer enn %(n)s tegn).")
                        % {"n": format_number(MAX_OUTPUT_CHARS)}
                    )
                parts.append(part)
    except RenderLimitError as error:
        raise TemplateBodyError(str(error)) from None
    except TemplateError as error:
        raise TemplateBodyError(_("Malen har en feil: %(error)s") % {"error": error}) from None
    except TemplateBodyError:
        raise
    except (TypeError, ValueError, ArithmeticError) as error:  # e.g. a filter's wrong arguments
        raise TemplateBodyError(
            _("Malen kan ikke fylles ut: %(error)s") % {"error": error}
        ) from None
    # Autoescape already escaped every part (values, literals, and the text made constants).
    rendered = "".join(parts)
    return linebreaks_filter(SafeString(rendered.strip()), autoescape=True)


# Values like a real agreement's (every measure in use) for the trial render when a body is saved.
SAMPLE_CONTEXT: dict[str, object] = {
    "lege": "Kari Nordmann",
    "hpr": "001234567",
    "kommune": "Masfjorden",
    "kontor": "ALIS Vest",
    "stillingsprosent": 100,
    "stillingstype": "fastlegestilling",
    "driftsform": "fastlønn",
    "fra": "1.9.2024",
    "til": "31.8.2029",
    "tiltak": [f"Tiltak {n} med en beskrivelse av rimelig lengde" for n in range(1, 10)],
    "ekstra_veiledning": "2",
    "redusert_liste": "800",
    "inntektsgaranti": "900 000 kr",
    "praksiskompensasjon": "",
    "kursbudsjett": "30 000 kr",
    "nettverkssamlinger": 3,
    "eget_kontor": "ja",
    "bakvakt": "ja",
    "vaktbelastning": "Redusert legevaktbelastning",
    "andre_tiltak": "Fritekst skrevet av kommunen " * 10,
    "vikarbyra": "nei",
}


def validate_body(body: str) -> None:
    """The check when a body is saved: compile it, and fill it in once with sample values (so
    wrong filter arguments and output that grows too large are refused now, not in a PDF)."""
    render_body(body, SAMPLE_CONTEXT)


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
    return render_pdf(agreement_html(agreement))
