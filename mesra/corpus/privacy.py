"""Pseudonymisation of people: one switch, every output of a run.

People are personal data. :func:`pseudonymise` returns a copy of a corpus where
every person's identifier and name is replaced by a stable pseudonym derived
from a hash of the identifier (the same person gets the same pseudonym in every
run and every output), and where their names are also masked wherever free text
mentions them: monograph fields and bodies, actors' names, functions, a tie's
``objet``, source titles and the source texts themselves.

Masking works on words, not on strings. Every name of a person is cut into
words, folded (case and accents, :func:`mesra.text.fold`): the surname, each part
of a compound surname, the first name(s), the identifier, and the spellings
listed in ``personnes.variantes``. A word of free text that folds to one of
them is a name, whatever its case, accents or order ("Josette COMBES",
"Combes, Josette", "M. Combès", "josette" alone). Neighbouring name words (with
the particles and initials between them: "Luc de Lerminat", "J.-L. Laville")
are read together and replaced by one pseudonym when exactly one person bears
them all; a word several people share and nothing else disambiguates ("Luc"
alone, when two people are called Luc) is masked as :data:`AMBIGUOUS`. Words are
compared whole, so "Martin" never touches "martinet", but a name that is also a
common word is masked wherever it appears ("Fraise", a misspelling of a surname
in the 2019 proceedings, masks the fruit too): masking too much is safe, too
little is not.

Identifiers that embed a name (an actor ``ferme-de-josette``, a source
``entretien-combes``) are replaced by ``anonyme-<hash>`` consistently in every
table, so references still resolve. Territories are places, never masked.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

from mesra.corpus import contract
from mesra.text import fold

__all__ = ["pseudonym", "pseudonymise", "Masker", "AMBIGUOUS", "PARTICLES", "name_words"]

#: What replaces a name word shared by several people when nothing tells which one is meant.
AMBIGUOUS = "[nom masqué]"

#: Words that belong to a surname but are masked only beside the rest of it ("Luc DE LERMINAT").
PARTICLES = frozenset(
    {"d", "da", "dal", "das", "de", "del", "della", "der", "des", "di", "do", "dos", "du", "l", "la", "le", "les"}
    | {"van", "von", "ten", "ter", "y", "e", "af", "av", "zu"}
)

# A word of text: letters (with combining accents, for decomposed Unicode); digits and "_" separate words.
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
# What may stand between two words of one name: spaces, dashes, apostrophes, dots, commas, underscores.
_GAP = re.compile(r"[\s\-\u2010-\u2015'\u2019.,_]*")
# A lowercase slug in text, candidate for a person identifier ("josette-combes").
_SLUG = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)*(?![\w-])")
_PSEUDONYM_ID = re.compile(r"^personne-[0-9a-f]{6}$")
_PSEUDONYM_NAME = re.compile(r"^Personne [0-9A-F]{6}$")


def pseudonym(personne_id: str) -> tuple[str, str]:
    """Stable ``(identifier, display name)`` for a person identifier.

    >>> pseudonym("josette-combes")[0].startswith("personne-")
    True
    >>> pseudonym("josette-combes") == pseudonym("josette-combes")
    True
    """
    digest = hashlib.sha256(f"mesra:{personne_id}".encode()).hexdigest()[:6]
    return f"personne-{digest}", f"Personne {digest.upper()}"


def _anonymous_id(value: str) -> str:
    return "anonyme-" + hashlib.sha256(f"mesra:id:{value}".encode()).hexdigest()[:8]


def name_words(text: object) -> list[str]:
    """The folded words of a name (``"RUEL-MAILFERT"`` → ``["ruel", "mailfert"]``).

    >>> name_words("Bérengère DELFAIRIÈRE")
    ['berengere', 'delfairiere']
    >>> name_words("Luc de Lerminat")
    ['luc', 'de', 'lerminat']
    """
    if not isinstance(text, str):
        return []
    return [fold(w) for w in _WORD.findall(text) if fold(w)]


def _split_variants(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.split(contract.LIST_SEPARATOR) if v.strip()]


def _is_pseudonymous(pid: str, nom: object) -> bool:
    """True for people already pseudonymised (e.g. by ``mesra import decidim``): nothing to mask."""
    return bool(_PSEUDONYM_ID.match(pid)) and isinstance(nom, str) and bool(_PSEUDONYM_NAME.match(nom))


@dataclasses.dataclass
class _Word:
    start: int
    end: int
    key: str
    people: frozenset[int]
    is_name: bool  # False for a particle or an initial: masked only beside a name word


class Masker:
    """Masks the people of a ``personnes`` table in text and identifiers.

    >>> people = pd.DataFrame({"personne_id": ["josette-combes"], "nom": ["COMBES"], "prenom": ["Josette"]})
    >>> masker = Masker(people)
    >>> masker.text("Merci à Combes, Josette (josette-combes), et à JOSETTE ; un martinet.")
    'Merci à Personne 60CB84 (personne-60cb84), et à Personne 60CB84 ; un martinet.'
    """

    def __init__(self, personnes: pd.DataFrame):
        self._ids: list[str] = []
        self._pseudo_ids: dict[str, str] = {}
        words: dict[str, set[int]] = defaultdict(set)  # folded word -> the people who bear it
        glue: dict[str, set[int]] = defaultdict(set)  # particles ("de") and single letters: only beside a name
        initials: dict[str, set[int]] = defaultdict(set)  # first letter of a name word -> people
        variantes = personnes["variantes"] if "variantes" in personnes else [None] * len(personnes)
        for pid, nom, prenom, var in zip(personnes["personne_id"], personnes["nom"], personnes["prenom"], variantes):
            pid = str(pid)
            if _is_pseudonymous(pid, nom):
                continue
            index = len(self._ids)
            self._ids.append(pid)
            self._pseudo_ids[pid] = pseudonym(pid)[0]
            for name in (nom, prenom, pid, *_split_variants(var)):
                for w in name_words(name):
                    if w in PARTICLES or len(w) == 1:
                        glue[w].add(index)
                    else:
                        words[w].add(index)
                        initials[w[0]].add(index)
        self._words = {k: frozenset(v) for k, v in words.items()}
        self._particles = {k: frozenset(v) for k, v in glue.items()}
        self._initials = {k: frozenset(v) for k, v in initials.items()}

    # --- public -----------------------------------------------------------------
    @property
    def words(self) -> frozenset[str]:
        """Every folded word that is masked on its own."""
        return frozenset(self._words)

    def display(self, personne_id: str) -> str:
        return pseudonym(personne_id)[1]

    def identifier(self, value: object) -> object:
        """A person's identifier → its pseudonym; any other identifier embedding a name → ``anonyme-<hash>``."""
        if not isinstance(value, str) or not value:
            return value
        if value in self._pseudo_ids:
            return self._pseudo_ids[value]
        if _PSEUDONYM_ID.match(value):
            return value
        if any(w in self._words for w in name_words(value)):
            return _anonymous_id(value)
        return value

    def identifiers(self, values: object) -> object:
        """A list of identifiers, each masked as by :meth:`identifier`."""
        return [self.identifier(v) for v in values] if isinstance(values, (list, tuple)) else self.identifier(values)

    def locator(self, value: object) -> object:
        """``source_id#where`` with its source identifier masked."""
        if not isinstance(value, str) or "#" not in value:
            return self.identifier(value)
        sid, where = value.split("#", 1)
        return f"{self.identifier(sid)}#{where}"

    def text(self, value: object) -> object:
        """Free text with every person's name, variant and identifier masked (other values unchanged)."""
        if not isinstance(value, str) or not self._ids:
            return value
        value = _SLUG.sub(lambda m: self._pseudo_ids.get(m.group(0), m.group(0)), value)
        out, last = [], 0
        for run in self._runs(value):
            for segment, people in self._segments(run):
                if not any(w.is_name for w in segment):
                    continue
                out.append(value[last : segment[0].start])
                out.append(self.display(self._ids[next(iter(people))]) if len(people) == 1 else AMBIGUOUS)
                last = segment[-1].end
        out.append(value[last:])
        return "".join(out)

    def value(self, value: object) -> object:
        """:meth:`text` through lists and dicts (keys too)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        return value

    # --- reading names in text ------------------------------------------------------
    def _word(self, text: str, m: re.Match) -> _Word | None:
        token, key = m.group(0), fold(m.group(0))
        if key in self._words:
            return _Word(m.start(), m.end(), key, self._words[key], True)
        if len(key) == 1 and token.isupper() and text[m.end() : m.end() + 1] in (".", "-"):  # an initial: "J.-L."
            people = self._initials.get(key, frozenset()) | self._particles.get(key, frozenset())
            return _Word(m.start(), m.end(), key, frozenset(people), False) if people else None
        if key in self._particles:
            return _Word(m.start(), m.end(), key, self._particles[key], False)
        return None

    def _runs(self, text: str) -> Iterable[list[_Word]]:
        """Maximal sequences of name words, particles and initials separated only by gaps."""
        run: list[_Word] = []
        for m in _WORD.finditer(text):
            word = self._word(text, m)
            if word is None or (run and not _GAP.fullmatch(text, run[-1].end, word.start)):
                if run:
                    yield run
                run = [word] if word is not None else []
            else:
                run.append(word)
        if run:
            yield run

    @staticmethod
    def _segments(run: list[_Word]) -> list[tuple[list[_Word], frozenset[int]]]:
        """Cut a run into the fewest names, each borne by at least one same person.

        Dynamic programming over the run: a segment is valid when some person bears
        all its words and no word repeats in it; a segment that stays ambiguous costs
        a little more, so that "Laurent Fraise" is one person, not "Laurent" + "Fraise".
        """
        n = len(run)
        best: list[tuple[float, int, frozenset[int]]] = [(0.0, 0, frozenset())] + [(float("inf"), 0, frozenset())] * n
        for end in range(1, n + 1):
            people: frozenset[int] | None = None
            seen: set[str] = set()
            for start in range(end - 1, -1, -1):
                w = run[start]
                people = w.people if people is None else people & w.people
                if not people or w.key in seen:
                    break
                seen.add(w.key)
                cost = best[start][0] + 1 + (0.5 if len(people) > 1 else 0)
                if cost < best[end][0]:
                    best[end] = (cost, start, people)
        segments = []
        end = n
        while end > 0:
            _, start, people = best[end]
            segments.append((run[start:end], people))
            end = start
        return segments[::-1]


def _mask_frame(frame: pd.DataFrame, table: contract.Table, masker: Masker) -> pd.DataFrame:
    """Mask every column of a table by its kind in the contract (extra columns as text)."""
    out = frame.copy()
    for col in out.columns:
        column = table.column(col) if col in table.column_names else contract.Column(col)
        if column.kind in ("id", "ref") and "territoires" not in column.ref:  # places are never masked
            fn = masker.identifier
        elif column.kind == "refs":  # lists of identifiers: the carriers and partners of actions
            fn = masker.identifiers
        elif column.kind == "locator":
            fn = masker.locator
        elif column.kind == "text":
            fn = masker.value
        else:
            continue
        out[col] = pd.Series([fn(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _mask_monographs(monos: pd.DataFrame, masker: Masker) -> pd.DataFrame:
    out = monos.copy()
    for col in out.columns:
        if col in contract.MONOGRAPH_PLACE_FIELDS or pd.api.types.is_numeric_dtype(out[col]):
            continue
        if col in contract.MONOGRAPH_ID_FIELDS:
            fn = masker.identifier
        elif col in contract.MONOGRAPH_LOCATOR_FIELDS:
            fn = masker.locator
        else:
            fn = masker.value
        values = [([fn(x) for x in v] if isinstance(v, list) else fn(v)) for v in out[col]]
        out[col] = pd.Series(values, index=out.index, dtype=object)
    return out


def pseudonymise(corpus):
    """A copy of ``corpus`` in which no person's real name, variant or identifier remains.

    Stable: the same person gets the same pseudonym in every run (a hash of the
    identifier). Idempotent: pseudonymising twice changes nothing more.
    """
    people = corpus.personnes
    masker = Masker(people)
    tables = {}
    for name in ("acteurs", "liens", "sources", "actions", "suivi", "roles"):
        tables[name] = _mask_frame(getattr(corpus, name), contract.TABLES[name], masker)
    new_people = _mask_frame(people, contract.TABLES["personnes"], masker)
    new_people["nom"] = [
        pseudonym(p)[1] if masker.identifier(p) != p else nom for p, nom in zip(people["personne_id"], people["nom"])
    ]
    new_people["prenom"] = [
        None if masker.identifier(p) != p else v for p, v in zip(people["personne_id"], people["prenom"])
    ]
    if "variantes" in new_people:
        new_people["variantes"] = None
    new_people = new_people.sort_values("personne_id").reset_index(drop=True)
    texts = {masker.identifier(k): masker.text(v) for k, v in corpus.source_texts.items()}
    return dataclasses.replace(
        corpus,
        personnes=new_people,
        monographies=_mask_monographs(corpus.monographies, masker),
        source_texts=texts,
        pseudonymised=True,
        **tables,
    )
