"""Template helpers for the dashboard and the answer page."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(choices, selected):
    """`<option>`s for (id, label) pairs, `selected` marked, built in one pass: an organisation may
    have thousands of clients, and a template loop over them costs tens of milliseconds."""
    return mark_safe(  # noqa: S308 - every label is escaped, every value is an int
        "".join(
            f'<option value="{int(pk)}"{" selected" if pk == selected else ""}>{escape(label)}</option>'
            for pk, label in choices
        )
    )


@register.filter
def before_full_stop(name: str) -> str:
    """A name that ends a sentence: its own final dot is the full stop ("bij Smit B.V.", not "B.V..")."""
    return name[:-1] if isinstance(name, str) and name.endswith(".") else name
