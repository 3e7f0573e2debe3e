"""mesra's exceptions: one base class, messages in French that say how to fix."""

from __future__ import annotations

import dataclasses
import difflib
import heapq
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MesraError", "MesraWarning", "Problem", "CorpusError", "ParameterError", "CloseMatcher", "did_you_mean"]


class MesraError(Exception):
    """Base class of every error mesra raises on purpose (message in French)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a corpus: ``file:line: field: message``.

    ``kind`` names the nature of the problem in French (« identifiant inconnu »…), for
    the counts of ``mesra check``; it takes no part in comparing or sorting problems.
    """

    file: str
    line: int
    field: str
    message: str
    kind: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CorpusError(MesraError):
    """The corpus does not satisfy the data contract; ``problems`` lists why."""

    def __init__(self, problems: list[Problem], path: object = None, shown: int = 20):
        from mesra.french import plural

        self.problems = list(problems)
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:shown]]
        if n > shown:
            lines.append(f"… et {plural(n - shown, 'autre problème')}.")
        where = f" ({path})" if path is not None else ""
        fix = "corrigez-le" if n < 2 else "corrigez-les"
        head = f"Le corpus{where} comporte {plural(n, 'problème')} ; {fix} puis relancez `mesra check` :"
        super().__init__("\n".join([head, *lines]))


class ParameterError(MesraError, ValueError):
    """A parameter given to mesra (territory, option…) is not acceptable."""


class MesraWarning(UserWarning):
    """Something worth knowing that is not an error (message in French), e.g. a filter that emptied a result."""


class CloseMatcher:
    """The close matches of values among one fixed set of strings, built once, asked often.

    The answer is :func:`difflib.get_close_matches` ``(value, candidates, n, cutoff)``.
    Up to :attr:`EXACT_MAX` strings, the candidates are the whole set: the same suggestions
    as difflib over the set. Above, they are the :attr:`WINDOW` strings on each side of the
    value in alphabetical order and in the order of reversed strings: a typo leaves the
    beginning or the end of an identifier intact, and those neighbours share it. So the cost
    of a question does not grow with the set (a check of 500 000 identifiers with 500 000
    unknown ones stays linear); a value two typos away from any identifier, one at each end,
    may go without the suggestion difflib would have found.

    Candidates are scored first with rapidfuzz's Indel ratio, ``2·LCS/(len(a)+len(b))``,
    computed in C: it bounds difflib's ratio from above (difflib's matching blocks form a
    common subsequence), so difflib computes the ratio only of candidates that can still
    win, best bound first, and the answer is exactly difflib's over the candidates.

    >>> CloseMatcher(["occitanie", "normandie"]).matches("ocitanie")
    ['occitanie']
    """

    EXACT_MAX = 2000
    WINDOW = 64

    def __init__(self, known: Iterable[str]):
        self.words = sorted({str(k) for k in known})
        self._reversed: list[str] | None = None  # every word reversed, sorted
        self._cache: dict[tuple[str, int, float], list[str]] = {}
        #: Candidates scored so far (the cost of the questions asked, for tests).
        self.scored = 0

    def __len__(self) -> int:
        return len(self.words)

    def _pools(self, value: str) -> list[tuple[str, list[str]]]:
        """(question, candidates) pairs; reversed candidates are asked the reversed value."""
        if len(self.words) <= self.EXACT_MAX:
            return [(value, self.words)]
        if self._reversed is None:
            self._reversed = sorted(w[::-1] for w in self.words)
        w, eulav = self.WINDOW, value[::-1]
        i, j = bisect_left(self.words, value), bisect_left(self._reversed, eulav)
        return [(value, self.words[max(0, i - w) : i + w]), (eulav, self._reversed[max(0, j - w) : j + w])]

    def candidates(self, value: object) -> list[str]:
        """The strings among which the close matches of ``value`` are looked for, sorted."""
        value = str(value)
        pools = self._pools(value)
        out = set(pools[0][1])
        for _, pool in pools[1:]:
            out.update(r[::-1] for r in pool)
        return sorted(out)

    def matches(self, value: object, n: int = 1, cutoff: float = 0.75) -> list[str]:
        """The ``n`` best matches of ``value`` with a ratio of at least ``cutoff``, best first."""
        if n <= 0:
            raise ValueError(f"n must be > 0: {n!r}")
        if not 0.0 <= cutoff <= 1.0:
            raise ValueError(f"cutoff must be in [0.0, 1.0]: {cutoff!r}")
        value = str(value)
        key = (value, n, cutoff)
        if key not in self._cache:
            if len(self._cache) >= 65536:
                self._cache.clear()
            self._cache[key] = self._best(value, n, cutoff)
        return list(self._cache[key])

    def _bounds(self, value: str, cutoff: float, limit: int | None) -> tuple[list[tuple[float, str]], float | None]:
        """(Indel ratio, candidate) pairs reaching ``cutoff``, best first, at most ``limit`` per pool.

        Also the highest ratio a candidate left out may have (None when none was left out).
        """
        from rapidfuzz import fuzz, process

        bounds: dict[str, float] = {}
        ceiling = None
        for question, pool in self._pools(value):
            self.scored += len(pool)
            flip = question is not value
            found = process.extract(
                question, pool, scorer=fuzz.ratio, score_cutoff=max(0.0, cutoff * 100 - 1e-6), limit=limit
            )
            for word, score, _ in found:
                bounds[word[::-1] if flip else word] = score / 100
            if limit is not None and len(found) == limit and len(pool) > limit:
                ceiling = max(ceiling or 0.0, found[-1][1] / 100)
        return sorted(((bound, word) for word, bound in bounds.items()), reverse=True), ceiling

    def _best(self, value: str, n: int, cutoff: float) -> list[str]:
        # the few best bounds first (sorted in C); all of them only if a left-out one could still win
        ranked, ceiling = self._bounds(value, cutoff, limit=n + 4)
        best = self._rank(value, ranked, n, cutoff)
        if ceiling is not None and (len(best) < n or ceiling >= best[0][0] - 1e-9):
            best = self._rank(value, self._bounds(value, cutoff, limit=None)[0], n, cutoff)
        return [word for _, word in sorted(best, reverse=True)]

    @staticmethod
    def _rank(value: str, ranked: list[tuple[float, str]], n: int, cutoff: float) -> list[tuple[float, str]]:
        """The ``n`` best (difflib ratio, word) of ``ranked`` (bounds best first), smallest first."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(value)
        best: list[tuple[float, str]] = []
        for bound, word in ranked:
            if len(best) == n and bound < best[0][0] - 1e-9:
                break  # no candidate left can beat the n-th best: difflib's ratio ≤ the bound
            matcher.set_seq1(word)
            ratio = matcher.ratio()
            if ratio >= cutoff:
                heapq.heappush(best, (ratio, word))
                if len(best) > n:
                    heapq.heappop(best)
        return best

    def hint(self, value: object, n: int = 1, cutoff: float = 0.75) -> str:
        """The French hint for ``value``, or ``""``: `` (vouliez-vous dire « … » ?)``."""
        close = self.matches(value, n=n, cutoff=cutoff)
        if not close:
            return ""
        return " (vouliez-vous dire " + " ou ".join(f"« {c} »" for c in close) + " ?)"


def did_you_mean(value: object, known: Iterable[str] | CloseMatcher, *, n: int = 1, cutoff: float = 0.75) -> str:
    """The French hint for a value close to known ones, or ``""``.

    ``known`` is an iterable of strings or, to ask about many values, a :class:`CloseMatcher`
    built once over them.

    >>> did_you_mean("ocitanie", ["occitanie", "normandie"])
    ' (vouliez-vous dire « occitanie » ?)'
    >>> did_you_mean("xyz", ["occitanie"])
    ''
    """
    matcher = known if isinstance(known, CloseMatcher) else CloseMatcher(known)
    return matcher.hint(value, n=n, cutoff=cutoff)
