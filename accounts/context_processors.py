from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it); a name that does not resolve yet is skipped.
NAVIGATION = [
    ("nps:dashboard", _("Dashboard"), {"recruiter", "team_lead", "admin"}),
    ("nps:placement_list", _("Placements"), {"recruiter", "team_lead", "admin"}),
    ("placements:client_list", _("Clients"), {"recruiter", "team_lead", "admin"}),
    ("nps:followup_list", _("Follow-ups"), {"recruiter", "team_lead", "admin"}),
    ("surveys:survey_list", _("Surveys"), {"recruiter", "team_lead", "admin"}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, roles in NAVIGATION:
        if user.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
