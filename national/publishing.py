"""The advertised positions as the open website shows them: one plain view of a position, and
the same data as schema.org JobPosting (JSON-LD), as an Atom feed and as JSON."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from offices.vocabularies import EmploymentForm


@dataclass(frozen=True)
class PositionView:
    pk: int
    title: str
    municipalities: list[str]
    county: str
    medical_office: str
    address: str
    office_name: str
    office_slug: str
    employment_form: str
    employment_form_label: str
    list_ceiling: int | None
    deadline: date | None
    url: str
    description: str
    posted: date


def position_view(position) -> PositionView:
    if position.municipality_id:
        municipalities = [position.municipality.name]
        county = position.municipality.county
    else:
        members = list(position.group.municipalities.all())
        municipalities = [m.name for m in members]
        county = members[0].county if members else ""
    advertisement = getattr(position, "advertisement", None)
    place = " + ".join(municipalities)
    medical_office = position.medical_office.name if position.medical_office else ""
    title = (
        _("ALIS-stilling ved %(office)s, %(place)s") % {"office": medical_office, "place": place}
        if medical_office
        else _("ALIS-stilling i %(place)s") % {"place": place}
    )
    posted = (
        timezone.localtime(advertisement.published_at).date()
        if advertisement
        else position.status_date
    )
    return PositionView(
        pk=position.pk,
        title=title,
        municipalities=municipalities,
        county=county,
        medical_office=medical_office,
        address=position.medical_office.address if position.medical_office else "",
        office_name=position.office.name,
        office_slug=position.office.slug,
        employment_form=position.employment_form,
        employment_form_label=str(position.get_employment_form_display()),
        list_ceiling=position.list_ceiling,
        deadline=advertisement.deadline if advertisement else None,
        url=advertisement.url if advertisement else "",
        description=advertisement.description if advertisement else "",
        posted=posted,
    )


def summary(p: PositionView) -> str:
    """One paragraph in words, for the description of the posting and the feed."""
    parts = [
        _(
            "Stilling for allmennlege i spesialisering (ALIS) i %(place)s, med veiledning og "
            "utdanningsplan. ALIS-kontoret i regionen er %(office)s."
        )
        % {"place": " + ".join(p.municipalities), "office": p.office_name}
    ]
    if p.list_ceiling:
        parts.append(_("Listetak: %(n)s pasienter.") % {"n": p.list_ceiling})
    parts.append(_("Driftsform: %(form)s.") % {"form": p.employment_form_label})
    if p.description:
        parts.append(p.description)
    return " ".join(parts)


# schema.org employmentType: a salaried GP is an employee; a self-employed one a contractor.
EMPLOYMENT_TYPES = {
    EmploymentForm.SALARIED: "FULL_TIME",
    EmploymentForm.SELF_EMPLOYED: "CONTRACTOR",
    EmploymentForm.APPLICANT_CHOOSES: ["FULL_TIME", "CONTRACTOR"],
}


def job_posting(p: PositionView, url: str) -> dict:
    """schema.org JobPosting with the fields Google requires (title, description, datePosted,
    hiringOrganization, jobLocation) and those it recommends where we know them
    (validThrough, employmentType, identifier)."""
    hiring = p.municipalities[0] if len(p.municipalities) == 1 else " + ".join(p.municipalities)
    address = {
        "@type": "PostalAddress",
        "addressLocality": p.municipalities[0] if p.municipalities else "",
        "addressRegion": p.county,
        "addressCountry": "NO",
    }
    if p.address:
        address["streetAddress"] = p.address
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": p.title,
        "description": f"<p>{_escape(summary(p))}</p>",
        "datePosted": p.posted.isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": _("%(name)s kommune") % {"name": hiring},
        },
        "jobLocation": {"@type": "Place", "address": address},
        "employmentType": EMPLOYMENT_TYPES.get(p.employment_form, "FULL_TIME"),
        "identifier": {"@type": "PropertyValue", "name": p.office_name, "value": str(p.pk)},
        "url": url,
        "industry": _("Allmennmedisin"),
        "occupationalCategory": "29-1215 Family Medicine Physicians",
    }
    if p.deadline:
        data["validThrough"] = datetime.combine(p.deadline, time(23, 59)).isoformat()
    return data


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# As django.utils.html.json_script: nothing in the data can end the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def atom_feed(positions: list[PositionView], *, feed_url: str, site_url: str, item_url) -> str:
    feed = Atom1Feed(
        title=_("Ledige ALIS-stillinger"),
        link=site_url,
        description=_(
            "ALIS-stillinger som kommunene har lyst ut, fra de regionale ALIS-kontorene."
        ),
        language="nb",
        feed_url=feed_url,
        feed_guid=site_url,
    )
    for p in positions:
        posted = timezone.make_aware(datetime.combine(p.posted, time(8, 0)))
        feed.add_item(
            title=p.title,
            link=item_url(p.pk),
            description=summary(p),
            unique_id=item_url(p.pk),
            pubdate=posted,
            updateddate=posted,
            categories=[p.office_name, p.employment_form_label],
        )
    return feed.writeString("utf-8")


def position_json(p: PositionView, url: str) -> dict:
    return {
        "id": p.pk,
        "tittel": p.title,
        "kommuner": p.municipalities,
        "fylke": p.county,
        "legekontor": p.medical_office,
        "driftsform": p.employment_form,
        "listetak": p.list_ceiling,
        "soknadsfrist": p.deadline.isoformat() if p.deadline else None,
        "utlysning": p.url or None,
        "alis_kontor": p.office_slug,
        "side": url,
    }
