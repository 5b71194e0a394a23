"""Turns the inbox counts into cards: what the work is, how much waits, where to do it.

The order of each list is the order the work is due (people waiting on a decision first,
then deadlines, then follow-up of the doctors)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    count: int
    url: str
    action: str  # the link text: what to do
    count_text: str  # the count in words, with the right plural


def _card(key, title, count, url, action, count_text):
    return Card(
        key=key, title=str(title), count=count, url=url, action=str(action), count_text=count_text
    )


def _round_url(slug: str, waiting, query: str = "") -> str:
    """The round itself (with `query`, the round page's filter to what the card counts) when
    everything waiting is in one round; the list of rounds otherwise."""
    if waiting.round_id is not None:
        return reverse("intake_round_detail", args=[slug, waiting.round_id]) + query
    return reverse("intake_round_list", args=[slug])


def _corrections_card(slug: str, count: int) -> Card:
    """The doctors' requests to correct their record (records/) that the user may answer."""
    return _card(
        "corrections",
        _("Rettingskrav"),
        count,
        reverse("corrections", args=[slug]),
        _("Svar på rettingskravene"),
        ngettext("%(n)s rettingskrav venter på svar", "%(n)s rettingskrav venter på svar", count)
        % {"n": count},
    )


def coordinator_cards(slug: str, counts: dict[str, int], intake: dict) -> list[Card]:
    """`intake`: inbox.selectors.coordinator_intake (recruitment rounds)."""
    u = lambda name: reverse(name, args=[slug])  # noqa: E731
    assess, deadlines = intake["intake_assess"], intake["intake_deadlines"]
    return [
        _card(
            "registrations",
            _("Registreringer som venter"),
            counts["registrations"],
            u("unit_registration_list"),
            _("Behandle registreringer"),
            ngettext(
                "%(n)s registrering venter", "%(n)s registreringer venter", counts["registrations"]
            )
            % {"n": counts["registrations"]},
        ),
        _card(
            "follow_ups",
            _("Oppfølginger som er forfalt"),
            counts["follow_ups"],
            u("office_dashboard") + "?forfalt=1",
            _("Se oppfølgingene"),
            ngettext("%(n)s oppfølging", "%(n)s oppfølginger", counts["follow_ups"])
            % {"n": counts["follow_ups"]},
        ),
        _card(
            "transfers",
            _("Overføringer til kontoret"),
            counts["transfers"],
            u("transfer_list"),
            _("Svar på overføringer"),
            ngettext("%(n)s overføring venter", "%(n)s overføringer venter", counts["transfers"])
            % {"n": counts["transfers"]},
        ),
        _corrections_card(slug, counts["corrections"]),
        _card(
            "intake_assess",
            _("Søknader å vurdere"),
            assess.count,
            _round_url(slug, assess, "?mine-uferdige=1"),
            _("Gi poeng til søknadene"),
            ngettext(
                "%(n)s søknad har ikke fått alle poengene dine",
                "%(n)s søknader har ikke fått alle poengene dine",
                assess.count,
            )
            % {"n": assess.count},
        ),
        _card(
            "claims",
            _("Tilskuddskrav til vedtak"),
            counts["claims"],
            u("grant_overview") + "?krav=sendt",
            _("Behandle kravene"),
            ngettext("%(n)s krav er sendt inn", "%(n)s krav er sendt inn", counts["claims"])
            % {"n": counts["claims"]},
        ),
        _card(
            "invoices",
            _("Fakturaer som har forfalt"),
            counts["invoices"],
            u("grant_overview") + "?forfalt=1",
            _("Se fakturaene"),
            ngettext("%(n)s faktura", "%(n)s fakturaer", counts["invoices"])
            % {"n": counts["invoices"]},
        ),
        _card(
            "bookings",
            _("Sykehusplasser som venter på svar"),
            counts["bookings"],
            u("hospital_bookings") + "?venter=1",
            _("Se bestillingene"),
            ngettext("%(n)s bestilling", "%(n)s bestillinger", counts["bookings"])
            % {"n": counts["bookings"]},
        ),
        _card(
            "attendance_missing",
            _("Arrangementer som mangler oppmøte"),
            counts["attendance_missing"],
            u("event_list") + "#tidligere",
            _("Registrer oppmøte"),
            ngettext(
                "%(n)s tidligere arrangement mangler oppmøte",
                "%(n)s tidligere arrangementer mangler oppmøte",
                counts["attendance_missing"],
            )
            % {"n": counts["attendance_missing"]},
        ),
        _card(
            "intake_deadlines",
            _("Opptaksrunder med frist snart"),
            deadlines.count,
            _round_url(slug, deadlines),
            _("Se opptaksrundene"),
            ngettext(
                "%(n)s åpen runde har frist innen to uker eller har passert fristen",
                "%(n)s åpne runder har frist innen to uker eller har passert fristen",
                deadlines.count,
            )
            % {"n": deadlines.count},
        ),
        _card(
            "without_veileder",
            _("ALIS-leger uten veileder"),
            counts["without_veileder"],
            u("trainee_list") + "?uten-veileder=1",
            _("Se legene"),
            ngettext("%(n)s lege", "%(n)s leger", counts["without_veileder"])
            % {"n": counts["without_veileder"]},
        ),
        _card(
            "behind",
            _("Leger uten veiledning på to måneder"),
            counts["behind"],
            u("compliance_overview") + "?uten-veiledning=1",
            _("Se hvem som ligger etter"),
            ngettext("%(n)s lege", "%(n)s leger", counts["behind"]) % {"n": counts["behind"]},
        ),
    ]


def leader_cards(slug: str, counts: dict[str, int], intake: dict) -> list[Card]:
    """`intake`: inbox.selectors.leader_intake (recruitment rounds)."""
    u = lambda name: reverse(name, args=[slug])  # noqa: E731
    invitations, offers = intake["intake_invitations"], intake["intake_offers"]
    return [
        _card(
            "goals",
            _("Læringsmål til godkjenning"),
            counts["goals"],
            u("approval_queue"),
            _("Godkjenn læringsmål"),
            ngettext("%(n)s mål venter", "%(n)s mål venter", counts["goals"])
            % {"n": counts["goals"]},
        ),
        _card(
            "plans",
            _("Utdanningsplaner til godkjenning"),
            counts["plans"],
            u("plan_approval_queue"),
            _("Godkjenn utdanningsplaner"),
            ngettext("%(n)s plan venter", "%(n)s planer venter", counts["plans"])
            % {"n": counts["plans"]},
        ),
        _corrections_card(slug, counts["corrections"]),
        _card(
            "confirmations",
            _("Bekreftelser som kan utstedes"),
            counts["confirmations"],
            u("approval_queue"),
            _("Utsted bekreftelser"),
            ngettext(
                "%(n)s lege har nye godkjente mål",
                "%(n)s leger har nye godkjente mål",
                counts["confirmations"],
            )
            % {"n": counts["confirmations"]},
        ),
        _card(
            "proposals",
            _("Forslag fra helseforetaket"),
            counts["proposals"],
            u("hospital_bookings"),
            _("Svar på forslagene"),
            ngettext("%(n)s forslag", "%(n)s forslag", counts["proposals"])
            % {"n": counts["proposals"]},
        ),
        _card(
            "intake_offers",
            _("Tilbud å svare på"),
            offers.count,
            _round_url(slug, offers),
            _("Svar på tilbudet"),
            ngettext("%(n)s tilbud om ALIS", "%(n)s tilbud om ALIS", offers.count)
            % {"n": offers.count},
        ),
        _card(
            "agreements",
            _("ALIS-avtaler som snart går ut"),
            counts["agreements"],
            u("agreement_list"),
            _("Se avtalene"),
            ngettext("%(n)s avtale", "%(n)s avtaler", counts["agreements"])
            % {"n": counts["agreements"]},
        ),
        _card(
            "intake_invitations",
            _("Invitasjon til opptak"),
            invitations.count,
            _round_url(slug, invitations),
            _("Se invitasjonen og søk"),
            ngettext(
                "%(n)s åpen runde venter på søknad",
                "%(n)s åpne runder venter på søknad",
                invitations.count,
            )
            % {"n": invitations.count},
        ),
        _card(
            "claims",
            _("Tilskuddskrav som ikke er sendt"),
            counts["claims"],
            u("grant_overview") + "?krav=ikke-sendt",
            _("Fullfør og send kravene"),
            ngettext("%(n)s krav", "%(n)s krav", counts["claims"]) % {"n": counts["claims"]},
        ),
        _card(
            "without_veileder",
            _("ALIS-leger uten veileder"),
            counts["without_veileder"],
            u("trainee_list") + "?uten-veileder=1",
            _("Finn en veileder"),
            ngettext("%(n)s lege", "%(n)s leger", counts["without_veileder"])
            % {"n": counts["without_veileder"]},
        ),
    ]


def supervisor_cards(slug: str, counts: dict[str, int], sessions_due: int) -> list[Card]:
    u = lambda name: reverse(name, args=[slug])  # noqa: E731
    return [
        _card(
            "activities",
            _("Aktiviteter å signere"),
            counts["activities"],
            u("sign_queue"),
            _("Signer aktiviteter"),
            ngettext("%(n)s aktivitet", "%(n)s aktiviteter", counts["activities"])
            % {"n": counts["activities"]},
        ),
        _card(
            "goals",
            _("Læringsmål som venter på ditt råd"),
            counts["goals"],
            u("sign_queue"),
            _("Gi råd"),
            ngettext("%(n)s mål", "%(n)s mål", counts["goals"]) % {"n": counts["goals"]},
        ),
        _card(
            "sessions",
            _("Veiledning å føre denne måneden"),
            sessions_due,
            u("supervisor_home"),
            _("Før veiledning"),
            ngettext(
                "%(n)s lege uten veiledning ført", "%(n)s leger uten veiledning ført", sessions_due
            )
            % {"n": sessions_due},
        ),
    ]


def national_cards(slug: str, counts) -> list[Card]:
    """Action items from joint meetings, national tasks and routines to review, for this
    office (`counts`: national.selectors.OfficeFollowUp)."""
    url = reverse("national_home", args=[slug])
    return [
        _card(
            "national_actions",
            _("Oppfølgingspunkter fra nasjonale møter"),
            counts.action_items,
            url,
            _("Se oppfølgingspunktene"),
            ngettext(
                "%(n)s punkt fra fellesmøtene",
                "%(n)s punkter fra fellesmøtene",
                counts.action_items,
            )
            % {"n": counts.action_items},
        ),
        _card(
            "national_tasks",
            _("Nasjonale oppgaver for kontoret"),
            counts.tasks,
            reverse("national_tasks", args=[slug]),
            _("Se oppgavene"),
            ngettext("%(n)s åpen oppgave", "%(n)s åpne oppgaver", counts.tasks)
            % {"n": counts.tasks},
        ),
        _card(
            "national_routines",
            _("Felles rutiner å gå gjennom"),
            counts.routines_due,
            reverse("national_routines", args=[slug]) + "?gjennomgang=1",
            _("Se rutinene"),
            ngettext(
                "%(n)s rutine skal gjennomgås",
                "%(n)s rutiner skal gjennomgås",
                counts.routines_due,
            )
            % {"n": counts.routines_due},
        ),
    ]


def coordinating_cards(slug: str, work) -> list[Card]:
    """What the office holding the coordinating role acts on for all five offices
    (`work`: national.selectors.CoordinatingWork), in the order it is due."""
    u = lambda name: reverse(name, args=[slug])  # noqa: E731
    return [
        _card(
            "coordinating_routines",
            _("Rutineutkast til godkjenning"),
            work.routines_to_approve,
            u("national_routines") + "?utkast=1",
            _("Godkjenn rutinene"),
            ngettext(
                "%(n)s utkast venter på godkjenning",
                "%(n)s utkast venter på godkjenning",
                work.routines_to_approve,
            )
            % {"n": work.routines_to_approve},
        ),
        _card(
            "coordinating_minutes",
            _("Møter uten referat"),
            work.minutes_missing,
            u("national_meetings"),
            _("Skriv referatene"),
            ngettext(
                "%(n)s møte er holdt uten at referatet er skrevet",
                "%(n)s møter er holdt uten at referatet er skrevet",
                work.minutes_missing,
            )
            % {"n": work.minutes_missing},
        ),
        _card(
            "coordinating_notices",
            _("Innkallinger som ikke er sendt"),
            work.notices_missing,
            u("national_meetings") + "?uten-innkalling=1",
            _("Send innkallingene"),
            ngettext(
                "%(n)s møte de neste 30 dagene mangler innkalling",
                "%(n)s møter de neste 30 dagene mangler innkalling",
                work.notices_missing,
            )
            % {"n": work.notices_missing},
        ),
        _card(
            "coordinating_tasks",
            _("Nasjonale oppgaver over fristen"),
            work.overdue_tasks,
            u("national_tasks") + "?vis=alle",
            _("Følg opp oppgavene"),
            ngettext(
                "%(n)s oppgave hos kontorene har passert fristen",
                "%(n)s oppgaver hos kontorene har passert fristen",
                work.overdue_tasks,
            )
            % {"n": work.overdue_tasks},
        ),
        _card(
            "coordinating_meetings",
            _("Møter de neste 30 dagene"),
            work.meetings_coming,
            u("national_meetings") + "?kommende=1",
            _("Se møtene"),
            ngettext("%(n)s møte", "%(n)s møter", work.meetings_coming)
            % {"n": work.meetings_coming},
        ),
    ]
