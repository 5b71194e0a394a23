from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Catalogue, CatalogueKind, LearningGoal, PlannedArena, PlannedCourse, PlanVersion
from .resources import COLUMNS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med læringsmål"),
        help_text=_(
            "Excel (.xlsx) eller csv (UTF-8). Første rad er overskrifter: %(columns)s. "
            "«Kode» og «Tittel» må være med."
        )
        % {"columns": ", ".join(f"«{c}»" for c in COLUMNS.values())},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    kind = forms.ChoiceField(label=_("Type læringsmål"), choices=CatalogueKind.choices)
    specialty = forms.CharField(label=_("Spesialitet"), max_length=60, initial="allmennmedisin")
    version = forms.CharField(
        label=_("Versjon"), max_length=60, help_text=_("For eksempel «2026» eller «2026-03».")
    )
    name = forms.CharField(
        label=_("Navn på katalogen"),
        max_length=200,
        initial=_("Læringsmål i allmennmedisin"),
    )
    valid_from = forms.DateField(label=_("Gyldig fra"), widget=DateInput())
    valid_to = forms.DateField(label=_("Gyldig til"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Velg en .xlsx- eller .csv-fil."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er større enn 5 MB."))
        return upload

    def clean(self):
        data = super().clean()
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("«Gyldig til» kan ikke være før «gyldig fra»."))
        if Catalogue.objects.filter(
            specialty=data.get("specialty"), kind=data.get("kind"), version=data.get("version")
        ).exists():
            self.add_error(
                "version",
                _("Versjonen finnes allerede for denne typen. Gi den nye versjonen et nytt navn."),
            )
        return data

    def meta(self) -> dict:
        """The catalogue fields, in a form that can be kept in the session."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "specialty": data["specialty"],
            "version": data["version"],
            "name": data["name"],
            "valid_from": data["valid_from"].isoformat(),
            "valid_to": data["valid_to"].isoformat() if data["valid_to"] else None,
            "note": data["note"],
        }


class CatalogueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} – {obj.version} ({obj.name})"


class CatalogueCompareForm(forms.Form):
    fra = CatalogueChoiceField(label=_("Fra versjon"), queryset=Catalogue.objects.none())
    til = CatalogueChoiceField(label=_("Til versjon"), queryset=Catalogue.objects.none())

    def __init__(self, *args, catalogues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fra"].queryset = catalogues
        self.fields["til"].queryset = catalogues

    def clean(self):
        data = super().clean()
        old, new = data.get("fra"), data.get("til")
        if old and new:
            if old == new:
                self.add_error("til", _("Velg to forskjellige versjoner."))
            elif old.kind != new.kind:
                self.add_error("til", _("Velg to versjoner av samme type (ALM eller FKM)."))
        return data


# --- Individual education plans -------------------------------------------------------------------


def current_goals():
    """Goals of the catalogues in force (an open end), for choosing goals in a plan."""
    return (
        LearningGoal.objects.filter(catalogue__valid_to__isnull=True)
        .select_related("catalogue")
        .order_by("code")
    )


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class PlanVersionForm(forms.ModelForm):
    credited_goals = GoalChoiceField(
        queryset=LearningGoal.objects.none(),
        required=False,
        label=_("Godskrevne læringsmål"),
        help_text=_("Læringsmål som allerede er oppnådd og godskrives."),
    )
    # Declared here, not generated: the office-scoped querysets are set per request.
    veileder = forms.ModelChoiceField(queryset=None, required=False, label=_("Veileder (oppnevnt)"))
    group = forms.ModelChoiceField(queryset=None, required=False, label=_("Veiledningsgruppe"))

    class Meta:
        model = PlanVersion
        fields = (
            "prior_competence",
            "credited_goals",
            "institution_module",
            "institution_place",
            "institution_start",
            "veileder",
            "veileder_name",
            "supervisors",
            "group",
            "group_text",
            "target_completion",
            "note",
        )
        widgets = {
            "prior_competence": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "institution_start": DateInput(),
            "target_completion": DateInput(),
        }

    def __init__(self, *args, trainee, assignments, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credited_goals"].queryset = current_goals()
        self.fields["veileder"].queryset = assignments
        self.fields["veileder"].label_from_instance = lambda a: (
            f"{a.supervisor_name} ({a.get_role_display()})"
        )
        self.fields["group"].queryset = groups


class PlannedArenaForm(forms.ModelForm):
    goals = GoalChoiceField(
        queryset=LearningGoal.objects.none(), required=False, label=_("Læringsmål på arenaen")
    )

    class Meta:
        model = PlannedArena
        fields = ("arena", "place", "start", "end", "percentage", "goals")
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals if goals is not None else current_goals()


class PlannedCourseForm(forms.ModelForm):
    class Meta:
        model = PlannedCourse
        fields = ("kind", "title", "hours", "planned")
        widgets = {"planned": DateInput()}


ArenaFormSet = forms.formset_factory(PlannedArenaForm, extra=2)
CourseFormSet = forms.formset_factory(PlannedCourseForm, extra=2)


def arena_initial(version) -> list[dict]:
    if version is None:
        return []
    return [
        {
            "arena": a.arena,
            "place": a.place,
            "start": a.start,
            "end": a.end,
            "percentage": a.percentage,
            "goals": list(a.goals.all()),
        }
        for a in version.arenas.all()
    ]


def course_initial(version) -> list[dict]:
    if version is None:
        return []
    return [
        {"kind": c.kind, "title": c.title, "hours": c.hours, "planned": c.planned}
        for c in version.courses.all()
    ]


def version_initial(version) -> dict:
    if version is None:
        return {}
    initial = {name: getattr(version, name) for name in PlanVersionForm.Meta.fields}
    initial["veileder"] = version.veileder_id
    initial["group"] = version.group_id
    initial["credited_goals"] = list(version.credited_goals.all())
    return initial


def filled_rows(formset) -> list[dict]:
    """The formset rows the user filled in (empty extra rows are skipped)."""
    return [f.cleaned_data for f in formset if f.cleaned_data]


class PlanCompareForm(forms.Form):
    fra = forms.TypedChoiceField(label=_("Fra versjon"), coerce=int)
    til = forms.TypedChoiceField(label=_("Til versjon"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Versjon %(n)s") % {"n": n}) for n in numbers]
        self.fields["fra"].choices = choices
        self.fields["til"].choices = choices
