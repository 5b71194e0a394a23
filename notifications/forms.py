from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    weekly_digest = forms.BooleanField(
        label=_("Samle påminnelsene i én e-post i uken"),
        required=False,
        help_text=_("Hastesaker, som tilskuddsfrister, sendes likevel med en gang."),
    )
