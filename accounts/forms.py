from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from offices.permissions import MUNICIPALITY_ROLES, Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-post til den som inviteres"))
    role = forms.ChoiceField(label=_("Rolle"))
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("Kommune"), required=False, empty_label=_("Velg kommune")
    )

    def __init__(self, *args, roles, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()

    def clean(self):
        data = super().clean()
        if data.get("role") in MUNICIPALITY_ROLES and not data.get("municipality"):
            self.add_error("municipality", _("Velg kommunen invitasjonen gjelder."))
        return data


class SignupNamesForm(forms.Form):
    """allauth's own sign-up (ACCOUNT_SIGNUP_FORM_CLASS) asks for the name too, so a person is
    shown by name everywhere, not by e-mail address. allauth's adapter saves both fields."""

    first_name = forms.CharField(
        label=_("Fornavn"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Etternavn"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )

    field_order = ["first_name", "last_name", "email"]

    def signup(self, request, user) -> None:
        """Nothing more to save: DefaultAccountAdapter.save_user sets the names."""


class InvitationSignupForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150)
    password1 = forms.CharField(
        label=_("Passord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Gjenta passordet"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Passordene er ikke like."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Språk"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class MemberFilterForm(forms.Form):
    """The members page's filters (GET): role, municipality and a name."""

    q = forms.CharField(label=_("Søk på navn eller e-post"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Rolle"), required=False)
    municipality = forms.ModelChoiceField(
        queryset=None, label=_("Kommune"), required=False, empty_label=_("Alle kommuner")
    )

    def __init__(self, *args, roles, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Alle roller"))] + [(r, Role(r).label) for r in roles]
        self.fields["municipality"].queryset = municipalities


class EndMembershipForm(forms.Form):
    on = forms.DateField(
        label=_("Rollen sluttet"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tom: i dag. En dato tilbake i tid når rollen sluttet tidligere."),
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lagres i sikkerhetsloggen sammen med hvem som avsluttet rollen."),
        error_messages={"required": _("Skriv hvorfor rollen avsluttes.")},
    )
