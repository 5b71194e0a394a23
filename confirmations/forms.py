from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 20 * 1024 * 1024


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kontrollkode"),
        max_length=40,
        help_text=_("Koden står nederst på bekreftelsen, f.eks. ABCD-EFGH-JKMN-PQRS."),
    )


class VerifyFileForm(forms.Form):
    document = forms.FileField(label=_("Bekreftelsen som PDF"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Filen er for stor (mer enn 20 MB)."))
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Filen er ikke en PDF."))
        return document


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 3}))
