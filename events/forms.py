from django import forms
from django.utils.translation import gettext_lazy as _

from offices.forms import NorwegianDecimalField, SingleLineMixin
from offices.models import Office
from plans.models import LearningGoal

from .models import Activity, Audience, Event
from .services import event_errors


class ActivityForm(SingleLineMixin, forms.ModelForm):
    single_line_fields = ("title",)
    audience = forms.MultipleChoiceField(
        label=_("Målgruppe"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    goal_codes = forms.CharField(
        label=_("Læringsmål det dekker"),
        required=False,
        help_text=_("Koder skilt med komma, f.eks. ALM-001, FKM-12."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "course_kind",
            "hours",
            "programme",
            "learning_outcomes",
            "evaluation_questions",
            "is_national",
        ]

    def __init__(self, *args, can_share_nationally: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_share_nationally:
            del self.fields["is_national"]

    def clean_goal_codes(self):
        codes = [c.strip().upper() for c in self.cleaned_data["goal_codes"].split(",") if c.strip()]
        goals = {g.code: g for g in LearningGoal.objects.filter(code__in=codes).order_by("pk")}
        missing = [c for c in codes if c not in goals]
        if missing:
            raise forms.ValidationError(
                _("Finner ikke læringsmål: %(codes)s") % {"codes": ", ".join(missing)}
            )
        return [goals[c] for c in codes]


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(SingleLineMixin, forms.ModelForm):
    single_line_fields = ("title", "place")
    # The choices are set per office in __init__ (the catalogue is office-owned and scoped).
    activity = forms.ModelChoiceField(label=_("Aktivitet"), queryset=Activity.objects.none())
    online_url = forms.URLField(
        label=_("Lenke til nettmøte"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "activity",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "signup_deadline",
            "cancel_deadline",
            "price",
            "payer",
            "co_offices",
            "is_national",
            "is_public",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "signup_deadline": DATETIME,
            "cancel_deadline": DATETIME,
            "co_offices": forms.CheckboxSelectMultiple,
        }
        # «250,50» as Norwegians write an amount (a number input refuses the comma).
        field_classes = {"price": NorwegianDecimalField}

    def __init__(self, *args, office, activities, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A change keeps the activity (what attendance records and evaluates).
            del self.fields["activity"]
        else:
            self.fields["activity"].queryset = activities
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Tom: aktivitetens tittel.")
        self.fields["co_offices"].queryset = Office.objects.exclude(pk=office.pk)

    def clean(self):
        """The service's checks, so they are shown by their fields (before the model's
        constraint, whose message says less)."""
        data = super().clean()
        checked = ("starts_at", "ends_at", "signup_deadline", "cancel_deadline", "price", "payer")
        for field, message in event_errors(Event(**{k: data.get(k) for k in checked})).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class SignupOnBehalfForm(forms.Form):
    trainee = forms.ModelChoiceField(label=_("ALIS-lege"), queryset=None)

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees


class PublicSignupForm(SingleLineMixin, forms.Form):
    single_line_fields = ("name",)
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-post"))


SCORES = [(i, str(i)) for i in range(1, 6)]


class EvaluationForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Samlet vurdering (1 = svært dårlig, 5 = svært bra)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea, required=False)

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.TypedChoiceField(
                label=question, choices=SCORES, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([f"q{i}" for i in range(len(questions))] + ["overall", "comment"])

    def scores(self) -> list[int]:
        return [self.cleaned_data[f"q{i}"] for i in range(len(self.questions))]
