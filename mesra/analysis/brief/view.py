"""One shared view of a territory, computed once, that every section of a brief reads.

:class:`TerritoryView` holds what the corpus says about a territory and its
sub-territories: its actors and organisations, its people with every role of
``roles.csv``, its ties (all of them, the observed ones), its cooperation graph and
measures, its monographs, and the names and articles of everything. The sections
(:mod:`mesra.analysis.brief.header` … :mod:`~mesra.analysis.brief.sources`) are pure
functions of this view; the figures that several pages show come from
:mod:`mesra.analysis.counts`.
"""

from __future__ import annotations

import re
import warnings
from functools import cached_property

import pandas as pd

from mesra import french
from mesra.analysis import counts, frame
from mesra.corpus import contract
from mesra.corpus.contract import GENERIC_MARKS, is_generic
from mesra.errors import MesraWarning

__all__ = [
    "TerritoryView",
    "attestations",
    "observed",
    "not_leads",
    "present",
    "as_list",
    "INTENTION",
    "SEATS",
    "seat",
    "GENERIC_MARKS",
    "is_generic",
]

#: How a tie that is only an intention is marked in a sentence (an intention is reported as one).
INTENTION = {"prevu": " (lien prévu)"}  # never « Université d'été… (prévu) » (ninth reading)


#: The words by which a tie (its ``qualite``, else its ``objet``) says that a membership is a seat,
#: in the order they are said.
SEATS = ("conseil d'administration", "bureau", "comité de pilotage")


def seat(relation: str, qualite: str | None, objet: str | None = None) -> str | None:
    """The seat that a membership tie says (« conseil d'administration et au bureau »), or None.

    ``liens.qualite`` (contract v3) holds the capacity in the source's words (« membre du conseil
    d'administration et du bureau », L912); a seat is also recognised when ``objet`` names it.

    >>> seat("membre_de", "membre du conseil d'administration et du bureau")
    "conseil d'administration et au bureau"
    >>> seat("membre_de", None, "la voix du Mouvement"), seat("porte", "membre du bureau")
    (None, None)
    """
    if relation != "membre_de":
        return None
    said = " ".join(x for x in (qualite, objet) if isinstance(x, str)).lower()
    found = [w for w in SEATS if w in said]
    return " et au ".join(found) or None


def attestations(ties: pd.DataFrame) -> pd.Series:
    """``ties.attestation``, ``constate`` where empty or missing."""
    if "attestation" not in ties.columns:
        return pd.Series(contract.OBSERVED, index=ties.index, dtype=object)
    return ties["attestation"].where(ties["attestation"].notna(), contract.OBSERVED)


def observed(ties: pd.DataFrame) -> pd.DataFrame:
    """The ties the sources attest as done or in place."""
    return ties[attestations(ties) == contract.OBSERVED]


def not_leads(ties: pd.DataFrame) -> pd.DataFrame:
    """The ties that are observed or planned (a possibility cited as an example is only a lead)."""
    return ties[attestations(ties) != contract.LEADS]


def present(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def merged_locator(locators) -> str | None:
    """One locator for several of one source, its lines merged in order: ``doc#L772-777,L779-782``. Locators of
    another source than the first are left out; None when there is none."""
    from mesra.corpus.validate import line_ranges

    said = [str(x) for x in locators if present(x)]
    if not said:
        return None
    sid = next((x.partition("#")[0] for x in said if "#" in x), said[0])
    mine = [x.partition("#")[2] for x in said if x.partition("#")[0] == sid]
    lines = {n for where in mine for a, b in line_ranges(where) or () for n in range(a, b + 1)}
    runs: list[list[int]] = []
    for n in sorted(lines):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return f"{sid}#" + ",".join(f"L{a}" if a == b else f"L{a}-{b}" for a, b in runs) if runs else sid


def spanned_locator(locators) -> str | None:
    """One locator spanning several of one source, from the line where the first of them is listed to their last
    line: ``doc#L632-679`` for a chantier's plan (its actions' lines, and the lines between them: the plan's block of
    the proceedings). An action is listed at its locator's last range; a range before it is context (thirtieth and
    thirty-third readings: the Axe 4 plan said « p. 30-32 » for the cartography's announcement, L950, where the plan
    is p. 31-32).

    >>> spanned_locator(["doc#L950,L974,L977", "doc#L991-993", "doc#L999-1001"])
    'doc#L977-1001'
    """
    from mesra.corpus.validate import LOCATOR, line_ranges

    locators = [loc for loc in locators if isinstance(loc, str) and loc]
    merged = merged_locator(locators)
    if merged is None or "#L" not in merged:
        return merged
    sid, _, where = merged.partition("#")
    ranges = line_ranges(where) or ()
    listed = []
    for loc in locators:
        m = LOCATOR.match(loc)
        own = line_ranges(m.group("where")) if m and m.group("source") == sid and m.group("where") else None
        if own:
            listed.append(own[-1][0])
    first, last = min(listed or [a for a, _ in ranges]), max(b for _, b in ranges)
    return f"{sid}#L{first}" if first == last else f"{sid}#L{first}-{last}"


def as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


#: Below this many partners, nobody « holds » the network: the findings and the network section say who is tied
#: to whom instead (:meth:`TerritoryView.is_star`).
HOLDS = 4


def chantier_axis(view: TerritoryView, context: str) -> int | None:
    """The axis of the chantier ``context`` is, or None when it is not a chantier."""
    from mesra.analysis.plan import chantiers

    return next((c.axe for c in chantiers(view.corpus).values() if c.chantier_id == context), None)


def chantier_carriers(view: TerritoryView, ties: pd.DataFrame | None = None) -> set[str]:
    """Who carries a chantier (``porte`` a ``chantier``, L257): the national coordination and the référents; of
    ``ties`` (default: every tie of the corpus but the examples)."""
    t = not_leads(view.corpus.liens) if ties is None else ties
    return set(t.loc[(t["relation"] == "porte") & (t["cible_id"].map(view.types) == "chantier"), "source_id"])


class TerritoryView:
    """What the corpus says about ``territoire`` and its sub-territories (computed lazily, once)."""

    def __init__(self, corpus, territoire: str, date_reference=None):
        self.corpus = corpus
        self.territoire = territoire
        self.date_reference = date_reference

    # --- territory and actors ------------------------------------------------------------
    @cached_property
    def name(self) -> str:
        return self.corpus.territory_name(self.territoire)

    @cached_property
    def wide(self) -> bool:
        """A country or wider (France, Europe, the world): the note of the national bodies, whose fiche names
        fewer of each thing to hold on two printed pages."""
        t = self.corpus.territoires
        level = t.loc[t["territoire_id"] == self.territoire, "niveau"]
        return bool(len(level)) and level.iloc[0] in counts.WIDE_LEVELS

    @cached_property
    def actors(self) -> pd.DataFrame:
        """Located in the territory or below, or placed there by a monograph (:func:`counts.actors_of`)."""
        return counts.actors_of(self.corpus, self.territoire).reset_index(drop=True)

    @cached_property
    def actor_ids(self) -> set[str]:
        return set(self.actors["acteur_id"])

    @cached_property
    def organisations(self) -> pd.DataFrame:
        """The territory's actors that are organisations (not projects, events, workshops, tools)."""
        return self.actors[~self.actors["type"].isin(contract.CONTEXT_TYPES)].reset_index(drop=True)

    # --- people and their roles ----------------------------------------------------------
    @cached_property
    def people(self) -> pd.DataFrame:
        """People whose structure, or the structure of one of whose roles (``roles.csv``), is one of the
        territory's actors — of a national or wider body, only in the country's note and above
        (:func:`counts.people_of`)."""
        return counts.people_of(self.corpus, self.territoire).reset_index(drop=True)

    @cached_property
    def people_ids(self) -> set[str]:
        return set(self.people["personne_id"])

    def functions(self, pid: str) -> list[tuple[str | None, str, str | None]]:
        """Every function of a person: ``(function, structure id, locator)``, the main one first."""
        p = self.corpus.personnes.set_index("personne_id").loc[pid]
        out = [(p["fonction"] if present(p["fonction"]) else None, p["acteur_id"], p["source"])]
        roles = getattr(self.corpus, "roles", None)
        if roles is not None and len(roles):
            for fn, aid, src in roles.loc[roles["personne_id"] == pid, ["fonction", "acteur_id", "source"]].itertuples(
                index=False
            ):
                if (fn if present(fn) else None, aid) not in {(f, a) for f, a, _ in out}:
                    out.append((fn if present(fn) else None, aid, src))
        return out

    # --- names ---------------------------------------------------------------------------
    @cached_property
    def names(self) -> dict[str, str]:
        a, p = self.corpus.acteurs, self.corpus.personnes
        names = dict(zip(a["acteur_id"], a["nom"]))
        for pid, nom, prenom in zip(p["personne_id"], p["nom"], p["prenom"]):
            names[pid] = f"{prenom} {nom}" if isinstance(prenom, str) and prenom else str(nom)
        return names

    @cached_property
    def articles(self) -> dict[str, str]:
        a = self.corpus.acteurs
        if "article" not in a.columns:
            return {}
        return {i: art for i, art in zip(a["acteur_id"], a["article"]) if isinstance(art, str) and art}

    def name_of(self, ident) -> str:
        return self.names.get(ident, ident)

    def pair(self, ident) -> tuple[str, str | None]:
        """``(name, article)`` of an actor or person, for the French helpers (:func:`mesra.french.relation`). A body
        standing for unnamed ones, with its article, is a common noun in a sentence: « auprès des pouvoirs publics
        (non nommés) », not « des Pouvoirs publics »."""
        article = self.articles.get(ident)
        return contract.in_sentence(self.name_of(ident), article), article

    def project_said(self, ident) -> str:
        """A project as a sentence names it, its bracketed precision left out and its capital lowered: « la
        recherche-action sur les coopérations économiques territoriales », not « la Recherche-action sur les
        coopérations économiques territoriales (note de cadrage) » (twenty-fourth reading: read as a title the
        proceedings never use)."""
        name = re.sub(r"\s*\([^)]*\)$", "", self.name_of(ident))
        return french.the(name[:1].lower() + name[1:], self.articles.get(ident))

    def in_sentence(self, ident) -> str:
        """An actor as a sentence names it: a project named by a common noun as :meth:`project_said` says it (« la
        recherche-action sur … »), any other with its article (« le MES »)."""
        common = self.types.get(ident) == "projet" and self.articles.get(ident)
        return self.project_said(ident) if common else french.the(*self.pair(ident))

    def example_said(self, ident, objet=None) -> str:
        """An example as the text gives it: its ``objet`` first when the text says what the example is (L447: « un relai
        local en milieu rural », one relay of the RRL, unnamed: « un relais local en milieu rural du Réseau des Relais
        Locaux … », twenty-fourth reading), else its name."""
        if isinstance(objet, str) and objet.strip():
            return f"{objet.strip()} {french.of(*self.pair(ident))}"
        return french.the(*self.pair(ident))

    def joins_project(self, relation: str, target) -> bool:
        """Whether an example (a lead) would take part in a project named by a common noun, with its article (« la
        recherche-action sur les coopérations économiques territoriales », L443-452), not one with a name of its own
        (L382: Enercoop « en lien avec » L'Écosystème)."""
        return relation == "participe_a" and self.types.get(target) == "projet" and bool(self.articles.get(target))

    @cached_property
    def planned_objets(self) -> dict[frozenset, str]:
        """What a planned direct tie is about, as its ``objet`` says (« mise en récit du territoire…, proposée par le
        territoire de Boulogne », L322), by the pair of its ends."""
        t = self.corpus.liens
        t = t[(t["attestation"] == "prevu") & t["objet"].notna() & (t["objet"].astype(str).str.strip() != "")]
        return {frozenset((a, b)): str(o) for a, b, o in zip(t["source_id"], t["cible_id"], t["objet"])}

    def proposal_said(self, who, other) -> str | None:
        """A planned tie said by what its ``objet`` says is planned, never by the relation's verb: « mise en récit du
        territoire…, proposée par le territoire de Boulogne (avec l'APES) » (L322); None without an objet."""
        told = self.planned_objets.get(frozenset((who, other)))
        return f"{told} (avec {french.the(*self.pair(who))})" if told else None

    @cached_property
    def types(self) -> dict[str, str]:
        a = self.corpus.acteurs
        out = dict(zip(a["acteur_id"], a["type"]))
        out.update({pid: contract.PERSON_TYPE for pid in self.corpus.personnes["personne_id"]})
        return out

    @cached_property
    def echelons(self) -> dict[str, str]:
        a = self.corpus.acteurs
        return {i: e for i, e in zip(a["acteur_id"], a["echelon"]) if isinstance(e, str)}

    # --- ties, graph -------------------------------------------------------------------
    @cached_property
    def ties(self) -> pd.DataFrame:
        """Ties with at least one end in the territory (its actors or their people): every reading."""
        return counts.territory_ties(self.corpus, self.territoire)

    @cached_property
    def observed_ties(self) -> pd.DataFrame:
        """:attr:`ties` that the sources attest as done or in place (``attestation`` ``constate``)."""
        return observed(self.ties)

    @cached_property
    def graph(self):
        """The cooperation graph (organisations; direct ties and shared contexts)."""
        from mesra.network.graphs import cooperation_graph

        with warnings.catch_warnings():  # people are left out on purpose: the people section is theirs
            warnings.simplefilter("ignore", MesraWarning)
            return cooperation_graph(self.corpus, territoire=self.territoire)

    @cached_property
    def network_metrics(self) -> pd.DataFrame:
        from mesra.network.measures import metrics

        return metrics(self.graph)

    def brokers(self, top: int):
        """:func:`mesra.network.measures.brokers` without the generic actors (:func:`is_generic`)."""
        from mesra.network.measures import brokers

        b = brokers(self.network_metrics, len(self.network_metrics))
        if "noeud" not in b.columns or not len(b):
            return b
        return b[[not is_generic(self.name_of(n)) for n in b["noeud"]]].head(top).reset_index(drop=True)

    def is_star(self, node) -> bool:
        """Whether the network is ``node``'s star: at most :data:`HOLDS` partners, and every tie is one of its
        own (« les coopérations documentées relient X à A et B » is then true; else X only « relie les autres »).
        Bourgogne-Franche-Comté's PESAD 21, with AGROSUP, the INRA, the Université de Bourgogne (L530) and the MES
        (chantier Axe 1, L257), is one: each tie is said, not « c'est par le PESAD 21 que passent… »."""
        g = self.graph
        return g.degree(node) <= HOLDS and g.degree(node) == g.number_of_edges()

    def tied_inside(self) -> int:
        """Organisations of the territory with at least one cooperation tie."""
        g = self.graph
        return sum(1 for n, d in g.nodes(data=True) if not d.get("externe") and g.degree(n))

    # --- monographs ----------------------------------------------------------------------
    @cached_property
    def monographs(self) -> pd.DataFrame:
        return counts.monographs_of(self.corpus, self.territoire)

    @cached_property
    def axis_evidence(self) -> pd.DataFrame:
        """What each monograph of the territory documents for each axis (monographs and axes sections)."""
        return frame.axis_evidence(self.monographs, self.names)

    def objets(self, ties: pd.DataFrame) -> list:
        if "objet" in ties.columns:
            return [o if present(o) else None for o in ties["objet"]]
        return [None] * len(ties)
