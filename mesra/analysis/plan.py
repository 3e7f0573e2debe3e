"""The action plans: what the network decided to do, who carries it, when, and where it stands.

Research-action is a cycle: plan, act, observe, reflect, plan again. ``actions.csv``
holds the plans (who carries each action, who joins it, when), ``suivi.csv`` the
follow-up log. This module reads them as of a reference date (``date_reference``:
``None`` or ``""`` is today; tests and briefs fix it):

- :func:`actions_for` — the actions of a territory (carried or joined by its actors or
  people, or located in it), each with its current status: the latest follow-up entry
  dated on or before the reference date, otherwise the plan's ``statut``;
- :func:`due_within`, :func:`past_due`, :func:`without_carrier`,
  :func:`partners_to_mobilise` — what is due, what to review ("à faire le point"), what
  nobody carries, which partners no tie joins to the network yet;
- :func:`plot_timeline` — one bar per action from start to end, coloured by status;
- :func:`plan_section`, :func:`plan_next_steps`, :func:`changes_since` — what the
  research-action brief says.

Dates are read as the period they cover (:mod:`mesra.corpus.dates`): ``2022`` is the
whole year, ``2020-06`` the whole month. An open action (neither ``fait`` nor
``abandonne``) is *past due* when its end has passed — or, still ``prevu`` or
``reporte``, its start — with no follow-up entry since; it is *due* when its start
or its end falls between the reference date and ``months`` later.

How the brief (``notebooks/04-note-recherche-action.ipynb``) uses it: it declares the
parameters ``date_reference: str = ""`` and ``note_precedente: str = ""`` (``mesra
briefs`` fills the latter with the path of the territory's previously published
brief, and redoes a notebook declaring the former on each new day); it displays
``plan_section(corpus, territoire, date_reference)`` as a cell's result (the output
records the plan's state, invisibly, for the next brief) and
``plot_timeline(actions_for(corpus, territoire, date_reference=date_reference),
date_reference)``; its next steps start with ``plan_next_steps(corpus, territoire,
date_reference)``; « Depuis la note précédente » lists ``changes_since(note_precedente
or None, corpus, territoire, date_reference=date_reference)`` when it is not empty.

>>> import mesra
>>> corpus = mesra.load_corpus()
>>> plan = actions_for(corpus, "occitanie", date_reference="2020-01-01")
>>> "axe2-communication-groupe-europeen" in set(plan["action_id"])
True
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mesra import french
from mesra.analysis.sections import Section, sort_locators
from mesra.corpus import contract
from mesra.corpus.dates import as_date, period
from mesra.corpus.geo import check_territory
from mesra.figures import drawn_once, new_axes

__all__ = [
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
    "changes_since",
    "PlanSection",
    "STATUS_COLOURS",
    "SNAPSHOT_KEY",
]

#: Territories whose plan is the whole plan (the national level).
NATIONAL = ("fr",)


def _whole_plan(corpus, territoire) -> bool:
    """Whether ``territoire`` takes every action: none, France, or a territory that contains France
    (Europe, Monde): a parent territory's actions include its children's."""
    return territoire is None or any(t in NATIONAL for t in corpus.territory_ids(territoire))


#: Colour of each status on the timeline.
STATUS_COLOURS = {
    "prevu": "#4c78a8",
    "en_cours": "#f58518",
    "fait": "#54a24b",
    "reporte": "#b279a2",
    "abandonne": "#9d9d9d",
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
}
#: Key of the plan's snapshot in a notebook output's metadata (see :func:`plan_snapshot`).
SNAPSHOT_KEY = "mesra"
_SNAPSHOT_VERSION = 1
#: Beyond this many new actions, :func:`changes_since` counts them instead of naming them.
_MAX_NAMED = 8
#: Beyond this many actions of a kind, :func:`plan_next_steps` counts them in one sentence.
_MAX_STEPS = 5


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


def _follow_ups(suivi: pd.DataFrame, ref: dt.date) -> tuple[dict, dict]:
    """Per action: the latest entry on or before ``ref`` (status, date text), and all entry dates."""
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
    """Identifiers of the territory's actors and of the people attached to them."""
    actors = set(corpus.actors_in(territoire)["acteur_id"])
    people = corpus.personnes
    return actors | set(people.loc[people["acteur_id"].isin(actors), "personne_id"])


def _check(corpus, territoire) -> None:
    if territoire is not None:
        check_territory(territoire, corpus.territoires["territoire_id"])


def actions_for(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """The actions of ``territoire``, with their current status as of ``date_reference``.

    An action belongs to a territory when one of its carriers or partners is an actor
    located there (sub-territories included) or a person attached to such an actor, or
    when its ``territoire_id`` is in the territory. ``None`` and ``fr`` take every action.

    Returns
    -------
    pandas.DataFrame
        The columns of ``actions.csv`` plus ``statut_actuel`` (latest follow-up on or
        before the reference date, else ``statut``), ``dernier_suivi`` (its date, or
        None), ``periode_debut`` and ``periode_fin`` (first and last day covered, or
        None), sorted by axis, start and identifier.

    Raises
    ------
    ParameterError
        Unknown territory, or a reference date that is not ``AAAA-MM-JJ``.
    """
    ref = as_date(date_reference)
    _check(corpus, territoire)
    frame = corpus.actions
    if not _whole_plan(corpus, territoire):
        members = _members(corpus, territoire)
        inside = set(corpus.territory_ids(territoire))
        keep = [
            bool(members.intersection(p) or members.intersection(q)) or t in inside
            for p, q, t in zip(frame["porteurs"], frame["partenaires"], frame["territoire_id"])
        ]
        frame = frame.loc[keep]
    frame = frame.copy()
    latest, _ = _follow_ups(corpus.suivi, ref)
    frame["statut_actuel"] = [latest.get(a, (s, None))[0] for a, s in zip(frame["action_id"], frame["statut"])]
    frame["dernier_suivi"] = [latest.get(a, (None, None))[1] for a in frame["action_id"]]
    spans = [_span(d, f) for d, f in zip(frame["debut"], frame["fin"])]
    frame["periode_debut"] = [s for s, _ in spans]
    frame["periode_fin"] = [e for _, e in spans]
    order = frame.assign(
        _axe=frame["axe"].fillna(99).astype(int),
        _start=[s or dt.date.max for s in frame["periode_debut"]],
    ).sort_values(["_axe", "_start", "action_id"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _missed(row, dates: dict, ref: dt.date) -> dt.date | None:
    """The date an open action has passed with no follow-up since, or None."""
    if row.statut_actuel in contract.CLOSED_STATUTS:
        return None
    start, end = row.periode_debut, row.periode_fin
    if end is not None and end < ref:
        missed = end
    elif start is not None and start < ref and row.statut_actuel in _NOT_STARTED:
        missed = start
    else:
        return None
    if any(d >= missed for d in dates.get(row.action_id, ())):
        return None
    return missed


def _classify(corpus, territoire, date_reference, months: int) -> tuple[pd.DataFrame, list, list]:
    ref = as_date(date_reference)
    frame = actions_for(corpus, territoire, date_reference=ref)
    _, dates = _follow_ups(corpus.suivi, ref)
    horizon = _add_months(ref, months)
    missed = [_missed(row, dates, ref) for row in frame.itertuples(index=False)]
    due = [
        m is None
        and row.statut_actuel not in contract.CLOSED_STATUTS
        and any(d is not None and ref <= d <= horizon for d in (row.periode_debut, row.periode_fin))
        for m, row in zip(missed, frame.itertuples(index=False))
    ]
    return frame, missed, due


def due_within(corpus, territoire: str | None = None, *, date_reference=None, months: int = 6) -> pd.DataFrame:
    """Open actions whose start or end falls between the reference date and ``months`` later.

    Past-due actions (:func:`past_due`) are not repeated here.
    """
    frame, _, due = _classify(corpus, territoire, date_reference, months)
    return frame.loc[due].reset_index(drop=True)


def past_due(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Open actions whose end (or, not started, whose start) has passed with no follow-up since.

    ``echeance_depassee`` is the date that passed (the last day of the end's period, or
    the first day of the start's).
    """
    frame, missed, _ = _classify(corpus, territoire, date_reference, 0)
    out = frame.assign(echeance_depassee=missed)
    return out.loc[[m is not None for m in missed]].reset_index(drop=True)


def without_carrier(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Open actions that name no carrier (``porteurs`` empty)."""
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


def partners_to_mobilise(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Partners of open actions that no tie of ``liens.csv`` joins to anyone yet.

    Returns
    -------
    pandas.DataFrame
        ``acteur_id``, ``nom``, ``type``, ``actions`` (the actions that name the
        partner, ``;``-separated) and ``source`` (the list of their locators), sorted by name.
    """
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    tied = set(corpus.liens["source_id"]) | set(corpus.liens["cible_id"])
    names, types = _names(corpus), _types(corpus)
    wanted: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        if row.statut_actuel in contract.CLOSED_STATUTS:
            continue
        for pid in row.partenaires:
            if pid not in tied:
                wanted.setdefault(pid, []).append(row)
    rows = [
        {
            "acteur_id": pid,
            "nom": names.get(pid, pid),
            "type": types.get(pid),
            "actions": " ; ".join(r.intitule for r in acts),
            "source": sort_locators(r.source for r in acts),
        }
        for pid, acts in wanted.items()
    ]
    out = pd.DataFrame(rows, columns=["acteur_id", "nom", "type", "actions", "source"])
    return out.sort_values(["nom", "acteur_id"], key=lambda s: s.str.lower()).reset_index(drop=True)


# --- counts ---------------------------------------------------------------------------
def actions_by_status(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Actions by current status (``code``, ``Libellé``, ``Nombre``), in the vocabulary's order."""
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    counts = frame["statut_actuel"].value_counts()
    rows = [(s, contract.label(s), int(counts[s])) for s in contract.STATUTS if s in counts.index]
    return pd.DataFrame(rows, columns=["code", "Libellé", "Nombre"])


def actions_by_carrier(corpus, territoire: str | None = None, *, date_reference=None) -> pd.DataFrame:
    """Actions by carrier (``code``, ``Libellé``, ``Nombre``): an action counts once per carrier.

    Most actions first; actions without carrier last, as « Sans porteur ».
    """
    frame = actions_for(corpus, territoire, date_reference=date_reference)
    names = _names(corpus)
    counts: dict[str, int] = {}
    for carriers in frame["porteurs"]:
        for c in carriers:
            counts[c] = counts.get(c, 0) + 1
    rows = sorted(((c, names.get(c, c), n) for c, n in counts.items()), key=lambda r: (-r[2], r[1].lower()))
    alone = sum(1 for carriers in frame["porteurs"] if not carriers)
    if alone:
        rows.append((None, "Sans porteur", alone))
    return pd.DataFrame(rows, columns=["code", "Libellé", "Nombre"])


# --- for readers ----------------------------------------------------------------------
def _when(debut, fin) -> str:
    """When an action takes place, in French words, as the plan gives it."""

    def at(value) -> str:
        return f"le {french.date(value)}" if len(value) == 10 else f"en {french.date(value)}"

    if debut and fin:
        return at(debut) if debut == fin else f"{french.of(french.date(debut))} à {french.date(fin)}"
    if debut:
        return at(debut)
    if fin:
        return f"au plus tard {at(fin)}"
    return "sans date"


def _axis(axe) -> str:
    return "Sans axe" if axe is None or axe is pd.NA or pd.isna(axe) else f"Axe {int(axe)}"


def _who(ids, names) -> str:
    return ", ".join(names.get(i, i) for i in ids) if len(ids) else "—"


def plan_table(corpus, actions: pd.DataFrame, *, territoire: str | None = None) -> pd.DataFrame:
    """Actions as readers see them: names instead of identifiers, dates in words, French status.

    With a territory (not national), a « Rôle du territoire » column says whether its
    actors carry the action, join it, or whether it takes place there.
    """
    names = _names(corpus)
    rows = []
    members = _members(corpus, territoire) if not _whole_plan(corpus, territoire) else None
    inside = set(corpus.territory_ids(territoire)) if members is not None else set()
    for row in actions.itertuples(index=False):
        status = getattr(row, "statut_actuel", row.statut)
        item = {
            "Action": row.intitule,
            "Axe": _axis(row.axe),
            "Porteurs": _who(row.porteurs, names),
            "Partenaires": _who(row.partenaires, names),
            "Quand": _when(row.debut, row.fin),
            "Statut": contract.label(status),
        }
        if members is not None:
            roles = []
            if members.intersection(row.porteurs):
                roles.append("porte")
            if members.intersection(row.partenaires):
                roles.append("partenaire")
            if row.territoire_id in inside:
                roles.append("sur le territoire")
            item["Rôle du territoire"] = ", ".join(roles)
        rows.append(item)
    columns = ["Action", "Axe", "Porteurs", "Partenaires", "Quand", "Statut"]
    return pd.DataFrame(rows, columns=columns + (["Rôle du territoire"] if members is not None else []))


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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
        The line's date (``None`` or ``""``: today).
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ref = as_date(date_reference)
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
    ax.axvline(mdates.date2num(ref), color="#c0392b", linestyle="--", linewidth=1.2)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))
    ax.xaxis.set_major_formatter(_french_dates())
    ax.tick_params(axis="x", labelsize=8, labelrotation=30)
    present = [s for s in contract.STATUTS if s in {status[i] for i in dated}]
    handles = [Patch(color=STATUS_COLOURS[s], label=contract.label(s)) for s in present]
    handles.append(plt.Line2D([], [], color="#c0392b", linestyle="--", label=f"Date de référence : {french.date(ref)}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="Statut", frameon=False)
    if not dated:
        ax.text(0.5, 0.5, "Aucune action datée", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlim(mdates.date2num(ref - dt.timedelta(days=180)), mdates.date2num(ref + dt.timedelta(days=180)))
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


def _lines(locators, before: str = "") -> str:
    """`` (lignes 663-664)``, or `` (en mars 2020 ; lignes 663-664)``: lines in words when from one source."""
    locs = sort_locators(locators)
    if len({loc.partition("#")[0] for loc in locs}) == 1:
        shown = french.lines_in_words([loc.partition("#")[2] for loc in locs])
    else:
        shown = french.locator_in_words(", ".join(locs))
    parts = [p for p in (before, shown) if p]
    return f" ({' ; '.join(parts)})" if parts else ""


def _scope(territoire, n: int) -> str:
    actions = french.plural(n, "action")
    if territoire is None or territoire in NATIONAL:
        return f"le plan d'action compte {actions}"
    verb = "concerne" if n < 2 else "concernent"
    return (
        f"{actions} du plan d'action {verb} ce territoire (portées ou rejointes par ses acteurs ou ses "
        "personnes, ou situées sur place)"
    )


def plan_section(
    corpus, territoire: str | None = None, date_reference=None, *, title: str = "Plan d'action et suivi"
) -> PlanSection:
    """The brief's section on the action plans (see the module docstring).

    What the territory's actors and people carry or join (and the national actions they
    take part in) with the current status; then what is due within six months, what is
    past due with no follow-up (« à faire le point »), and what has no carrier. Display
    it as a cell's result: its output also records the plan's state for
    :func:`changes_since`.
    """
    ref = as_date(date_reference)
    frame, missed, due = _classify(corpus, territoire, ref, 6)
    s = PlanSection(title, snapshot=plan_snapshot(corpus, territoire, date_reference=ref, _frame=frame))
    if not len(frame):
        s.paragraphs.append(
            "Aucune action des plans d'action ne concerne ce territoire : ni ses acteurs ni ses personnes "
            "n'en portent ou n'en rejoignent, et aucune n'y est située."
        )
        return s
    counts = frame["statut_actuel"].value_counts()
    parts = [
        f"{french.number(int(counts[k]))} {_status_word(k, int(counts[k]))}" for k in contract.STATUTS if k in counts
    ]
    s.paragraphs.append(
        f"Au {french.date(ref)}, {_scope(territoire, len(frame))} : "
        f"{french.join(parts)}. Le statut est celui du dernier suivi à cette date, sinon celui du plan."
    )
    s.add_table("Actions portées ou rejointes", plan_table(corpus, frame, territoire=territoire))
    pd_rows = frame.loc[[m is not None for m in missed]]
    s.add_table(
        f"À échéance d'ici le {french.date(_add_months(ref, 6))}",
        plan_table(corpus, frame.loc[due]),
        empty="Aucune action à échéance dans les six mois.",
    )
    s.add_table(
        "À faire le point : échéance passée sans suivi depuis",
        plan_table(corpus, pd_rows),
        empty="Aucune action en retard sans suivi.",
    )
    s.add_table(
        "Sans porteur",
        plan_table(corpus, without_carrier(corpus, territoire, date_reference=ref)),
        empty="Toutes les actions ouvertes ont un porteur.",
    )
    s.cite(*sort_locators(frame["source"]))
    s.cite(*sort_locators(corpus.suivi.loc[corpus.suivi["action_id"].isin(frame["action_id"]), "source"].dropna()))
    s.notes += [
        "Une action datée d'un mois couvre tout le mois, d'une année toute l'année ; « Quand » reprend le plan.",
        "« À faire le point » : la fin (ou, pour une action qui n'a pas commencé, le début) est passée sans "
        "entrée dans le journal de suivi depuis.",
        "Pour mettre le plan à jour, ajoutez une ligne au journal de suivi (suivi.csv ou feuille « suivi ») : "
        "action, date, statut, note.",
    ]
    return s


def _status_word(status: str, n: int) -> str:
    word = _STATUS_WORDS.get(status, status)
    return word + "s" if n > 1 and word != "en cours" else word


def plan_next_steps(corpus, territoire: str | None = None, date_reference=None, *, months: int = 6) -> list[str]:
    """The sentences the brief's next steps lead with: past-due and due actions, no carrier, partners.

    Each sentence ends with the lines of the source it rests on. Up to five actions of
    a kind are named one by one; beyond, one sentence counts them and names the first
    (the section « Plan d'action et suivi » lists them all). Empty when the plan has
    nothing to say for the territory.
    """
    ref = as_date(date_reference)
    frame, missed, due = _classify(corpus, territoire, ref, months)
    names = _names(corpus)
    late = frame.assign(manque=missed).loc[[m is not None for m in missed]].sort_values("manque", kind="stable")
    coming = frame.loc[due]
    steps = []
    if len(late) > _MAX_STEPS:
        first = late.iloc[0]
        steps.append(
            f"Faire le point sur {french.plural(len(late), 'action')} dont l'échéance est passée sans suivi "
            f"depuis, à commencer par « {first.intitule} »{_lines([first.source], _when(first.debut, first.fin))}."
        )
    else:
        steps += [
            f"Faire le point sur « {r.intitule} » : {_when(r.debut, r.fin)}, toujours {_STATUS_WORDS[r.statut_actuel]}"
            f" sans suivi depuis le {french.date(r.manque.isoformat())}{_lines([r.source])}."
            for r in late.itertuples(index=False)
        ]
    if len(coming) > _MAX_STEPS:
        steps.append(
            f"Préparer {french.plural(len(coming), 'action')} à échéance d'ici le "
            f"{french.date(_add_months(ref, months))}, dont « {coming.iloc[0].intitule} »"
            f"{_lines([coming.iloc[0].source], _when(coming.iloc[0].debut, coming.iloc[0].fin))}."
        )
    for row in coming.itertuples(index=False) if len(coming) <= _MAX_STEPS else ():
        verb = "Mener à terme" if row.statut_actuel == "en_cours" else "Préparer"
        who = f", portée par {french.join(names.get(p, p) for p in row.porteurs)}" if row.porteurs else ""
        steps.append(f"{verb} « {row.intitule} » : {_when(row.debut, row.fin)}{who}{_lines([row.source])}.")
    alone = without_carrier(corpus, territoire, date_reference=ref)
    if len(alone) > _MAX_STEPS:
        steps.append(f"Trouver qui porte les {french.plural(len(alone), 'action')} du plan qui n'ont pas de porteur.")
    elif len(alone):
        what = "l'action sans porteur" if len(alone) == 1 else f"les {french.plural(len(alone), 'action')} sans porteur"
        steps.append(
            f"Trouver qui porte {what} : "
            + french.join(f"« {t} »" for t in alone["intitule"])
            + _lines(alone["source"])
            + "."
        )
    wanted = partners_to_mobilise(corpus, territoire, date_reference=ref)
    if len(wanted):
        steps.append(
            "Mobiliser les partenaires que le plan nomme et qu'aucun lien ne relie encore au réseau : "
            + french.join(wanted["nom"])
            + _lines(loc for locs in wanted["source"] for loc in locs)
            + "."
        )
    return steps


# --- since the previous brief -----------------------------------------------------------
def plan_snapshot(corpus, territoire: str | None = None, *, date_reference=None, _frame=None) -> dict:
    """The plan's state for a territory, as JSON-ready data: what the next brief compares with."""
    ref = as_date(date_reference)
    frame = _frame if _frame is not None else actions_for(corpus, territoire, date_reference=ref)
    return {
        "version": _SNAPSHOT_VERSION,
        "territoire": territoire,
        "date_reference": ref.isoformat(),
        "actions": {
            a: {"statut": s, "intitule": t}
            for a, s, t in zip(frame["action_id"], frame["statut_actuel"], frame["intitule"])
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


def changes_since(previous, corpus, territoire: str | None = None, *, date_reference=None) -> list[str]:
    """« Depuis la note précédente » : status changes and new actions since the previous brief.

    Parameters
    ----------
    previous : str or Path or None
        The previous executed brief (``.ipynb``) of the territory; ``None``, ``""`` or a
        missing file: no previous brief, no sentence.
    """
    if previous is None or not str(previous).strip() or not Path(previous).is_file():
        return []
    before = read_plan_snapshot(previous)
    if before is None:
        return [
            "La note précédente n'a pas enregistré l'état du plan d'action : les changements seront "
            "indiqués à partir de la prochaine note."
        ]
    since = french.date(before.get("date_reference"))
    now = actions_for(corpus, territoire, date_reference=date_reference)
    old = before["actions"]
    out = []
    for row in now.itertuples(index=False):
        was = old.get(row.action_id)
        if was is not None and was.get("statut") != row.statut_actuel:
            when = f", suivi du {french.date(row.dernier_suivi)}" if row.dernier_suivi else ""
            out.append(
                f"« {row.intitule} » : {_STATUS_WORDS.get(was.get('statut'), was.get('statut'))} → "
                f"{_STATUS_WORDS[row.statut_actuel]}{when}."
            )
    new = now[~now["action_id"].isin(list(old))]
    if len(new) > _MAX_NAMED:
        out.append(f"{french.plural(len(new), 'nouvelle action', 'nouvelles actions')} au plan depuis le {since}.")
    else:
        out += [
            f"Nouvelle action : « {t} » ({_when(d, f)})." for t, d, f in zip(new["intitule"], new["debut"], new["fin"])
        ]
    gone = [v.get("intitule", a) for a, v in old.items() if a not in set(now["action_id"])]
    out += [f"Retirée du plan : « {t} »." for t in gone]
    return out or [f"Aucun changement du plan d'action depuis la note du {since}."]
