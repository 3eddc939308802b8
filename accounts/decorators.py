from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.models import User

STAFF_ROLES = (User.Role.RECRUITER, User.Role.TEAM_LEAD, User.Role.ADMIN)
LEAD_ROLES = (User.Role.TEAM_LEAD, User.Role.ADMIN)


def role_required(*roles):
    """Allow only logged-in users with one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
