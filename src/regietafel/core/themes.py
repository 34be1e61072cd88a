"""The themes the seed letter names for the table's work; users can add more."""

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


def ensure_themes(theme_model) -> None:
    """Create the seeded themes that are missing: ``theme_model`` is the Theme model (a migration passes its
    historical one)."""
    for slug, name in THEMES:
        theme_model.objects.get_or_create(slug=slug, defaults={"name": name})
