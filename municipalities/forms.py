import re

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from .models import (
    GOAL_CODE_RE,
    ArenaType,
    ContactChannel,
    CounterpartyType,
    validate_orgnr,
    validate_pdf,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegistrationForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=None,
        label=_("Kommune"),
        empty_label=_("Velg kommune"),
        error_messages={"required": _("Velg kommunen som skal registreres.")},
    )
    org_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        help_text=_("Kommunens organisasjonsnummer, ni sifre (står i Enhetsregisteret)."),
        error_messages={"required": _("Skriv kommunens organisasjonsnummer.")},
    )
    leader_name = forms.CharField(
        label=_("Navn på lederen som godkjenner læringsmål"), max_length=150
    )
    leader_title = forms.CharField(label=_("Lederens stillingstittel"), max_length=150)
    leader_email = forms.EmailField(label=_("Lederens e-post"))
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=150)
    contact_email = forms.EmailField(label=_("Kontaktpersonens e-post"))
    contact_phone = forms.CharField(label=_("Kontaktpersonens telefon"), max_length=30)
    hdir_registered_on = forms.DateField(
        label=_("Dato for registrering hos Helsedirektoratet"),
        required=False,
        widget=DateInput,
        help_text=_("Fyll ut hvis kommunen allerede er registrert."),
    )
    hdir_reference = forms.CharField(
        label=_("Helsedirektoratets referanse"), max_length=60, required=False
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"
        self.fields["org_number"].widget.attrs["inputmode"] = "numeric"

    def clean_org_number(self) -> str:
        value = orgnr.compact(self.cleaned_data["org_number"])
        validate_orgnr(value)
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse for avslag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Begrunnelsen sendes til kommunen."),
        error_messages={
            "required": _("Skriv en begrunnelse. Den sendes til kommunen sammen med avslaget.")
        },
    )


class PlanForm(forms.Form):
    note = forms.CharField(
        label=_("Hva er endret?"),
        max_length=300,
        required=False,
        help_text=_("Kort om endringen, for den som leser versjonene senere."),
    )


def parse_goal_codes(text: str) -> list[str]:
    """'alm-001, FKM-12 ALM-001' → ['ALM-001', 'FKM-12'] (upper case, in order, no repeats)."""
    codes: list[str] = []
    for code in re.split(r"[\s,;]+", text.upper()):
        if code and code not in codes:
            codes.append(code)
    return codes


class ArenaForm(forms.Form):
    arena_type = forms.ChoiceField(
        label=_("Type arena"),
        choices=[("", _("Velg type"))] + list(ArenaType.choices),
        error_messages={"required": _("Velg hvilken type arena dette er.")},
    )
    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        error_messages={"required": _("Skriv navnet på arenaen, f.eks. legekontoret.")},
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A plain choice field over agreements fetched once for the whole formset (a
    # ModelChoiceField would query them again for every arena form).
    agreement = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Hvor"),
        help_text=_("Velg samarbeidsavtalen hvis arenaen er utenfor kommunen."),
    )
    goal_codes = forms.CharField(
        label=_("Læringsmål arenaen dekker"),
        required=False,
        help_text=_("Koder skilt med komma, f.eks. ALM-001, ALM-055, FKM-12."),
    )

    def __init__(self, *args, agreements: dict, **kwargs):
        """`agreements`: the municipality's agreements by id."""
        super().__init__(*args, **kwargs)
        self.agreements = agreements
        self.fields["agreement"].choices = [("", _("I kommunen"))] + [
            (pk, _("Samarbeidsavtale med %(party)s") % {"party": a.counterparty})
            for pk, a in agreements.items()
        ]

    def clean_agreement(self):
        pk = self.cleaned_data.get("agreement")
        return self.agreements[pk] if pk is not None else None

    def clean_goal_codes(self) -> list[str]:
        codes = parse_goal_codes(self.cleaned_data.get("goal_codes", ""))
        bad = [c for c in codes if not GOAL_CODE_RE.match(c)]
        if bad:
            raise forms.ValidationError(
                _(
                    "Disse kodene er ikke gyldige: %(codes)s. Bruk ALM- og tre sifre "
                    "(ALM-001) eller FKM- og to sifre (FKM-12)."
                ),
                params={"codes": ", ".join(bad)},
            )
        return codes


class BaseArenaFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Fjern arenaen fra planen")

    def arenas(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        if not self.arenas():
            raise forms.ValidationError(_("Planen må ha minst én læringsarena."))


ArenaFormSet = forms.formset_factory(ArenaForm, formset=BaseArenaFormSet, extra=2, can_delete=True)


class AgreementForm(forms.Form):
    counterparty_type = forms.ChoiceField(
        label=_("Avtalepart"),
        choices=CounterpartyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvem avtalen er inngått med.")},
    )
    counterparty_name = forms.CharField(
        label=_("Navn på helseforetak eller virksomhet"),
        max_length=150,
        required=False,
        help_text=_("F.eks. Helse Bergen HF. Ikke nødvendig når avtaleparten er en kommune."),
    )
    counterparty_municipality = forms.ModelChoiceField(
        queryset=None,
        label=_("Kommune som er avtalepart"),
        required=False,
        empty_label=_("Velg kommune"),
    )
    arena_types = forms.MultipleChoiceField(
        label=_("Læringsarenaer avtalen dekker"),
        choices=ArenaType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én læringsarena avtalen dekker.")},
    )
    start = forms.DateField(
        label=_("Gjelder fra"),
        widget=DateInput,
        error_messages={"required": _("Skriv datoen avtalen gjelder fra.")},
    )
    end = forms.DateField(
        label=_("Gjelder til"),
        widget=DateInput,
        required=False,
        help_text=_("La stå tom hvis avtalen gjelder til den sies opp."),
    )
    document = forms.FileField(
        label=_("Signert avtale (PDF, høyst 10 MB)"),
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Last opp den signerte avtalen som PDF.")},
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterparty_municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        kind = data.get("counterparty_type")
        if kind == CounterpartyType.MUNICIPALITY and not data.get("counterparty_municipality"):
            self.add_error("counterparty_municipality", _("Velg kommunen avtalen er inngått med."))
        if kind and kind != CounterpartyType.MUNICIPALITY and not data.get("counterparty_name"):
            self.add_error("counterparty_name", _("Skriv navnet på avtaleparten."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Sluttdatoen kan ikke være før startdatoen."))
        return data


class ProfileForm(forms.Form):
    recruitment_trouble = forms.BooleanField(
        label=_("Kommunen har rekrutteringsproblemer"), required=False
    )
    recruitment_reason = forms.CharField(
        label=_("Hvorfor"),
        max_length=300,
        required=False,
        help_text=_("Kort begrunnelse, f.eks. «tre ubesatte hjemler siste år»."),
    )
    sami_area = forms.BooleanField(
        label=_("I forvaltningsområdet for samisk språk"), required=False
    )
    cooperation = forms.CharField(
        label=_("Interkommunalt samarbeid"),
        max_length=200,
        required=False,
        help_text=_("Navnet på samarbeidet, f.eks. «Tana + Lebesby»."),
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("recruitment_trouble") and not (data.get("recruitment_reason") or "").strip():
            self.add_error(
                "recruitment_reason", _("Skriv kort hvorfor kommunen har rekrutteringsproblemer.")
            )
        return data


class ContactForm(forms.Form):
    date = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Kanal"), choices=ContactChannel.choices)
    people = forms.CharField(
        label=_("Hvem"),
        max_length=300,
        help_text=_("Navn og roller, f.eks. «Kari Nordmann, kommuneoverlege»."),
    )
    notes = forms.CharField(label=_("Notater"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_on = forms.DateField(
        label=_("Følg opp innen"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("follow_up_on") and data.get("date") and data["follow_up_on"] < data["date"]:
            self.add_error("follow_up_on", _("Oppfølgingen kan ikke være før kontakten."))
        return data
