"""Small query helpers shared by the apps."""

from django.db.models import QuerySet


def one_or_none(queryset: QuerySet):
    """The row of a lookup by a unique key, or None.

    Unlike .first() it asks for no ordering: the key picks at most one row,
    and an ORDER BY costs compiling and sorting on every API call.
    """
    return next(iter(queryset.order_by()[:1]), None)
