from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goals.models import MAX_ATTACHMENT_BYTES, ActivityKind, GoalStatus
from offices.uploads import validate_content


class ActivityForm(forms.Form):
    goals = forms.ModelMultipleChoiceField(
        queryset=None,
        label=pgettext_lazy("flertall", "Læringsmål"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    kind = forms.ChoiceField(label=_("Type aktivitet"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("Vedlegg (valgfritt)"),
        required=False,
        help_text=_("PDF eller bilde (PNG, JPG), høyst 10 MB."),
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file and file.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Vedlegget kan være på høyst 10 MB."))
        if file:
            # By content, not by name: a renamed .exe or .html is refused.
            validate_content(file, ("pdf", "png", "jpeg"), what=_("Vedlegget"))
        return file


class SignForm(forms.Form):
    activities = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Aktiviteter"), widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label=_("Kommentar (valgfritt)"), required=False)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities
        self.fields["activities"].error_messages["required"] = _(
            "Velg minst én aktivitet å signere."
        )


class AdviceForm(forms.Form):
    text = forms.CharField(label=_("Råd"), widget=forms.Textarea(attrs={"rows": 4}))
    recommend = forms.TypedChoiceField(
        label=_("Anbefaler du at målet godkjennes?"),
        choices=[("ja", _("Ja")), ("nei", _("Nei"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse for retur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut når du returnerer målet."),
    )


class GoalFilterForm(forms.Form):
    """Filter of the progress page: one status (with how many goals have it) and a search word."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Søk i kode eller tittel"), required=False, max_length=100)

    def __init__(self, *args, counts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle statuser"))] + [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in GoalStatus.choices
        ]
