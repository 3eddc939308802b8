"""Seed the standard topic library: Gedrag, Service and Resultaat."""

from django.db import migrations

TOPICS = [
    # (dimension, name_nl, name_en, question_nl, question_en)
    ("gedrag", "Communicatie", "Communication",
     "Hoe waardeert u de communicatie van de recruiter?",
     "How do you rate the recruiter's communication?"),
    ("gedrag", "Deskundigheid", "Expertise",
     "Hoe waardeert u de deskundigheid van de recruiter over uw vakgebied en de arbeidsmarkt?",
     "How do you rate the recruiter's knowledge of your field and the labour market?"),
    ("gedrag", "Samenwerking", "Cooperation",
     "Hoe waardeert u de samenwerking met de recruiter?",
     "How do you rate working together with the recruiter?"),
    ("gedrag", "Zichtbaarheid", "Visibility",
     "Hoe waardeert u de bereikbaarheid en zichtbaarheid van de recruiter tijdens de opdracht?",
     "How do you rate the recruiter's availability and visibility during the assignment?"),
    ("gedrag", "Proactiviteit", "Proactivity",
     "Hoe waardeert u de mate waarin de recruiter zelf met voorstellen en oplossingen kwam?",
     "How do you rate how proactively the recruiter came up with suggestions and solutions?"),
    ("service", "Intake", "Intake",
     "Hoe waardeert u het intakegesprek over de vacature?",
     "How do you rate the intake meeting about the vacancy?"),
    ("service", "Het selectieproces", "The selection process",
     "Hoe waardeert u het selectieproces als geheel?",
     "How do you rate the selection process as a whole?"),
    ("service", "Begeleiding van het selectieproces", "Guidance of the selection process",
     "Hoe waardeert u de begeleiding van het selectieproces?",
     "How do you rate the guidance of the selection process?"),
    ("service", "Ondersteuning", "Support",
     "Hoe waardeert u de ondersteuning bij gesprekken, aanbod en onderhandeling?",
     "How do you rate the support with interviews, the offer and negotiation?"),
    ("service", "Snelheid van terugkoppeling", "Speed of feedback",
     "Hoe waardeert u de snelheid waarmee de recruiter u op de hoogte hield?",
     "How do you rate how quickly the recruiter kept you informed?"),
    ("resultaat", "Aantal kandidaten", "Number of candidates",
     "Hoe waardeert u het aantal kandidaten dat u voorgesteld kreeg?",
     "How do you rate the number of candidates you were presented?"),
    ("resultaat", "Kwaliteit van de kandidaten", "Quality of the candidates",
     "Hoe waardeert u de kwaliteit van de voorgestelde kandidaten?",
     "How do you rate the quality of the candidates presented?"),
    ("resultaat", "Tijdspad", "Time to fill",
     "Hoe waardeert u de tijd die nodig was om de vacature te vervullen?",
     "How do you rate the time it took to fill the vacancy?"),
    ("resultaat", "Aansluiting op de functie", "Fit with the role",
     "Hoe goed sloot de geplaatste kandidaat aan op de functie?",
     "How well did the placed candidate fit the role?"),
    ("resultaat", "Aansluiting op de organisatie", "Fit with the organisation",
     "Hoe goed past de geplaatste kandidaat bij uw team en organisatie?",
     "How well does the placed candidate fit your team and organisation?"),
]

SCALE_NL = ["Zeer slecht", "Slecht", "Voldoende", "Goed", "Uitstekend"]
SCALE_EN = ["Very poor", "Poor", "Fair", "Good", "Excellent"]


def forward(apps, schema_editor):
    Topic = apps.get_model("surveys", "Topic")
    for dimension, name_nl, name_en, question_nl, question_en in TOPICS:
        Topic.objects.get_or_create(
            organisation=None,
            dimension=dimension,
            name_nl=name_nl,
            defaults={
                "name_en": name_en,
                "question_nl": question_nl,
                "question_en": question_en,
                "scale_nl": SCALE_NL,
                "scale_en": SCALE_EN,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
