"""What a rule and a check come to: a finding's ``Status`` and the report's ``Verdict``.

Apart from :mod:`governance.terms` (policies do not name them: ``policy lint`` does not create
them) and re-exported by :mod:`governance.report`.
"""

from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - not a password
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"
    WAIVED = "waived"


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105 - not a password
    FAIL = "fail"
