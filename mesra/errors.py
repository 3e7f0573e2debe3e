"""mesra's exceptions: one base class, messages in French that say how to fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MesraError", "MesraWarning", "Problem", "CorpusError", "ParameterError", "did_you_mean"]


class MesraError(Exception):
    """Base class of every error mesra raises on purpose (message in French)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a corpus: ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CorpusError(MesraError):
    """The corpus does not satisfy the data contract; ``problems`` lists why."""

    def __init__(self, problems: list[Problem], path: object = None, shown: int = 20):
        self.problems = list(problems)
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:shown]]
        if n > shown:
            lines.append(f"… et {n - shown} autre(s) problème(s).")
        where = f" ({path})" if path is not None else ""
        head = f"Le corpus{where} comporte {n} problème(s) ; corrigez-les puis relancez `mesra check` :"
        super().__init__("\n".join([head, *lines]))


class ParameterError(MesraError, ValueError):
    """A parameter given to mesra (territory, option…) is not acceptable."""


class MesraWarning(UserWarning):
    """Something worth knowing that is not an error (message in French), e.g. a filter that emptied a result."""


def did_you_mean(value: object, known: Iterable[str], *, n: int = 1, cutoff: float = 0.75) -> str:
    """The French hint for a value close to known ones, or ``""``.

    >>> did_you_mean("ocitanie", ["occitanie", "normandie"])
    ' (vouliez-vous dire « occitanie » ?)'
    >>> did_you_mean("xyz", ["occitanie"])
    ''
    """
    close = difflib.get_close_matches(str(value), sorted(set(known)), n=n, cutoff=cutoff)
    if not close:
        return ""
    return " (vouliez-vous dire " + " ou ".join(f"« {c} »" for c in close) + " ?)"
