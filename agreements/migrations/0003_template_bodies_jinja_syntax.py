import re

from django.db import migrations


def to_jinja(body: str) -> str:
    """The few Django-template constructs stored bodies use, in the Jinja syntax the sandbox
    reads: `{% empty %}` → `{% else %}`, `|filter:"arg"` → `|filter("arg")`. The wording of
    every version stays the same; only the syntax of its placeholders changes."""
    body = re.sub(r"\{%-?\s*empty\s*-?%\}", "{% else %}", body)
    return re.sub(
        r"\|\s*(\w+)\s*:\s*(\"[^\"]*\"|'[^']*'|[\w.]+)", lambda m: f"|{m[1]}({m[2]})", body
    )


def forwards(apps, schema_editor):
    Version = apps.get_model("agreements", "AgreementTemplateVersion")
    for version in Version.objects.all().only("pk", "body"):
        body = to_jinja(version.body)
        if body != version.body:
            Version.objects.filter(pk=version.pk).update(body=body)


class Migration(migrations.Migration):
    """Agreement template bodies are now rendered by a Jinja2 sandbox (issue 10)."""

    dependencies = [("agreements", "0002_seed_grant_schemes_and_national_template")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
