"""PII detectors on realistic fake records, near-misses included; validators cross-checked
against independent reference implementations; masking never reveals the value."""

from __future__ import annotations

import ipaddress
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.pii import (
    DETECTORS,
    classify,
    find_pii,
    iban_valid,
    luhn_valid,
    mask,
    mask_text,
)

# ---------------------------------------------------------------------------------------------
# Independent reference implementations (different algorithms from governance.pii)
# ---------------------------------------------------------------------------------------------


def ref_luhn(number: str) -> bool:
    """Luhn via the 'double every second digit from the right, sum the digit sums' table."""
    doubled = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
    digits = [int(c) for c in number]
    odd = digits[-1::-2]
    even = digits[-2::-2]
    return (sum(odd) + sum(doubled[d] for d in even)) % 10 == 0


def ref_iban_mod97(iban: str) -> int:
    """ISO 7064 MOD 97-10 computed piecewise (9 digits at a time), as banks do it."""
    s = iban.replace(" ", "").upper()
    s = s[4:] + s[:4]
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c for c in s)
    rem = 0
    while digits:
        chunk = str(rem) + digits[:7]
        digits = digits[7:]
        rem = int(chunk) % 97
    return rem


# ---------------------------------------------------------------------------------------------
# Realistic fake records (test numbers published by card schemes / IBAN registry / HMRC docs)
# ---------------------------------------------------------------------------------------------

RECORDS = [
    # (value, kind)
    ("jane.whitfield@example.com", "email"),
    ("o'brien+newsletter@mail.example.co.uk", "email"),
    ("Z.Kowalska@firma-przyklad.pl", "email"),
    ("4111 1111 1111 1111", "card_number"),  # Visa test number
    ("4111-1111-1111-1111", "card_number"),
    ("5555555555554444", "card_number"),  # Mastercard test number
    ("2223003122003222", "card_number"),  # Mastercard 2-series test number
    ("378282246310005", "card_number"),  # Amex test number
    ("6011111111111117", "card_number"),  # Discover test number
    ("3530111333300000", "card_number"),  # JCB test number
    ("DE89 3704 0044 0532 0130 00", "iban"),
    ("GB82WEST12345698765432", "iban"),
    ("FR14 2004 1010 0505 0001 3M02 606", "iban"),
    ("NL91ABNA0417164300", "iban"),
    ("BE68539007547034", "iban"),
    ("ch9300762011623852957", "iban"),
    ("+44 20 7946 0958", "phone"),  # Ofcom drama number range
    ("+1 (202) 555-0147", "phone"),
    ("+49 30 1234567", "phone"),
    ("0044 20 7946 0958", "phone"),
    ("(212) 555-0199", "phone"),
    ("202-555-0147", "phone"),
    ("020 7946 0958", "phone"),
    ("07700 900123", "phone"),
    ("01 23 45 67 89", "phone"),
    ("192.168.10.23", "ipv4"),
    ("8.8.8.8", "ipv4"),
    ("2001:db8::8a2e:370:7334", "ipv6"),
    ("fe80::1ff:fe23:4567:890a", "ipv6"),
    ("::ffff:192.0.2.128", "ipv6"),
    ("536-90-4399", "us_ssn"),
    ("AB 12 34 56 C", "uk_nino"),
    ("JG103759A", "uk_nino"),
    ("12345678Z", "es_dni"),
    ("X1234567L", "es_dni"),
    ("RSSMRA85T10A562S", "it_codice_fiscale"),
    ("1 84 12 76 451 089 46", "fr_nir"),
    ("2 69 05 2A 004 012 28", "fr_nir"),  # Corsica: 2A counts as 19
    ("44051401359", "pl_pesel"),
    ("02070803628", "pl_pesel"),
]

NEAR_MISSES = [
    ("4111 1111 1111 1112", "16 digits with a valid Visa prefix but failing Luhn"),
    ("5555555555554445", "Mastercard prefix, Luhn fails"),
    ("1234567812345670", "passes Luhn but no card issuer uses prefix 12"),
    ("DE89 3704 0044 0532 0130 01", "IBAN with a wrong check (mod 97 != 1)"),
    ("DE89 3704 0044 0532 0130", "IBAN with a valid-looking body but the wrong length"),
    ("XX82WEST12345698765432", "unknown IBAN country"),
    ("999.1.1.1", "octet over 255"),
    ("192.168.1", "three octets"),
    ("1.2.3.4.5", "five parts"),
    ("12:30:45", "a time of day"),
    ("00:1A:2B:3C:4D:5E", "a MAC address"),
    ("2024-01-15", "an ISO date"),
    ("15/01/2024", "a European date"),
    ("666-12-3456", "SSN area 666 is never issued"),
    ("900-12-3456", "SSN area 9xx is never issued"),
    ("123-00-4567", "SSN group 00 is never issued"),
    ("078-05-1120", "the Woolworth wallet SSN, published and void"),
    ("QQ 12 34 56 C", "NINO prefix QQ is not allowed (HMRC's own example)"),
    ("BG 12 34 56 C", "NINO prefix BG is not allowed"),
    ("AB 12 34 56 E", "NINO suffix E is not allowed"),
    ("12345678A", "DNI with the wrong check letter"),
    ("RSSMRA85T10A562T", "codice fiscale with the wrong check character"),
    ("1 84 12 76 451 089 47", "NIR with the wrong key"),
    ("44051401358", "PESEL with the wrong check digit"),
    ("jane.whitfield@example", "e-mail without a top-level domain"),
    ("jane..whitfield@example.com", "consecutive dots in the local part"),
    ("@example.com", "no local part"),
    ("1169", "a credit amount"),
    ("0.7367", "a metric value"),
    ("3.14159", "a float"),
    ("1.2.3", "a version"),
    ("A0001", "a pseudonymous applicant id"),
    ("5551234", "seven digits without separators"),
    ("123-4567", "local number without area code"),
    ("(155) 555-0199", "NANP area codes never start with 1"),
    ("+0 123 456 789", "country codes never start with 0"),
    ("... < 0 DM", "a German-credit category label"),
]


@pytest.mark.parametrize(("value", "kind"), RECORDS)
def test_detects_realistic_fake_records(value: str, kind: str) -> None:
    assert classify(value) == kind
    found = find_pii(f"Kontakt: {value}; bitte prüfen.")
    assert [(m.kind, m.value) for m in found] == [(kind, value)]


@pytest.mark.parametrize(("value", "why"), NEAR_MISSES)
def test_near_misses_are_not_pii(value: str, why: str) -> None:
    assert classify(value) is None, why
    assert find_pii(value) == [], why


def test_free_text_with_several_items() -> None:
    text = ("Customer Jane Whitfield (jane.whitfield@example.com, +44 20 7946 0958) paid with "
            "4111 1111 1111 1111 from DE89 3704 0044 0532 0130 00; login from 203.0.113.7. "
            "Ticket 2024-01-15, amount 1169, ref 4111 1111 1111 1112.")
    found = [(m.kind, m.value) for m in find_pii(text)]
    assert found == [
        ("email", "jane.whitfield@example.com"),
        ("phone", "+44 20 7946 0958"),
        ("card_number", "4111 1111 1111 1111"),
        ("iban", "DE89 3704 0044 0532 0130 00"),
        ("ipv4", "203.0.113.7"),
    ]
    masked = mask_text(text)
    assert masked == (
        "Customer Jane Whitfield (j***@e***.com, +** ** **** **58) paid with "
        "**** **** **** 1111 from DE** **** **** **00; login from 203.*.*.*. "
        "Ticket 2024-01-15, amount 1169, ref 4111 1111 1111 1112.")


def test_kinds_filter() -> None:
    text = "mail jane.whitfield@example.com card 4111 1111 1111 1111"
    assert [m.kind for m in find_pii(text, ["card_number"])] == ["card_number"]
    assert classify("jane.whitfield@example.com", ["phone"]) is None


@pytest.mark.parametrize(("kind", "value", "masked"), [
    ("email", "jane.whitfield@example.com", "j***@e***.com"),
    ("card_number", "4111 1111 1111 1111", "**** **** **** 1111"),
    ("card_number", "378282246310005", "**** **** **** 0005"),
    ("iban", "DE89 3704 0044 0532 0130 00", "DE** **** **** **00"),
    ("phone", "+44 20 7946 0958", "+** ** **** **58"),
    ("ipv4", "192.168.10.23", "192.*.*.*"),
    ("ipv6", "2001:db8::8a2e:370:7334", "2001:****:****"),
    ("us_ssn", "536-90-4399", "***-**-****"),
    ("uk_nino", "AB 12 34 56 C", "** ** ** ** *"),
    ("it_codice_fiscale", "RSSMRA85T10A562S", "****************"),
])
def test_mask_formats(kind: str, value: str, masked: str) -> None:
    assert mask(kind, value) == masked


@pytest.mark.parametrize(("value", "kind"), RECORDS)
def test_masks_never_reveal_the_value(value: str, kind: str) -> None:
    m = mask(kind, value)
    compact = "".join(ch for ch in value if ch.isalnum())
    assert value not in m
    shown = "".join(ch for ch in m if ch.isalnum())
    # At most four characters of the value survive (card: last four; e-mail: two initials and
    # the top-level domain; IP: the first octet or group).
    survivors = len(shown) - (len(value.rsplit(".", 1)[-1]) if kind == "email" else 0)
    assert survivors <= 4, (value, m)
    assert compact not in shown


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=2, max_size=19))
def test_luhn_matches_reference(number: str) -> None:
    assert luhn_valid(number) == ref_luhn(number)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=11, max_size=18))
def test_luhn_check_digit_completes_any_number(body: str) -> None:
    valid = [d for d in "0123456789" if luhn_valid(body + d)]
    assert len(valid) == 1 and ref_luhn(body + valid[0])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=18, max_size=18))
def test_iban_matches_reference_mod97(bban: str) -> None:
    # A German-length IBAN with the check digits computed, then one deliberately wrong.
    rem = ref_iban_mod97("DE00" + bban)
    check = f"{98 - rem:02d}"
    good = "DE" + check + bban
    assert ref_iban_mod97(good) == 1
    assert iban_valid(good)
    wrong = "DE" + f"{(int(check) % 97) + 1:02d}" + bban
    assert iban_valid(wrong) == (ref_iban_mod97(wrong) == 1)


@settings(max_examples=200, deadline=None)
@given(st.ip_addresses().filter(lambda a: str(a) != "::"))  # "::" (unspecified) is no PII
def test_ip_detector_agrees_with_ipaddress(addr: ipaddress.IPv4Address
                                           | ipaddress.IPv6Address) -> None:
    text = str(addr)
    assert classify(text) == ("ipv4" if addr.version == 4 else "ipv6")


@settings(max_examples=200, deadline=None)
@given(st.tuples(*[st.integers(0, 999)] * 4))
def test_ipv4_candidates_validated_by_ipaddress(octets: tuple[int, ...]) -> None:
    text = ".".join(map(str, octets))
    try:
        ipaddress.IPv4Address(text)
        expected = "ipv4"
    except ValueError:
        expected = None
    assert classify(text) == expected


def test_detectors_are_documented_and_categorised() -> None:
    assert list(DETECTORS) == ["email", "card_number", "iban", "us_ssn", "uk_nino", "es_dni",
                               "it_codice_fiscale", "fr_nir", "pl_pesel", "ipv6", "ipv4",
                               "phone"]
    for det in DETECTORS.values():
        assert det.description and det.category


def test_module_is_pure_python() -> None:
    import governance.pii as pii

    heavy = {"pandas", "numpy"}
    assert not heavy & set(vars(pii))
    assert "re" in vars(pii) and "ipaddress" in vars(pii)
    assert pii.__name__ in sys.modules
