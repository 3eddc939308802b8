"""Small text rules shared by templates, messages and emails."""


def before_full_stop(name: str) -> str:
    """A name that ends a sentence: its own final dot is the full stop ("bij Smit B.V.", not "B.V..")."""
    return name[:-1] if isinstance(name, str) and name.endswith(".") else name
