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
table, so references still resolve. Territories are places, never masked: a
territory's name is read whole before any name ("Saint-Martin" stays when a person
is called Martin).

Text is compared after Unicode normalisation: invisible characters (soft hyphen,
zero-width space and joiner, word joiner, BOM… pasted from Word or a PDF) are removed
first, and words are folded in any script ("Мария Иванова" is masked like "Josette
Combes"; names in scripts written without spaces, such as Chinese, are masked wherever
they appear). Names glued together or into handles and e-mail addresses are masked
too: ``JosetteCOMBES``, ``@JosetteCombes``, ``jcombes@…``, ``combes.josette@…``.

:class:`NameScan` is the last line of defence of a pseudonymised batch: built from
the real corpus before it is pseudonymised, it tells whether an output still holds a
person's full name or a form derived from it (both orders, glued, initial and
surname, identifier, variant), after decoding HTML entities, JSON and URL escapes;
it holds only salted hashes of the forms, and says which *kind* of form it found,
never the name. Territories' and organisations' names are not persons: never flagged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import os
import re
import secrets
import unicodedata
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from mesra.corpus import contract

__all__ = [
    "pseudonym",
    "pseudonymise",
    "Masker",
    "NameScan",
    "AMBIGUOUS",
    "PARTICLES",
    "RUN_ENV",
    "name_words",
    "clean_text",
    "fold_word",
    "run_is_pseudonymised",
    "origin_of",
]

#: Set to ``1`` by a pseudonymised batch for every process it starts (kernels included):
#: :func:`~mesra.corpus.load.load_corpus` then pseudonymises whatever its caller asks.
RUN_ENV = "MESRA_PSEUDONYMISER"

#: What replaces a name word shared by several people when nothing tells which one is meant.
AMBIGUOUS = "[nom masqué]"

#: Words that belong to a surname but are masked only beside the rest of it ("Luc DE LERMINAT").
PARTICLES = frozenset(
    {"d", "da", "dal", "das", "de", "del", "della", "der", "des", "di", "do", "dos", "du", "l", "la", "le", "les"}
    | {"van", "von", "ten", "ter", "y", "e", "af", "av", "zu"}
)

# Combining marks of the common scripts (decomposed accents, Cyrillic, Hebrew, Arabic, Devanagari…).
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# A word of text: letters (with combining marks, for decomposed Unicode); digits and "_" separate words.
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+")
# Invisible characters that may hide inside a name (format characters, fillers, variation selectors).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Scripts written without spaces between words: a name there is looked for as a substring.
_CONTINUOUS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
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


def clean_text(text: str) -> str:
    """``text`` without invisible characters, composed (NFC): what names are looked for in.

    >>> clean_text("Jo\u00adsette Com\u200bbes")
    'Josette Combes'
    """
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def fold_word(word: str) -> str:
    """A word folded for comparison in any script: compatibility forms, no accents, case-folded.

    >>> fold_word("DELFAIRIÈRE"), fold_word("Иванова"), fold_word("Ｊｏｓｅｔｔｅ")
    ('delfairiere', 'иванова', 'josette')
    """
    decomposed = unicodedata.normalize("NFKD", word.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_words(text: object) -> list[str]:
    """The folded words of a name (``"RUEL-MAILFERT"`` → ``["ruel", "mailfert"]``).

    >>> name_words("Bérengère DELFAIRIÈRE")
    ['berengere', 'delfairiere']
    >>> name_words("Luc de Lerminat")
    ['luc', 'de', 'lerminat']
    >>> name_words("Мария Иванова")
    ['мария', 'иванова']
    """
    if not isinstance(text, str):
        return []
    return [k for w in _WORD.findall(clean_text(text)) if (k := fold_word(w))]


def _person_words(nom: object, prenom: object) -> tuple[list[str], list[str]]:
    """A person's first-name words and surname words, particles included."""
    return name_words(prenom), name_words(nom)


def _plain(words: list[str]) -> list[str]:
    """``words`` without particles and initials."""
    return [w for w in words if w not in PARTICLES and (len(w) > 1 or _CONTINUOUS.match(w))]


def glued_forms(nom: object, prenom: object) -> set[str]:
    """A person's names glued into one word, as in handles and e-mail addresses.

    >>> sorted(glued_forms("COMBES", "Josette"))
    ['combesj', 'combesjosette', 'jcombes', 'josettecombes']
    """
    first, last = _person_words(nom, prenom)
    p, n = _plain(first), _plain(last)
    forms = set()
    if p and n:
        forms |= {"".join(p + n), "".join(n + p), "".join(p + last), "".join(last + p)}
        if not _CONTINUOUS.match(p[0]):  # no initials in Chinese or Japanese
            forms |= {p[0][0] + "".join(n), "".join(n) + p[0][0]}
    if len(n) > 1:
        forms.add("".join(n))
    return {f for f in forms if len(f) >= 4 or _CONTINUOUS.search(f)}


def _split_variants(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.split(contract.LIST_SEPARATOR) if v.strip()]


def _is_pseudonymous(pid: str, nom: object) -> bool:
    """True for people already pseudonymised (e.g. by ``mesra import decidim``): nothing to mask."""
    return bool(_PSEUDONYM_ID.match(pid)) and isinstance(nom, str) and bool(_PSEUDONYM_NAME.match(nom))


# Between the words of a place's or an organisation's name: spaces, dashes, apostrophes.
_PHRASE_GAP = re.compile(r"[\s\-\u2010-\u2015'\u2019]*")


def _phrases(names: Iterable[object], words: Iterable[str]) -> dict[str, list[tuple[str, ...]]]:
    """Names to read whole (places), by their first word: only those holding a word in ``words``."""
    words = set(words)
    out: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for name in names:
        key = tuple(name_words(name))
        if key and words & set(key):
            out[key[0]].add(key)
    return {k: sorted(v, key=len, reverse=True) for k, v in out.items()}


def _protected_spans(
    text: str, tokens: list[re.Match], phrases: dict[str, list[tuple[str, ...]]]
) -> list[tuple[int, int]]:
    """First and last token of each occurrence of one of ``phrases`` (a place's name read whole)."""
    if not phrases:
        return []
    keys = [fold_word(m.group(0)) for m in tokens]
    spans: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        for phrase in phrases.get(key, ()):
            end = i + len(phrase)
            if tuple(keys[i:end]) == phrase and all(
                _PHRASE_GAP.fullmatch(text, tokens[j].end(), tokens[j + 1].start()) for j in range(i, end - 1)
            ):
                spans.append((i, end - 1))
                break
    return spans


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

    def __init__(self, personnes: pd.DataFrame, protected: Iterable[object] = ()):
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
                    if w in PARTICLES or (len(w) == 1 and not _CONTINUOUS.match(w)):  # "王": a whole surname
                        glue[w].add(index)
                    else:
                        words[w].add(index)
                        initials[w[0]].add(index)
            for glued in glued_forms(nom, prenom) | {"".join(name_words(pid))}:
                words[glued].add(index)
        self._words = {k: frozenset(v) for k, v in words.items()}
        self._particles = {k: frozenset(v) for k, v in glue.items()}
        self._initials = {k: frozenset(v) for k, v in initials.items()}
        self._continuous = sorted((k for k in self._words if _CONTINUOUS.search(k)), key=len, reverse=True)
        self._protected = _phrases(protected, self._words)

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
        value = _SLUG.sub(lambda m: self._pseudo_ids.get(m.group(0), m.group(0)), clean_text(value))
        out, last = [], 0
        for run in self._runs(value):
            for segment, people in self._segments(run):
                if not any(w.is_name for w in segment):
                    continue
                out.append(value[last : segment[0].start])
                out.append(self._shown(people))
                last = segment[-1].end
        out.append(value[last:])
        return self._mask_continuous("".join(out))

    def _shown(self, people: frozenset[int]) -> str:
        return self.display(self._ids[next(iter(people))]) if len(people) == 1 else AMBIGUOUS

    def _mask_continuous(self, text: str) -> str:
        """Names in scripts without spaces, wherever they appear."""
        if not self._continuous or not _CONTINUOUS.search(text):
            return text
        pattern = re.compile("|".join(re.escape(k) for k in self._continuous))
        return pattern.sub(lambda m: self._shown(self._words[m.group(0)]), text)

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
        token, key = m.group(0), fold_word(m.group(0))
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
        tokens = list(_WORD.finditer(text))
        places = self._places(text, tokens)
        for i, m in enumerate(tokens):
            word = None if i in places else self._word(text, m)
            if word is None or (run and not _GAP.fullmatch(text, run[-1].end, word.start)):
                if run:
                    yield run
                run = [word] if word is not None else []
            else:
                run.append(word)
        if run:
            yield run

    def _places(self, text: str, tokens: list[re.Match]) -> set[int]:
        """Tokens of the places' names in ``text``, but for a place's name that is part of a person's
        ("Anne OCCITANIE": a name word of the same person right beside it)."""
        out: set[int] = set()
        for first, last in _protected_spans(text, tokens, self._protected):
            inside = [self._word(text, tokens[k]) for k in range(first, last + 1)]
            bearers = frozenset().union(*(w.people for w in inside if w is not None and w.is_name))
            beside = []
            if first > 0 and _PHRASE_GAP.fullmatch(text, tokens[first - 1].end(), tokens[first].start()):
                beside.append(self._word(text, tokens[first - 1]))
            if last + 1 < len(tokens) and _PHRASE_GAP.fullmatch(text, tokens[last].end(), tokens[last + 1].start()):
                beside.append(self._word(text, tokens[last + 1]))
            if not any(w is not None and w.is_name and w.people & bearers for w in beside):
                out.update(range(first, last + 1))
        return out

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
    masker = Masker(people, protected=corpus.territoires["nom"])
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
    tables["ressources"] = _mask_frame(corpus.ressources, contract.RESOURCE_TABLE, masker)  # the hand table
    bodies = {k: masker.text(v) for k, v in corpus.ressource_bodies.items()}
    return dataclasses.replace(
        corpus,
        ressource_bodies=bodies,
        evaluation=_mask_evaluation(corpus.evaluation, masker, [*corpus.acteurs["nom"], *corpus.territoires["nom"]]),
        personnes=new_people,
        monographies=_mask_monographs(corpus.monographies, masker),
        source_texts=texts,
        source_pages={masker.identifier(k): v for k, v in corpus.source_pages.items()},
        pseudonymised=True,
        **tables,
    )


def evaluator_pseudonym(evaluateur_id: str) -> str:
    """Stable pseudonym of an evaluator id (``evaluateur-<hash>``); idempotent.

    >>> evaluator_pseudonym("e01") == evaluator_pseudonym("e01"), evaluator_pseudonym("e01").startswith("evaluateur-")
    (True, True)
    """
    if not isinstance(evaluateur_id, str) or not evaluateur_id or evaluateur_id.startswith("evaluateur-"):
        return evaluateur_id
    return "evaluateur-" + hashlib.sha256(f"mesra-evaluateur:{evaluateur_id}".encode()).hexdigest()[:6]


#: Two capitalised words in an evaluator's comment: maybe a person the corpus does not know.
_NAME_IN_COMMENT = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ'’-]+[ \t]+[A-ZÀ-Þ][A-Za-zÀ-ÿ'’-]+")
#: What replaces a possible name in a pseudonymised comment.
MASKED_NAME = "[nom masqué]"


def _mask_comment(value: object, masker: Masker, known: set[str]) -> object:
    """A comment with the corpus's people masked, and any other two capitalised words not naming an actor or a place."""
    value = masker.text(value)
    if not isinstance(value, str):
        return value

    def sub(m: re.Match) -> str:
        return m.group(0) if any(m.group(0) in name for name in known) else MASKED_NAME

    return _NAME_IN_COMMENT.sub(sub, value)


def _mask_evaluation(evaluation, masker: Masker, names: list[str]):
    """The co-evaluations with evaluator ids pseudonymised and people's names masked in free text.

    Comments and evidence are written by evaluators about people the corpus may not list: besides
    the corpus's people, any two capitalised words (« Marie Dupont ») that are not part of an actor's
    or a place's name are masked (:data:`MASKED_NAME`).
    """
    if not len(evaluation.reponses) and not len(evaluation.campagnes):
        return evaluation
    known = {str(n) for n in names if isinstance(n, str)}
    reponses = evaluation.reponses.copy()
    reponses["evaluateur_id"] = [evaluator_pseudonym(v) for v in reponses["evaluateur_id"]]
    for col in ("commentaire", "preuve"):
        reponses[col] = [_mask_comment(v, masker, known) for v in reponses[col]]
    campagnes = evaluation.campagnes.copy()
    campagnes["titre"] = [masker.text(v) for v in campagnes["titre"]]
    return dataclasses.replace(evaluation, reponses=reponses, campagnes=campagnes)


# --- the run as a whole -----------------------------------------------------------------------
def run_is_pseudonymised() -> bool:
    """Whether this process belongs to a pseudonymised batch (:data:`RUN_ENV`)."""
    return os.environ.get(RUN_ENV) == "1"


def origin_of(path: object) -> str:
    """Where a corpus comes from (its folder or workbook, resolved), as a short hash.

    Two notes compare their facts only when they come from the same origin; the hash
    never shows the path (a folder may be named after a person).
    """
    from mesra.files import find_in_project

    location = Path(find_in_project(str(path))) if path not in (None, "") else None
    if location is None:
        from mesra.corpus.load import default_data_dir

        location = default_data_dir()
    try:
        location = location.resolve()
    except OSError:
        location = location.absolute()
    return hashlib.sha256(f"mesra:origine:{location}".encode("utf-8", "surrogateescape")).hexdigest()[:16]


# --- the final scan of a pseudonymised run -----------------------------------------------------
#: What each kind of form is called in the summary (never the name itself).
FORM_KINDS = {
    "complet": "nom complet (prénom et nom)",
    "inverse": "nom et prénom inversés",
    "accole": "prénom et nom accolés (adresse électronique, pseudonyme, identifiant)",
    "initiale": "initiale et nom",
    "identifiant": "identifiant de personne",
    "variante": "variante d'un nom",
    "seul": "nom d'une personne sans prénom connu",
}
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?|\\([nrtbf\"\\/])")
_JSON_SIMPLE = {"n": " ", "r": " ", "t": " ", "b": " ", "f": " ", '"': '"', "\\": "\\", "/": "/"}
# Long runs of base64 or hexadecimal (embedded images): skipped by the scan.
_BLOBS = re.compile(r"[A-Za-z0-9+/=]{200,}")


def _fast_key(word: str) -> str:
    """:func:`fold_word`, at once for ASCII words."""
    return word.lower() if word.isascii() else fold_word(word)


#: At most this many words in a form looked for.
_MAX_FORM = 6


def _json_unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        if m.group(3):
            return _JSON_SIMPLE[m.group(3)]
        units = [int(m.group(1), 16)] + ([int(m.group(2), 16)] if m.group(2) else [])
        raw = b"".join(u.to_bytes(2, "big") for u in units)
        return raw.decode("utf-16-be", "replace")

    return _JSON_ESCAPE.sub(one, text)


def decodings(text: str) -> list[str]:
    """``text`` as written, and with JSON escapes, HTML entities and URL escapes decoded."""
    decoded = text
    if "\\" in decoded:
        decoded = _json_unescape(decoded)
    for _ in range(2):  # "&amp;eacute;": escaped twice
        if "&" in decoded:
            decoded = html.unescape(decoded)
    if "%" in decoded:
        decoded = urllib.parse.unquote(decoded)
    return [text] if decoded == text else [text, decoded]


def _person_forms(pid: str, nom: object, prenom: object, variantes: object) -> dict[str, str]:
    """Every form of one person's name to look for (words joined by spaces), with its kind."""
    first, last = _person_words(nom, prenom)
    p, n = _plain(first), _plain(last)
    forms: dict[str, str] = {}

    def add(words: list[str], kind: str) -> None:
        if words and len(words) <= _MAX_FORM:
            forms.setdefault(" ".join(words), kind)

    if p and n:
        add(p + n, "complet")
        add(first + last, "complet")
        add(n + p, "inverse")
        add(last + first, "inverse")
        if not _CONTINUOUS.match(p[0]):
            add([p[0][0], *n], "initiale")
        for glued in glued_forms(nom, prenom):
            add([glued], "initiale" if glued in (p[0][0] + "".join(n), "".join(n) + p[0][0]) else "accole")
    elif n or p:
        add(n or p, "seul")
    add(name_words(pid), "identifiant")
    add(["".join(name_words(pid))], "identifiant")
    for v in _split_variants(variantes):
        add(name_words(v), "variante")
    return forms


class NameScan:
    """Finds a person's full name, or a form derived from it, in the outputs of a pseudonymised run.

    Holds only salted hashes of the forms (:meth:`to_json`): it can be written beside the
    output folder's temporary files without holding a name. Words are read as
    :class:`Masker` reads them (invisible characters removed, any script, case and
    accents folded); names of territories and organisations (``protected``) are read
    whole first and never flagged.

    >>> people = pd.DataFrame({"personne_id": ["josette-combes"], "nom": ["COMBES"], "prenom": ["Josette"]})
    >>> scan = NameScan.from_people(people, protected=["Combes-la-Ville"])
    >>> scan.find("Écrire à jcombes@exemple.org"), scan.find("Combes-la-Ville"), scan.find("Jo&shy;sette COMBES")
    ('initiale et nom', None, 'nom complet (prénom et nom)')
    """

    def __init__(self, salt: str, forms: dict[str, str], firsts: set[str], protected: set[str], longest: int):
        self._salt = bytes.fromhex(salt)
        self.forms, self.firsts, self.protected, self.longest = forms, firsts, protected, longest

    # --- making it -----------------------------------------------------------------
    def _hash(self, words: Iterable[str]) -> str:
        return hashlib.blake2b(" ".join(words).encode(), digest_size=12, key=self._salt).hexdigest()

    @classmethod
    def from_people(cls, personnes: pd.DataFrame, protected: Iterable[object] = ()) -> NameScan:
        scan = cls(secrets.token_hex(16), {}, set(), set(), 1)
        variantes = personnes["variantes"] if "variantes" in personnes else [None] * len(personnes)
        longest = 1
        for pid, nom, prenom, var in zip(personnes["personne_id"], personnes["nom"], personnes["prenom"], variantes):
            if _is_pseudonymous(str(pid), nom):
                continue
            for form, kind in _person_forms(str(pid), nom, prenom, var).items():
                words = form.split(" ")
                scan.forms.setdefault(scan._hash(words), kind)
                scan.firsts.add(scan._hash(words[:1]))
                longest = max(longest, len(words))
        for name in protected:
            words = name_words(name)
            if 0 < len(words) <= 2 * _MAX_FORM:
                scan.protected.add(scan._hash(words))
                scan.firsts.add(scan._hash(words[:1]))
                longest = max(longest, len(words))
        scan.longest = longest
        return scan

    @classmethod
    def from_corpus(cls, corpus) -> NameScan:
        """From a corpus *before* pseudonymisation: its people, its places and organisations protected."""
        names = [*corpus.territoires["nom"], *corpus.acteurs["nom"]]
        if "sigle" in corpus.acteurs:
            names += list(corpus.acteurs["sigle"])
        return cls.from_people(corpus.personnes, protected=names)

    def to_json(self) -> dict:
        return {
            "version": 1,
            "sel": self._salt.hex(),
            "formes": self.forms,
            "premiers": sorted(self.firsts),
            "proteges": sorted(self.protected),
            "longueur": self.longest,
        }

    @classmethod
    def from_json(cls, data: dict) -> NameScan:
        return cls(
            str(data["sel"]),
            dict(data["formes"]),
            set(data["premiers"]),
            set(data["proteges"]),
            int(data["longueur"]),
        )

    def __bool__(self) -> bool:
        return bool(self.forms)

    # --- reading ---------------------------------------------------------------------
    def find(self, text: str) -> str | None:
        """The kind of the first name form found in ``text`` (see :data:`FORM_KINDS`), or None."""
        if not self.forms or not text:
            return None
        text = _BLOBS.sub(" ", text)  # images and other encoded data: no word to read there
        for variant in decodings(text):
            kind = self._find(clean_text(variant))
            if kind is not None:
                return FORM_KINDS[kind]
        return None

    def _find(self, text: str) -> str | None:
        """A name form in ``text`` that does not lie wholly inside a place's or an organisation's name."""
        tokens = list(_WORD.finditer(text))
        keys = [_fast_key(m.group(0)) for m in tokens]
        hashes: dict[str, str] = {}

        def first(key: str) -> bool:
            h = hashes.get(key)
            if h is None:
                h = hashes[key] = self._hash([key])
            return h in self.firsts

        found: list[tuple[int, int, str]] = []  # (first token, last token, kind)
        spans: list[tuple[int, int]] = []  # protected names, first and last token
        for i, key in enumerate(keys):
            if not first(key):
                kind = self._find_continuous(key) if _CONTINUOUS.search(key) else None
                if kind is not None:
                    found.append((i, i, kind))
                continue
            words: list[str] = []
            for j in range(i, min(len(keys), i + self.longest)):
                words.append(keys[j])
                h = self._hash(words)
                if h in self.protected:
                    spans.append((i, j))
                if h in self.forms:
                    found.append((i, j, self.forms[h]))
                if j + 1 >= len(tokens) or not _GAP.fullmatch(text, tokens[j].end(), tokens[j + 1].start()):
                    break
        for first_token, last, kind in found:
            if not any(a <= first_token and last <= b for a, b in spans):
                return kind
        return None

    def _find_continuous(self, run: str) -> str | None:
        for size in range(1, min(len(run), 12) + 1):
            for start in range(len(run) - size + 1):
                kind = self.forms.get(self._hash([run[start : start + size]]))
                if kind is not None:
                    return kind
        return None

    def find_in_file(self, name: str, data: bytes) -> str | None:
        """The kind of name form in a file's name or content (zip members read: xlsx, docx, odt)."""
        kind = self.find(name)
        if kind is None and data[:4] == b"PK\x03\x04":
            kind = self._find_in_zip(data)
        return kind if kind is not None else self.find(data.decode("utf-8", "replace"))

    def _find_in_zip(self, data: bytes) -> str | None:
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                for info in book.infolist()[:1000]:
                    if info.file_size > 64 * 2**20:
                        continue
                    kind = self.find(info.filename) or self.find(book.read(info).decode("utf-8", "replace"))
                    if kind is not None:
                        return kind
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            return None
        return None

    def scrub_path(self, path: str) -> str:
        """``path`` with each folder or file name that holds a name form replaced by ``dossier-masque``."""
        parts = re.split(r"([/\\])", path)
        return "".join("dossier-masque" if part not in ("/", "\\") and self.find(part) else part for part in parts)

    def save(self, path: Path) -> None:
        from mesra.files import atomic_write_json

        atomic_write_json(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> NameScan | None:
        try:
            return cls.from_json(json.loads(Path(path).read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
