"""Template helpers for the answer page."""

from django import template

from evalportal.text import before_full_stop

register = template.Library()


# A name that ends a sentence keeps one full stop (Smit B.V.): evalportal.text.before_full_stop.
register.filter("before_full_stop", before_full_stop)
