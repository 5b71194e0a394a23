from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Hva er feil, og hva er riktig?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kontoret får anmodningen som en oppgave og svarer deg her."),
        error_messages={"required": _("Skriv hva som er feil, og hva som er riktig.")},
    )


class CorrectionResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Svar til legen"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv et svar til legen.")},
    )
