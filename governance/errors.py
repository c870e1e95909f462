"""Error types and exit codes.

Every error the tool raises on bad input is a :class:`GovernanceError`. It carries the file,
line, column and field it is about, and renders as ``path:line:col: field: message`` so that
editors and CI logs can jump to the spot.
"""

from __future__ import annotations

from enum import IntEnum

# An error message quotes input (a key, a value, a line of a foreign file): at most this much.
MAX_MESSAGE_CHARS = 1_000
# A file with thousands of problems is reported by its first ones.
MAX_ERRORS_SHOWN = 50


class ExitCode(IntEnum):
    """Stable process exit codes (DESIGN §3)."""

    OK = 0
    GATE_FAILED = 1
    USAGE = 2
    INTERNAL = 3


class GovernanceError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.field = field

    def __str__(self) -> str:
        """``path:line:col: field: message``, inert: messages quote hostile input, so
        controls, newlines and bidi characters are escaped (see governance.textsafe)."""
        from governance.textsafe import cap, one_line

        return one_line(cap(self._plain(), MAX_MESSAGE_CHARS))

    def _plain(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            parts.append(where)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class InputError(GovernanceError):
    """Invalid user input: a file, a flag, a value. Exit code 2."""


class YamlError(InputError):
    """A YAML or JSON document that is unsafe or malformed."""


class PolicyError(InputError):
    """A policy that does not validate."""


class CardError(InputError):
    """A model card that does not validate."""


class ConfigError(InputError):
    """A ``governance.yaml`` project configuration that does not validate."""


class ArtifactError(InputError):
    """An artifact path that is missing, unsafe or unreadable."""


class EvidenceError(GovernanceError):
    """Evidence needed by a rule is missing or insufficient.

    Raised inside rules; the engine turns it into an ``error`` finding, never a pass.
    """


class SigningError(InputError):
    """A key or envelope that cannot be read or used."""


class VerificationError(GovernanceError):
    """A signed report or bundle that does not hold up: forged verdict, bad signatures,
    a failing verdict someone tries to approve. Exit code 1, like a failed ``verify``."""

    exit_code = ExitCode.GATE_FAILED


class MultiError(InputError):
    """Several input errors found at once (e.g. every problem in a policy file)."""

    def __init__(self, errors: list[GovernanceError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:MAX_ERRORS_SHOWN]))
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.shown())

    def shown(self) -> list[GovernanceError]:
        """The errors to print: the first MAX_ERRORS_SHOWN, then one line saying how many
        more there are."""
        if len(self.errors) <= MAX_ERRORS_SHOWN:
            return list(self.errors)
        more = len(self.errors) - MAX_ERRORS_SHOWN
        return [*self.errors[:MAX_ERRORS_SHOWN],
                InputError(f"… and {more} more error(s) not shown")]
