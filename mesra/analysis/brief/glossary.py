"""« Les sigles de cette note »: each acronym the note uses, said in full when the corpus gives its full name, or
by what the corpus knows of the organisation (its kind, its membership of the Mouvement, its place) when it gives
only the acronym, as the proceedings do (« UFISC, Culture », L70). Twenty-first reading: ARDES, UFISC, MIRAMAP,
CRESS, RIPESS, FRESS, DLA were never spelled out.

The facts are :class:`GlossaryFacts` (the acronyms found in the note's own text, and what the corpus says of each);
the wording is ``templates/glossary.j2``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from mesra.analysis.brief.view import TerritoryView, present
from mesra.analysis.brief.wording import lower_first, render
from mesra.analysis.counts import is_member
from mesra.analysis.sections import Section
from mesra.corpus.contract import label
from mesra.corpus.privacy import fold_word

#: An acronym: capitals, digits and dashes, at least two letters (« ARDES », « CRE-SOL », « PESAD 21 »).
ACRONYM = re.compile(r"^[A-ZÉÈ][A-ZÉÈ0-9&'’-]*[A-ZÉÈ0-9](?: \d+)?$")
#: The kinds of organisation said otherwise than their label (« FAO : état » read as a country).
KINDS = {"recherche": "organisme de recherche", "etat": "institution publique", "financeur": "financeur"}
#: The acronyms of the field itself, said wherever a note uses them: not the corpus's facts, its vocabulary.
#: « E2DS2 » is the Mouvement's own: « une transition Economique, Ecologique, Démocratique, Sociale et Sociétale
#: (E2DS2) » (the proceedings' contents, L33).
COMMON = {
    "ESS": "économie sociale et solidaire",
    "E2DS2": "transition économique, écologique, démocratique, sociale et sociétale",
    "AMAP": "association pour le maintien d'une agriculture paysanne",
    "ETP": "équivalent temps plein",
    "CA": "communauté d'agglomération",
    "CU": "communauté urbaine",
    "IEP": "institut d'études politiques",
    # thirty-second reading: used by the notes, never spelled out (the proceedings write the first two in full, L762,
    # L508)
    "EPCI": "établissement public de coopération intercommunale",
    "RSE": "responsabilité sociale des entreprises",
    "CNRS": "Centre national de la recherche scientifique",
    "BFC": "Bourgogne-Franche-Comté",
    "HdF": "Hauts-de-France",
}

#: Acronyms the sources leave undeveloped (« UFISC, Culture », L70), said in full after a public presentation of the
#: organisation, each with its address (``sigles.csv`` beside this module; twenty-fourth reading: « sigle non
#: développé » where the official wanted the name). Used only when the corpus gives no full name; the page says so.
KNOWN_FILE = "sigles.csv"


@cache
def known() -> dict[str, str]:
    """The acronyms of :data:`KNOWN_FILE`, with their full names."""
    with resources.files(__package__).joinpath(KNOWN_FILE).open(encoding="utf-8", newline="") as f:
        return {row["sigle"]: row["developpe"] for row in csv.DictReader(f)}


#: The territories too wide to be said after an organisation (« membre du Mouvement, France »).
WIDE = ("monde", "europe", "fr")


@dataclass(frozen=True)
class Term:
    """One acronym and what the corpus says of it."""

    sigle: str
    full: str | None  # the full name, when the corpus gives one that is not the acronym itself
    kind: str | None  # the kind of organisation (« fédération »), said when there is no full name
    member: bool  # a member of the Mouvement
    place: str | None  # its territory, when narrower than the country
    source: str | None  # where the corpus says who it is (the actor's locator)
    #: the full name comes from :data:`KNOWN` (the organisation's or a public presentation), not from the sources
    outside: bool = False


@dataclass(frozen=True)
class GlossaryFacts:
    terms: tuple[Term, ...]


def is_acronym(text: str) -> bool:
    """Whether ``text`` is written as an acronym.

    >>> is_acronym("ARDES"), is_acronym("PESAD 21"), is_acronym("CRE-SOL"), is_acronym("Opale"), is_acronym("A")
    (True, True, True, False, False)
    """
    return bool(ACRONYM.match(text)) and sum(ch.isalpha() for ch in text) >= 2


def _leading(nom: str) -> str | None:
    """The acronym a name starts with when ``sigles.csv`` develops it (thirty-first reading: « le GAB d'Île-de-France »,
    whose sigle « GAB IdF » is not written as an acronym, was never spelled out)."""
    first = nom.split(" ", 1)[0]
    return first if is_acronym(first) and first in known() else None


def _found(term: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text) is not None


def facts(view: TerritoryView, text: str) -> GlossaryFacts:
    """The acronyms of the corpus's actors that ``text`` (the note as printed) uses, in alphabetical order."""
    c = view.corpus
    a = c.acteurs
    names = dict(zip(c.territoires["territoire_id"], c.territoires["nom"]))
    terms: dict[str, Term] = {}
    members = set(a.loc[is_member(a), "acteur_id"])
    for row in a.itertuples(index=False):
        nom = str(row.nom)
        sigle = str(row.sigle) if present(getattr(row, "sigle", None)) else None
        term = sigle if sigle and is_acronym(sigle) else (nom if is_acronym(nom) else _leading(nom))
        if term is None or term in terms or not _found(term, text):
            continue
        bare = re.sub(r"\s*\([^()]*\)", "", nom).strip()  # « Chambres régionales de l'ESS (ensemble des CRESS) »
        # a name that is the acronym again, in any case, develops nothing (twenty-eighth reading: « ATTAC : Attac
        # France »)
        full = bare if bare and not _found(term.casefold(), bare.casefold()) else None
        outside = full is None and term in known()
        full = known()[term] if outside else full
        place = getattr(row, "territoire_id", None)
        terms[term] = Term(
            sigle=term,
            full=full,
            kind=None if full or not present(row.type) else KINDS.get(row.type) or lower_first(label(str(row.type))),
            member=row.acteur_id in members,
            place=names.get(place) if present(place) and place not in WIDE else None,
            source=str(row.source) if present(row.source) else None,
            outside=outside,
        )
    for term, full in COMMON.items():
        if term not in terms and _found(term, text):
            terms[term] = Term(term, full, None, False, None, None)
    # a full name the sources never write is marked like those of sigles.csv (twenty-sixth reading: « CRESS : Chambres
    # régionales de l'ESS », « MSH : Maison des Sciences de l'Homme » claimed to come from the proceedings)
    said = _folded(" ".join(c.source_texts.values()))
    places = sorted((str(n) for n in c.territoires["nom"] if isinstance(n, str)), key=len, reverse=True)

    def written(full: str) -> bool:  # the name, or the name without the place the corpus adds (« … Hauts-de-France »)
        bare = next((full[: -len(p)].strip() for p in places if full.endswith(" " + p)), full)
        return any(_said_in(name, said) for name in (full, bare))

    # and a name of sigles.csv that the sources do write is theirs (twenty-eighth reading: the RIPESS, « réseau
    # intercontinental pour la promotion de l'Économie solidaire dans le monde », L936, marked « ¹ »)
    terms = {k: t if not t.full else replace(t, outside=not written(t.full)) for k, t in terms.items()}
    return GlossaryFacts(tuple(sorted(terms.values(), key=lambda t: t.sigle.casefold())))


def _said_in(name: str, folded_text: str) -> bool:
    """Whether a folded text writes ``name``, in the plural too, a hyphen as a space or followed by one
    (thirty-third reading: « établissements publics de coopération intercommunale », L762, and « Bourgogne-
    Franche-Comté », L310, marked « ¹ » as absent from the proceedings)."""
    words = _folded(name).split()
    if not words:
        return False
    pattern = r"\s+".join(re.escape(w).replace(r"\-", r"[-\s]\s?") + r"[sx]?" for w in words)
    return re.search(rf"(?<!\w){pattern}(?!\w)", folded_text) is not None


def _folded(text: str) -> str:
    """Folded as the corpus folds names (:func:`mesra.corpus.privacy.fold_word`), without markdown emphasis or
    repeated spaces: how a full name is looked for in a text."""
    return re.sub(r"\s+", " ", fold_word(text.replace("*", "").replace("’", "'")))


def section(view: TerritoryView, text: str, title: str) -> Section | None:
    """The part « Les sigles de cette note », None when the note uses none."""
    f = facts(view, text)
    if not f.terms:
        return None
    s = Section(title, level=3)
    s.paragraphs = render("glossary", f=f).paragraphs
    return s
