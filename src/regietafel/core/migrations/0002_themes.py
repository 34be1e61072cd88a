from django.db import migrations

# The themes the seed letter names for the table's work; users can add more.
THEMES = [
    ("finance", "Financiën"),
    ("education", "Onderwijs"),
    ("care", "Zorg"),
    ("participation", "Participatie"),
    ("pre-integration", "Voorinburgering"),
    ("liveability", "Leefbaarheid"),
    ("housing", "Huisvesting"),
    ("safety", "Veiligheid"),
    ("labour-market", "Arbeidsmarkt en werk"),
    ("integration", "Inburgering"),
    ("reception", "Opvang"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("core", "Theme")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
