from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.models import MeasureType
from offices.models import Office
from offices.uploads import validate_content
from offices.vocabularies import EmploymentForm

from .models import Counterpart, MeetingKind, TaskStatus
from .rendering import MAX_CHARS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_PDF_BYTES = 10 * 1024 * 1024


def _markdown_field(label, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: # overskrift, - punkt, **fet**, [lenke](https://…)."),
    )


def _offices():
    return forms.ModelChoiceField(
        label=_("Ansvarlig kontor"), queryset=Office.objects.order_by("name"), empty_label=None
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type møte"), choices=MeetingKind.choices)
    counterpart = forms.ChoiceField(
        label=_("Ekstern part"),
        choices=[("", _("– ingen (fellesmøte) –")), *Counterpart.choices],
        required=False,
    )
    counterpart_name = forms.CharField(label=_("Navn på ekstern part"), required=False)
    title = forms.CharField(label=_("Tittel"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Tidspunkt"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Sted eller lenke"), required=False, max_length=200)
    chair = forms.CharField(label=_("Møteleder"), required=False, max_length=150)
    agenda = _markdown_field(_("Saksliste"))


class MinutesForm(forms.Form):
    chair = forms.CharField(label=_("Møteleder"), required=False, max_length=150)
    minutes = _markdown_field(_("Referat"))


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Vedtak"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Oppfølgingspunkt"), max_length=300)
    owner_office = _offices()
    due = forms.DateField(label=_("Frist"), widget=DATE)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Oppgave"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    responsible_office = _offices()
    deadline = forms.DateField(label=_("Frist"), widget=DATE)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    status_note = forms.CharField(label=_("Merknad"), required=False, max_length=300)


class TaskReassignForm(TaskStatusForm):
    responsible_office = _offices()
    deadline = forms.DateField(label=_("Frist"), widget=DATE)


class PdfField(forms.FileField):
    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file:
            if file.size > MAX_PDF_BYTES:
                raise ValidationError(_("Filen er for stor (høyst 10 MB)."))
            validate_content(file, ("pdf",), what=_("Vedlegget"))
        return file


class RoutineVersionForm(forms.Form):
    body = _markdown_field(_("Tekst"))
    attachment = PdfField(label=_("PDF-vedlegg"), required=False)
    change_note = forms.CharField(label=_("Hva er endret"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("attachment"):
            if not self.errors:
                self.add_error("body", _("Skriv teksten eller legg ved en PDF."))
        return data


class RoutineForm(RoutineVersionForm):
    title = forms.CharField(label=_("Tittel"), max_length=200)
    owner_office = forms.ModelChoiceField(
        label=_("Eierkontor"), queryset=Office.objects.order_by("name"), empty_label=None
    )
    review_due = forms.DateField(label=_("Skal gjennomgås innen"), widget=DATE)
    is_public = forms.BooleanField(label=_("Vis på de åpne nettsidene"), required=False)

    field_order = ["title", "owner_office", "review_due", "is_public", "body", "attachment"]


class ApproveForm(forms.Form):
    review_due = forms.DateField(label=_("Neste gjennomgang innen"), widget=DATE)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Søk i tittel og tekst"), required=False, max_length=200)


class ExperienceFilterForm(forms.Form):
    measure = forms.ChoiceField(label=_("Tiltak"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", _("Alle tiltak")), *MeasureType.choices]


class AdvertisementForm(forms.Form):
    url = forms.URLField(label=_("Lenke til utlysningen"), max_length=400, assume_scheme="https")
    deadline = forms.DateField(label=_("Søknadsfrist"), widget=DATE)
    description = forms.CharField(
        label=_("Kort om stillingen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vises på den åpne stillingssiden. Ingen personopplysninger."),
    )


class PositionFilterForm(forms.Form):
    office = forms.ChoiceField(label=_("ALIS-kontor"), required=False)
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    trust = forms.ChoiceField(label=_("Helseforetaksområde"), required=False)
    form = forms.ChoiceField(label=_("Driftsform"), required=False)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alle"))
        self.fields["office"].choices = [everything, *choices["offices"]]
        self.fields["county"].choices = [everything, *((c, c) for c in choices["counties"])]
        self.fields["trust"].choices = [everything, *choices["trusts"]]
        self.fields["form"].choices = [everything, *EmploymentForm.choices]
