"""The resources the corpus gives: one per tool, initiative, organisation and watch activity.

:func:`derive` reads the corpus only (nothing is invented; unknown stays ``None``) and
returns the resources sorted by identifier, completed or overridden by the hand-written
table ``ressources.csv`` (:mod:`mesra.analysis.resources.merge`). Which actor gives which
kind is decided by the contract's types and ties:

- ``outil`` — every actor of type ``outil`` or ``plateforme``, and every context (a
  project, a scheme) that an actor ``utilise`` (the DLA, Le Générateur BFC): what it is
  for (its source sentence, the ``objet`` of its ties), who developed it (``developpe``,
  ``porte``), who uses it (``utilise``), with how each tie is known; the steps and the
  notice are not in the corpus (``extra["etapes"]``, ``extra["notice"]`` stay ``None``);
- ``initiative`` — every monograph (along the common frame, :mod:`mesra.analysis.frame`)
  and every ``projet`` that is neither a tool nor a watch activity;
- ``portrait`` — every organisation (an actor whose type is not a context type: not a
  project, event, workshop, tool or platform): what it is, its territory and échelon, its
  people and roles, its ties by kind, its practices (the brief's reading), the actions it
  carries, its advocacy (the brief's reading, :mod:`mesra.analysis.brief.advocacy`);
- ``veille`` — the contract has no mark for a watch activity: a context actor whose name
  says it (:data:`WATCH_WORDS`: « veille », « observatoire », « état des lieux ») is one
  (the proceedings' rubric « Activité de veille menées au sein du Mouvement », L500, is a
  heading, not a corpus field). It is a watch activity only (not also a tool or project).
"""

from __future__ import annotations

import re
from functools import cached_property
from types import SimpleNamespace

import pandas as pd

from mesra import french
from mesra.analysis import frame
from mesra.analysis.brief.sources import excerpt
from mesra.analysis.resources.model import (
    IN_PROJECT,
    IN_THE_MAKING,
    NOT_YET,
    PLANNED_USE,
    Citation,
    Item,
    Resource,
    Section,
)
from mesra.corpus import contract
from mesra.corpus.contract import label
from mesra.text import fold

__all__ = [
    "derive",
    "derived",
    "about",
    "WATCH_WORDS",
    "TOOL_TYPES",
    "AXIS_LABELS",
    "resource_id",
    "NOT_YET",
]

#: Types whose actors are tools (resources ``outil``).
TOOL_TYPES = ("outil", "plateforme")
#: Words of an actor's name that make it a watch activity (folded, without accents).
WATCH_WORDS = ("veille", "observatoire", "etat des lieux")
#: The four workshops of the seminar: the ``axe`` of ties and actions (``"2"`` → its French label).
AXIS_LABELS = {str(k): f"Axe {k} : {v}" for k, v in contract.AXES_SEMINAIRE.items()}
#: Width of a quoted passage.
QUOTE_WIDTH = 300
#: Ties that say who made or carries a thing.
MAKER_RELATIONS = ("developpe", "porte")
#: Words of the passage a planned ``developpe``/``porte`` tie cites that say the thing is being made now
#: (« Opale élabore actuellement un projet… », L520; « élabore actuellement une charte et un outil », L558;
#: « élabore un kit de campagne », L896), folded: such a thing is « en cours d'élaboration », not available yet.
ELABORATION_WORDS = ("elabore", "en cours d'elaboration", "en preparation")


def resource_id(kind: str, ident: str) -> str:
    """``outil-evalumip``, ``portrait-mes``: the kind, a dash, the actor's or monograph's identifier."""
    return f"{kind}-{ident}"


def _present(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class _Corpus:
    """What the derivation reads of the corpus, computed once."""

    def __init__(self, corpus):
        self.corpus = corpus
        a = corpus.acteurs
        self.actors = {r["acteur_id"]: r for r in a.to_dict("records")}
        self.people = {r["personne_id"]: r for r in corpus.personnes.to_dict("records")}
        self.ties = corpus.liens.to_dict("records")
        ends: dict[str, set[int]] = {}  # the ties of each end (an actor's ties without reading them all)
        for i, t in enumerate(self.ties):
            ends.setdefault(t["source_id"], set()).add(i)
            ends.setdefault(t["cible_id"], set()).add(i)
        self._ends = {k: [self.ties[i] for i in sorted(v)] for k, v in ends.items()}
        self.actions = corpus.actions.to_dict("records")  # read once, not once per actor
        self.roles = corpus.roles.to_dict("records")
        self.people_of: dict[str, list[dict]] = {}  # an actor's people, then its roles, in the tables' order
        for r in self.people.values():
            self.people_of.setdefault(r["acteur_id"], []).append(r)
        self.roles_of: dict[str, list[dict]] = {}
        for r in self.roles:
            self.roles_of.setdefault(r["acteur_id"], []).append(r)
        self.monographs = _monograph_rows(corpus)
        self._places = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
        self.below = _placed_below(corpus)
        self.texts = corpus.source_texts
        self.dates = {}
        for row in corpus.sources.to_dict("records"):
            d = row.get("date")
            self.dates[row["source_id"]] = d if _present(d) else None

    # --- names and citations ---------------------------------------------------------------
    def territory_name(self, territoire: str) -> str:
        """:meth:`~mesra.corpus.load.Corpus.territory_name`, from a dictionary built once."""
        return str(self._places[territoire]) if territoire in self._places else territoire

    def name(self, ident: str) -> str:
        if ident in self.actors:
            return str(self.actors[ident]["nom"])
        p = self.people.get(ident)
        if p is not None:
            return f"{p['prenom']} {p['nom']}" if _present(p.get("prenom")) else str(p["nom"])
        return ident

    def pair(self, ident: str) -> tuple[str, str | None]:
        art = self.actors.get(ident, {}).get("article")
        return self.name(ident), art if _present(art) else None

    def actor_or_none(self, ident) -> str | None:
        return ident if ident in self.actors else None

    def cite(self, locator) -> tuple[Citation, ...]:
        if not _present(locator):
            return ()
        sid, _, where = str(locator).partition("#")
        return (Citation(str(locator), excerpt(self.texts.get(sid), where, QUOTE_WIDTH)),)

    def date_of(self, locators) -> str | None:
        dates = [self.dates.get(str(loc).partition("#")[0]) for loc in locators if _present(loc)]
        dates = [d for d in dates if d]
        return max(dates) if dates else None

    # --- kinds -------------------------------------------------------------------------------
    @cached_property
    def watch(self) -> set[str]:
        return {
            aid
            for aid, r in self.actors.items()
            if r["type"] in contract.CONTEXT_TYPES and any(w in fold(str(r["nom"]).lower()) for w in WATCH_WORDS)
        }

    @cached_property
    def tools(self) -> set[str]:
        used = {t["cible_id"] for t in self.ties if t["relation"] in contract.USE_RELATIONS}
        out = {
            aid
            for aid, r in self.actors.items()
            if r["type"] in TOOL_TYPES or (aid in used and r["type"] in contract.CONTEXT_TYPES)
        }
        return out - self.watch

    @cached_property
    def projects(self) -> set[str]:
        return {aid for aid, r in self.actors.items() if r["type"] == "projet"} - self.tools - self.watch

    @cached_property
    def organisations(self) -> set[str]:
        return {aid for aid, r in self.actors.items() if r["type"] not in contract.CONTEXT_TYPES}

    # --- ties ----------------------------------------------------------------------------------
    def ties_of(self, ident: str, *, incoming: bool, relations=None) -> list[dict]:
        end, other = ("cible_id", "source_id") if incoming else ("source_id", "cible_id")
        return [
            t
            for t in self._ends.get(ident, ())
            if t[end] == ident and t[other] != ident and (relations is None or t["relation"] in relations)
        ]

    def tie_items(self, ties: list[dict], *, incoming: bool) -> tuple[Item, ...]:
        """One item per fact (a fact reported twice is one item with two citations), sorted."""
        grouped: dict[tuple, list[dict]] = {}
        for t in ties:
            key = (t["source_id"], t["relation"], t["cible_id"], t.get("attestation") or contract.OBSERVED)
            grouped.setdefault(key, []).append(t)
        items = []
        for (s, rel, c, how), rows in sorted(grouped.items()):
            text = _cap(french.sentence([self.pair(s)], rel, [self.pair(c)]))
            objets = sorted({str(r["objet"]).strip() for r in rows if _present(r.get("objet"))})
            if objets:
                text += " : " + " ; ".join(objets)
            cites = tuple(c for r in rows for c in self.cite(r["source"]))
            other = s if incoming else c
            items.append(Item(text, acteur_id=self.actor_or_none(other), how=how, citations=cites))
        return tuple(items)

    def axes_of(self, ident: str) -> tuple[str, ...]:
        axes = {t["axe"] for t in self._ends.get(ident, ()) if not pd.isna(t["axe"])}
        for a in self.actions:
            named = ident in (a["porteurs"] or []) or ident in (a["partenaires"] or [])
            if named and not pd.isna(a["axe"]):
                axes.add(a["axe"])
        return tuple(sorted(str(int(x)) for x in axes))

    def linked(self, ident: str) -> set[str]:
        out = {ident} if ident in self.actors else set()
        for t in self._ends.get(ident, ()):
            out.update(x for x in (t["source_id"], t["cible_id"]) if x in self.actors)
        return out

    def mentions(self, ident: str) -> tuple[Item, ...]:
        """Other actors, ties (``objet``) and actions whose words name ``ident`` (its name or acronym)."""
        r = self.actors[ident]
        words = {str(r["nom"])} | ({str(r["sigle"])} if _present(r.get("sigle")) else set())
        words = {w for w in words if len(w) >= 4}
        if not words:
            return ()
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(fold(w.lower()))}(?!\w)" for w in sorted(words)))

        def hit(text) -> bool:
            return _present(text) and bool(pattern.search(fold(str(text).lower())))

        items = []
        for aid, other in sorted(self.actors.items()):
            if aid != ident and hit(other["nom"]):
                items.append(Item(str(other["nom"]), acteur_id=aid, citations=self.cite(other["source"])))
        for t in self.ties:
            if ident not in (t["source_id"], t["cible_id"]) and hit(t.get("objet")):
                items += self.tie_items([t], incoming=False)
        for a in self.actions:
            if hit(a["intitule"]) or hit(a["livrable"]):
                items.append(Item(f"Action : {a['intitule']}", citations=self.cite(a["source"])))
        return tuple(items)

    def stage(self, ident: str) -> tuple[str | None, tuple[str, ...]]:
        """``(status, locators)`` of a thing that no observed tie attests: :data:`IN_THE_MAKING` when a planned
        tie of its makers cites a passage saying it is being made, :data:`PLANNED_USE` when only planned uses
        name it, else :data:`IN_PROJECT`; ``(None, ())`` when an observed tie attests it (or no tie names it)."""
        ties = [t for t in self.ties if ident in (t["source_id"], t["cible_id"])]
        hows = {t.get("attestation") or contract.OBSERVED for t in ties}
        if not ties or contract.OBSERVED in hows:
            return None, ()
        makers = [
            t
            for t in ties
            if t["cible_id"] == ident and t["relation"] in MAKER_RELATIONS and t.get("attestation") == "prevu"
        ]
        if not makers and all(t["relation"] in contract.USE_RELATIONS for t in ties):
            # only planned uses of a thing that exists (Exemole, L977; Transformadora, L994): not « en projet »
            return PLANNED_USE, tuple(dict.fromkeys(str(t["source"]) for t in ties if _present(t["source"])))
        said = [c.text for t in makers for c in self.cite(t["source"]) if c.text]
        making = any(w in fold(text.lower()) for text in said for w in ELABORATION_WORDS)
        locators = tuple(dict.fromkeys(str(t["source"]) for t in (makers or ties) if _present(t["source"])))
        return (IN_THE_MAKING if making else IN_PROJECT), locators

    def own_citations(self, ident: str) -> tuple[Citation, ...]:
        return self.cite(self.actors[ident]["source"])

    def actor_fields(self, ident: str) -> dict:
        r = self.actors[ident]
        return {
            "title": str(r["nom"]),
            "territoires": ((r["territoire_id"],) if _present(r["territoire_id"]) else ()) + self.below.get(ident, ()),
            "echelon": r["echelon"] if _present(r["echelon"]) else None,
            "date": self.date_of([r["source"]]),
            "citations": self.own_citations(ident),
        }


def _section(title: str, items) -> Section | None:
    items = tuple(items)
    return Section(title, items) if items else None


def _sections(*sections) -> tuple[Section, ...]:
    return tuple(s for s in sections if s is not None)


def _themes(axes) -> tuple[str, ...]:
    return tuple(AXIS_LABELS[a] for a in axes if a in AXIS_LABELS)


def _territories(c: _Corpus, own: tuple[str, ...], actors) -> tuple[str, ...]:
    out = set(own)
    for aid in actors:
        t = c.actors.get(aid, {}).get("territoire_id")
        if _present(t):
            out.add(t)
    return tuple(sorted(out))


# --- outil -------------------------------------------------------------------------------------
def _tool(c: _Corpus, ident: str) -> Resource:
    base = c.actor_fields(ident)
    makers = c.ties_of(ident, incoming=True, relations=MAKER_RELATIONS)
    users = c.ties_of(ident, incoming=True, relations=contract.USE_RELATIONS)
    known = {id(t) for t in makers + users}
    others = [t for t in c.ties_of(ident, incoming=True) + c.ties_of(ident, incoming=False) if id(t) not in known]
    objets = sorted({str(t["objet"]).strip() for t in makers + users if _present(t.get("objet"))})
    purpose = [Item(q.text, citations=(q,)) for q in base["citations"] if q.text]
    purpose += [
        Item(
            _cap(o),
            citations=tuple(x for t in makers + users if str(t.get("objet")).strip() == o for x in c.cite(t["source"])),
        )
        for o in objets
    ]
    developers = tuple(sorted({t["source_id"] for t in makers}))
    user_ids = tuple(sorted({t["source_id"] for t in users}))
    status, stage_sources = c.stage(ident)
    if any((t.get("attestation") or contract.OBSERVED) == contract.OBSERVED for t in users):
        status, stage_sources = "en usage", ()
    axes = c.axes_of(ident)
    tied = developers + user_ids
    return _about_actor(
        c,
        "outil",
        ident,
        base,
        axes,
        territoires=_territories(c, base["territoires"], tied),
        summary=objets[0] if objets else None,
        status=status,
        sections=_sections(
            _section("À quoi il sert", purpose),
            _section("Qui l'a développé", c.tie_items(makers, incoming=True)),
            _section("Qui l'utilise", c.tie_items(users, incoming=True)),
            _section("Autres liens", c.tie_items(others, incoming=False)),
            _section("Où il est cité", c.mentions(ident)),
        ),
        extra={
            "acteur_id": ident,
            "developpeurs": developers,
            "utilisateurs": user_ids,
            "etapes": None,
            "notice": None,
            "statut_sources": stage_sources,
        },
    )


# --- veille --------------------------------------------------------------------------------------
def _about_actor(
    c: _Corpus, kind: str, ident: str, base: dict, axes, *, territoires=None, summary=None, **fields
) -> Resource:
    """A resource about one actor of the corpus: the fields every such kind shares (title, summary,
    territories, échelon, themes, axes, linked actors, date, citations), plus ``fields``. The summary is
    ``summary`` when given (a tool's first purpose), else the first citation's text."""
    return Resource(
        resource_id(kind, ident),
        kind,
        base["title"],
        summary=summary or (base["citations"][0].text if base["citations"] else None),
        territoires=base["territoires"] if territoires is None else territoires,
        echelon=base["echelon"],
        themes=_themes(axes),
        axes=axes,
        acteurs=tuple(sorted(c.linked(ident))),
        date=base["date"],
        citations=base["citations"],
        **fields,
    )


def _watch(c: _Corpus, ident: str) -> Resource:
    base = c.actor_fields(ident)
    makers = c.ties_of(ident, incoming=True, relations=MAKER_RELATIONS)
    known = {id(t) for t in makers}
    others = [t for t in c.ties_of(ident, incoming=True) + c.ties_of(ident, incoming=False) if id(t) not in known]
    carriers = tuple(sorted({t["source_id"] for t in makers}))
    axes = c.axes_of(ident)
    follows = [Item(q.text, citations=(q,)) for q in base["citations"] if q.text]
    return _about_actor(
        c,
        "veille",
        ident,
        base,
        axes,
        territoires=_territories(c, base["territoires"], carriers),
        sections=_sections(
            _section("Ce qu'elle suit", follows),
            _section("Qui la mène", c.tie_items(makers, incoming=True)),
            _section("Autres liens", c.tie_items(others, incoming=False)),
            _section("Où elle est citée", c.mentions(ident)),
        ),
        extra={"acteur_id": ident, "porteurs": carriers},
    )


# --- initiative ------------------------------------------------------------------------------------
def _actions_of(c: _Corpus, ident: str, column: str) -> list[Item]:
    items = []
    for a in c.actions:
        if ident in (a[column] or []):
            when = f" ({french.date(a['debut'])})" if _present(a["debut"]) else ""
            text = f"{a['intitule']}{when} — {label(a['statut']).lower()}"
            items.append(Item(text, citations=c.cite(a["source"])))
    return items


def _project_sections(c: _Corpus, ident: str) -> list[Section | None]:
    carriers = c.ties_of(ident, incoming=True, relations=("porte",))
    known = {id(t) for t in carriers}
    joined = [t for t in c.ties_of(ident, incoming=True) if id(t) not in known]
    return [
        _section("Qui la porte", c.tie_items(carriers, incoming=True)),
        _section("Qui y prend part", c.tie_items(joined, incoming=True)),
        _section("Ce qu'elle fait", c.tie_items(c.ties_of(ident, incoming=False), incoming=False)),
        _section(
            "Actions des plans qui la concernent",
            _actions_of(c, ident, "porteurs") + _actions_of(c, ident, "partenaires"),
        ),
    ]


def _monograph_actor(c: _Corpus, mid: str, acteurs) -> str | None:
    """The actor a monograph is about: the one with its identifier, else the only project it names (twelfth
    reading: « L'ARDES et l'expérimentation TZCLD » and the TZCLD project had two initiative pages that disagreed
    on their axes)."""
    if mid in c.actors:
        return mid
    projects = [a for a in (acteurs if isinstance(acteurs, list) else []) if a in c.projects]
    return projects[0] if len(projects) == 1 else None


def _monograph(c: _Corpus, m) -> Resource:
    cites = tuple(x for loc in m.sources for x in c.cite(loc))
    named = [a for a in ([m.porteur] if _present(m.porteur) else []) + list(m.acteurs or [])]
    actor = _monograph_actor(c, m.id, m.acteurs)
    axes = c.axes_of(actor) if actor else ()
    evidence = frame.axis_evidence(pd.DataFrame([vars(m)]))
    documented = tuple(label(code) for code in dict.fromkeys(evidence["code"]))
    themes = _themes(axes) + tuple(f"Axe de recherche : {d}" for d in documented)
    themes += tuple(f"Outil de coopération : {label(o).lower()}" for o in (m.outils or []))
    frame_items = [Item(f"{title} : {text}", citations=cites) for title, text in frame.frame_fields(m)]
    people = []
    if _present(m.porteur):
        people.append(Item(f"Porteur : {c.name(m.porteur)}", acteur_id=c.actor_or_none(m.porteur), citations=cites))
    people += [
        Item(c.name(a), acteur_id=c.actor_or_none(a), citations=cites) for a in (m.acteurs or []) if a != m.porteur
    ]
    bodies = [
        Section(title, markdown=str(getattr(m, f"section_{title}")).strip())
        for title in contract.MONOGRAPH_SECTIONS
        if _present(getattr(m, f"section_{title}", None))
    ]
    objectifs = list(m.objectifs or [])
    summary = (
        "; ".join(objectifs)
        if objectifs
        else (m.innovation_description if _present(m.innovation_description) else None)
    )
    linked = {a for a in named if a in c.actors} | (c.linked(actor) if actor else set())
    echelon = c.actors[actor]["echelon"] if actor and _present(c.actors[actor]["echelon"]) else None
    year = str(int(m.annee)) if not pd.isna(m.annee) else c.date_of(m.sources)
    return Resource(
        resource_id("initiative", m.id),
        "initiative",
        str(m.titre),
        summary=summary,
        territoires=((m.territoire,) if _present(m.territoire) else ()) + c.below.get(f"monographie:{m.id}", ()),
        echelon=echelon,
        themes=themes,
        axes=axes,
        acteurs=tuple(sorted(linked)),
        date=year,
        citations=cites,
        sections=_sections(
            _section("Le cadre commun", frame_items),
            _section("Qui la porte et qui y prend part", people),
            *bodies,
            *(_project_sections(c, actor) if actor else []),
        ),
        extra={"monographie": m.id, "acteur_id": actor, "fichier": m.fichier},
    )


def _project(c: _Corpus, ident: str) -> Resource:
    base = c.actor_fields(ident)
    axes = c.axes_of(ident)
    what = [Item(q.text, citations=(q,)) for q in base["citations"] if q.text]
    status, stage_sources = c.stage(ident)
    return _about_actor(
        c,
        "initiative",
        ident,
        base,
        axes,
        status=status,
        sections=_sections(_section("Ce que disent les sources", what), *_project_sections(c, ident)),
        extra={"monographie": None, "acteur_id": ident, "statut_sources": stage_sources},
    )


# --- portrait ----------------------------------------------------------------------------------------
def _people(c: _Corpus, ident: str) -> list[Item]:
    seen, items = set(), []
    rows = [(p["personne_id"], p["fonction"], p["source"]) for p in c.people_of.get(ident, ())]
    rows += [(r["personne_id"], r["fonction"], r["source"]) for r in c.roles_of.get(ident, ())]
    for pid, fonction, source in rows:
        key = (pid, fonction if _present(fonction) else None)
        if key in seen:
            continue
        seen.add(key)
        text = c.name(pid) + (f", {fonction}" if _present(fonction) else "")
        items.append(Item(text, citations=c.cite(source)))
    return items


def _what(c: _Corpus, ident: str, base: dict) -> list[Item]:
    r = c.actors[ident]
    cites = base["citations"]
    facts = [f"Type : {label(r['type'])}"]
    if base["territoires"]:
        facts.append(f"Territoire : {c.territory_name(base['territoires'][0])}")
    if base["echelon"]:
        facts.append(f"Échelon : {label(base['echelon'])}")
    # said when the corpus records it; « false » is « not among the members it lists », which the sources never
    # state of an actor (eleventh reading: « Membre du Mouvement : non » for PoleS, the CRESS Bretagne, the MES)
    if r["membre_mes"] is not None and not pd.isna(r["membre_mes"]) and french.yes_no(r["membre_mes"]) == "oui":
        facts.append("Membre du Mouvement pour l'Économie Solidaire : oui")
    items = [Item(f, citations=cites) for f in facts]
    items += [Item(q.text, citations=(q,)) for q in cites if q.text]
    return items


def _portrait(c: _Corpus, ident: str, readings: dict[str, dict[str, list[dict]]]) -> Resource:
    base = c.actor_fields(ident)
    out = c.ties_of(ident, incoming=False)
    by_kind = []
    for rel in contract.RELATIONS:
        rows = [t for t in out if t["relation"] == rel]
        by_kind.append(_section(f"Ses liens : {label(rel)}", c.tie_items(rows, incoming=False)))
    incoming = c.ties_of(ident, incoming=True)
    practices = readings["practices"]  # by author (source_id): records
    advocacy = readings["advocacy"]
    axes = c.axes_of(ident)
    monos = [
        Item(str(m.titre), citations=tuple(x for loc in m.sources for x in c.cite(loc)))
        for m in c.monographs
        if m.porteur == ident or ident in (m.acteurs or [])
    ]
    return _about_actor(
        c,
        "portrait",
        ident,
        base,
        axes,
        sections=_sections(
            _section("Ce qu'il est", _what(c, ident, base)),
            _section("Ses personnes et leurs rôles", _people(c, ident)),
            *by_kind,
            _section("Liens reçus", c.tie_items(incoming, incoming=True)),
            _section(
                "Ses pratiques (Axes 2 et 3)",
                c.tie_items(practices.get(ident, []), incoming=False),
            ),
            _section("Les actions qu'il porte", _actions_of(c, ident, "porteurs")),
            _section("Les actions qu'il rejoint", _actions_of(c, ident, "partenaires")),
            _section(
                "Son plaidoyer",
                c.tie_items(advocacy.get(ident, []), incoming=False),
            ),
            _section("Les monographies qui le nomment", monos),
        ),
        extra={"acteur_id": ident, "type": c.actors[ident]["type"]},
    )


def _monograph_rows(corpus) -> list[SimpleNamespace]:
    """The monographs as rows whose fields read as attributes (``getattr(m, "section_Coopération")``)."""
    return [SimpleNamespace(**r) for r in corpus.monographies.to_dict("records")]


def _readings(corpus) -> dict[str, dict[str, list[dict]]]:
    """The brief's readings of practices and advocacy, over the whole corpus (one view, no territory)."""
    from mesra.analysis.brief import advocacy, practices
    from mesra.analysis.brief.view import TerritoryView

    view = TerritoryView(corpus, None)
    out: dict[str, dict[str, list[dict]]] = {}
    for kind, rows in (("practices", practices.practices(view)), ("advocacy", advocacy.ties(view))):
        by: dict[str, list[dict]] = {}
        for row in rows.to_dict("records"):  # grouped once by author, in the reading's order
            by.setdefault(row["source_id"], []).append(row)
        out[kind] = by
    return out


def derived(corpus) -> tuple[Resource, ...]:
    """The resources derived from the corpus alone, sorted by identifier."""
    c = _Corpus(corpus)
    readings = _readings(corpus)
    out: dict[str, Resource] = {}
    for aid in sorted(c.tools):
        out[resource_id("outil", aid)] = _tool(c, aid)
    for aid in sorted(c.watch):
        out[resource_id("veille", aid)] = _watch(c, aid)
    monographs = {m.id: m for m in _monograph_rows(corpus)}
    for mid, m in sorted(monographs.items()):
        out[resource_id("initiative", mid)] = _monograph(c, m)
    told = {_monograph_actor(c, mid, m.acteurs) for mid, m in monographs.items()}
    for aid in sorted(c.projects - set(monographs) - told):
        out[resource_id("initiative", aid)] = _project(c, aid)
    for aid in sorted(c.organisations):
        out[resource_id("portrait", aid)] = _portrait(c, aid, readings)
    return tuple(out[k] for k in sorted(out))


def _placed_below(corpus) -> dict[str, tuple[str, ...]]:
    """The places below its own where the briefs place an actor or a monograph (``monographie:<id>``):
    :func:`~mesra.analysis.counts.actor_places` and ``monograph_places`` (Terres de Convergence and its
    initiative in the Gard, L348), so that the centre's filter on a territory finds what its brief names."""
    from mesra.analysis import counts
    from mesra.corpus.geo import parent_map, walk_up

    parents = parent_map(corpus.territoires)
    own = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    places = dict(counts.actor_places(corpus))
    if len(corpus.monographies):
        m = corpus.monographies
        own.update({f"monographie:{i}": t for i, t in zip(m["id"], m["territoire"])})
        places.update({f"monographie:{m}": p for m, p in counts.monograph_places(corpus).items()})
    out = {}
    for ident, where in places.items():
        home = own.get(ident)
        if _present(home):
            below = sorted(p for p in where if p != home and home in walk_up(parents, p))
            # only the most precise: not a place that contains another one of them
            below = [p for p in below if not any(q != p and p in walk_up(parents, q) for q in below)]
            if below:
                out[ident] = tuple(below)
    return out


def catalogue(corpus) -> tuple[Resource, ...]:
    """The resources' identifiers, kinds, titles and what they are about (``extra``'s ``acteur_id`` and
    ``monographie``), without their bodies: what a brief needs to link to them, at a fraction of
    :func:`derive`'s cost (every brief of a batch calls it). Same identifiers and titles as :func:`derive`."""
    from dataclasses import replace

    c = _Corpus(corpus)
    out: dict[str, Resource] = {}

    def add(kind: str, ident: str, title: str, extra: dict, status: str | None = None) -> None:
        out[resource_id(kind, ident)] = Resource(resource_id(kind, ident), kind, title, status=status, extra=extra)

    for aid in sorted(c.tools):  # the status of a thing not available yet (derive's « en usage » is not needed here)
        status, where = c.stage(aid)
        add("outil", aid, str(c.actors[aid]["nom"]), {"acteur_id": aid, "statut_sources": where}, status)
    for aid in sorted(c.watch):
        add("veille", aid, str(c.actors[aid]["nom"]), {"acteur_id": aid})
    monographs = dict(zip(corpus.monographies["id"], corpus.monographies["titre"]))
    actors = {i: _monograph_actor(c, i, a) for i, a in zip(corpus.monographies["id"], corpus.monographies["acteurs"])}
    for mid, title in sorted(monographs.items()):
        add("initiative", mid, str(title), {"monographie": mid, "acteur_id": actors[mid]})
    for aid in sorted(c.projects - set(monographs) - set(actors.values())):
        status, where = c.stage(aid)
        add(
            "initiative",
            aid,
            str(c.actors[aid]["nom"]),
            {"monographie": None, "acteur_id": aid, "statut_sources": where},
            status,
        )
    for aid in sorted(c.organisations):
        add("portrait", aid, str(c.actors[aid]["nom"]), {"acteur_id": aid})
    hand = getattr(corpus, "ressources", None)
    if hand is not None and len(hand):
        for row in hand.to_dict("records"):
            rid, title = row.get("ressource_id"), row.get("titre")
            if rid in out and _present(title):
                out[rid] = replace(out[rid], title=str(title).strip())
    return tuple(out[k] for k in sorted(out))


def derive(corpus, *, hand: bool = True) -> tuple[Resource, ...]:
    """Every resource of the corpus, sorted by identifier: derived, then completed by ``ressources.csv``.

    ``hand=False`` gives the derived resources alone.
    """
    resources = derived(corpus)
    if not hand:
        return resources
    from mesra.analysis.resources.merge import merge

    return merge(resources, corpus)


def about(resources) -> dict[str, tuple[str, ...]]:
    """Actor identifier → the resources about it (its portrait, its tool, its initiative or watch), sorted.

    What a page that names an actor links to (an :class:`Item`'s ``acteur_id``, a brief's actor);
    a monograph's initiative is about its monograph, and about its actor when one has its identifier.
    """
    out: dict[str, list[str]] = {}
    for r in resources:
        own = r.extra.get("acteur_id")
        if own:
            out.setdefault(own, []).append(r.ressource_id)
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}
