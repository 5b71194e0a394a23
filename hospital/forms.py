from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import HealthTrust, Municipality
from offices.dates import short_date

from .models import Department, Hospital, ModuleLength, Place

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _place_label(place: Place) -> str:
    free = place.free
    return _("%(dept)s: %(start)s–%(end)s (%(months)s mnd, %(free)s av %(cap)s ledige)") % {
        "dept": place.department,
        "start": short_date(place.start),
        "end": short_date(place.end),
        "months": place.months,
        "free": free,
        "cap": place.capacity,
    }


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _place_label(obj)


class HospitalForm(forms.Form):
    trust = forms.ModelChoiceField(
        label=_("Helseforetak"),
        queryset=HealthTrust.objects.none(),
        empty_label=_("Velg helseforetak"),
    )
    name = forms.CharField(label=_("Sykehus"), max_length=150)

    def __init__(self, *args, trusts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts


class DepartmentForm(forms.Form):
    hospital = forms.ModelChoiceField(
        label=_("Sykehus"), queryset=Hospital.objects.none(), empty_label=_("Velg sykehus")
    )
    name = forms.CharField(label=_("Avdeling"), max_length=150)
    goal_codes = forms.CharField(
        label=_("Læringsmål avdelingen typisk dekker"),
        required=False,
        help_text=_("Koder skilt med komma, for eksempel ALM-055, ALM-085."),
    )

    def __init__(self, *args, hospitals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = hospitals

    def clean_goal_codes(self):
        return [c.strip().upper() for c in self.cleaned_data["goal_codes"].split(",") if c.strip()]


class AgreementForm(forms.Form):
    trust = forms.ModelChoiceField(
        label=_("Helseforetak"),
        queryset=HealthTrust.objects.none(),
        empty_label=_("Velg helseforetak"),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner som er part"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Velg ingen når ALIS-kontoret har inngått avtalen for hele regionen."),
    )
    title = forms.CharField(label=_("Tittel"), max_length=200)
    start = forms.DateField(label=_("Gjelder fra"), widget=DATE)
    end = forms.DateField(label=_("Gjelder til"), widget=DATE)
    places_four = forms.IntegerField(
        label=_("Plasser på 4-månedersmoduler per halvår"), min_value=0, initial=0
    )
    places_six = forms.IntegerField(
        label=_("Plasser på 6-månedersmoduler per halvår"), min_value=0, initial=0
    )
    contacts = forms.CharField(
        label=_("Kontaktpersoner"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(label=_("Signert avtale (PDF)"))

    def __init__(self, *args, trusts, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts
        self.fields["municipalities"].queryset = municipalities

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Sluttdatoen kan ikke være før startdatoen."))
        return data


class GenerateForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Avdeling"),
        queryset=Department.objects.none(),
        empty_label=_("Velg avdeling"),
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class PlaceForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Avdeling"),
        queryset=Department.objects.none(),
        empty_label=_("Velg avdeling"),
    )
    start = forms.DateField(label=_("Start"), widget=DATE)
    months = forms.TypedChoiceField(label=_("Modul"), choices=ModuleLength.choices, coerce=int)
    capacity = forms.IntegerField(label=_("Antall plasser"), min_value=1, initial=1)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ContactForm(forms.Form):
    trust = forms.ModelChoiceField(
        label=_("Helseforetak"),
        queryset=HealthTrust.objects.none(),
        empty_label=_("Velg helseforetak"),
    )
    name = forms.CharField(label=_("Navn"), max_length=150)
    email = forms.EmailField(label=_("E-post"))
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)

    def __init__(self, *args, trusts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts


class RequestForm(forms.Form):
    place = PlaceChoiceField(
        label=_("Modul"), queryset=Place.objects.none(), empty_label=_("Velg modul")
    )
    wishes = forms.CharField(
        label=_("Ønsker"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ønsker om avdeling, tidspunkt eller annet helseforetaket bør vite."),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class AnswerForm(forms.Form):
    CONFIRM, PROPOSE, DECLINE = "bekreft", "foresla", "avsla"
    decision = forms.ChoiceField(
        label=_("Svar"),
        choices=[
            (CONFIRM, _("Bekreft modulen")),
            (PROPOSE, _("Foreslå en annen modul")),
            (DECLINE, _("Avslå")),
        ],
        widget=forms.RadioSelect,
    )
    place = PlaceChoiceField(
        label=_("Annen modul (når du foreslår)"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Ingen"),
    )
    answer = forms.CharField(
        label=_("Melding til den som bestilte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut ved avslag."),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.PROPOSE and not data.get("place"):
            self.add_error("place", _("Velg modulen du foreslår."))
        if data.get("decision") == self.DECLINE and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Skriv en kort begrunnelse til den som bestilte."))
        return data


class QueueFilterForm(forms.Form):
    trust = forms.ModelChoiceField(
        label=_("Helseforetaksområde"),
        queryset=HealthTrust.objects.none(),
        required=False,
        empty_label=_("Alle"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Alle"),
    )

    def __init__(self, *args, trusts, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts
        self.fields["municipality"].queryset = municipalities
