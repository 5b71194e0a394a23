"""Documents of a round: the invitation letters for municipalities without a user, the
decision letter (offer or rejection) per application, and the round's workbook (applications,
population, scores, ranking, offers). Every PDF goes through offices.pdf.render_pdf; every
spreadsheet cell through escape_formula."""

from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from offices import clock
from offices.pdf import render_pdf
from offices.spreadsheets import escape_formula


def invitation_letters_pdf(office, round_, invitations) -> bytes:
    """One page per municipality that has no user to receive the e-mail."""
    html = render_to_string(
        "intake/invitation_letters_pdf.html",
        {
            "office": office,
            "round": round_,
            "invitations": invitations,
            "today": clock.today(),
            "url": settings.SITE_URL.rstrip("/")
            + reverse("intake_round_detail", args=[office.slug, round_.pk]),
        },
    )
    return render_pdf(html)


def decision_letter_pdf(office, round_, application, offers) -> bytes:
    html = render_to_string(
        "intake/decision_letter_pdf.html",
        {
            "office": office,
            "round": round_,
            "application": application,
            "offers": offers,
            # Every municipality of the application with its own offer (None: no places).
            "places": [
                (m, next((o for o in offers if o.municipality_id == m.pk), None))
                for m in application.municipalities()
            ],
            "today": clock.today(),
        },
    )
    return render_pdf(html)


def _criterion_heading(criterion) -> str:
    kind = _("absolutt krav") if criterion.must_have else _("vekt %(w)s") % {"w": criterion.weight}
    return f"{criterion.name} ({kind})"


def round_workbook(office, round_, assessment, summary, offers) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = _("Søknader")

    def row(values, font=None):
        ws.append([escape_formula(v) for v in values])
        if font:
            for cell in ws[ws.max_row]:
                cell.font = font

    row([round_.title], bold)
    row([_("ALIS-kontor"), office.name])
    row([_("Søknadsfrist"), round_.deadline])
    ws.cell(ws.max_row, 2).number_format = "DD.MM.YYYY"
    row([_("Tak for programmet"), round_.programme_cap])
    row([_("Høyest antall ALIS per kommune"), round_.max_per_municipality])
    row(
        [
            _("Søknader"),
            summary.applications,
            _("Kommuner"),
            summary.municipalities,
            _("Innbyggere"),
            summary.inhabitants,
        ]
    )
    row([])
    criteria = assessment.criteria
    row(
        [
            _("Rangering"),
            _("Søknad"),
            _("Kommunenumre"),
            _("Innbyggere"),
            _("Antall ALIS søkt"),
            _("Driftsform"),
            *[_criterion_heading(c) for c in criteria],
            _("Sum"),
            _("Absolutte krav"),
            _("Forslag"),
        ],
        bold,
    )
    states = {"met": _("Oppfylt"), "not_met": _("Ikke oppfylt"), "not_assessed": _("Ikke vurdert")}
    for r in assessment.rows:
        a = r.application
        row(
            [
                r.rank,
                a.name,
                ", ".join(m.number for m in a.municipalities()),
                r.population,
                a.positions_requested,
                a.get_employment_form_display(),
                *[float(r.means[c.pk]) if r.means[c.pk] is not None else None for c in criteria],
                float(r.total),
                states[r.must_haves],
                r.proposed,
            ]
        )
    if offers:
        sheet = wb.create_sheet(_("Vedtak"))
        sheet.append(
            [
                escape_formula(v)
                for v in [_("Kommune"), _("Antall ALIS"), _("Driftsform"), _("Status")]
            ]
        )
        for cell in sheet[1]:
            cell.font = bold
        for o in offers:
            sheet.append(
                [
                    escape_formula(v)
                    for v in [
                        o.municipality.name,
                        o.positions,
                        o.get_employment_form_display(),
                        o.get_status_display(),
                    ]
                ]
            )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
