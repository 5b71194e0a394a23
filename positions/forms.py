"""Forms shape and check what the user typed; the services save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from offices import clock
from offices.vocabularies import SCHEMES_NEW_OR_OLD

from .imports import MAX_BYTES
from .models import (
    LIST_CEILING_MAX,
    LIST_CEILING_MIN,
    STATUS_TRANSITIONS,
    EmploymentForm,
    Fact,
    Ownership,
    Scheme,
    Status,
)


class PositionForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("Kommune"), required=False, empty_label=_("Velg kommune")
    )
    group = forms.ModelChoiceField(
        queryset=None,
        label=_("Eller: interkommunalt samarbeid"),
        required=False,
        empty_label=_("Ikke et samarbeid"),
        help_text=_("Velg et samarbeid i stedet for en kommune når kommunene deler stillingen."),
    )
    medical_office = forms.ModelChoiceField(
        queryset=None, label=_("Legekontor"), required=False, empty_label=_("Ikke valgt ennå")
    )
    list_ceiling = forms.IntegerField(
        label=_("Listetak"),
        required=False,
        min_value=LIST_CEILING_MIN,
        max_value=LIST_CEILING_MAX,
        help_text=_("Antall pasienter på listen, vanligvis 600–1100."),
        error_messages={
            "min_value": _("Listetaket må være minst %(limit_value)s."),
            "max_value": _("Listetaket kan ikke være over %(limit_value)s."),
            "invalid": _("Skriv listetaket som et helt tall, for eksempel 800."),
        },
    )
    employment_form = forms.ChoiceField(
        label=_("Driftsform ved ansettelse"),
        choices=EmploymentForm.choices,
        widget=forms.RadioSelect,
    )
    scheme = forms.ChoiceField(
        label=_("Ordning"), choices=SCHEMES_NEW_OR_OLD, widget=forms.RadioSelect
    )
    applicants = forms.IntegerField(
        label=_("Antall søkere"),
        min_value=0,
        initial=0,
        error_messages={"invalid": _("Skriv antall søkere som et helt tall.")},
    )

    def __init__(self, *args, municipalities, groups, medical_offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["group"].queryset = groups
        self.fields["medical_office"].queryset = medical_offices
        self.fields["medical_office"].label_from_instance = lambda mo: (
            f"{mo.name} ({mo.municipality.name})"
        )
        if not groups.exists():
            del self.fields["group"]
        self.initial.setdefault("employment_form", EmploymentForm.SALARIED)
        self.initial.setdefault("scheme", Scheme.NEW)

    def clean(self):
        data = super().clean()
        municipality, group = data.get("municipality"), data.get("group")
        if municipality and group:
            self.add_error("group", _("Velg enten en kommune eller et samarbeid, ikke begge."))
        elif not municipality and not group and "municipality" not in self.errors:
            self.add_error("municipality", _("Velg kommunen stillingen hører til."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"))
    on = forms.DateField(
        label=_("Fra dato"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )
    note = forms.CharField(label=_("Merknad"), required=False, max_length=200)

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in STATUS_TRANSITIONS[current]]
        self.initial.setdefault("on", clock.today())


class MedicalOfficeForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("Kommune"), empty_label=_("Velg kommune")
    )
    name = forms.CharField(label=_("Navn på legekontoret"), max_length=150)
    ownership = forms.ChoiceField(
        label=_("Drift"), choices=Ownership.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.initial.setdefault("ownership", Ownership.MUNICIPAL)
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Regneark (.xlsx eller .csv)"),
        help_text=_(
            "Første rad må ha overskriftene Kommune, Antall søkere, Legekontor, Listetak, "
            "Driftsform ved ansettelse og Ny eller gammel ordning."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor (mer enn 5 MB)."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Last opp et regneark i formatet .xlsx eller .csv."))
        return upload


class OfficeRulesForm(forms.Form):
    max_positions_per_municipality = forms.IntegerField(
        label=_("Høyeste antall aktive ALIS-stillinger per kommune"),
        min_value=1,
        max_value=50,
        help_text=_("Stillinger som er avsluttet, teller ikke. ALIS Nord brukte 2."),
    )


class SurveyPositionForm(forms.Form):
    """One position in the status survey, pre-filled with what the office knows."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    applicants = forms.IntegerField(
        label=_("Antall søkere"),
        min_value=0,
        required=False,
        help_text=_("La stå tomt hvis det ikke er kjent."),
        error_messages={"invalid": _("Skriv antall søkere som et helt tall.")},
    )
    employment_form = forms.ChoiceField(
        label=_("Driftsform ved ansettelse"), choices=EmploymentForm.choices
    )
    scheme = forms.ChoiceField(label=_("Ordning"), choices=Scheme.choices)
    group_supervision = forms.ChoiceField(
        label=_("Gruppeveiledning"), choices=[("", _("Ikke kjent")), *Fact.choices], required=False
    )
    individual_supervisor = forms.ChoiceField(
        label=_("Individuell veileder"),
        choices=[("", _("Ikke kjent")), *Fact.choices],
        required=False,
    )
    individual_plan = forms.ChoiceField(
        label=_("Individuell plan"), choices=[("", _("Ikke kjent")), *Fact.choices], required=False
    )


class SurveyNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Merknad til kontoret (valgfritt)"), required=False, widget=forms.Textarea
    )


class SurveySendForm(forms.Form):
    period = forms.RegexField(
        label=_("Periode"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text=_("År og måned, for eksempel 2026-11."),
        error_messages={"invalid": _("Skriv perioden som år og måned, for eksempel 2026-11.")},
    )
