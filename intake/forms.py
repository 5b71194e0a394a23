"""Forms for recruitment rounds. They shape and check input; the services write."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from offices.vocabularies import EmploymentForm

from .models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    REASON_MAX,
    Application,
    Criterion,
    Question,
    QuestionKind,
    Round,
    too_long,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LengthMessages:
    """Every text field with a longest length says so in plain Norwegian («Teksten er for
    lang: høyst 4000 tegn …») instead of Django's wording; what was typed is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators = [
                    v for v in field.validators if not isinstance(v, MaxLengthValidator)
                ] + [too_long(field.max_length)]


class RoundForm(LengthMessages, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "invitation_text", "deadline", "programme_cap", "max_per_municipality"]
        widgets = {"deadline": DATE, "invitation_text": forms.Textarea(attrs={"rows": 6})}


class BlankRowIsEmpty:
    """A formset row whose main text is left blank is an empty row (the blank «new» row at
    the end), whatever its other fields hold by default; a row of an existing item (with
    `id`) is always checked, so clearing its text is an error, not a silent skip."""

    main_field = ""

    def has_changed(self):
        if self.is_bound and not self.data.get(self.add_prefix("id")):
            return bool((self.data.get(self.add_prefix(self.main_field)) or "").strip())
        return super().has_changed()


class CriterionForm(BlankRowIsEmpty, LengthMessages, forms.Form):
    main_field = "name"

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Kriterium"), max_length=150)
    description = forms.CharField(
        label=_("Beskrivelse"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(label=_("Vekt (1–10)"), min_value=1, max_value=10, initial=1)
    must_have = forms.BooleanField(label=_("Absolutt krav (oppfylt eller ikke)"), required=False)


class QuestionForm(BlankRowIsEmpty, LengthMessages, forms.Form):
    main_field = "text"
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Spørsmål"), max_length=200)
    kind = forms.ChoiceField(label=_("Svartype"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("Må besvares"), required=False, initial=True)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_delete=True)


def criteria_initial(criteria) -> list[dict]:
    return [
        {
            "id": c.pk,
            "name": c.name,
            "description": c.description,
            "weight": c.weight,
            "must_have": c.must_have,
        }
        for c in criteria
    ]


def questions_initial(questions) -> list[dict]:
    return [{"id": q.pk, "text": q.text, "kind": q.kind, "required": q.required} for q in questions]


def formset_items(formset) -> list[dict]:
    """The filled-in rows of a valid formset as the service takes them (blank extra rows are
    left out; a ticked «Slett» becomes `delete`)."""
    items = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        item = {k: v for k, v in data.items() if k != "DELETE"}
        item["delete"] = bool(data.get("DELETE"))
        if item.get("id") is None:
            item.pop("id", None)
            if item["delete"]:
                continue
        items.append(item)
    return items


class InviteForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner som inviteres"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én kommune.")},
    )

    def __init__(self, *args, municipalities, trusts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities
        self.trusts = trusts or {}
        if not self.is_bound:
            self.initial["municipalities"] = list(municipalities)

    def groups(self) -> list[tuple[str, list[tuple]]]:
        """The checkboxes by county (then name), each with its health trust: (county,
        [(checkbox, health trust name or "")])."""
        groups: dict[str, list[tuple]] = {}
        for box in self["municipalities"]:
            municipality = box.data["value"].instance
            groups.setdefault(municipality.county, []).append(
                (box, self.trusts.get(municipality.pk, ""))
            )
        return sorted(groups.items())


YES_NO = [("", _("Ikke svart")), ("ja", _("Ja")), ("nei", _("Nei"))]


class ApplicationForm(LengthMessages, forms.Form):
    lead = forms.ModelChoiceField(label=_("Ansvarlig kommune"), queryset=None)
    partners = forms.ModelMultipleChoiceField(
        label=_("Kommuner som søker sammen med dere"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tomt: kommunen søker alene."),
    )
    positions_requested = forms.IntegerField(
        label=_("Antall ALIS dere søker om"), min_value=1, max_value=20, initial=1
    )
    employment_form = forms.ChoiceField(
        label=_("Driftsform"), choices=Application._meta.get_field("employment_form").choices
    )
    note = forms.CharField(
        label=_("Utfyllende opplysninger"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Samarbeid, legekontor, listestørrelse og annet kontoret bør vite (høyst 4000 tegn)."
        ),
    )

    def __init__(self, *args, round_, leads, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(round_.questions.all())
        self.fields["lead"].queryset = leads
        self.fields["partners"].queryset = municipalities
        if not self.is_bound and len(choices := list(leads[:2])) == 1:
            self.initial.setdefault("lead", choices[0])
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = self._field(question)

    @staticmethod
    def _field(question: Question):
        label = question.text
        if question.kind == QuestionKind.YES_NO:
            return forms.ChoiceField(
                label=label, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
        if question.kind == QuestionKind.NUMBER:
            return forms.IntegerField(label=label, min_value=0, max_value=1000, required=False)
        return forms.CharField(
            label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )

    def answers(self) -> dict:
        return {
            str(q.pk): self.cleaned_data.get(f"q_{q.pk}")
            for q in self.questions
            if self.cleaned_data.get(f"q_{q.pk}") not in (None, "")
        }

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]

    @staticmethod
    def initial_for(application: Application) -> dict:
        initial = {
            "lead": application.lead,
            "partners": list(application.partners.all()),
            "positions_requested": application.positions_requested,
            "employment_form": application.employment_form,
            "note": application.note,
        }
        for key, value in application.answers.items():
            if isinstance(value, bool):
                value = "ja" if value else "nei"
            initial[f"q_{key}"] = value
        return initial


WEIGHTED_CHOICES = [("", _("Ikke vurdert"))] + [(str(n), str(n)) for n in range(6)]
MUST_HAVE_CHOICES = [("", _("Ikke vurdert")), ("1", _("Oppfylt")), ("0", _("Ikke oppfylt"))]


class ScoreForm(LengthMessages, forms.Form):
    """One assessor's scores of one application: a choice and a comment per criterion."""

    def __init__(self, *args, criteria: list[Criterion], mine: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c_{c.pk}"] = forms.ChoiceField(
                label=c.name,
                choices=MUST_HAVE_CHOICES if c.must_have else WEIGHTED_CHOICES,
                required=False,
                help_text=(
                    _("Absolutt krav")
                    if c.must_have
                    else _("Vekt %(w)s · 0–5 poeng") % {"w": c.weight}
                ),
            )
            self.fields[f"k_{c.pk}"] = forms.CharField(
                label=_("Kommentar til «%(name)s»") % {"name": c.name},
                required=False,
                max_length=300,
            )
            if c.pk in mine and not self.is_bound:
                self.initial[f"c_{c.pk}"] = str(mine[c.pk].value)
                self.initial[f"k_{c.pk}"] = mine[c.pk].comment

    def scores(self) -> dict[int, tuple[int | None, str]]:
        result = {}
        for c in self.criteria:
            raw = self.cleaned_data.get(f"c_{c.pk}")
            result[c.pk] = (
                int(raw) if raw not in (None, "") else None,
                self.cleaned_data.get(f"k_{c.pk}", ""),
            )
        return result

    def rows(self):
        return [(c, self[f"c_{c.pk}"], self[f"k_{c.pk}"]) for c in self.criteria]


class DecisionForm(LengthMessages, forms.Form):
    decided_on = forms.DateField(label=_("Vedtaksdato"), widget=DATE)
    decision_reference = forms.CharField(
        label=_("Møtereferanse"),
        max_length=150,
        help_text=_("F.eks. «Styringsgruppemøte 12.3.2027, sak 4/27»."),
    )
    note = forms.CharField(
        label=_("Merknad til vedtaket"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines, **kwargs):
        """`lines`: (application, municipality, proposed number, proposed form) for every
        municipality of every submitted application."""
        super().__init__(*args, **kwargs)
        self.lines = lines
        for application, municipality, proposed, form in lines:
            key = f"{application.pk}_{municipality.pk}"
            self.fields[f"n_{key}"] = forms.IntegerField(
                label=_("Antall ALIS til %(name)s") % {"name": municipality.name},
                min_value=0,
                max_value=20,
                initial=proposed,
            )
            self.fields[f"f_{key}"] = forms.ChoiceField(
                label=_("Driftsform for %(name)s") % {"name": municipality.name},
                choices=EmploymentForm.choices,
                initial=form,
            )

    def offers(self):
        return [
            (
                application,
                municipality,
                self.cleaned_data[f"n_{application.pk}_{municipality.pk}"],
                self.cleaned_data[f"f_{application.pk}_{municipality.pk}"],
            )
            for application, municipality, _p, _f in self.lines
        ]

    def rows(self):
        return [
            (a, m, self[f"n_{a.pk}_{m.pk}"], self[f"f_{a.pk}_{m.pk}"])
            for a, m, _p, _f in self.lines
        ]


class ReasonForm(LengthMessages, forms.Form):
    """The office's reason for removing a municipality, withdrawing an application, confirming
    for a municipality or recording its answer (kept in the application's log)."""

    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=REASON_MAX,
        error_messages={"required": _("Skriv en begrunnelse.")},
    )
