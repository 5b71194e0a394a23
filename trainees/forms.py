"""Forms shape and validate input for the trainee services; they never save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from municipalities.models import Municipality
from offices.permissions import Role
from positions.models import Position
from trainees.models import COURSE_KINDS

from .models import (
    GroupMeeting,
    ServicePeriod,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
    SupervisorRole,
    Trainee,
    normalize_hpr,
)
from .selectors import hpr_holder


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_widgets(*names):
    return {name: DateInput() for name in names}


class TraineeForm(forms.ModelForm):
    # Wider than the stored 9 digits so "12 345 678" reaches our own, clearer message.
    hpr_number = forms.CharField(
        label=_("HPR-nummer"),
        max_length=20,
        help_text=_("Helsepersonellnummer, 7–9 sifre. Lagres med nuller foran til 9 sifre."),
    )

    # Declared here: the default field would query the office-scoped Position table at import.
    position = forms.ModelChoiceField(
        queryset=Position.objects.none(),
        required=False,
        label=_("ALIS-stilling"),
        help_text=_("Stillingen legen har i kommunen."),
    )

    class Meta:
        model = Trainee
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "hpr_number",
            "municipality",
            "scheme",
            "conversion_date",
            "lis1_completed",
            "specialisation_start",
            "status",
            "employment_form",
            "position",
        ]
        widgets = date_widgets("conversion_date", "lis1_completed", "specialisation_start")
        help_texts = {
            "conversion_date": _("Fylles ut når legen er konvertert fra gammel ordning."),
        }

    invite = forms.BooleanField(
        label=_("Send invitasjon til legen nå"),
        required=False,
        initial=True,
        help_text=_(
            "Legen får en e-post med lenke til å lage konto og ser straks sine egne sider."
        ),
    )

    def __init__(
        self, *args, office, municipalities=None, municipality_ids=None, can_invite=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.office = office
        if self.instance.pk or not can_invite:
            del self.fields["invite"]
        # None: the whole office (coordinators); else a leader's own municipalities, and the
        # form neither offers nor tells anything about the others.
        self.municipality_ids = municipality_ids
        if self.instance.pk:
            # Moving the doctor is a transfer, with its own page.
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            self.fields["municipality"].empty_label = _("Velg kommune")
            if municipalities.count() == 1:
                self.fields["municipality"].initial = municipalities.first()
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["position"].queryset = (
            Position.objects.filter(office=office)
            .exclude(status="avsluttet")
            .select_related("municipality", "group", "medical_office")
        )
        if self.municipality_ids is not None:
            self.fields["position"].queryset = self.fields["position"].queryset.filter(
                municipality_id__in=self.municipality_ids
            )
        self.fields["position"].empty_label = _("Ingen stilling valgt")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("invite") and not cleaned.get("email"):
            self.add_error("email", _("Skriv legens e-postadresse for å sende invitasjonen."))
        return cleaned

    def clean_hpr_number(self) -> str:
        value = self.cleaned_data["hpr_number"].strip().replace(" ", "")
        if not value.isdigit():
            raise forms.ValidationError(_("HPR-nummeret kan bare inneholde sifre."))
        if not 7 <= len(value) <= 9:
            raise forms.ValidationError(
                _("HPR-nummeret skal ha 7–9 sifre; du skrev %(n)s."), params={"n": len(value)}
            )
        value = normalize_hpr(value)
        holder = hpr_holder(value, exclude_pk=self.instance.pk)
        if holder is None:
            return value
        in_office = holder.office_id == self.office.pk
        if self.municipality_ids is not None and not (
            in_office and holder.municipality_id in self.municipality_ids
        ):
            # Registered where this leader may not look (another municipality or another
            # office): say only what they may know, not where the doctor is.
            raise forms.ValidationError(_("Legen kan ikke registreres her; kontakt ALIS-kontoret."))
        if not in_office:
            # A coordinator learns which office to ask: a doctor who moves region is
            # transferred with the whole record, and the receiving office accepts it.
            raise forms.ValidationError(
                _(
                    "HPR-nummer %(hpr)s er allerede registrert hos %(office)s. Be %(office)s om "
                    "å overføre legen til dere (med «Overfør» på legens side); dere godtar "
                    "overføringen under «Overføringer», og hele historikken følger med."
                ),
                params={"hpr": value, "office": holder.office.name},
            )
        raise forms.ValidationError(
            _("Det finnes allerede en ALIS-lege med HPR-nummer %(hpr)s i kontoret."),
            params={"hpr": value},
        )
        return value


class ContactForm(forms.Form):
    email = forms.EmailField(label=_("E-post"))
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)


class ServicePeriodForm(forms.ModelForm):
    class Meta:
        model = ServicePeriod
        fields = [
            "place",
            "municipality",
            "arena",
            "percentage",
            "start",
            "end",
            "is_leave",
            "credited",
            "note",
        ]
        widgets = date_widgets("start", "end")
        labels = {"municipality": _("Kommune der tjenesten var")}
        help_texts = {
            "municipality": _("Tom: legens kommune (for godskrevet tjeneste: ukjent)."),
            "percentage": _(
                "Deltid teller forholdsmessig. Alle samtidige perioder kan til sammen være "
                "høyst 100 %."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(is_active=True).order_by(
            "name"
        )
        self.fields["municipality"].empty_label = _("Legens kommune")


class SupervisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, s: Supervisor) -> str:
        specialty = _("allmennmedisin") if s.is_specialist else s.other_specialty
        return _("%(name)s (%(specialty)s; %(free)s av %(capacity)s plasser ledige)") % {
            "name": s.name,
            "specialty": specialty,
            "free": s.free,
            "capacity": s.capacity,
        }


class AssignmentForm(forms.ModelForm):
    # Querysets of office-owned models are set per request (in its scope), never at import.
    supervisor = SupervisorChoiceField(
        queryset=None,
        label=_("Veileder eller supervisør fra poolen"),
        empty_label=_("Velg person"),
        help_text=_("De som betjener kommunen står først, deretter nabokommuner i fylket."),
    )

    class Meta:
        model = SupervisorAssignment
        fields = ["role", "supervisor", "start", "end", "exception_reason"]
        widgets = {**date_widgets("start", "end"), "role": forms.RadioSelect}
        help_texts = {
            "end": _("Tom: løpende. Ved unntak for veileder må sluttdato oppgis."),
            "exception_reason": _(
                "Bare når veilederen ikke er spesialist i allmennmedisin, f.eks. under lengre "
                "tjeneste et annet sted."
            ),
        }

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["role"].initial = SupervisorRole.VEILEDER

    def _post_clean(self):
        # The rules (one veileder at a time, the exception) live in the service, which knows
        # the doctor; skip the model's own validation of an incomplete instance.
        pass


class AssignmentEndForm(forms.Form):
    end = forms.DateField(label=_("Siste dag"), widget=DateInput())


class TransferForm(forms.Form):
    to_municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(),
        label=_("Ny kommune"),
        empty_label=_("Velg kommune"),
        help_text=_("Kommuner i andre regioner er med; da overtar det ALIS-kontoret legen."),
    )
    on = forms.DateField(label=_("Første dag i ny kommune"), widget=DateInput())
    note = forms.CharField(label=_("Merknad"), max_length=100, required=False)

    def __init__(self, *args, exclude: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            Municipality.objects.filter(is_active=True)
            .exclude(pk=exclude.pk)
            .select_related("office")
            .order_by("name")
        )
        field = self.fields["to_municipality"]
        field.queryset = qs
        field.label_from_instance = lambda m: f"{m.name} ({m.number}) – {m.office.name}"


class DeclineTransferForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse for avslag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Begrunnelsen vises for kontoret som ba om overføringen."),
        error_messages={
            "required": _("Skriv en begrunnelse. Den vises for kontoret som ba om overføringen.")
        },
    )


class SupervisorForm(forms.ModelForm):
    class Meta:
        model = Supervisor
        fields = [
            "name",
            "email",
            "phone",
            "workplace",
            "user",
            "specialty",
            "other_specialty",
            "course_completed",
            "capacity",
            "municipalities",
            "is_active",
            "note",
        ]
        widgets = {
            **date_widgets("course_completed"),
            "municipalities": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "user": _("Kobles når personen har brukerkonto som veileder eller supervisør."),
            "capacity": _("Hvor mange ALIS-leger personen kan være veileder for samtidig."),
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(
            office=office, is_active=True
        ).order_by("county", "name")
        self.fields["user"].queryset = (
            User.objects.filter(
                memberships__office=office,
                memberships__role__in=[Role.VEILEDER, Role.SUPERVISOR],
                memberships__is_active=True,
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["user"].empty_label = _("Ingen brukerkonto")
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.email})"


class GroupForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Deltakere"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupervisionGroup
        fields = ["name", "leader_user", "leader_name", "start", "end", "hours_held", "members"]
        widgets = {**date_widgets("start", "end"), "members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, office, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = trainees
        self.fields["members"].label_from_instance = lambda t: (
            f"{t.full_name} ({t.municipality.name})"
        )
        self.fields["leader_user"].queryset = (
            User.objects.filter(memberships__office=office, memberships__is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["leader_user"].empty_label = _("Ingen brukerkonto – skriv navnet under")


class SessionForm(forms.ModelForm):
    goals = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Læringsmål drøftet")
    )
    assignment = forms.ModelChoiceField(queryset=None, required=False, label=_("Veileder"))

    class Meta:
        model = SupervisionSession
        fields = ["day", "hours", "assignment", "topics", "goals", "minutes"]
        widgets = {**date_widgets("day"), "minutes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, assignments, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments
        self.fields["assignment"].label_from_instance = lambda a: a.supervisor_name
        self.fields["goals"].queryset = goals
        self.fields["goals"].label_from_instance = lambda g: f"{g.code} {g.title}"


class GroupMeetingForm(forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Til stede"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GroupMeeting
        fields = ["day", "hours", "attendees"]
        widgets = date_widgets("day")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda t: t.full_name


class CourseRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type kurs"), choices=COURSE_KINDS)
    title = forms.CharField(label=_("Kursnavn"), max_length=200)
    hours = forms.DecimalField(label=_("Timer"), min_value=0, max_digits=5, decimal_places=1)
    completed_on = forms.DateField(
        label=_("Fullført"), widget=forms.DateInput(attrs={"type": "date"})
    )
