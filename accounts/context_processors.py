from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Every role sees these pages, scoped to what it may see; staff also get the admin link (base.html).
NAVIGATION = [
    ("reporting:dashboard", _("Dashboard")),
    ("placements:placement_list", _("Placements")),
    ("placements:client_list", _("Clients")),
    ("reporting:followup_list", _("Follow-ups")),
    ("checkins:followup_list", _("Candidates")),
    ("reporting:probation", _("Probation")),
    ("exits:patterns", _("Leavers")),
    ("surveys:survey_list", _("Surveys")),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label in NAVIGATION:
        url = reverse(name)
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
