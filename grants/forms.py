"""Forms shape and validate input; services do the saving."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.forms import DateInput
from offices import clock
from offices.forms import NorwegianDecimalField

from .models import ExpenseCategory, InvoiceProfile


class ClaimCreateForm(forms.Form):
    trainee = forms.ModelChoiceField(
        queryset=None, label=_("ALIS-lege"), empty_label=_("Velg lege")
    )
    scheme = forms.ModelChoiceField(
        queryset=None, label=_("Tilskuddsordning"), empty_label=_("Velg ordning")
    )
    year = forms.IntegerField(
        label=_("Tilskuddsår"),
        min_value=2017,
        max_value=2100,
        help_text=_("Året tilskuddsåret begynner i, f.eks. 2025."),
    )

    def __init__(self, *args, trainees, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees
        self.fields["trainee"].label_from_instance = lambda t: (
            f"{t.full_name} ({t.municipality.name})"
        )
        self.fields["scheme"].queryset = schemes
        self.fields["scheme"].error_messages["invalid_choice"] = _(
            "Velg en av ordningene i listen: nasjonale ordninger og ditt ALIS-kontors egne."
        )
        if not self.is_bound:
            self.initial.setdefault("year", clock.today().year - 1)


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=ExpenseCategory.choices)
    day = forms.DateField(label=_("Dato"), widget=DateInput())
    amount = NorwegianDecimalField(
        label=_("Beløp (kr)"), max_digits=12, decimal_places=2, min_value=0
    )
    description = forms.CharField(label=_("Beskrivelse"), max_length=200)
    covered_by_fund = forms.BooleanField(
        label=_("Dekkes av Legeforeningens fond"),
        required=False,
        help_text=_("Kryss av hvis fondet dekker utgiften: da gir den ikke tilskudd."),
    )
    receipt = forms.FileField(
        label=_("Kvittering (PDF, PNG eller JPG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )


class DecisionForm(forms.Form):
    approved_amount = NorwegianDecimalField(
        label=_("Godkjent beløp (kr)"), max_digits=12, decimal_places=2, min_value=0
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut når kravet bare godkjennes delvis."),
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Utbetalt dato"), widget=DateInput())


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Betalt dato"), widget=DateInput())
    paid_amount = NorwegianDecimalField(
        label=_("Innbetalt beløp (kr)"), max_digits=12, decimal_places=2, min_value=0
    )


class InvoiceProfileForm(forms.ModelForm):
    class Meta:
        model = InvoiceProfile
        fields = ["invoice_name", "org_number", "address", "account_number", "payment_days"]

    def _post_clean(self):
        # Model validation runs in the service; a form never saves.
        pass
