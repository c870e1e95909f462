"""Detectors for personal data in text values: pattern + validator, and masking.

Pure Python (``re`` and ``ipaddress`` only), so that it is cheap to import and easy to test.
Every detector pairs a candidate regex with a validator, so that near-misses are not reported:
a 16-digit number failing the Luhn check is not a card number, an IBAN with a wrong mod-97
check is not an IBAN, ``999.1.1.1`` is not an IP address, ``666-12-3456`` is not a US SSN.

Reports must never echo a raw value: :func:`mask` keeps at most the few characters that
payment-card practice shows (last four digits) and hides the rest.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "DETECTORS",
    "Detector",
    "PiiMatch",
    "classify",
    "find_pii",
    "iban_valid",
    "luhn_valid",
    "mask",
    "mask_text",
]


# ---------------------------------------------------------------------------------------------
# Validators
# ---------------------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check used by payment card numbers; ``number`` holds digits only."""
    if not number.isdigit() or not number.isascii():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_network(number: str) -> str | None:
    """The card scheme implied by the issuer prefix and length, or None."""
    n = len(number)
    p2 = int(number[:2])
    p3 = int(number[:3])
    p4 = int(number[:4])
    p6 = int(number[:6])
    if number[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39) or p4 == 3095) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if p2 in (50, 56, 57, 58, 63, 67) and 12 <= n <= 19:
        return "maestro"
    return None


def card_valid(candidate: str) -> bool:
    number = _digits(candidate)
    return 12 <= len(number) <= 19 and _card_network(number) is not None and luhn_valid(number)


# IBAN lengths per country (ISO 13616 registry, SWIFT release 2024).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def iban_valid(candidate: str) -> bool:
    """ISO 13616: known country, its length, alphanumeric BBAN, and mod-97 of the number == 1."""
    iban = candidate.replace(" ", "").upper()
    if len(iban) < 5 or not iban.isascii() or not iban.isalnum():
        return False
    country, check = iban[:2], iban[2:4]
    if not country.isalpha() or not check.isdigit() or IBAN_LENGTHS.get(country) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


_EMAIL_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def email_valid(candidate: str) -> bool:
    if len(candidate) > 254 or candidate.count("@") != 1:
        return False
    local, domain = candidate.split("@")
    if not local or len(local) > 64 or local.startswith(".") or local.endswith("."):
        return False
    if ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(_EMAIL_LABEL.match(label) for label in labels):
        return False
    tld = labels[-1]
    return tld.isalpha() and len(tld) >= 2


def ip_valid(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


_SSN_ADVERTISED = {"078051120", "219099999", "123456789"}


def us_ssn_valid(candidate: str) -> bool:
    """Area 001-899 except 666, group 01-99, serial 0001-9999; well-known samples excluded."""
    d = _digits(candidate)
    if len(d) != 9 or d in _SSN_ADVERTISED:
        return False
    area, group, serial = int(d[:3]), int(d[3:5]), int(d[5:])
    return 0 < area < 900 and area != 666 and group != 0 and serial != 0


_NINO_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def uk_nino_valid(candidate: str) -> bool:
    """HMRC rules: first letter not D F I Q U V, second not D F I O Q U V, no BG GB KN NK NT TN
    ZZ prefixes, six digits, suffix A-D."""
    s = candidate.replace(" ", "").upper()
    if len(s) != 9 or not s[2:8].isdigit() or s[8] not in "ABCD":
        return False
    a, b = s[0], s[1]
    if not (a.isalpha() and b.isalpha()) or a in "DFIQUV" or b in "DFIOQUV":
        return False
    return s[:2] not in _NINO_BAD_PREFIXES


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni_valid(candidate: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter), mod-23 letter."""
    s = candidate.replace("-", "").replace(" ", "").upper()
    if len(s) != 9:
        return False
    head = s[:8]
    if head[0] in "XYZ":
        head = str("XYZ".index(head[0])) + head[1:]
    if not head.isdigit() or not head.isascii():
        return False
    return _DNI_LETTERS[int(head) % 23] == s[8]


_CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
           25, 24, 23]
_CF_MONTHS = "ABCDEHLMPRST"


def it_codice_fiscale_valid(candidate: str) -> bool:
    """Italian codice fiscale: 16 characters, month letter, day 1-31 or 41-71, check letter."""
    s = candidate.upper()
    if not re.fullmatch(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z]"
                        r"[0-9LMNPQRSTUV]{3}[A-Z]", s):
        return False
    if s[8] not in _CF_MONTHS:
        return False
    omocodia = {c: str(i) for i, c in enumerate("LMNPQRSTUV")}
    day = int("".join(omocodia.get(c, c) for c in s[9:11]))
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return False
    total = 0
    for i, ch in enumerate(s[:15]):
        v = int(ch) if ch.isdigit() else ord(ch) - 65
        total += _CF_ODD[v] if i % 2 == 0 else v
    return chr(65 + total % 26) == s[15]


def fr_nir_valid(candidate: str) -> bool:
    """French social security number (NIR): 13 digits + 2-digit key = 97 - (NIR mod 97).

    Sex 1/2 (7/8 temporary), birth month 01-12, 20 or 30-99; Corsica's department 2A/2B
    counts as 19/18 for the key (INSEE rule).
    """
    s = candidate.replace(" ", "").upper()
    if len(s) != 15 or s[0] not in "1278" or not s[13:].isdigit():
        return False
    body = s[:13]
    if body[5:7] == "2A":
        body = body[:5] + "19" + body[7:]
    elif body[5:7] == "2B":
        body = body[:5] + "18" + body[7:]
    if not body.isdigit() or not body.isascii():
        return False
    month = int(s[3:5])
    if not (1 <= month <= 12 or month == 20 or 30 <= month <= 99):
        return False
    return 97 - int(body) % 97 == int(s[13:])


_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def pl_pesel_valid(candidate: str) -> bool:
    """Polish PESEL: 11 digits, a valid encoded birth date and the weighted check digit."""
    s = candidate
    if len(s) != 11 or not s.isdigit() or not s.isascii():
        return False
    month_code = int(s[2:4])
    if not 1 <= month_code % 20 <= 12 or month_code > 92:
        return False
    day = int(s[4:6])
    if not 1 <= day <= 31:
        return False
    total = sum(int(c) * w for c, w in zip(s[:10], _PESEL_WEIGHTS, strict=True))
    return (10 - total % 10) % 10 == int(s[10])


def _nanp_valid(candidate: str) -> bool:
    d = _digits(candidate)
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    return len(d) == 10 and d[0] in "23456789" and d[3] in "23456789" and d[1:3] != "11"


def _e164_valid(candidate: str) -> bool:
    d = _digits(candidate)
    return 8 <= len(d) <= 15 and d[0] != "0"


def _national_phone_valid(candidate: str) -> bool:
    d = _digits(candidate)
    return d.startswith("0") and 10 <= len(d) <= 11 and d[1] != "0"


def _phone_valid(candidate: str) -> bool:
    c = candidate.strip()
    if c.startswith(("+", "00")):
        return _e164_valid(c[2:] if c.startswith("00") else c)
    if c.startswith("0"):
        return _national_phone_valid(c)
    return _nanp_valid(c)


# ---------------------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detector:
    """A kind of personal data: a candidate pattern and a validator for each candidate."""

    kind: str
    category: str
    pattern: re.Pattern[str]
    validate: Callable[[str], bool]
    description: str


# start: not glued to a word, an e-mail or another number, nor continuing a digit group
_B = r"(?<![\w@.+-])(?<!\d[ ./-])"
_E = r"(?![\w@-]|\.\w)"  # end: likewise (a trailing full stop is fine)

_SEP = r"[ .-]?"
_PHONE = (
    # E.164 / international: +CC or 00CC, then groups separated by space, dash, dot, parens
    r"(?:\+|00)[1-9]\d{0,2}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,4})){2,6}"
    # NANP with separators: (555) 234-5678, 555-234-5678, 555.234.5678, 1-555-234-5678
    r"|(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}"
    # European national format with a trunk 0 and grouped digits: 020 7946 0958,
    # 07700 900123, 01 23 45 67 89, 030/1234567
    r"|0\d{1,4}(?:[ /-]\d{2,8}){1,4}"
)

DETECTORS: dict[str, Detector] = {
    d.kind: d for d in (
        Detector("email", "email", re.compile(
            _B + r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}"
            r"[A-Za-z0-9])?" + _E), email_valid, "e-mail address"),
        Detector("card_number", "payment_card", re.compile(
            _B + r"\d(?:[ -]?\d){11,18}" + _E), card_valid,
            "payment card number (issuer prefix and Luhn check)"),
        Detector("iban", "bank_account", re.compile(
            _B + r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?" + _E),
            iban_valid, "IBAN (country length and mod-97 check)"),
        Detector("us_ssn", "national_id", re.compile(
            _B + r"\d{3}-\d{2}-\d{4}" + _E), us_ssn_valid,
            "US social security number (valid area, group and serial)"),
        Detector("uk_nino", "national_id", re.compile(
            _B + r"[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]" + _E), uk_nino_valid,
            "UK national insurance number (HMRC prefix rules)"),
        Detector("es_dni", "national_id", re.compile(
            _B + r"[XYZxyz]?\d{7,8}-?[A-Za-z]" + _E),
            lambda c: es_dni_valid(c) and len(c.replace("-", "")) == 9,
            "Spanish DNI/NIE (mod-23 check letter)"),
        Detector("it_codice_fiscale", "national_id", re.compile(
            _B + r"[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}"
            r"[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]" + _E), it_codice_fiscale_valid,
            "Italian codice fiscale (check character)"),
        Detector("fr_nir", "national_id", re.compile(
            _B + r"[1278] ?\d{2} ?\d{2} ?(?:\d{2}|2[AaBb]) ?\d{3} ?\d{3} ?\d{2}" + _E),
            fr_nir_valid, "French NIR (mod-97 key)"),
        Detector("pl_pesel", "national_id", re.compile(_B + r"\d{11}" + _E), pl_pesel_valid,
                 "Polish PESEL (birth date and check digit)"),
        Detector("ipv6", "ip_address", re.compile(
            r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
            r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)"),
            lambda c: any(ch.isalnum() for ch in c) and ip_valid(c), "IPv6 address"),
        Detector("ipv4", "ip_address", re.compile(
            _B + r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}" + r"(?![\w@-]|\.\d)"), ip_valid,
            "IPv4 address"),
        Detector("phone", "phone", re.compile(_B + r"(?:" + _PHONE + r")" + r"(?![\w@]|[.-]\d)"),
                 _phone_valid, "phone number (E.164, NANP or European national format)"),
    )
}

# When candidates of several kinds overlap, the earlier kind in this order wins.
_PRIORITY = list(DETECTORS)


@dataclass(frozen=True)
class PiiMatch:
    kind: str
    start: int
    end: int
    value: str

    @property
    def masked(self) -> str:
        return mask(self.kind, self.value)


def find_pii(text: str, kinds: Iterable[str] | None = None) -> list[PiiMatch]:
    """Validated PII occurrences in ``text``, non-overlapping, in order of position."""
    wanted = list(DETECTORS) if kinds is None else [k for k in _PRIORITY if k in set(kinds)]
    found: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []
    for kind in wanted:
        det = DETECTORS[kind]
        for m in det.pattern.finditer(text):
            value = m.group(0).strip()
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            end = start + len(value)
            if not value or not det.validate(value):
                continue
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(PiiMatch(kind, start, end, value))
    return sorted(found, key=lambda p: p.start)


def classify(value: str, kinds: Iterable[str] | None = None) -> str | None:
    """The kind of ``value`` when the whole (stripped) value is one PII item, else None."""
    text = value.strip()
    if not text:
        return None
    for match in find_pii(text, kinds):
        if match.start == 0 and match.end == len(text):
            return match.kind
    return None


# ---------------------------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------------------------


def _star_alnum(text: str, keep_last: int = 0) -> str:
    """Replace letters and digits with ``*`` (keeping the last ``keep_last`` of them)."""
    total = sum(ch.isalnum() for ch in text)
    out: list[str] = []
    seen = 0
    for ch in text:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > total - keep_last else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask(kind: str, value: str) -> str:
    """A display form of a PII value that does not reveal it.

    ``john.doe@example.com`` -> ``j***@e***.com``; ``4111 1111 1111 1111`` ->
    ``**** **** **** 1111``; IBANs keep the country code; phone numbers keep two digits;
    IP addresses keep the first octet / group; national ids are fully starred.
    """
    v = value.strip()
    if kind == "email" and "@" in v:
        local, _, domain = v.rpartition("@")
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        return f"{local[:1]}***@{domain[:1]}***" + (f".{tld}" if tld else "")
    if kind == "card_number":
        d = _digits(v)
        return "**** **** **** " + d[-4:] if len(d) >= 12 else "****"
    if kind == "iban":
        compact = v.replace(" ", "").upper()
        return compact[:2] + "** **** **** " + "*" * 2 + compact[-2:]
    if kind == "phone":
        return _star_alnum(v, keep_last=2)
    if kind == "ipv4":
        return v.split(".", 1)[0] + ".*.*.*"
    if kind == "ipv6":
        head = v.split(":", 1)[0] or "::"
        return head + ":****:****"
    return _star_alnum(v)


def mask_text(text: str, kinds: Iterable[str] | None = None) -> str:
    """``text`` with every detected PII item replaced by its masked form."""
    out: list[str] = []
    pos = 0
    for m in find_pii(text, kinds):
        out.append(text[pos:m.start])
        out.append(m.masked)
        pos = m.end
    out.append(text[pos:])
    return "".join(out)
