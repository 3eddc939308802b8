"""Demo addresses are ASCII: an address with "ı" or "ë" in its local part needs SMTPUTF8, which a real mail
server may refuse, so the demo's emails would not all arrive."""

from nps.demo import address_part


def test_a_demo_address_is_ascii_whatever_the_name():
    assert [address_part(n) for n in ("Yılmaz", "van 't Hoff", "Zoë", "El Amrani")] == [
        "yilmaz",
        "vanthoff",
        "zoe",
        "elamrani",
    ]
