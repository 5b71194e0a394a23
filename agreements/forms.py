"""Forms shape and validate input; services do the saving."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from offices import clock

from .models import Agreement, MeasureType
from .rendering import FILTER_HELP, MAX_BODY_CHARS, TemplateBodyError, validate_body
from .services import TERM_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AgreementTermsForm(forms.ModelForm):
    """The terms of a draft agreement: position, period and the structured measures."""

    class Meta:
        model = Agreement
        fields = TERM_FIELDS
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "other_measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_call_load"].choices = [("", _("Ikke avtalt"))] + list(
            self.fields["on_call_load"].choices
        )[1:]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Sluttdatoen kan ikke være før startdatoen."))
        return data

    def _post_clean(self):
        # Model validation runs in the service (with the parties set); a form never saves.
        pass


class AgreementCreateForm(AgreementTermsForm):
    trainee = forms.ModelChoiceField(
        queryset=None, label=_("ALIS-lege"), empty_label=_("Velg lege")
    )
    template = forms.ModelChoiceField(
        queryset=None, label=_("Avtalemal"), empty_label=_("Velg mal")
    )

    field_order = ["trainee", "template"]

    def __init__(self, *args, trainees, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees
        self.fields["trainee"].label_from_instance = lambda t: (
            f"{t.full_name} ({t.municipality.name})"
        )
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.name} – {_('nasjonal') if t.is_national else t.office.name}, "
            f"{_('versjon')} {t.latest_version}"
        )
        self.order_fields(self.field_order)


class AgreementSignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signert dato"), widget=DateInput())
    municipality_signatory_name = forms.CharField(
        label=_("Signert for kommunen av (navn)"), max_length=150
    )
    municipality_signatory_title = forms.CharField(
        label=_("Tittel"), max_length=150, help_text=_("For eksempel kommuneoverlege.")
    )
    doctor_signatory_name = forms.CharField(label=_("Signert av legen (navn)"), max_length=150)

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > clock.today():
            raise forms.ValidationError(_("Signeringsdatoen kan ikke være i fremtiden."))
        return value


class TemplateBodyField(forms.CharField):
    """A template body, checked by the sandbox when the form is validated (before saving)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Maltekst"),
            max_length=MAX_BODY_CHARS,
            widget=forms.Textarea(attrs={"rows": 16}),
            help_text=format_lazy(
                _(
                    "Ren tekst; HTML-koder vises som tekst. Plassholdere skrives som "
                    "{{{{ lege }}}} (se listen under). Tillatte filtre: {filters}, f.eks. "
                    '{{{{ andre_tiltak|default("ingen") }}}}. Betingelser med '
                    "{{% if … %}}…{{% else %}}…{{% endif %}}, lister med "
                    "{{% for t in tiltak %}}…{{% else %}}…{{% endfor %}}. "
                    "Tom linje gir nytt avsnitt."
                ),
                filters=FILTER_HELP,
            ),
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        try:
            validate_body(value)
        except TemplateBodyError as error:
            raise forms.ValidationError(str(error)) from None


class TemplateCreateForm(forms.Form):
    name = forms.CharField(label=_("Navn på malen"), max_length=150)
    description = forms.CharField(label=_("Beskrivelse"), max_length=300, required=False)
    body = TemplateBodyField()
    national = forms.BooleanField(label=_("Nasjonal mal (for alle ALIS-kontorene)"), required=False)

    def __init__(self, *args, allow_national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_national:
            del self.fields["national"]


class TemplateReviseForm(forms.Form):
    body = TemplateBodyField()
    change_note = forms.CharField(
        label=_("Hva er endret?"), max_length=300, help_text=_("Vises i versjonshistorikken.")
    )


class MeasureExperienceForm(forms.Form):
    measure = forms.ChoiceField(label=_("Tiltak"))
    rating = forms.TypedChoiceField(
        label=_("Hvordan fungerte tiltaket?"),
        coerce=int,
        choices=[
            (5, _("5 – svært godt")),
            (4, _("4 – godt")),
            (3, _("3 – middels")),
            (2, _("2 – dårlig")),
            (1, _("1 – svært dårlig")),
        ],
    )
    notes = forms.CharField(
        label=_("Erfaringer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Hva fungerte, og hva ville dere gjort annerledes?"),
    )

    def __init__(self, *args, measures: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(m, MeasureType(m).label) for m in measures]
