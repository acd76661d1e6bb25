"""The diagnostic record and the collector that gathers them during one validation."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.engine.validation.codes import Code, Severity

# ValidateStateMachineDefinition returns at most this many diagnostics.
MAX_DIAGNOSTICS = 100
# Stop collecting long after the reported maximum so hostile input stays cheap.
_COLLECT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: ``location`` is a JSON pointer into the definition ("/" = the root)."""

    severity: str
    code: str
    message: str
    location: str

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "location": self.location,
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """What ValidateStateMachineDefinition answers: ``result`` is "OK" or "FAIL"."""

    diagnostics: list[Diagnostic]
    truncated: bool

    @property
    def result(self) -> str:
        return "FAIL" if any(d.severity == Severity.ERROR.value for d in self.diagnostics) else "OK"

    @property
    def is_valid(self) -> bool:
        return self.result == "OK"

    def to_dict(self) -> dict:
        return {
            "result": self.result,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "truncated": self.truncated,
        }


@dataclass(slots=True)
class Collector:
    """Accumulates diagnostics; never raises, bounded in size."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    overflowed: bool = False

    def error(self, code: Code, location: str, message: str) -> None:
        self._add(Severity.ERROR, code, location, message)

    def warning(self, code: Code, location: str, message: str) -> None:
        self._add(Severity.WARNING, code, location, message)

    def has_error_at(self, location: str) -> bool:
        return any(d.location == location and d.severity == Severity.ERROR.value for d in self.diagnostics)

    def error_count(self) -> int:
        return sum(d.severity == Severity.ERROR.value for d in self.diagnostics)

    def _add(self, severity: Severity, code: Code | str, location: str, message: str) -> None:
        if len(self.diagnostics) >= _COLLECT_LIMIT:
            self.overflowed = True
            return
        self.diagnostics.append(Diagnostic(severity.value, str(code), message, location or "/"))

    def report(self) -> ValidationReport:
        # Errors first (a client that shows only the first few sees what blocks saving),
        # otherwise in document order.
        unique = list(dict.fromkeys(self.diagnostics))
        ordered = sorted(unique, key=lambda d: d.severity != Severity.ERROR.value)
        truncated = self.overflowed or len(ordered) > MAX_DIAGNOSTICS
        return ValidationReport(ordered[:MAX_DIAGNOSTICS], truncated)
