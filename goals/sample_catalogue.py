"""A SAMPLE learning-goal catalogue, written by us for the demo and the tests.

This is NOT the official list from Helsedirektoratet: the titles, themes and arenas are our own
plausible wording in the real code format (ALM-nnn, FKM-nn). The official lists are published as
spreadsheets and are imported by the national coordinator, never hard-coded. ALM-055 and ALM-085
are the goals tied to institution service, as in the real catalogue.

`plans/data/eksempel_alm_v2.xlsx` is a second version of the ALM list (a few goals changed, added
and removed) for trying the import and the comparison; `write_v2_xlsx` regenerates it.
"""

from datetime import date
from pathlib import Path

from django.db import transaction

from offices.vocabularies import ArenaType
from plans.models import Catalogue, CatalogueKind
from plans.resources import COLUMNS
from plans.services import catalogue_create

SAMPLE_NAME = "Eksempelkatalog (ikke offisiell)"
SAMPLE_VERSION = "eksempel-2019"
SAMPLE_VALID_FROM = date(2019, 3, 1)
V2_FILE = Path(__file__).resolve().parent / "data" / "eksempel_alm_v2.xlsx"
V2_VALID_FROM = date(2026, 3, 1)

ACTIVITIES = {
    "Kommunikasjon og pasientrelasjon": "Videoopptak av egne konsultasjoner drøftet med "
    "veileder; kurs i kommunikasjon; refleksjon i gruppeveiledning.",
    "Diagnostikk": "Kasusdrøfting med veileder; hospitering; journalgjennomgang av egne "
    "henvisninger.",
    "Akuttmedisin": "Legevaktsvakter med supervisør; akuttmedisinkurs; simuleringstrening med "
    "ambulanse og AMK.",
    "Barn og unge": "Tjeneste på helsestasjon; kasusdrøfting; kurs i barnemedisin.",
    "Kvinnehelse": "Egne konsultasjoner med supervisjon; emnekurs i gynekologi.",
    "Psykisk helse og rus": "Samarbeidsmøter med DPS og rustjenesten; kasusdrøfting; emnekurs.",
    "Kroniske sykdommer": "Oppfølging av egen pasientliste; kvalitetsforbedring med "
    "journaluttrekk; emnekurs.",
    "Eldre og sammensatte tilstander": "Tjeneste på sykehjem; legemiddelgjennomgang med "
    "supervisør; tverrfaglige møter.",
    "Samfunnsmedisin og trygd": "Deltakelse i kommunalt plan- og smittevernarbeid; kurs i "
    "trygdemedisin.",
    "Forebygging og folkehelse": "Egne konsultasjoner; gruppeveiledning; emnekurs.",
    "Samhandling og institusjon": "Tjeneste i sykehus eller annen institusjon; deltakelse i "
    "visitt, vakter og pasientforløp.",
    "Fagutvikling, kvalitet og ledelse": "Forbedringsprosjekt på legekontoret; veiledning av "
    "studenter; kurs i ledelse.",
    "Etikk": "Drøfting av etiske dilemmaer i gruppeveiledning.",
    "Kommunikasjon": "Refleksjon over egne konsultasjoner og skriftlig kommunikasjon.",
    "Pasientsikkerhet og kvalitet": "Melding og gjennomgang av hendelser; forbedringsarbeid.",
    "Ledelse og organisasjon": "Deltakelse i ledermøter og beredskapsøvelser.",
    "Lovverk": "Kurs og kasusdrøfting om helselovgivningen.",
    "Forskning og kunnskapshåndtering": "Kritisk vurdering av litteratur; fagutviklingsprosjekt.",
    "Samhandling": "Samarbeidsmøter på tvers av nivåer og profesjoner.",
    "Veiledning og undervisning": "Veiledning av studenter og kolleger.",
    "Brukermedvirkning": "Samvalg i egne konsultasjoner; brukerundersøkelse.",
    "Helsefremmende arbeid": "Forebyggende konsultasjoner og gruppetiltak.",
}

K, D, AK, BU, KV, PR, KR, EL, SM, FO, SI, FK = (
    "Kommunikasjon og pasientrelasjon",
    "Diagnostikk",
    "Akuttmedisin",
    "Barn og unge",
    "Kvinnehelse",
    "Psykisk helse og rus",
    "Kroniske sykdommer",
    "Eldre og sammensatte tilstander",
    "Samfunnsmedisin og trygd",
    "Forebygging og folkehelse",
    "Samhandling og institusjon",
    "Fagutvikling, kvalitet og ledelse",
)
AP, LV, SH, HS, SK, SA, KAD, FE, INST = (
    "allmennpraksis",
    "legevakt",
    "sykehjem",
    "helsestasjon",
    "skolehelse",
    "samfunnsmedisin",
    "kad",
    "fengselshelse",
    "institusjon",
)

# (number, theme, title, typical arena)
ALM_GOALS = [
    (1, K, "Gjennomføre pasientsentrerte konsultasjoner med felles beslutningstaking", AP),
    (2, K, "Kommunisere med pasienter via tolk og med begrenset helsekompetanse", AP),
    (3, K, "Formidle alvorlige beskjeder og håndtere usikkerhet sammen med pasienten", AP),
    (4, K, "Ivareta kontinuitet i lege–pasient-forholdet over tid", AP),
    (5, K, "Håndtere vanskelige konsultasjoner og konflikter", AP),
    (6, D, "Bruke sannsynlighetsbasert diagnostikk ved uselekterte problemstillinger", AP),
    (7, D, "Vurdere og bruke laboratorieprøver og pasientnær analyse på legekontoret", AP),
    (8, D, "Henvise hensiktsmessig til spesialisthelsetjenesten", AP),
    (9, D, "Utrede uavklarte symptomer og diffuse plager", AP),
    (10, D, "Bruke EKG, spirometri og enkel ultralyd i allmennpraksis", AP),
    (11, AK, "Vurdere og behandle akutt syke voksne på legevakt", LV),
    (12, AK, "Vurdere og behandle akutt syke barn", LV),
    (13, AK, "Lede hjerte-lunge-redning og akuttmedisinsk teamarbeid", LV),
    (14, AK, "Håndtere skader, sårbehandling og enkle brudd", LV),
    (15, AK, "Samhandle med AMK, ambulanse og politi i akutte situasjoner", LV),
    (16, AK, "Vurdere behov for tvungent psykisk helsevern", LV),
    (17, AK, "Ta imot og undersøke personer utsatt for vold og overgrep", LV),
    (18, BU, "Følge opp barns vekst og utvikling", HS),
    (19, BU, "Gjennomføre vaksinasjon etter barnevaksinasjonsprogrammet", HS),
    (20, BU, "Vurdere barn med feber og infeksjoner", AP),
    (21, BU, "Samarbeide med barnevern, skole og PPT ved bekymring for et barn", SK),
    (22, BU, "Møte ungdom med spørsmål om helse, seksualitet og livsstil", SK),
    (23, KV, "Gjennomføre svangerskapskontroller", AP),
    (24, KV, "Veilede om prevensjon og seksuell helse", AP),
    (25, KV, "Utrede og behandle vanlige gynekologiske plager", AP),
    (26, KV, "Følge opp plager i overgangsalderen", AP),
    (27, PR, "Diagnostisere og behandle angst og depresjon", AP),
    (28, PR, "Vurdere selvmordsrisiko og iverksette tiltak", AP),
    (29, PR, "Følge opp pasienter med alvorlig psykisk lidelse i samarbeid med DPS", AP),
    (30, PR, "Kartlegge og behandle skadelig bruk av alkohol og andre rusmidler", AP),
    (31, PR, "Forskrive vanedannende legemidler forsvarlig", AP),
    (32, KR, "Følge opp pasienter med diabetes type 2", AP),
    (33, KR, "Forebygge og følge opp hjerte- og karsykdom", AP),
    (34, KR, "Følge opp astma og kols", AP),
    (35, KR, "Utrede og behandle muskel- og skjelettplager", AP),
    (36, KR, "Behandle langvarige smerter", AP),
    (37, KR, "Følge opp pasienter med kreft i samarbeid med sykehuset", AP),
    (38, EL, "Gjennomføre legemiddelgjennomgang hos eldre som bruker mange legemidler", SH),
    (39, EL, "Utrede og følge opp kognitiv svikt", AP),
    (40, EL, "Gi lindrende behandling ved livets slutt", SH),
    (41, EL, "Gjennomføre forhåndssamtaler om behandlingsnivå", SH),
    (42, EL, "Vurdere akutt funksjonssvikt hos skrøpelige eldre", SH),
    (43, SM, "Skrive sykmeldinger og legeerklæringer til NAV", AP),
    (44, SM, "Vurdere arbeidsevne og samarbeide om tilrettelegging", AP),
    (45, SM, "Håndtere smittevernsaker i kommunen", SA),
    (46, SM, "Bidra i kommunens beredskapsplanlegging", SA),
    (47, SM, "Vurdere helsekrav til førerkort og skrive attester", AP),
    (48, FO, "Veilede om fysisk aktivitet, kosthold, alkohol og tobakk", AP),
    (49, FO, "Vurdere nytten av screening og helseundersøkelser", AP),
    (50, FO, "Ivareta helsen til innvandrere og flyktninger", AP),
    (51, SI, "Gi helsehjelp til innsatte i fengsel", FE),
    (52, SI, "Vurdere innleggelse i kommunal akutt døgnenhet", KAD),
    (53, SI, "Følge opp pasienter etter utskrivning fra sykehus", AP),
    (54, SI, "Samhandle med spesialisthelsetjenesten om pasientforløp", AP),
    (
        55,
        SI,
        "Delta i utredning og behandling av innlagte pasienter i sykehus eller annen institusjon",
        INST,
    ),
    (56, SI, "Kjenne spesialisthelsetjenestens vurderinger og henvisningskriterier", INST),
    (57, FK, "Drive systematisk kvalitetsforbedring på legekontoret", AP),
    (58, FK, "Bruke kunnskapsbasert praksis i kliniske beslutninger", AP),
    (59, FK, "Veilede studenter og yngre kolleger", AP),
    (60, FK, "Lede og organisere arbeidet på legekontoret", AP),
    (61, FK, "Melde og følge opp uønskede hendelser", AP),
    (62, FK, "Ivareta egen helse og arbeidsbelastning", AP),
    (63, FK, "Føre journal i tråd med regelverket", AP),
    (64, FK, "Ivareta personvern og taushetsplikt i samhandling", AP),
    (
        85,
        SI,
        "Gjennomføre en tjenesteperiode i institusjon med ansvar for egne innlagte pasienter",
        INST,
    ),
]

FKM_GOALS = [
    (1, "Etikk", "Identifisere etiske problemstillinger og drøfte dem med kolleger"),
    (2, "Etikk", "Ivareta pasientens selvbestemmelse og vurdere samtykkekompetanse"),
    (3, "Etikk", "Håndtere prioriteringer og interessekonflikter"),
    (4, "Kommunikasjon", "Kommunisere med pasienter og pårørende tilpasset deres forutsetninger"),
    (5, "Kommunikasjon", "Kommunisere skriftlig i journal, epikriser og henvisninger"),
    (6, "Kommunikasjon", "Samarbeide med kvalifisert tolk"),
    (7, "Pasientsikkerhet og kvalitet", "Melde og lære av uønskede hendelser"),
    (8, "Pasientsikkerhet og kvalitet", "Bruke kvalitetsindikatorer og forbedringsmetoder"),
    (9, "Pasientsikkerhet og kvalitet", "Forebygge smitte og bruke antibiotika rasjonelt"),
    (10, "Ledelse og organisasjon", "Kjenne helsetjenestens organisering og finansiering"),
    (11, "Ledelse og organisasjon", "Lede team og møter"),
    (12, "Ledelse og organisasjon", "Delta i beredskap og krisehåndtering"),
    (13, "Lovverk", "Anvende helselovgivningen i klinisk arbeid"),
    (14, "Lovverk", "Ivareta taushetsplikt, opplysningsplikt og meldeplikt"),
    (15, "Lovverk", "Skrive attester og erklæringer etter regelverket"),
    (16, "Forskning og kunnskapshåndtering", "Søke, vurdere og bruke forskningsbasert kunnskap"),
    (17, "Forskning og kunnskapshåndtering", "Gjennomføre et fagutviklingsprosjekt"),
    (18, "Samhandling", "Samhandle på tvers av nivåer og profesjoner"),
    (19, "Samhandling", "Ivareta overgangene i pasientforløp"),
    (
        20,
        "Veiledning og undervisning",
        "Veilede og undervise kolleger, studenter og annet helsepersonell",
    ),
    (21, "Brukermedvirkning", "Involvere pasienter og brukere i beslutninger"),
    (22, "Helsefremmende arbeid", "Fremme helse og forebygge sykdom i pasientgrupper"),
    (23, "Kommunikasjon", "Møte pasienter med ulik kulturell og språklig bakgrunn"),
    (24, "Ledelse og organisasjon", "Bidra til et godt arbeidsmiljø og ivareta egen helse"),
]


def alm_rows() -> list[dict]:
    return [
        {
            "code": f"ALM-{number:03d}",
            "title": title,
            "theme": theme,
            "learning_activities": ACTIVITIES[theme],
            "typical_arena": arena,
            "valid_from": None,
            "valid_to": None,
        }
        for number, theme, title, arena in ALM_GOALS
    ]


def fkm_rows() -> list[dict]:
    return [
        {
            "code": f"FKM-{number:02d}",
            "title": title,
            "theme": theme,
            "learning_activities": ACTIVITIES[theme],
            "typical_arena": "",
            "valid_from": None,
            "valid_to": None,
        }
        for number, theme, title in FKM_GOALS
    ]


# What version 2 changes, so the demo and tests know what the comparison must show.
V2_REMOVED = ["ALM-063", "ALM-064"]
V2_CHANGED = {
    "ALM-010": {"title": "Bruke EKG, spirometri og ultralyd ved pasientnær diagnostikk"},
    "ALM-042": {"typical_arena": KAD},
    "ALM-047": {"theme": "Trygdemedisin og attester", "title": "Vurdere helsekrav til førerkort"},
    "ALM-031": {"valid_to": date(2027, 12, 31)},
    "ALM-001": {"learning_activities": ACTIVITIES[K] + " Samvalgsverktøy i konsultasjonen."},
}
V2_ADDED = [
    (65, FK, "Bruke digitale konsultasjoner forsvarlig", AP),
    (
        66,
        SI,
        "Samarbeide med kommunens helse- og omsorgstjenester om pasienter med store behov",
        AP,
    ),
    (67, AK, "Håndtere akutt syke pasienter over video og telefon", LV),
]


def v2_rows() -> list[dict]:
    rows = [dict(r) for r in alm_rows() if r["code"] not in V2_REMOVED]
    for row in rows:
        del row["valid_from"], row["valid_to"]
    for row in rows:
        row.update(V2_CHANGED.get(row["code"], {}))
    rows += [
        {
            "code": f"ALM-{n:03d}",
            "title": title,
            "theme": theme,
            "learning_activities": ACTIVITIES[theme],
            "typical_arena": arena,
        }
        for n, theme, title, arena in V2_ADDED
    ]
    for row in rows:
        row.setdefault("valid_from", None)
        row.setdefault("valid_to", None)
    return sorted(rows, key=lambda r: r["code"])


def write_v2_xlsx(path: Path = V2_FILE) -> Path:
    """(Re)write the sample version-2 spreadsheet with the documented columns."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Læringsmål"
    sheet.append(list(COLUMNS.values()))
    for row in v2_rows():
        arena = ArenaType(row["typical_arena"]).label if row["typical_arena"] else ""
        sheet.append(
            [
                row["code"],
                row["title"],
                row["theme"],
                row["learning_activities"],
                str(arena),
                row["valid_from"],
                row["valid_to"],
            ]
        )
    for column, width in zip("ABCDEFG", (10, 70, 30, 60, 30, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    return path


@transaction.atomic
def load_sample_catalogue(acting_user=None) -> list[Catalogue]:
    """Create the sample ALM and FKM catalogues if they are missing (idempotent)."""
    loaded = []
    for kind, rows in ((CatalogueKind.ALM, alm_rows()), (CatalogueKind.FKM, fkm_rows())):
        existing = Catalogue.objects.filter(
            specialty="allmennmedisin", kind=kind, version=SAMPLE_VERSION
        ).first()
        loaded.append(
            existing
            or catalogue_create(
                acting_user=acting_user,
                kind=kind,
                version=SAMPLE_VERSION,
                name=SAMPLE_NAME,
                valid_from=SAMPLE_VALID_FROM,
                rows=rows,
                note="Eksempeldata skrevet for demo og test. Ikke den offisielle listen fra "
                "Helsedirektoratet.",
                is_sample=True,
            )
        )
    return loaded
