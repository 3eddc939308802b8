"""The demo organisation's people. seed_demo builds on these."""

DEMO_ORGANISATION = "Demo Recruitment B.V."
DEMO_PASSWORD = "evalportal-demo"  # noqa: S105 - printed for the demo, documented in README
ADMIN = ("beheer@demo.evalportal.nl", "Anne", "de Beheerder", "admin")
TEAMS = {
    "Team Techniek": {
        "lead": ("teamlead@demo.evalportal.nl", "Marieke", "Jansen", "team_lead"),
        "recruiters": [
            ("recruiter@demo.evalportal.nl", "Sanne", "de Vries", "recruiter"),
            ("daan.bakker@demo.evalportal.nl", "Daan", "Bakker", "recruiter"),
            ("fatima.elamrani@demo.evalportal.nl", "Fatima", "El Amrani", "recruiter"),
        ],
    },
    "Team Finance & Office": {
        "lead": ("pieter.smit@demo.evalportal.nl", "Pieter", "Smit", "team_lead"),
        "recruiters": [
            ("lotte.visser@demo.evalportal.nl", "Lotte", "Visser", "recruiter"),
            ("ruud.vanthoff@demo.evalportal.nl", "Ruud", "van 't Hoff", "recruiter"),
            ("zoe.meijer@demo.evalportal.nl", "Zoë", "Meijer", "recruiter"),
        ],
    },
}
LOGINS = [
    ("recruiter", "recruiter@demo.evalportal.nl"),
    ("team lead", "teamlead@demo.evalportal.nl"),
    ("administrator", "beheer@demo.evalportal.nl"),
]
