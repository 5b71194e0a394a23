"""National reference data for agreements (the national template), seeded by a data migration.
Grant schemes are in grants/reference.py.

Takes an `apps` registry so the migration and tests (after a transactional flush) share it.
Idempotent: run it as often as you like.
"""

NATIONAL_TEMPLATE_NAME = "Nasjonal mal for ALIS-avtale"
NATIONAL_TEMPLATE_BODY = """\
Avtalen er inngått mellom {{ kommune }} kommune og {{ lege }} (HPR-nummer {{ hpr }}).

Legen er ansatt i {{ stillingsprosent }} % stilling som {{ stillingstype }} med driftsform \
{{ driftsform }}. Avtalen gjelder fra {{ fra }} til {{ til }}.

Formålet er at legen skal fullføre spesialistutdanningen i allmennmedisin i kommunen. \
Kommunen legger til rette for utdanningen ut over kravene i spesialistforskriften \
med disse tiltakene:

{% for t in tiltak %}– {{ t }}
{% else %}Ingen særskilte tiltak er avtalt.
{% endfor %}
{% if andre_tiltak %}Andre tiltak: {{ andre_tiltak }}

{% endif %}Avtalen gir ikke grunnlag for tilskudd for tid før den er signert. \
Endringer avtales skriftlig i en endringsavtale.
"""


def seed_national_template(apps) -> None:
    AgreementTemplate = apps.get_model("agreements", "AgreementTemplate")
    AgreementTemplateVersion = apps.get_model("agreements", "AgreementTemplateVersion")
    template, _ = AgreementTemplate.objects.get_or_create(
        name=NATIONAL_TEMPLATE_NAME,
        office=None,
        defaults={"description": "Standardmal som alle ALIS-kontorene kan bruke."},
    )
    if not AgreementTemplateVersion.objects.filter(template=template).exists():
        AgreementTemplateVersion.objects.create(
            template=template, number=1, body=NATIONAL_TEMPLATE_BODY, change_note="Første versjon"
        )


def seed_agreement_reference_data(apps) -> None:
    seed_national_template(apps)
