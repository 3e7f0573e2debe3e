"""The action plans: what the network decided to do, who carries it, when, and where it stands.

Research-action is a cycle: plan, act, observe, reflect, plan again. ``actions.csv``
holds the plans (who carries each action, who joins it, when), ``suivi.csv`` the
follow-up log. This module reads them as of a reference date, the corpus's own
(:func:`reference_date`): the date of the latest follow-up entry or, without one, the
latest date of the sources the plan cites (for the default corpus, the seminar of
December 2019) — never the day the note is read, unless a ``date_reference`` is given:

- :func:`reference_date` — the day a plan is read at, where it comes from, and whether
  any follow-up was recorded; :func:`reference_sentence` says it in French;
- :func:`chantiers` — each workshop (« chantier ») of an axis and its co-animation: who
  carries it (the national coordination and the référents, L257);
- :func:`actions_for` — the actions of a territory (carried or joined by its actors or
  people, located in it, or of a chantier they co-animate), each with its current status:
  the latest follow-up entry dated on or before the reference date, otherwise the plan's
  ``statut``;
- :func:`due_within`, :func:`past_due`, :func:`without_carrier`,
  :func:`partners_to_mobilise` — what is due, what to review ("à faire le point"), what
  names no carrier (and whether its chantier's co-animation carries it), which partners
  no tie joins to the network yet;
- :func:`territory_plan` — the same as one frozen set of facts (:class:`PlanFacts`),
  what the brief's *fiche territoire* states; :func:`plan_finding` its finding;
- :func:`plot_timeline` — one bar per action from start to end, coloured by status;
- :func:`plan_section`, :func:`plan_next_steps`, :func:`changes_since` — what the
  research-action brief says (« Depuis la note précédente » compares facts snapshots,
  :mod:`mesra.analysis.since`).

Dates are read as the period they cover (:mod:`mesra.corpus.dates`): ``2022`` is the
whole year, ``2020-06`` the whole month. When the follow-up log holds no entry on or
before the reference date, nothing is overdue: the note says that no follow-up was
recorded. Otherwise an open action (neither ``fait`` nor ``abandonne``, nor a need: ``besoin``) is *past due*
when its end has passed — or, still ``prevu`` or ``reporte``, its start — with no
follow-up entry since; it is *due* when its start or its end falls between the
reference date and ``months`` later.

How the brief (``notebooks/04-note-recherche-action.ipynb``) uses it: it declares the
parameters ``date_reference: str = ""`` (empty: the corpus's own date) and
``note_precedente: str = ""`` (``mesra briefs`` fills the latter with the path of the
territory's previously published brief); it displays ``plan_section(corpus, territoire,
date_reference)`` as a cell's result (the output records the plan's state, invisibly, for
the next brief) and ``plot_timeline(actions_for(corpus, territoire,
date_reference=date_reference), reference_date(corpus, date_reference).jour)``; its next
steps start with ``plan_next_steps(corpus, territoire, date_reference)``; « Depuis la note
précédente » lists ``changes_since(note_precedente or None, corpus, territoire,
date_reference=date_reference)``.

>>> import mesra
>>> corpus = mesra.load_corpus()
>>> plan = actions_for(corpus, "occitanie", date_reference="2020-01-01")
>>> "axe2-communication-groupe-europeen" in set(plan["action_id"])
True
>>> reference_date(corpus).jour, reference_date(corpus).suivi
(datetime.date(2019, 12, 4), False)
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from mesra import french
from mesra.analysis.sections import Section, sort_locators, where_in_words
from mesra.analysis.since import FACTS_SUFFIX
from mesra.corpus import contract
from mesra.corpus import pages as printed_pages
from mesra.corpus.dates import as_date, period
from mesra.corpus.excerpts import cut
from mesra.corpus.geo import resolve_territory
from mesra.figures import drawn_once, new_axes

__all__ = [
    "reference_date",
    "reference_sentence",
    "ReferenceDate",
    "chantiers",
    "Chantier",
    "territory_plan",
    "PlanFacts",
    "ActionFact",
    "plan_finding",
    "follow_up_section",
    "coanimation_sentence",
    "first_dated",
    "named_in_actions",
    "plan_size",
    "status_line",
    "actions_for",
    "due_within",
    "past_due",
    "without_carrier",
    "partners_to_mobilise",
    "actions_by_status",
    "actions_by_carrier",
    "plan_table",
    "plot_timeline",
    "plan_section",
    "plan_next_steps",
    "plan_snapshot",
    "read_plan_snapshot",
    "read_facts",
    "save_facts",
    "changes_since",
    "PlanSection",
    "STATUS_COLOURS",
    "SNAPSHOT_KEY",
]

#: Territories whose plan is the whole plan (the national level).
NATIONAL = ("fr",)


#: Colour of each status on the timeline.
STATUS_COLOURS = {
    "prevu": "#4c78a8",
    "en_cours": "#f58518",
    "fait": "#54a24b",
    "reporte": "#b279a2",
    "abandonne": "#9d9d9d",
    "besoin": "#bab0ac",
}
#: Statuses of an action that has not started although its start has passed.
_NOT_STARTED = ("prevu", "reporte")
#: Status in a sentence (an action is feminine).
_STATUS_WORDS = {
    "prevu": "prévue",
    "en_cours": "en cours",
    "fait": "faite",
    "reporte": "reportée",
    "abandonne": "abandonnée",
    "besoin": "besoin exprimé",
}
#: An undated action of a plan or of a workshop's fiches-actions is not said « prévue » as if it were scheduled
#: (twenty-fourth reading: Axe 3's fiches-actions, L766-796, have no calendar and wait for a national resource, L844).
_UNDATED = "sans date"
_UNDATED_WORDS = {"prevu": "inscrite au plan, sans date", "besoin": "besoin exprimé, sans date"}
#: Key of the plan's snapshot in a notebook output's metadata (see :func:`plan_snapshot`).
SNAPSHOT_KEY = "mesra"
_SNAPSHOT_VERSION = 1
#: Beyond this many new actions, :func:`changes_since` counts them instead of naming them.
_MAX_NAMED = 8
#: Beyond this many actions of a kind, :func:`plan_next_steps` counts them in one sentence.
_MAX_STEPS = 5


# --- the reference date -------------------------------------------------------------------
@dataclass(frozen=True)
class ReferenceDate:
    """The day a plan is read at, and where that day comes from (see :func:`reference_date`).

    Attributes
    ----------
    jour : datetime.date or None
        The day; None when neither a follow-up entry nor a dated source gives one.
    origine : str
        ``parametre`` (given to the note), ``suivi`` (the latest follow-up entry), ``plan``
        (the latest date of the sources the plan cites) or ``aucune``.
    plan : str or None
        The plan's own date as its sources write it (``2019-12-04``), or None.
    suivi : bool
        Whether the follow-up log holds an entry on or before ``jour``: without one, no
        action is overdue.
    dernier_suivi : str or None
        The date of the latest such entry, as written.
    sources : tuple of str
        The sources (``source_id``) that give the plan's date.
    """

    jour: dt.date | None
    origine: str
    plan: str | None = None
    suivi: bool = False
    dernier_suivi: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def iso(self) -> str | None:
        return self.jour.isoformat() if self.jour is not None else None


def _written(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _plan_date(corpus) -> tuple[str | None, tuple[str, ...]]:
    """The latest date of the sources that the plan cites (column ``date``, else ``annee``), and those sources.

    Only the plan's own sources count (those its actions cite): a reference table (the
    official geography, dated the year it was downloaded) never dates a plan.
    """
    cited = {loc.partition("#")[0] for loc in corpus.actions["source"] if _written(loc)}
    src = corpus.sources
    dates = src["date"] if "date" in src.columns else [None] * len(src)
    found: list[tuple[dt.date, str, str]] = []
    for sid, when, year in zip(src["source_id"], dates, src["annee"]):
        text = _written(when) or (str(int(year)) if year is not None and not pd.isna(year) else None)
        if sid in cited and text:
            found.append((period(text)[0], text, sid))
    if not found:
        return None, ()
    latest = max(found)[0]
    texts = [t for d, t, _ in found if d == latest]
    return max(texts, key=len), tuple(sorted(s for d, _, s in found if d == latest))


def _entries(suivi: pd.DataFrame) -> list[tuple[dt.date, str]]:
    return [(period(w)[0], w) for w in suivi["date"] if _written(w)]


def reference_date(corpus, date_reference=None) -> ReferenceDate:
    """The day the plan of ``corpus`` is read at: the corpus's own, never the day it is read.

    ``date_reference`` (``AAAA-MM-JJ`` or a date; a :class:`ReferenceDate` is returned as
    it is) fixes it; empty or None, it is the date of the latest follow-up entry or,
    without one, the latest date that the plan's sources give (the first day of its
    period: ``2019-12-04``; a year ``2020``, its 1 January).

    >>> import mesra
    >>> ref = reference_date(mesra.load_corpus())
    >>> ref.origine, ref.plan, ref.suivi
    ('plan', '2019-12-04', False)
    """
    if isinstance(date_reference, ReferenceDate):
        return date_reference
    plan, sources = _plan_date(corpus)
    entries = _entries(corpus.suivi)
    if date_reference is not None and not (isinstance(date_reference, str) and not date_reference.strip()):
        day = as_date(date_reference)
        done = [e for e in entries if e[0] <= day]
        return ReferenceDate(day, "parametre", plan, bool(done), max(done)[1] if done else None, sources)
    if entries:
        day, text = max(entries)
        return ReferenceDate(day, "suivi", plan, True, text, sources)
    if plan:
        return ReferenceDate(period(plan)[0], "plan", plan, False, None, sources)
    return ReferenceDate(None, "aucune")


def _plan_words(plan: str | None) -> str:
    """``le plan de décembre 2019`` (a day is said by its month, as readers name a plan)."""
    if not plan:
        return "le plan"
    return f"le plan {french.of(french.date(plan[:7]))}"


def reference_sentence(ref: ReferenceDate) -> str:
    """The reference date and the follow-up, in one French sentence (what a note says first about its plan)."""
    if ref.jour is None:
        return (
            "Les sources ne disent pas où en sont les actions, et celles du plan ne sont pas datées : "
            "les statuts sont ceux du plan ; l'état des actions depuis n'est pas connu."
        )
    day = french.date(ref.iso)
    if not ref.suivi:
        since = f"depuis {_plan_words(ref.plan)}"
        if ref.origine == "parametre":
            since += f" à la date de référence choisie, le {day}"
        return (
            # twenty-fifth reading: « Aucun suivi n'a été enregistré » read as a database's words, and « by whom? »;
            # twenty-seventh: « Personne n'a encore noté » read as a claim about the world
            f"Les sources ne disent pas où en sont les actions {since} : les statuts sont ceux du "
            "plan ; l'état des actions depuis n'est pas connu."
        )
    if ref.origine == "suivi":
        return (
            f"Date de référence : le {day}, date de la dernière entrée du journal de suivi. Le statut d'une action "
            "est celui de sa dernière entrée, sinon celui du plan."
        )
    return (
        f"Date de référence : le {day}, fixée pour cette note ; dernière entrée du journal de suivi à cette date : "
        f"{french.date(ref.dernier_suivi)}. Le statut d'une action est celui de sa dernière entrée, sinon celui du "
        "plan."
    )


# --- the chantiers and their co-animation -------------------------------------------------
@dataclass(frozen=True)
class Chantier:
    """A workshop of an axis and who co-animates it: those an observed ``porte`` tie says carry it.

    ``coanimation``: organisations first (the national coordination), then people;
    ``referents``: the people among them; ``sources``: the locators of those ties and of the
    référents' roles on the chantier (``roles.csv``).
    """

    chantier_id: str
    axe: int
    coanimation: tuple[str, ...]
    referents: tuple[str, ...]
    sources: tuple[str, ...]


def chantiers(corpus) -> dict[int, Chantier]:
    """Each axis's chantier (an actor of type ``chantier`` that the axis's ties reach) and its co-animation.

    Each chantier is « co-animé par la coordination nationale et des référents désignés »
    (actes L257): in the data, observed ``porte`` ties to the chantier (the MES, L257; the
    référent, L273, L478, L696, L858). An axis whose ties reach two chantiers has none.

    >>> import mesra
    >>> c = chantiers(mesra.load_corpus())[4]
    >>> c.chantier_id, c.coanimation
    ('chantier-axe-4', ('mes', 'berenice-dondeyne'))
    """
    kinds = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["type"]))
    t = corpus.liens
    t = t[(t["attestation"] == contract.OBSERVED) & t["axe"].notna()]
    t = t.loc[[kinds.get(c) == "chantier" for c in t["cible_id"]]]
    by_axis: dict[int, set[str]] = {}
    for axe, cible in zip(t["axe"], t["cible_id"]):
        by_axis.setdefault(int(axe), set()).add(cible)
    people = set(corpus.personnes["personne_id"])
    roles = corpus.roles
    out = {}
    for axe, found in sorted(by_axis.items()):
        if len(found) != 1:
            continue
        (cid,) = found
        carry = t[(t["cible_id"] == cid) & (t["relation"] == "porte")]
        ids = list(dict.fromkeys(carry["source_id"]))
        orgs = tuple(i for i in ids if i not in people)
        refs = tuple(i for i in ids if i in people)
        role_sources = roles.loc[(roles["acteur_id"] == cid) & roles["personne_id"].isin(refs), "source"]
        sources = tuple(_widest(sort_locators([*carry["source"].dropna(), *role_sources.dropna()])))
        out[axe] = Chantier(cid, axe, orgs + refs, refs, sources)
    return out


def _widest(locators: list[str]) -> list[str]:
    """The locators but those whose lines another of the same source cites (``#L478`` in ``#L478,L1073``)."""
    from mesra.corpus.validate import line_ranges

    def lines(loc: str) -> tuple[str, set[int]]:
        source, _, where = loc.partition("#")
        return source, {n for a, b in line_ranges(where) or [] for n in range(a, b + 1)}

    read = [(loc, *lines(loc)) for loc in locators]
    return [
        loc
        for loc, src, ns in read
        if not ns or not any(other != loc and s2 == src and ns < n2 for other, s2, n2 in read)
    ]


# --- reading the plan -------------------------------------------------------------------
def _span(debut, fin) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of an action: from the start of ``debut`` to the end of ``fin``.

    A single date covers its own period (``2022``: the year; ``2020-06``: the month).
    """
    debut = debut if isinstance(debut, str) and debut.strip() else None  # None, NaN, "": no date
    fin = fin if isinstance(fin, str) and fin.strip() else None
    start = period(debut)[0] if debut else (period(fin)[0] if fin else None)
    end = period(fin)[1] if fin else (period(debut)[1] if debut else None)
    return start, end


def _follow_ups(suivi: pd.DataFrame, ref: dt.date | None) -> tuple[dict, dict]:
    """Per action: the latest entry on or before ``ref`` (status, date text), and all entry dates."""
    ref = ref or dt.date.max
    entries = []
    for i, (aid, when, status) in enumerate(zip(suivi["action_id"], suivi["date"], suivi["statut"])):
        start = period(when)[0]
        if start <= ref:
            entries.append((aid, start, i, status, when))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))  # same day: the later line wins
    latest = {e[0]: (e[3], e[4]) for e in entries}
    dates: dict[str, list[dt.date]] = {}
    for e in entries:
        dates.setdefault(e[0], []).append(e[1])
    return latest, dates


def _members(corpus, territoire: str) -> set[str]:
    """Identifiers of the territory's actors and of its people (:func:`mesra.analysis.counts.people_of`)."""
    from mesra.analysis.counts import _inside

    return _inside(corpus, territoire)


def _check(corpus, territoire) -> str | None:
    """The identifier of the territory ``territoire`` names (None stays None), or a French error."""
    return None if territoire is None else resolve_territory(territoire, corpus.territoires)


def _national(corpus, territoire) -> bool:
    """The whole plan: no territory, the national level, or a territory that contains it (Europe, the world)."""
    return territoire is None or territoire in NATIONAL or bool(set(NATIONAL) & set(corpus.territory_ids(territoire)))


#: Why an action concerns a territory (column ``concerne`` of :func:`actions_for`).
REASONS = {
    "porte": "porte",
    "rejoint": "partenaire",
    "coanime": "co-anime le chantier",
    "situee": "sur le territoire",
}


def actions_for(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """The actions of ``territoire``, with their current status as of the reference date.

    An action belongs to a territory when one of its carriers or partners is an actor
    located there (sub-territories included) or a person attached to such an actor, when
    its chantier is co-animated by one of them (:func:`chantiers`), or when its
    ``territoire_id`` is in the territory. ``None``, ``fr`` and the territories that
    contain it take every action.

    Returns
    -------
    pandas.DataFrame
        The columns of ``actions.csv`` plus ``statut_actuel`` (latest follow-up on or
        before the reference date, else ``statut``), ``dernier_suivi`` (its date, or
        None), ``periode_debut`` and ``periode_fin`` (first and last day covered, or
        None), ``chantier`` (the axis's chantier, or None), ``coanimation`` (who
        co-animates it: carries the action when it names no carrier) and ``concerne``
        (why the territory sees it: ``porte``, ``rejoint``, ``coanime``, ``situee``),
        sorted by axis, start and identifier.

    Raises
    ------
    ParameterError
        Unknown territory, or a reference date that is not ``AAAA-MM-JJ``.
    """
    territoire = _check(corpus, territoire)
    ref = reference_date(corpus, date_reference)
    frame = corpus.actions.copy()
    works = chantiers(corpus)
    of_axis = [works.get(int(a)) if a is not None and not pd.isna(a) else None for a in frame["axe"]]
    frame["chantier"] = [w.chantier_id if w else None for w in of_axis]
    frame["coanimation"] = [w.coanimation if w else () for w in of_axis]
    if territoire is None:
        frame["concerne"] = [()] * len(frame)
    else:
        members = _members(corpus, territoire)
        inside = set(corpus.territory_ids(territoire))
        frame["concerne"] = [
            tuple(
                k
                for k, hit in (
                    ("porte", members.intersection(p)),
                    ("rejoint", members.intersection(q)),
                    ("coanime", members.intersection(c)),
                    ("situee", t in inside),
                )
                if hit
            )
            for p, q, c, t in zip(frame["porteurs"], frame["partenaires"], frame["coanimation"], frame["territoire_id"])
        ]
        if not _national(corpus, territoire):
            frame = frame.loc[[bool(r) for r in frame["concerne"]]].copy()
    latest, _ = _follow_ups(corpus.suivi, ref.jour)
    frame["statut_actuel"] = [latest.get(a, (s, None))[0] for a, s in zip(frame["action_id"], frame["statut"])]
    frame["dernier_suivi"] = [latest.get(a, (None, None))[1] for a in frame["action_id"]]
    spans = [_span(d, f) for d, f in zip(frame["debut"], frame["fin"])]
    frame["periode_debut"] = [s for s, _ in spans]
    frame["periode_fin"] = [e for _, e in spans]
    # within a year, « début » before « fin » (twenty-eighth reading: « fin 2022 » listed before « début 2022 »,
    # L678-679)
    rank = {"début": 0, "fin": 2}
    order = frame.assign(
        _axe=frame["axe"].fillna(99).astype(int),
        _start=[s or dt.date.max for s in frame["periode_debut"]],
        _moment=[
            rank.get(_moment(t, _text(d), _text(f)), 1)
            for t, d, f in zip(frame["intitule"], frame["debut"], frame["fin"])
        ],
    ).sort_values(["_axe", "_start", "_moment", "action_id"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _missed(row, dates: dict, ref: ReferenceDate) -> dt.date | None:
    """The date an open action has passed with no follow-up since, or None (always None with no follow-up)."""
    if not ref.suivi or ref.jour is None or row.statut_actuel in (*contract.CLOSED_STATUTS, contract.NEED):
        return None  # a need expressed by a workshop is nobody's action: it is never overdue
    start, end = row.periode_debut, row.periode_fin
    if end is not None and end < ref.jour:
        missed = end
    elif start is not None and start < ref.jour and row.statut_actuel in _NOT_STARTED:
        missed = start
    else:
        return None
    if any(d >= missed for d in dates.get(row.action_id, ())):
        return None
    return missed


def _classify(corpus, territoire, date_reference, months: int) -> tuple[pd.DataFrame, list, list]:
    ref = reference_date(corpus, date_reference)
    frame = actions_for(corpus, territoire, date_reference=ref)
    _, dates = _follow_ups(corpus.suivi, ref.jour)
    missed = [_missed(row, dates, ref) for row in frame.itertuples(index=False)]
    if ref.jour is None:
        return frame, missed, [False] * len(frame)
    horizon = _add_months(ref.jour, months)
    due = [
        m is None
        and row.statut_actuel not in (*contract.CLOSED_STATUTS, contract.NEED)
        and any(d is not None and ref.jour <= d <= horizon for d in (row.periode_debut, row.periode_fin))
        for m, row in zip(missed, frame.itertuples(index=False))
    ]
    return frame, missed, due


def due_within(corpus, territoire: str | None = None, *, date_reference=None, months: int = 6) -> pd.DataFrame:
    """Open actions whose start or end falls between the reference date and ``months`` later.

    Past-due actions (:func:`past_due`) are not repeated here.
    """
    territoire = _check(corpus, territoire)
    frame, _, due = _classify(corpus, territoire, date_reference, months)
    return frame.loc[due].reset_index(drop=True)


def past_due(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Open actions whose end (or, not started, whose start) has passed with no follow-up since.

    Empty when the follow-up log holds no entry on or before the reference date: a plan
    nobody has followed up is not late, its follow-up is missing (:func:`reference_sentence`).
    ``echeance_depassee`` is the date that passed (the last day of the end's period, or
    the first day of the start's).
    """
    territoire = _check(corpus, territoire)
    frame, missed, _ = _classify(corpus, territoire, date_reference, 0)
    out = frame.assign(echeance_depassee=missed)
    return out.loc[[m is not None for m in missed]].reset_index(drop=True)


def without_carrier(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Open actions that name no carrier (``porteurs`` empty).

    Column ``coanimation`` tells them apart: not empty, the action falls to its chantier's
    co-animation (it is not « sans porteur »); empty, nobody carries it.
    """
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    keep = [not p and s not in contract.CLOSED_STATUTS for p, s in zip(frame["porteurs"], frame["statut_actuel"])]
    return frame.loc[keep].reset_index(drop=True)


def _names(corpus) -> dict[str, str]:
    """Display name of every actor and person (people as ``Prénom NOM``, pseudonyms as they are)."""
    names = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["nom"]))
    for pid, nom, prenom in zip(corpus.personnes["personne_id"], corpus.personnes["nom"], corpus.personnes["prenom"]):
        names[pid] = f"{prenom} {nom}" if isinstance(prenom, str) and prenom else str(nom)
    return names


def _types(corpus) -> dict[str, str]:
    types = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["type"]))
    types.update({pid: contract.PERSON_TYPE for pid in corpus.personnes["personne_id"]})
    return types


#: An action about funding (« Recherche de financements », « Mobiliser des partenariats financiers », L462-463):
#: the partners it names are funders that the plan intends to seek, not partners of the work.
_FUNDING = re.compile(r"\bfinanc", re.IGNORECASE)


def _naming_lines(corpus, locator: str, who: str) -> str:
    """``locator`` narrowed to its lines that name the actor ``who`` (its name or acronym, in any case), or whole
    when none does or the source's text is not in the corpus (``…#L660,L662`` → ``…#L662`` for the Union
    européenne)."""
    sid, _, where = str(locator).partition("#")
    text = (getattr(corpus, "source_texts", None) or {}).get(sid)
    a = corpus.acteurs.set_index("acteur_id")
    if not text or not where or who not in a.index:
        return locator
    words = [str(w).lower() for w in (a.loc[who, "nom"], a.loc[who].get("sigle")) if isinstance(w, str) and w]
    lines = text.splitlines()
    found = []
    for part in where.split(","):
        first, _, last = part.strip().removeprefix("L").partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            return locator
        for n in range(int(first), int(last or first) + 1):
            if 0 < n <= len(lines) and any(w in lines[n - 1].lower() for w in words):
                found.append(f"L{n}")
    return f"{sid}#{','.join(found)}" if found else locator


#: What an organisation makes, not whom it works with: a tie to one of these alone ties it to no one.
_THINGS = ("outil", "evenement")


def _partners_wanted(corpus, territoire, date_reference) -> dict[str, list]:
    """Partner id → the open actions naming it, for the partners that no tie joins to anyone yet: to an actor or a
    person, not only to a thing of its own (twenty-eighth reading: the Labo de l'ESS, which carries its meeting on the
    PTCE and develops their map, L370, L378, was left out of « aucune coopération constatée avec le réseau »)."""
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    t = corpus.liens
    things = {i for i, k in _types(corpus).items() if k in _THINGS}
    direct = t[~t["source_id"].isin(things) & ~t["cible_id"].isin(things)]
    tied = set(direct["source_id"]) | set(direct["cible_id"])
    # a thing two actors share ties them (the CRID and Attac co-organise the Université d'été, L996)
    shared = t[t["cible_id"].isin(things)].groupby("cible_id")["source_id"].agg(set)
    tied |= {who for ends in shared if len(ends) > 1 for who in ends}
    wanted: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        if row.statut_actuel in contract.CLOSED_STATUTS:
            continue
        for pid in row.partenaires:
            if pid not in tied:
                wanted.setdefault(pid, []).append(row)
    return wanted


def partners_to_mobilise(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Partners of open actions that no tie of ``liens.csv`` joins to anyone yet.

    Returns
    -------
    pandas.DataFrame
        ``acteur_id``, ``nom``, ``type``, ``actions`` (the actions that name the
        partner, ``;``-separated) and ``source`` (the list of their locators, narrowed to the lines that name
        the partner when the source's text says), sorted by name.
    """
    wanted = _partners_wanted(corpus, territoire, date_reference)
    names, types = _names(corpus), _types(corpus)
    rows = [
        {
            "acteur_id": pid,
            "nom": names.get(pid, pid),
            "type": types.get(pid),
            "actions": " ; ".join(r.intitule for r in acts),
            "source": sort_locators(_naming_lines(corpus, r.source, pid) for r in acts),
        }
        for pid, acts in wanted.items()
    ]
    out = pd.DataFrame(rows, columns=["acteur_id", "nom", "type", "actions", "source"])
    return out.sort_values(["nom", "acteur_id"], key=lambda s: s.str.lower()).reset_index(drop=True)


def _wanted_steps(corpus, territoire, date_reference) -> list[str]:
    """The funders the plan intends to seek (named by an action about funding, :data:`_FUNDING`), then the other
    partners it names, that no tie joins to the network yet; each with the lines that name it."""
    wanted = _partners_wanted(corpus, territoire, date_reference)
    names = _names(corpus)
    a = corpus.acteurs
    articles = dict(zip(a["acteur_id"], a["article"])) if "article" in a.columns else {}
    steps = []
    for funding, say in (
        # twenty-fourth reading: « qu'aucun lien ne relie encore au réseau » said the sources' silence as a fact
        (
            True,
            "Prendre contact avec les financeurs que le plan prévoit de solliciter et dont les sources ne rapportent ",
        ),
        (False, "Mobiliser les partenaires que le plan nomme et dont les sources ne rapportent "),
    ):
        chosen = {
            pid: [r for r in acts if bool(_FUNDING.search(str(r.intitule))) == funding] for pid, acts in wanted.items()
        }
        chosen = {pid: acts for pid, acts in chosen.items() if acts}
        if not chosen:
            continue
        order = sorted(chosen, key=lambda pid: (names.get(pid, pid).lower(), pid))
        who = [french.the(names.get(p, p), articles.get(p)) for p in order]
        lines = [_naming_lines(corpus, r.source, pid) for pid in order for r in chosen[pid]]
        # « aucune coopération constatée »: a meeting the plan prepares with a partner (L459) is a link, not a
        # cooperation (twenty-fourth reading)
        steps.append(
            say
            + "encore aucune coopération constatée avec le réseau : "
            + french.join(who)
            + _lines(lines, pages=_pages(corpus))
            + "."
        )
    return steps


# --- counts ---------------------------------------------------------------------------
def actions_by_status(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Actions by current status (``code``, ``Libellé``, ``Nombre``), in the vocabulary's order."""
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    counts = frame["statut_actuel"].value_counts()
    rows = [(s, contract.label(s), int(counts[s])) for s in contract.STATUTS if s in counts.index]
    return pd.DataFrame(rows, columns=["code", "Libellé", "Nombre"])


def actions_by_carrier(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Actions by carrier (``code``, ``Libellé``, ``Nombre``): an action counts once per carrier.

    Most actions first. An action that names no carrier counts for its chantier's
    co-animation (« Co-animation du chantier de l'Axe 4 », code None); one with neither
    carrier nor chantier counts last, as « Sans porteur » (code None).
    """
    territoire = _check(corpus, territoire)
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    names = _names(corpus)
    axes = {c.chantier_id: c.axe for c in chantiers(corpus).values()}
    counts: dict[str, int] = {}
    shared: dict[str, int] = {}
    alone = 0
    for carriers, chantier in zip(frame["porteurs"], frame["chantier"]):
        if carriers:
            for c in carriers:
                counts[c] = counts.get(c, 0) + 1
        elif isinstance(chantier, str):
            label = f"Co-animation du chantier de l'Axe {axes[chantier]}"
            shared[label] = shared.get(label, 0) + 1
        else:
            alone += 1
    rows = [(c, names.get(c, c), n) for c, n in counts.items()] + [(None, k, n) for k, n in shared.items()]
    rows.sort(key=lambda r: (-r[2], r[1].lower()))
    if alone:
        rows.append((None, "Sans porteur", alone))
    return pd.DataFrame(rows, columns=["code", "Libellé", "Nombre"])


# --- for readers ----------------------------------------------------------------------
def _moment(title: object, debut: str | None, fin: str | None) -> str | None:
    """« début » or « fin » when ``title`` ends with « (début 2022) » or « (fin 2022) » and that year is the
    action's only date."""
    found = re.search(r"\((début|fin) (\d{4})\)\s*$", str(title or ""))
    dates = {d for d in (debut, fin) if d}
    return found.group(1) if found and dates == {found.group(2)} else None


def _when(debut, fin, moment: str | None = None) -> str:
    """When an action takes place, in French words, as the plan gives it (``moment``: « début » or « fin » of the
    year, :attr:`ActionFact.moment`)."""

    def at(value) -> str:
        return f"le {french.date(value)}" if len(value) == 10 else f"en {french.date(value)}"

    if moment and (debut or fin):
        return f"{moment} {debut or fin}"
    if debut and fin:
        return at(debut) if debut == fin else f"{french.of(french.date(debut))} à {french.date(fin)}"
    if debut:
        return at(debut)
    if fin:
        return f"au plus tard {at(fin)}"
    return _UNDATED


def _axis(axe) -> str:
    return "Sans axe" if axe is None or axe is pd.NA or pd.isna(axe) else f"Axe {int(axe)}"


def _who(ids, names) -> str:
    return ", ".join(names.get(i, i) for i in ids) if len(ids) else "—"


def _carriers(row, names) -> str:
    """Who carries an action: its named carriers, else its chantier's co-animation (said so), else a dash."""
    if len(row.porteurs):
        return _who(row.porteurs, names)
    coanimation = getattr(row, "coanimation", ())
    if coanimation:
        return f"co-animation du chantier ({_who(coanimation, names)})"
    return "—"


def plan_table(corpus, actions: pd.DataFrame, *, territoire: str | None = None) -> pd.DataFrame:
    """Actions as readers see them: names instead of identifiers, dates in words, French status.

    An action that names no carrier shows its chantier's co-animation, said so. With a
    territory (not national), a « Rôle du territoire » column says whether its actors
    carry the action, join it, co-animate its chantier, or whether it takes place there.
    """
    territoire = _check(corpus, territoire)
    names = _names(corpus)
    rows = []
    local = territoire is not None and not _national(corpus, territoire)
    for row in actions.itertuples(index=False):
        status = getattr(row, "statut_actuel", row.statut)
        item = {
            "Action": row.intitule,
            "Axe": _axis(row.axe),
            "Porteurs": _carriers(row, names),
            "Partenaires": _who(row.partenaires, names),
            "Quand": _when(row.debut, row.fin, _moment(row.intitule, _text(row.debut), _text(row.fin))),
            "Statut": contract.label(status),
        }
        if local:
            item["Rôle du territoire"] = ", ".join(REASONS[r] for r in getattr(row, "concerne", ()))
        rows.append(item)
    columns = ["Action", "Axe", "Porteurs", "Partenaires", "Quand", "Statut"]
    return pd.DataFrame(rows, columns=columns + (["Rôle du territoire"] if local else []))


def _short(text: str, width: int = 70) -> str:
    return cut(text, width)


@drawn_once
def plot_timeline(actions: pd.DataFrame, date_reference=None, ax=None, *, title: str = "Calendrier du plan d'action"):
    """One bar per dated action from its first to its last day, coloured by status.

    A year covers the whole year and a month the whole month. Actions without a date
    are listed apart, under the dated ones, without a bar. A dashed line marks the
    reference date. Dates on the axis are written with French month names.

    Parameters
    ----------
    actions : pandas.DataFrame
        As returned by :func:`actions_for` (or ``corpus.actions``).
    date_reference : str or date, optional
        The line's date (:attr:`ReferenceDate.jour`); ``None`` or ``""``: no line (a
        timeline never reads today's date).
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if isinstance(date_reference, ReferenceDate):
        date_reference = date_reference.jour
    ref = None if date_reference is None or not str(date_reference).strip() else as_date(date_reference)
    spans = [_span(d, f) for d, f in zip(actions["debut"], actions["fin"])]
    status = list(actions["statut_actuel"] if "statut_actuel" in actions else actions["statut"])
    labels = [f"{_axis(a)} · {_short(t)}" for a, t in zip(actions["axe"], actions["intitule"])]
    dated = [i for i, (s, _) in enumerate(spans) if s is not None]
    undated = [i for i, (s, _) in enumerate(spans) if s is None]
    n_rows = len(dated) + (len(undated) + 1 if undated else 0)
    ax = new_axes(ax, (11, max(2.2, 0.32 * n_rows + 1.4)), layout="constrained")
    ticks, tick_labels = [], []
    for y, i in enumerate(dated):
        start, end = spans[i]
        left = mdates.date2num(start)
        width = mdates.date2num(end + dt.timedelta(days=1)) - left  # to the end of the last day
        colour = STATUS_COLOURS.get(status[i], "#bbbbbb")
        ax.barh(y, width, left=left, height=0.6, color=colour, edgecolor="white", gid=str(actions["action_id"].iloc[i]))
        if end == start:  # one day: too thin for a bar to be seen
            ax.plot(left, y, marker="D", markersize=5, color=colour)
        ticks.append(y)
        tick_labels.append(labels[i])
    if undated:
        head = len(dated)
        ax.axhline(head - 0.5, color="#777777", linewidth=0.6)
        ticks.append(head)
        tick_labels.append(f"Sans date ({len(undated)})")
        for k, i in enumerate(undated, start=1):
            ticks.append(head + k)
            tick_labels.append(labels[i])
    ax.set_yticks(ticks, tick_labels, fontsize=7)
    if undated:
        ax.get_yticklabels()[len(dated)].set_fontweight("bold")
    ax.set_ylim(n_rows - 0.5 if n_rows else 0.5, -0.5)
    if ref is not None:
        ax.axvline(mdates.date2num(ref), color="#c0392b", linestyle="--", linewidth=1.2)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))
    ax.xaxis.set_major_formatter(_french_dates())
    ax.tick_params(axis="x", labelsize=8, labelrotation=30)
    present = [s for s in contract.STATUTS if s in {status[i] for i in dated}]
    handles = [Patch(color=STATUS_COLOURS[s], label=contract.label(s)) for s in present]
    if ref is not None:
        handles.append(
            plt.Line2D([], [], color="#c0392b", linestyle="--", label=f"Date de référence : {french.date(ref)}")
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="Statut", frameon=False)
    if not dated:
        ax.text(0.5, 0.5, "Aucune action datée", ha="center", va="center", transform=ax.transAxes)
        middle = ref or dt.date(2000, 1, 1)
        ax.set_xlim(mdates.date2num(middle - dt.timedelta(days=180)), mdates.date2num(middle + dt.timedelta(days=180)))
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _french_dates():
    """A tick formatter writing dates in French: years when every tick is a 1 January, else months or days."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import Formatter

    def text(day: dt.date, years: bool) -> str:
        if day.day != 1:
            return french.date(day.isoformat())
        return str(day.year) if years else french.date(f"{day.year:04d}-{day.month:02d}")

    class FrenchDates(Formatter):
        def __call__(self, x, pos=None):
            return text(mdates.num2date(x).date(), False)

        def format_ticks(self, values):
            days = [mdates.num2date(v).date() for v in values]
            years = all(d.month == 1 and d.day == 1 for d in days)
            return [text(d, years) for d in days]

    return FrenchDates()


# --- the plan of a territory, as facts ------------------------------------------------------
@dataclass(frozen=True)
class ActionFact:
    """One action as a territory's note states it (ids, dates as written, status, why it is there)."""

    action_id: str
    axe: int | None
    intitule: str
    debut: str | None
    fin: str | None
    statut: str
    dernier_suivi: str | None
    porteurs: tuple[str, ...]
    partenaires: tuple[str, ...]
    chantier: str | None
    coanimation: tuple[str, ...]
    concerne: tuple[str, ...]
    source: str | None
    en_retard: dt.date | None
    a_echeance: bool
    #: « début » or « fin » when the plan says when in the year (« Début 2022 », « Fin 2022 », L678-679), as the
    #: title's last brackets record it (the contract's dates are a year at least): :func:`_when` says it.
    moment: str | None = None

    @property
    def ouverte(self) -> bool:
        """Open: neither closed nor a need (a need expressed by a workshop is not an action to carry)."""
        return self.statut not in (*contract.CLOSED_STATUTS, contract.NEED)

    @property
    def besoin(self) -> bool:
        """A need the workshop expressed (``statut`` ``besoin``), not a planned action."""
        return self.statut == contract.NEED

    @property
    def portage(self) -> str:
        """``nomme`` (the plan names its carriers), ``chantier`` (its chantier's co-animation), ``personne``."""
        if self.porteurs:
            return "nomme"
        return "chantier" if self.coanimation else "personne"


@dataclass(frozen=True)
class PlanFacts:
    """What a territory's note states about the plans (see :func:`territory_plan`).

    ``chantiers``: the chantiers that the territory's people or actors co-animate (every
    chantier at the national level); ``horizon``: the end of the « due » window.
    """

    territoire: str | None
    national: bool
    reference: ReferenceDate
    horizon: dt.date | None
    actions: tuple[ActionFact, ...]
    chantiers: tuple[Chantier, ...]

    @property
    def planned(self) -> tuple[ActionFact, ...]:
        """The actions proper: the plan's items but the needs a workshop expressed (:attr:`ActionFact.besoin`)."""
        return tuple(a for a in self.actions if not a.besoin)

    @property
    def besoins(self) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.besoin)

    def by_status(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for a in self.actions:
            counts[a.statut] = counts.get(a.statut, 0) + 1
        return {k: counts[k] for k in contract.STATUTS if k in counts}

    @property
    def en_retard(self) -> tuple[ActionFact, ...]:
        return tuple(sorted((a for a in self.actions if a.en_retard), key=lambda a: a.en_retard))

    @property
    def a_echeance(self) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.a_echeance)

    @property
    def au_chantier(self) -> tuple[ActionFact, ...]:
        """Open actions that name no carrier and fall to their chantier's co-animation."""
        return tuple(a for a in self.actions if a.ouverte and a.portage == "chantier")

    @property
    def sans_porteur(self) -> tuple[ActionFact, ...]:
        """Open actions that name no carrier and have no chantier: nobody carries them."""
        return tuple(a for a in self.actions if a.ouverte and a.portage == "personne")

    def of_chantier(self, chantier_id: str) -> tuple[ActionFact, ...]:
        return tuple(a for a in self.actions if a.chantier == chantier_id)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def territory_plan(corpus, territoire: str | None = None, date_reference=None, *, months: int = 6) -> PlanFacts:
    """The plan of ``territoire`` as facts: its actions, the chantiers it co-animates, the reference date.

    >>> import mesra
    >>> facts = territory_plan(mesra.load_corpus(), "occitanie")
    >>> [c.chantier_id for c in facts.chantiers], len(facts.of_chantier("chantier-axe-4"))
    (['chantier-axe-4'], 12)
    """
    territoire = _check(corpus, territoire)
    ref = reference_date(corpus, date_reference)
    frame, missed, due = _classify(corpus, territoire, ref, months)
    national = _national(corpus, territoire)
    works = sorted(chantiers(corpus).values(), key=lambda c: c.axe)
    if not national:
        members = _members(corpus, territoire)
        works = [c for c in works if members.intersection(c.coanimation)]
    actions = tuple(
        ActionFact(
            action_id=r.action_id,
            axe=None if r.axe is None or pd.isna(r.axe) else int(r.axe),
            intitule=r.intitule,
            debut=_text(r.debut),
            fin=_text(r.fin),
            statut=r.statut_actuel,
            dernier_suivi=_text(r.dernier_suivi),
            porteurs=tuple(r.porteurs),
            partenaires=tuple(r.partenaires),
            chantier=r.chantier if isinstance(r.chantier, str) else None,
            coanimation=tuple(r.coanimation),
            concerne=tuple(r.concerne),
            source=_text(r.source),
            en_retard=m,
            a_echeance=bool(d),
            moment=_moment(r.intitule, _text(r.debut), _text(r.fin)),
        )
        for r, m, d in zip(frame.itertuples(index=False), missed, due)
    )
    horizon = _add_months(ref.jour, months) if ref.jour is not None else None
    return PlanFacts(territoire, national, ref, horizon, actions, tuple(works))


# --- wording (facts → French) ---------------------------------------------------------------
def _of(corpus, ident: str) -> str:
    """« du Mouvement pour l'Économie Solidaire »: an actor with its article, after « de »."""
    row = corpus.acteurs.loc[corpus.acteurs["acteur_id"] == ident]
    return french.of(row["nom"].iloc[0], row["article"].iloc[0]) if len(row) else f"de {ident}"


def _label(corpus, ident: str, *, article: bool = True) -> str:
    """An actor with its article (« le Mouvement pour l'Économie Solidaire »), a person with their organisation."""
    a = corpus.acteurs
    row = a.loc[a["acteur_id"] == ident]
    if len(row):
        return french.the(row["nom"].iloc[0], row["article"].iloc[0] if article else None)
    p = corpus.personnes
    row = p.loc[p["personne_id"] == ident]
    if not len(row):
        return ident
    name = _names(corpus).get(ident, ident)
    org = row["acteur_id"].iloc[0]
    found = a.loc[a["acteur_id"] == org] if isinstance(org, str) else a.iloc[0:0]
    if len(found):
        sigle = found["sigle"].iloc[0]
        name += f" ({sigle if isinstance(sigle, str) and sigle else found['nom'].iloc[0]})"
    return name


def _referent_role(corpus, pid: str, chantier_id: str) -> str:
    """The référent's role on the chantier as ``roles.csv`` words it (first word), else « référent »."""
    r = corpus.roles
    found = r.loc[(r["personne_id"] == pid) & (r["acteur_id"] == chantier_id), "fonction"].dropna()
    if len(found):
        word = str(found.iloc[0]).split(",")[0].strip()
        if word:
            return word[0].lower() + word[1:]
    return "référent"


def _coanimators(corpus, chantier: Chantier) -> list[str]:
    """``la coordination nationale du Mouvement …``, ``Bérénice DONDEYNE (MES Occitanie), référente``."""
    echelons = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["echelon"]))
    orgs = [
        f"la coordination nationale {_of(corpus, i)}" if echelons.get(i) == "national" else _label(corpus, i)
        for i in chantier.coanimation
        if i not in chantier.referents
    ]
    refs = [f"{_label(corpus, p)}, {_referent_role(corpus, p, chantier.chantier_id)}" for p in chantier.referents]
    return [*orgs, *refs]


def common_coanimation(corpus, chantiers) -> str | None:
    """« la coordination nationale du Mouvement … » when it, alone besides the référents, co-animates every one
    of ``chantiers`` (L257), else None."""
    others = {tuple(i for i in c.coanimation if i not in c.referents) for c in chantiers}
    if len(others) != 1:
        return None
    (ids,) = others
    first = next(iter(chantiers))
    return french.join(_coanimators(corpus, replace(first, coanimation=ids, referents=()))) if ids else None


def plan_size(actions) -> int:
    """The actions of a plan (:class:`ActionFact`), the needs a workshop expressed left out."""
    return sum(1 for a in actions if not a.besoin)


def chantier_subject(corpus, chantier_id: str) -> str | None:
    """What a chantier is about, from its name (« Chantier coopératif Axe 2 : évaluation de l'utilité sociale et de
    l'impact social » → « évaluation de l'utilité sociale et de l'impact social »); None when its name does not say.
    Twenty-first reading: the chantiers' « Axe 4 » read as the note de cadrage's axes d'analyse; each is said with
    its subject the first time.

    >>> import types, pandas as pd
    >>> c = types.SimpleNamespace(acteurs=pd.DataFrame({"acteur_id": ["x"], "nom": ["Chantier Axe 1 : l'innovation"]}))
    >>> chantier_subject(c, "x"), chantier_subject(c, "y")
    ("l'innovation", None)
    """
    names = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["nom"]))
    name = names.get(chantier_id)
    if not isinstance(name, str) or " : " not in name:
        return None
    return name.split(" : ", 1)[1].strip() or None


def plan_count(actions) -> str:
    """« 11 actions et 1 besoin exprimé »: the actions of a plan, the needs a workshop expressed apart."""
    needs = len(actions) - plan_size(actions)
    words = french.plural(plan_size(actions), "action")
    return words + (f" et {french.plural(needs, 'besoin exprimé', 'besoins exprimés')}" if needs else "")


#: A compact chantier line names at most this many deliverables (« et 5 autres »).
DELIVERABLES_SHOWN = 3


def coanimation_sentence(
    corpus,
    chantier: Chantier,
    *,
    n_actions: int | None = None,
    actions=None,
    first=False,
    lines: bool = True,
    needs: tuple[str, ...] = (),
    compact: bool = False,
    deliverables: tuple[str, ...] = (),
    plan_lines: str | None = None,
) -> str:
    """« Le chantier de l'Axe 4 est co-animé par la coordination nationale du Mouvement … et Bérénice DONDEYNE
    (MES Occitanie), référente ; le plan du chantier compte 11 actions et 1 besoin exprimé (L257, L858…). »

    ``actions`` (:class:`ActionFact`) counts the needs apart (:func:`plan_count`); ``n_actions`` counts all.
    ``first`` (an :class:`ActionFact`, see :func:`first_dated`) adds the chantier's first dated action, None
    that none is dated;
    ``lines=False`` leaves the source's lines out (a page that cites them in its notes);
    ``needs``: the titles of the needs the workshop expressed, as the page says them (France's fiche, twelfth
    reading: « 1 besoin exprimé » never said which, L458, L844, L1001);
    ``compact``: « Chantier de l'Axe 1 : Fabrice PENASSE (PESAD 21), référent ; le plan compte … », for a page that says
    once what co-animates every chantier (:func:`common_coanimation`);
    ``deliverables`` (compact only): what the plan's actions are to produce (sixteenth reading: France's fiche
    counted each chantier's actions and never said what they would deliver);
    ``plan_lines``: a locator of the plan's own lines, said after its count (twenty-eighth reading: « le plan compte
    18 actions » cited only the référents' lines, L257, L478).
    """
    counted = _lines([plan_lines], pages=_pages(corpus)) if plan_lines else ""
    if compact:
        refs = _coanimators(corpus, replace(chantier, coanimation=tuple(chantier.referents)))
        text = f"Chantier de l'Axe {chantier.axe} : {french.join(refs) or 'aucun référent nommé'} ; le plan compte"
        text += f" {plan_count(actions) if actions is not None else french.plural(n_actions or 0, 'action')}"
        text += counted
        if needs:
            text += " (" + " ; ".join(needs) + ")"
        if deliverables:
            # all of them when only one would be left out: « et 1 autre » takes the room of its name
            shown = list(
                deliverables if len(deliverables) <= DELIVERABLES_SHOWN + 1 else deliverables[:DELIVERABLES_SHOWN]
            )
            rest = len(deliverables) - len(shown)
            text += " ; à produire : " + (
                french.join([*shown, french.plural(rest, "autre")]) if rest else french.join(shown)
            )
        elif first is None:
            text += " ; aucune n'est datée"
        elif first is not False:
            text += f" ; la première datée : {first.intitule}, {_when(first.debut, first.fin, first.moment)}"
        return text + (_lines(chantier.sources, pages=_pages(corpus)) if lines else "") + "."
    who = french.join(_coanimators(corpus, chantier)) or "personne que le corpus nomme"
    text = f"Le chantier de l'Axe {chantier.axe} est co-animé par {who}"
    if actions is not None:
        text += f" ; le plan du chantier compte {plan_count(actions)}{counted}"
        if needs:
            text += " (" + " ; ".join(needs) + ")"
    elif n_actions is not None:
        text += f" ; le plan du chantier compte {french.plural(n_actions, 'action')}"
    if first is None:
        text += " ; aucune n'est datée"
    elif first is not False:
        text += f" ; la première datée : {first.intitule}, {_when(first.debut, first.fin, first.moment)}"
    return text + (_lines(chantier.sources, pages=_pages(corpus)) if lines else "") + "."


def named_in_actions(corpus) -> dict[str, int]:
    """How many actions of the plans name each actor or person, as carrier or partner (once per action)."""
    out: dict[str, int] = {}
    for carriers, partners in zip(corpus.actions["porteurs"], corpus.actions["partenaires"]):
        said = [*(carriers if isinstance(carriers, list) else ()), *(partners if isinstance(partners, list) else ())]
        for ident in set(said):
            out[ident] = out.get(ident, 0) + 1
    return out


def first_dated(actions):
    """The open action of ``actions`` the plan dates first (by its start, else its end), or None; of those
    dated alike, the first in the plan's order (ninth reading: the Axe 2 calendar's January 2020 opens with
    the European group's launch, L660, not with one of its sub-items, L661; Axe 4's with the campaign
    towards the FSMET, L993, not with the Transformadora platform, L994)."""
    dated = [a for a in actions if a.ouverte and (a.debut or a.fin)]

    def line(a) -> int:  # the last line its locator cites, its own item's (L991,L994 is the calendar's head
        # and the item); none: after those that cite one
        found = [int(n) for n in re.findall(r"\d+", (a.source or "").partition("#")[2])]
        return max(found, default=10**9)

    return min(dated, key=lambda a: (a.debut or a.fin, a.fin or a.debut, line(a), a.action_id), default=None)


def status_line(action: ActionFact, ref: ReferenceDate, *, said_once: bool = False) -> str:
    """One status line per action, for the *fiche territoire*: when, status, and the follow-up (or its lack).

    ``said_once``: with no follow-up recorded at all, the page says so once (:func:`reference_sentence`)
    and the line leaves out « aucun suivi depuis le plan … ».
    """
    status = _STATUS_WORDS.get(action.statut, action.statut)
    when = _when(action.debut, action.fin, action.moment)
    if said_once and not ref.suivi and action.en_retard is None and not action.dernier_suivi:
        if when == _UNDATED and action.statut in _UNDATED_WORDS:
            return f"{action.intitule} : {_UNDATED_WORDS[action.statut]}."
        return f"{action.intitule} : {when}, {status}."
    if action.en_retard is not None:
        follow = f"échéance passée le {french.date(action.en_retard.isoformat())} sans suivi depuis : à faire le point"
    elif action.dernier_suivi:
        follow = f"suivi du {french.date(action.dernier_suivi)}"
    elif not ref.suivi:
        follow = f"aucun suivi depuis {_plan_words(ref.plan)}"
    else:
        follow = "pas encore de suivi"
    return f"{action.intitule} : {when}, {status} ({follow})."


def plan_finding(corpus, facts: PlanFacts) -> tuple[str, list[str]] | None:
    """The brief's finding on the plan: the chantiers the territory co-animates, and where the follow-up stands.

    None when no action concerns the territory.
    """
    if not facts.actions:
        return None
    ref = facts.reference
    parts, sources = [], []
    if not facts.national:
        for c in facts.chantiers:
            refs = [p for p in c.referents if p in _members(corpus, facts.territoire)]
            who = french.join(_label(corpus, p) for p in refs) or french.join(
                _label(corpus, i) for i in c.coanimation if i in _members(corpus, facts.territoire)
            )
            role = _referent_role(corpus, refs[0], c.chantier_id) if len(refs) == 1 else "co-animation"
            subject = chantier_subject(corpus, c.chantier_id)
            parts.append(
                f"{who} co-anime le chantier de l'Axe {c.axe}{f' ({subject})' if subject else ''}, {role}, "
                "avec la coordination nationale : "
                f"le plan du chantier compte {plan_count(facts.of_chantier(c.chantier_id))}"
            )
            sources += list(c.sources)
    elif facts.chantiers:
        refs = [p for c in facts.chantiers for p in c.referents]
        n = sum(1 for a in facts.planned if a.chantier)
        parts.append(
            (f"{french.number(n)} des {len(facts.planned)} actions" if n < len(facts.planned) else "les actions")
            + " du plan relèvent "
            + ("du chantier, " if len(facts.chantiers) == 1 else f"des {len(facts.chantiers)} chantiers, ")
            + "chacun co-animé par la coordination nationale"
            # the référents are named just below, with their chantier (ninth reading: France's fiche on 2 pages)
            + (" et un référent" if refs else "")
        )
        sources += [src for c in facts.chantiers for src in c.sources]
    late, due = facts.en_retard, facts.a_echeance
    # no follow-up recorded: a region's fiche says so once, under the heading of its part on the actions, and the
    # finding does not (twenty-fourth reading: « aucun suivi » three times on two pages); France's fiche has no room
    # for that sentence: its finding says it (twenty-seventh reading: « every 2020–2022 action reads as current »)
    if not ref.suivi and facts.national and parts:
        parts.append(f"les sources ne disent pas où elles en sont depuis {_plan_words(ref.plan)}")
    if ref.suivi:
        if late:
            parts.append(
                f"au {french.date(ref.iso)}, {french.plural(len(late), 'action')} "
                + ("attend" if len(late) == 1 else "attendent")
                + " un point (échéance passée sans suivi)"
            )
            sources += [a.source for a in late if a.source]
        if due:
            parts.append(
                f"{french.plural(len(due), 'action')} "
                + ("arrive" if len(due) == 1 else "arrivent")
                + f" à échéance d'ici le {french.date(facts.horizon.isoformat())}"
            )
            sources += [a.source for a in due if a.source]
    if not parts:
        return None
    text = " ; ".join(parts)
    return text[0].upper() + text[1:] + ".", list(dict.fromkeys(sources))


# --- the brief's section ----------------------------------------------------------------
@dataclass
class PlanSection(Section):
    """The brief's plan section; displayed, it records the plan's state in the output's metadata.

    The executed notebook thus keeps, invisibly, what :func:`changes_since` compares
    with at the next run (key :data:`SNAPSHOT_KEY`, then ``plan``).
    """

    snapshot: dict = field(default_factory=dict, repr=False)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {}, {SNAPSHOT_KEY: {"plan": self.snapshot}}


def _lines(locators, before: str = "", pages=None) -> str:
    """`` (lignes 663-664)``, or `` (en mars 2020 ; p. 23)``: where the passages are (:func:`where_in_words`:
    ``pages``, the corpus's ``source_pages``, gives the printed pages)."""
    shown = where_in_words(locators, pages)
    parts = [p for p in (before, shown) if p]
    return f" ({' ; '.join(parts)})" if parts else ""


def _pages(corpus):
    """The printed pages the corpus places (``sources/pages.csv``), or None."""
    return printed_pages.of(corpus) or None


def _scope(national: bool, acts) -> str:
    """« le plan d'action compte 45 actions et 2 besoins exprimés », « 16 actions du plan d'action concernent… »."""
    actions, n = plan_count(acts), len(acts)
    if national:
        return f"le plan d'action compte {actions}"
    verb = "concerne" if n < 2 else "concernent"
    return (
        f"{actions} du plan d'action {verb} ce territoire (portées ou rejointes par ses acteurs ou ses "
        "personnes, de chantiers qu'ils co-animent, ou situées sur place)"
    )


def _frame_of(corpus, facts: PlanFacts, keep) -> pd.DataFrame:
    """The rows of ``actions_for`` for the facts' actions that ``keep`` selects (for :func:`plan_table`)."""
    ids = [a.action_id for a in facts.actions if keep(a)]
    frame = actions_for(corpus, facts.territoire, date_reference=facts.reference)
    return frame.set_index("action_id").loc[ids].reset_index()


def plan_section(
    corpus, territoire: str | None = None, date_reference=None, *, title: str = "Plan d'action et suivi"
) -> PlanSection:
    """The brief's section on the action plans (see the module docstring).

    The reference date and whether any follow-up was recorded; the chantiers the
    territory co-animates; what its actors and people carry or join, the actions of those
    chantiers and the national actions they take part in, with the current status; then
    what is due within six months, what is past due with no follow-up (« à faire le
    point », only when a follow-up is recorded), and what names no carrier — falling to its
    chantier's co-animation, or to nobody. Display it as a cell's result: its output also
    records the plan's state for :func:`changes_since`.
    """
    territoire = _check(corpus, territoire)
    facts = territory_plan(corpus, territoire, date_reference)
    ref = facts.reference
    frame = actions_for(corpus, territoire, date_reference=ref)
    s = PlanSection(title, snapshot=plan_snapshot(corpus, territoire, date_reference=ref, _frame=frame))
    if not facts.actions:
        s.paragraphs.append(
            "Aucune action des plans d'action ne concerne ce territoire : ni ses acteurs ni ses personnes "
            "n'en portent ou n'en rejoignent, n'en co-animent le chantier, et aucune n'y est située."
        )
        return s
    s.paragraphs.append(reference_sentence(ref))
    if facts.national and facts.chantiers:
        s.paragraphs.append(
            "Chaque chantier est co-animé par la coordination nationale et des référents désignés (ligne 257) : "
            "une action que le plan ne confie à personne revient à cette co-animation."
        )
    s.bullets += [coanimation_sentence(corpus, c, actions=facts.of_chantier(c.chantier_id)) for c in facts.chantiers]
    counts = facts.by_status()  # the needs are counted apart, by _scope
    parts = [f"{french.number(n)} {_status_word(k, n)}" for k, n in counts.items() if k != contract.NEED]
    at = f"Au {french.date(ref.iso)}, " if ref.jour is not None else ""
    s.paragraphs.append(
        f"{at}{_scope(facts.national, facts.actions)} : {french.join(parts)}."
        + (" Le statut est celui du dernier suivi à cette date, sinon celui du plan." if ref.suivi else "")
    )
    s.add_table(
        "Actions du plan" if facts.national else "Actions du territoire",
        plan_table(corpus, frame, territoire=territoire),
    )
    if facts.horizon is not None:
        s.add_table(
            (
                f"Prévues par {_plan_words(ref.plan)} dans les six mois, d'ici le "
                if ref.origine == "plan"
                else "À échéance d'ici le "
            )
            + french.date(facts.horizon.isoformat()),
            plan_table(corpus, _frame_of(corpus, facts, lambda a: a.a_echeance)),
            empty="Aucune action à échéance dans les six mois.",
        )
    if ref.suivi:
        s.add_table(
            "À faire le point : échéance passée sans suivi depuis",
            plan_table(corpus, _frame_of(corpus, facts, lambda a: a.en_retard is not None)),
            empty="Aucune action en retard sans suivi.",
        )
    if facts.au_chantier:
        s.add_table(
            "Sans porteur nommé : l'action revient à la co-animation de son chantier",
            plan_table(corpus, _frame_of(corpus, facts, lambda a: a.ouverte and a.portage == "chantier")),
        )
    if facts.sans_porteur:
        s.add_table(
            "Sans porteur : ni porteur nommé ni chantier",
            plan_table(corpus, _frame_of(corpus, facts, lambda a: a.ouverte and a.portage == "personne")),
        )
    if not facts.au_chantier and not facts.sans_porteur:
        s.paragraphs.append("Toutes les actions ouvertes nomment leur porteur.")
    s.cite(*(src for c in facts.chantiers for src in c.sources))
    s.cite(*sort_locators(a.source for a in facts.actions if a.source))
    s.cite(*sort_locators(corpus.suivi.loc[corpus.suivi["action_id"].isin(frame["action_id"]), "source"].dropna()))
    s.notes += [
        "Une action datée d'un mois couvre tout le mois, d'une année toute l'année ; « Quand » reprend le plan.",
        "« Porteurs » : ceux que le plan nomme ; à défaut, la co-animation du chantier de l'action, dite comme telle.",
        "La date de référence est celle du corpus (dernière entrée du journal de suivi, sinon date du plan), "
        "jamais le jour où la note est lue.",
        "Pour mettre le plan à jour, ajoutez une ligne au journal de suivi (tableau « suivi » du corpus) : "
        "action, date, statut, note.",
    ]
    if ref.suivi:
        s.notes.insert(
            3,
            "« À faire le point » : la fin (ou, pour une action qui n'a pas commencé, le début) est passée sans "
            "entrée dans le journal de suivi depuis.",
        )
    return s


def follow_up_section(
    corpus, territoire: str | None = None, date_reference=None, *, title: str = "Date de référence et suivi"
) -> Section:
    """The reference date, whether a follow-up was recorded, and who co-animates each chantier (notebook 05)."""
    facts = territory_plan(corpus, territoire, date_reference)
    s = Section(title)
    s.paragraphs.append(reference_sentence(facts.reference))
    if facts.reference.origine == "plan":
        s.paragraphs.append(
            f"Date de référence : le {french.date(facts.reference.iso)}, la date la plus récente que donnent les "
            "sources du plan ; jamais le jour où la page est produite ou lue."
        )
    if facts.chantiers:
        s.paragraphs.append(
            "Chaque chantier est co-animé par la coordination nationale et des référents désignés (ligne 257) : une "
            "action que le plan ne confie à personne revient à cette co-animation."
        )
    s.bullets += [coanimation_sentence(corpus, c, actions=facts.of_chantier(c.chantier_id)) for c in facts.chantiers]
    s.cite(*(src for c in facts.chantiers for src in c.sources))
    return s


def _status_word(status: str, n: int) -> str:
    word = _STATUS_WORDS.get(status, status)
    return word + "s" if n > 1 and word != "en cours" else word


#: A next step names an action by its title cut at this many characters.
STEP_TITLE = 80


def _partners_only(actions, short: bool = False) -> str:
    """« (2 nomment des partenaires, pas de porteur) » (fourteenth reading: Normandie's
    note named the Axe 3 plan's Cercle 1, L781, then asked who carries its actions, as if that contradicted it)."""
    named = sum(1 for a in actions if a.partenaires)
    if not named:
        return ""
    if len(actions) == 1:
        return " (le plan lui nomme des partenaires, pas de porteur)"
    if short:  # the step says « sans porteur nommé » once for every chantier
        return f" (dont {named} nomment des partenaires)"
    return f" ({named} nomment des partenaires, pas de porteur)"


def _carrier_steps(corpus, facts: PlanFacts) -> list[str]:
    """Next steps for what names no carrier: confirm with each chantier's co-animation; find a carrier for the rest."""
    steps = []
    per_chantier = []
    for c in facts.chantiers if not facts.national else sorted(chantiers(corpus).values(), key=lambda c: c.axe):
        mine = [a for a in facts.au_chantier if a.chantier == c.chantier_id]
        if mine:
            per_chantier.append((c, mine))
    if len(per_chantier) == 1:
        ((c, mine),) = per_chantier
        steps.append(
            "Confirmer qui porte "
            + (f"les {french.plural(len(mine), 'action')}" if len(mine) > 1 else "l'action")
            + f" du chantier de l'Axe {c.axe} sans porteur nommé, avec sa co-animation : "
            + french.join(_label(corpus, i) for i in c.coanimation)
            + _partners_only(mine)
            + "."
        )
    elif per_chantier:  # one step for every chantier (twenty-seventh reading: four bullets alike in France's note)
        steps.append(
            "Confirmer, avec la co-animation de chaque chantier, qui porte ses actions sans porteur nommé : "
            + " ; ".join(
                f"chantier de l'Axe {c.axe}, {french.plural(len(mine), 'action')}"
                + f"{_partners_only(mine, short=True)}, avec "
                + french.join(_label(corpus, i) for i in c.coanimation)
                for c, mine in per_chantier
            )
            + "."
        )
    alone = facts.sans_porteur
    if len(alone) > _MAX_STEPS:
        steps.append(
            f"Trouver qui porte les {french.plural(len(alone), 'action')} du plan qui n'ont ni porteur ni chantier."
        )
    elif alone:
        what = "l'action sans porteur" if len(alone) == 1 else f"les {french.plural(len(alone), 'action')} sans porteur"
        steps.append(
            f"Trouver qui porte {what} ni chantier : "
            + " ; ".join(a.intitule for a in alone)
            + _lines((a.source for a in alone if a.source), pages=_pages(corpus))
            + "."
        )
    return steps


def _titled(title: str) -> str:
    """An action named in a sentence by its title, which sums up its line and is not a quotation of it (twentieth
    reading: « … » read as the proceedings' words): never in guillemets."""
    return f"l'action intitulée {title}"


def plan_next_steps(corpus, territoire: str | None = None, date_reference=None, *, months: int = 6) -> list[str]:
    """The sentences the brief's next steps lead with: the follow-up, past-due and due actions, carriers, partners.

    Without any follow-up entry, the first step is to start the follow-up log (nothing is
    called overdue). Each sentence ends with the lines of the source it rests on. Up to
    five actions of a kind are named one by one; beyond, one sentence counts them and
    names the first (the section « Plan d'action et suivi » lists them all). Empty when the
    plan has nothing to say for the territory.
    """
    territoire = _check(corpus, territoire)
    facts = territory_plan(corpus, territoire, date_reference, months=months)
    if not facts.actions:
        return []
    ref = facts.reference
    names = _names(corpus)
    steps = []
    if not ref.suivi:
        steps.append(
            f"Suivre les actions : le corpus ne contient aucun suivi depuis {_plan_words(ref.plan)} ; "
            f"noter pour chaque action une date, son état et une remarque permettra de dire où en "
            + ("sont " if len(facts.planned) > 1 else "est ")
            + f"{french.the_count(len(facts.planned), 'action')} de cette note."
        )
    late, coming = facts.en_retard, facts.a_echeance
    if len(late) > _MAX_STEPS:
        first = late[0]
        steps.append(
            f"Faire le point sur {french.plural(len(late), 'action')} dont l'échéance est passée sans suivi "
            f"depuis, à commencer par {_titled(first.intitule)}"
            f"{_lines([first.source], _when(first.debut, first.fin, first.moment), _pages(corpus))}."
        )
    else:
        steps += [
            f"Faire le point sur {_titled(a.intitule)} : {_when(a.debut, a.fin, a.moment)}, "
            f"toujours {_STATUS_WORDS[a.statut]}"
            f" sans suivi depuis le {french.date(a.en_retard.isoformat())}{_lines([a.source], pages=_pages(corpus))}."
            for a in late
        ]
    if coming and ref.origine == "plan":  # read at the plan's own date: what it meant to do first, not a to-do
        first = coming[0]
        steps.append(
            "Dire où en "
            + ("sont " if len(coming) > 1 else "est ")
            + f"{french.the_count(len(coming), 'action')} que {_plan_words(ref.plan)} faisait commencer ou finir "
            # a month of the plan (« en juin 2020 », L667) may end after the day six months on (twenty-eighth reading:
            # « jusqu'au 4 juin 2020 » with actions of June): the window said by its month
            f"dans les six mois (d'ici {french.date(facts.horizon.isoformat()[:7])})"
            # the title cut (the action is named, not quoted whole: BFC's « Rencontre … (54 boulevard Raspail…) »)
            + (
                f", dont {_titled(cut(first.intitule, STEP_TITLE))}"
                if len(coming) > 1
                else f" : {_titled(cut(first.intitule, STEP_TITLE))}"
            )
            + f"{_lines([first.source], _when(first.debut, first.fin, first.moment), _pages(corpus))}."
        )
        coming = ()
    if len(coming) > _MAX_STEPS:
        steps.append(
            f"Préparer {french.plural(len(coming), 'action')} à échéance d'ici le "
            f"{french.date(facts.horizon.isoformat())}, dont {_titled(coming[0].intitule)}"
            f"{_lines([coming[0].source], _when(coming[0].debut, coming[0].fin, coming[0].moment), _pages(corpus))}."
        )
    for a in coming if len(coming) <= _MAX_STEPS else ():
        verb = "Mener à terme" if a.statut == "en_cours" else "Préparer"
        who = f", portée par {french.join(names.get(p, p) for p in a.porteurs)}" if a.porteurs else ""
        when = _when(a.debut, a.fin, a.moment)
        steps.append(f"{verb} {_titled(a.intitule)} : {when}{who}{_lines([a.source], pages=_pages(corpus))}.")
    steps += _carrier_steps(corpus, facts)
    steps += _wanted_steps(corpus, territoire, ref)
    return steps


# --- since the previous brief -----------------------------------------------------------
def plan_snapshot(corpus, territoire: str | None = None, *, date_reference=None, _frame=None) -> dict:
    """The plan's state for a territory, as JSON-ready data: what the next brief compares with.

    ``date_reference``: the reference date (:func:`reference_date`, None without one);
    ``suivi``: whether any follow-up entry was recorded by then; ``actions``: per action,
    its status, title and latest follow-up date.
    """
    territoire = _check(corpus, territoire)
    ref = reference_date(corpus, date_reference)
    frame = _frame if _frame is not None else actions_for(corpus, territoire, date_reference=ref)
    return {
        "version": _SNAPSHOT_VERSION,
        "territoire": territoire,
        "date_reference": ref.iso,
        "suivi": ref.suivi,
        "actions": {
            r.action_id: {
                "statut": r.statut_actuel,
                "intitule": r.intitule,
                "debut": _text(r.debut),
                "fin": _text(r.fin),
                "dernier_suivi": _text(r.dernier_suivi),
            }
            for r in frame.itertuples(index=False)
        },
    }


def read_plan_snapshot(path) -> dict | None:
    """The plan's state recorded in an executed notebook (the last one found), or None.

    Looks in the outputs' metadata (what :class:`PlanSection` writes) and in the
    notebook's own metadata, under ``mesra`` → ``plan``.
    """
    try:
        nb = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    found = (nb.get("metadata", {}).get(SNAPSHOT_KEY) or {}).get("plan")
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            plan = (output.get("metadata", {}).get(SNAPSHOT_KEY) or {}).get("plan")
            if isinstance(plan, dict) and isinstance(plan.get("actions"), dict):
                found = plan
    return found if isinstance(found, dict) and isinstance(found.get("actions"), dict) else None


def read_facts(previous) -> dict | None:
    """The facts kept beside the published note ``previous`` (its ``.ipynb``), or None."""
    path = Path(previous)
    try:
        facts = json.loads(path.with_name(f".{path.stem}{FACTS_SUFFIX}").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    plan = (facts.get("faits") or {}).get("plan") if isinstance(facts, dict) else None
    return facts if isinstance(plan, dict) and isinstance(plan.get("actions"), dict) else None


def save_facts(note, corpus, snapshot: dict) -> Path:
    """Keep the facts of the note ``note`` (its ``.ipynb``) beside it, as ``mesra briefs`` does.

    ``snapshot``: the plan's state (:func:`plan_snapshot`); ``corpus``: what it was made from
    (its origin and pseudonymisation are recorded, never its path).
    """
    from mesra.corpus.privacy import origin_of
    from mesra.files import atomic_write_json

    note = Path(note)
    target = note.with_name(f".{note.stem}{FACTS_SUFFIX}")
    facts = {
        "version": 1,
        "origine": origin_of(getattr(corpus, "path", None)),
        "pseudonymise": bool(corpus.pseudonymised),
        "corpus": corpus.hash,
        "territoire": snapshot.get("territoire"),
        "faits": {"plan": snapshot},
    }
    atomic_write_json(target, facts)
    return target


def changes_since(previous, corpus, territoire: str | None = None, *, date_reference=None, findings=None) -> list[str]:
    """« Depuis la note précédente » : what changed since the previous note, in French sentences.

    Compares the facts the previous note kept (:func:`mesra.analysis.since.previous_facts`:
    the facts file beside it, else its notebook's outputs) with this note's
    (:func:`mesra.analysis.since.note_facts`) — never the previous page's text. Says
    « première note » when there is none, and « rien n'a changé » only when the two were compared.

    What is compared is the facts file the batch kept beside the previous note
    (``.<stem>.faits.json``), never the note's page: and only when it comes from the same
    corpus origin (:func:`~mesra.corpus.privacy.origin_of`) and the same pseudonymisation
    as ``corpus`` — so that a pseudonymised note never shows a title read from a note with
    real names, nor a note one corpus's actions from another corpus published in the same folder.

    Parameters
    ----------
    previous : str or Path or None
        The previous executed brief (``.ipynb``) of the territory; ``None``, ``""`` or a
        missing file: no previous brief (« première note »).
    findings : iterable of str, optional
        This note's findings, compared with the previous note's when both recorded them.
    """
    from mesra.analysis.since import note_facts, since_previous, since_sentences

    now = note_facts(corpus, territoire, date_reference=date_reference, findings=findings)
    return since_sentences(since_previous(previous, now))
