"""« Depuis la note précédente » : what changed between two notes, from their facts — never their pages.

A note's facts (:func:`note_facts`) are JSON-ready data: the territory's actors, people and
ties, its findings, and its plan (:func:`mesra.analysis.plan.plan_snapshot`), with the
reference date and whether names were pseudonymised. The notebook records them, invisibly,
in the output of its « Depuis la note précédente » section (:class:`FactsSection`, key
``mesra`` → ``faits``), and the batch keeps them beside each published note
(``.<stem>.faits.json``, whose ``faits`` holds this dict). The next note compares its own
facts with those (:func:`compare_facts`, a pure function of two dicts) and words the result
(:func:`since_sentences`):

- no previous note: « première note » — never confused with « rien n'a changé »;
- a previous note that kept no facts: said so, nothing compared;
- facts of another pseudonymisation (or, when both say it, another corpus origin): not compared;
- otherwise what appeared and disappeared (actors, people, ties, findings, actions), each tie
  now known otherwise (planned → observed) and each action whose status moved, with the date of
  its follow-up entry; or « rien n'a changé ».

Actors and ties are compared by the functions that compare two states of a corpus
(:func:`mesra.network.compare.diff_named`, :func:`~mesra.network.compare.diff_ties`): one
computation for « depuis la note précédente » and :func:`mesra.compare`.

Only the parts that both snapshots hold are compared (facts kept by an older note hold only
the plan), and the sentences say which parts were.

>>> now = {"plan": {"actions": {"a": {"statut": "prevu", "intitule": "Une action"}}}}
>>> compare_facts(None, now).premiere
True
>>> since_sentences(compare_facts(now, now))
["Aucun changement du plan d'action depuis la note précédente, la seule partie qu'elle a enregistrée."]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from mesra import french
from mesra.analysis.sections import Section
from mesra.corpus import contract

__all__ = [
    "FACTS_VERSION",
    "FACTS_KEY",
    "note_facts",
    "previous_facts",
    "compare_facts",
    "since_sentences",
    "since_previous",
    "recorded_facts",
    "since_section",
    "Since",
    "FactsSection",
]

#: Version of the dict :func:`note_facts` returns.
FACTS_VERSION = 2
#: Key of a note's facts under ``mesra`` in a notebook output's metadata.
FACTS_KEY = "faits"
#: The facts file the batch keeps beside a published note: ``.<stem>.faits.json``.
FACTS_SUFFIX = ".faits.json"
#: Parts of the facts compared, in the order the sentences give them, and their name in French.
PARTS = {
    "acteurs": "acteurs",
    "personnes": "personnes",
    "liens": "liens",
    "constats": "constats",
    "plan": "plan d'action",
}
#: Beyond this many new or removed items of a kind, they are counted instead of named.
_MAX_NAMED = 8


# --- the facts of a note -------------------------------------------------------------------
def _name(value) -> str:
    return value if isinstance(value, str) else ""


def note_facts(
    corpus,
    territoire: str | None,
    *,
    date_reference=None,
    findings=None,
    actors=None,
    people=None,
    ties=None,
    origine: str | None = None,
) -> dict:
    """The facts a note states about ``territoire``, as JSON-ready data (what the next note compares with).

    Parameters
    ----------
    corpus : Corpus
    territoire : str or None
    date_reference : optional
        As for :func:`mesra.analysis.plan.reference_date` (empty: the corpus's own).
    findings : iterable of str or of (str, str), optional
        The note's findings (« À retenir »): each its sentence, or ``(key, sentence)`` where the key says what it
        states without its wording (:attr:`mesra.analysis.brief.findings.Finding.key`); None: not recorded.
    actors, people, ties : pandas.DataFrame, optional
        The note's own frames (a :class:`~mesra.analysis.brief.Brief`'s ``actors``, ``people``,
        ``ties``); by default the actors located in the territory, the people attached to them,
        and every tie of ``liens.csv`` that touches one of them.
    origine : str, optional
        Where the corpus comes from (a hash, never a path): facts of two origins are not compared.

    Returns
    -------
    dict
        ``version``, ``territoire``, ``pseudonymise``, ``date_reference``, ``acteurs``
        (id → name), ``personnes`` (id → name), ``liens`` (sorted ``[source, relation,
        cible, attestation]``), ``noms`` (id → ``[name, article]`` of every tie end),
        ``constats`` (when given; ``constats_cles``, what each states without its wording, when given as
        ``(key, sentence)``) and ``plan`` (:func:`~mesra.analysis.plan.plan_snapshot`).
    """
    from mesra.analysis.plan import _members, _names, plan_snapshot, reference_date

    ref = reference_date(corpus, date_reference)
    names = _names(corpus)
    from mesra.analysis.counts import actors_of, people_of

    if actors is None:
        actors = actors_of(corpus, territoire)
    if people is None:
        people = people_of(corpus, territoire)
    if ties is None:
        t = corpus.liens
        if territoire is not None:
            members = _members(corpus, territoire)
            t = t[t["source_id"].isin(members) | t["cible_id"].isin(members)]
        ties = t
    links = sorted(
        {
            (s, r, c, a or "constate")
            for s, r, c, a in zip(ties["source_id"], ties["relation"], ties["cible_id"], ties["attestation"])
        }
    )
    articles = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["article"]))
    ends = sorted({i for s, _, c, _ in links for i in (s, c)})
    facts = {
        "version": FACTS_VERSION,
        "territoire": territoire,
        "pseudonymise": bool(corpus.pseudonymised),
        "date_reference": ref.iso,
        "acteurs": {a: _name(n) for a, n in sorted(zip(actors["acteur_id"], actors["nom"]))},
        "personnes": {pid: names.get(pid, pid) for pid in sorted(people["personne_id"])},
        "liens": [list(x) for x in links],
        "noms": {i: [names.get(i, i), articles.get(i) if isinstance(articles.get(i), str) else None] for i in ends},
        "plan": plan_snapshot(corpus, territoire, date_reference=ref),
    }
    if findings is not None:
        # a finding is its sentence, or ``(key, sentence)``: the key says what it states without its wording
        pairs = [(f[0], f[1]) if isinstance(f, tuple | list) and len(f) == 2 else (None, f) for f in findings]
        said = dict.fromkeys(str(text) for _, text in pairs)
        facts["constats"] = list(said)
        if pairs and all(key is not None for key, _ in pairs) and len(said) == len(pairs):
            facts["constats_cles"] = [str(key) for key, _ in pairs]
    if origine is None:  # where the corpus comes from, when mesra can say it (issue 19: a hash, never a path)
        from mesra.corpus import privacy

        origin_of = getattr(privacy, "origin_of", None)
        origine = origin_of(getattr(corpus, "path", None)) if origin_of is not None else None
    if origine is not None:
        facts["origine"] = origine
    return facts


# --- the previous note's facts -----------------------------------------------------------------
#: :func:`previous_facts` when the previous note exists but kept no facts.
NO_FACTS = "sans-faits"


def recorded_facts(nb: dict) -> dict | None:
    """The facts an executed notebook (its JSON, as a dict) recorded in its outputs, or None.

    The last ``mesra`` → ``faits`` found (:class:`FactsSection`), else the plan alone
    (``mesra`` → ``plan``, :class:`~mesra.analysis.plan.PlanSection`) as ``{"plan": …}``:
    what the batch keeps beside the note as its ``faits``.
    """
    found = None
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            kept = (output.get("metadata") or {}).get("mesra") or {}
            if isinstance(kept.get(FACTS_KEY), dict):
                found = kept[FACTS_KEY]
            elif found is None and isinstance(kept.get("plan"), dict) and isinstance(kept["plan"].get("actions"), dict):
                found = {"plan": kept["plan"]}
    return found


def previous_facts(previous) -> dict | str | None:
    """The facts of the previous note ``previous`` (its ``.ipynb``).

    Read first from the facts file the batch keeps beside it (``.<stem>.faits.json``: its
    ``faits``, with its ``pseudonymise`` and ``origine``), else from the notebook's outputs.
    Returns None when there is no previous note (None, ``""`` or a missing file), and
    :data:`NO_FACTS` when the note exists but kept no facts.
    """
    if previous is None or not str(previous).strip() or not Path(previous).is_file():
        return None
    path = Path(previous)
    try:
        kept = json.loads(path.with_name(f".{path.stem}{FACTS_SUFFIX}").read_text("utf-8"))
    except (OSError, ValueError):
        kept = None
    if isinstance(kept, dict) and isinstance(kept.get("faits"), dict):
        facts = dict(kept["faits"])
        for key in ("pseudonymise", "origine"):
            if key in kept and key not in facts:
                facts[key] = kept[key]
        return facts
    try:
        nb = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return NO_FACTS
    return recorded_facts(nb) or NO_FACTS


# --- comparing two snapshots --------------------------------------------------------------------
@dataclass(frozen=True)
class Since:
    """What changed since the previous note (see :func:`compare_facts`); ids and names, no wording.

    ``premiere``: no previous note; ``sans_faits``: the previous note kept no facts;
    ``comparable``: False when the two notes come from another pseudonymisation or origin;
    ``parties``: the parts compared. Each ``*_nouveaux`` / ``*_retires`` holds ``(id, name)``
    pairs (ties: ``(source, relation, cible)`` triples, findings: their text);
    ``attestations_changees``: ``(source, relation, cible, before, after)`` of the ties of both
    notes now known otherwise (``prevu`` → ``constate``); ``statuts``:
    ``(action_id, title, before, after, date of the follow-up entry)``; ``actions_nouvelles``:
    ``(action_id, title, debut, fin)``.
    """

    premiere: bool = False
    sans_faits: bool = False
    comparable: bool = True
    parties: tuple[str, ...] = ()
    acteurs_nouveaux: tuple = ()
    acteurs_retires: tuple = ()
    personnes_nouvelles: tuple = ()
    personnes_retirees: tuple = ()
    liens_nouveaux: tuple = ()
    liens_retires: tuple = ()
    attestations_changees: tuple = ()
    constats_nouveaux: tuple = ()
    constats_retires: tuple = ()
    statuts: tuple = ()
    actions_nouvelles: tuple = ()
    actions_retirees: tuple = ()
    noms: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def rien(self) -> bool:
        """Compared, and nothing changed."""
        changes = (
            self.acteurs_nouveaux,
            self.acteurs_retires,
            self.personnes_nouvelles,
            self.personnes_retirees,
            self.liens_nouveaux,
            self.liens_retires,
            self.attestations_changees,
            self.constats_nouveaux,
            self.constats_retires,
            self.statuts,
            self.actions_nouvelles,
            self.actions_retirees,
        )
        return self.comparable and not self.premiere and not self.sans_faits and not any(changes)


def _plan_diff(before: dict, now: dict) -> tuple[tuple, tuple, tuple]:
    old, cur = before.get("actions") or {}, now.get("actions") or {}
    moved = tuple(
        (a, v.get("intitule", a), old[a].get("statut"), v.get("statut"), v.get("dernier_suivi"))
        for a, v in cur.items()
        if a in old and old[a].get("statut") != v.get("statut")
    )
    new = tuple((a, v.get("intitule", a), v.get("debut"), v.get("fin")) for a, v in cur.items() if a not in old)
    gone = tuple((a, v.get("intitule", a)) for a, v in old.items() if a not in cur)
    return moved, new, gone


def compare_facts(before: dict | str | None, now: dict) -> Since:
    """What changed from the facts ``before`` (:func:`previous_facts`) to the facts ``now`` (:func:`note_facts`).

    A pure function of two dicts. ``before`` None: first note; :data:`NO_FACTS`: the previous
    note kept none. Two snapshots that both say whether names were pseudonymised (or where the
    corpus comes from) and differ are not compared.
    """
    from mesra.network.compare import diff_named, diff_ties  # networkx only when two notes are compared

    if before is None:
        return Since(premiere=True)
    if not isinstance(before, dict):
        return Since(sans_faits=True)
    both = {k for k in ("pseudonymise", "origine") if k in before and k in now}
    if "pseudonymise" in both and bool(before["pseudonymise"]) != bool(now["pseudonymise"]):
        return Since(comparable=False)
    if "origine" in both and before["origine"] != now["origine"]:
        return Since(comparable=False)
    parts = tuple(p for p in PARTS if isinstance(before.get(p), dict | list) and isinstance(now.get(p), dict | list))
    out: dict = {"parties": parts, "noms": {**(before.get("noms") or {}), **(now.get("noms") or {})}}
    if "acteurs" in parts:
        out["acteurs_nouveaux"], out["acteurs_retires"] = diff_named(before["acteurs"], now["acteurs"])
    if "personnes" in parts:
        out["personnes_nouvelles"], out["personnes_retirees"] = diff_named(before["personnes"], now["personnes"])
    if "liens" in parts:
        added, removed, changed = diff_ties(before["liens"], now["liens"])
        out["liens_nouveaux"], out["liens_retires"] = tuple(t[:3] for t in added), tuple(t[:3] for t in removed)
        out["attestations_changees"] = changed
    if "constats" in parts:
        old, cur = _keyed_findings(before), _keyed_findings(now)
        if old is None or cur is None:  # a note that kept its findings' sentences only: compared by them
            old, cur = {c: c for c in before["constats"]}, {c: c for c in now["constats"]}
        out["constats_nouveaux"] = tuple(c for k, c in cur.items() if k not in old)
        out["constats_retires"] = tuple(c for k, c in old.items() if k not in cur)
    if "plan" in parts:
        out["statuts"], out["actions_nouvelles"], out["actions_retirees"] = _plan_diff(before["plan"], now["plan"])
    return Since(**out)


def _keyed_findings(facts: dict) -> dict | None:
    """A note's findings, ``{key: sentence}`` by what they state, or None when the note kept only their sentences."""
    said = list(facts.get("constats") or [])
    keys = facts.get("constats_cles")
    return dict(zip(keys, said)) if isinstance(keys, list) and len(keys) == len(said) else None


# --- wording ------------------------------------------------------------------------------------
_STATUS_WORDS = {
    "prevu": "prévue",
    "en_cours": "en cours",
    "fait": "faite",
    "reporte": "reportée",
    "abandonne": "abandonnée",
}
_ATTESTATION_WORDS = {"constate": "constaté", "prevu": "prévu", "envisage": "envisagé"}


def _listed(items: list[str], one: str, many: str, gone: bool = False) -> str | None:
    """« Nouvel acteur : X. », « 3 nouveaux acteurs : X, Y et Z. », or counted beyond :data:`_MAX_NAMED`."""
    if not items:
        return None
    if len(items) > _MAX_NAMED:
        return f"{french.plural(len(items), one, many)}" + (" en moins." if gone else " de plus.")
    head = one if len(items) == 1 else f"{french.number(len(items))} {many}"
    return f"{head[0].upper() + head[1:]} : {french.join(items)}."


def _tie(since: Since, tie) -> str:
    src, rel, cible = tie
    names = since.noms

    def pair(i):
        name, article = (names.get(i) or [i, None])[:2]
        return (contract.in_sentence(name, article), article)

    try:
        return french.sentence([pair(src)], rel, [pair(cible)])
    except ValueError:  # a relation outside the vocabulary words
        return f"{pair(src)[0]} → {pair(cible)[0]} ({rel})"


def _when(debut, fin) -> str:
    from mesra.analysis.plan import _when as when

    return when(debut, fin)


def since_sentences(since: Since) -> list[str]:
    """« Depuis la note précédente » in French: one sentence per kind of change, or what prevents comparing."""
    if since.premiere:
        return ["Première note de ce territoire dans ce dossier : il n'y a pas encore de note précédente à comparer."]
    if since.sans_faits:
        return [
            "La note précédente n'a pas enregistré ses faits : les changements seront indiqués à partir de la "
            "prochaine note."
        ]
    if not since.comparable:
        return [
            "La note précédente de ce dossier a été produite à partir d'un autre corpus ou avec une autre "
            "pseudonymisation des noms : elle n'est pas comparée à celle-ci."
        ]
    compared = french.join(PARTS[p] for p in since.parties)
    if since.rien:
        if since.parties == ("plan",):
            return [
                "Aucun changement du plan d'action depuis la note précédente, la seule partie qu'elle a enregistrée."
            ]
        return [f"Rien n'a changé depuis la note précédente : mêmes {compared}."]
    out = [
        _listed([n for _, n in since.acteurs_nouveaux], "nouvel acteur", "nouveaux acteurs"),
        _listed([n for _, n in since.acteurs_retires], "acteur retiré", "acteurs retirés", gone=True),
        _listed([n for _, n in since.personnes_nouvelles], "nouvelle personne", "nouvelles personnes"),
        _listed([n for _, n in since.personnes_retirees], "personne retirée", "personnes retirées", gone=True),
        _listed([_tie(since, t) for t in since.liens_nouveaux], "nouveau lien", "nouveaux liens"),
        _listed([_tie(since, t) for t in since.liens_retires], "lien retiré", "liens retirés", gone=True),
        _listed(
            [
                f"{_tie(since, t[:3])} ({_ATTESTATION_WORDS.get(t[3], t[3])} → {_ATTESTATION_WORDS.get(t[4], t[4])})"
                for t in since.attestations_changees
            ],
            "lien connu autrement",
            "liens connus autrement",
        ),
        _listed([f"« {c} »" for c in since.constats_nouveaux], "nouveau constat", "nouveaux constats"),
        _listed([f"« {c} »" for c in since.constats_retires], "constat retiré", "constats retirés", gone=True),
    ]
    for _, title, old, new, when in since.statuts:
        after = f", suivi du {french.date(when)}" if when else ""
        out.append(f"« {title} » : {_STATUS_WORDS.get(old, old)} → {_STATUS_WORDS.get(new, new)}{after}.")
    if len(since.actions_nouvelles) > _MAX_NAMED:
        out.append(f"{french.plural(len(since.actions_nouvelles), 'nouvelle action', 'nouvelles actions')} au plan.")
    else:
        out += [f"Nouvelle action : « {t} » ({_when(d, f)})." for _, t, d, f in since.actions_nouvelles]
    out += [f"Retirée du plan : « {t} »." for _, t in since.actions_retirees]
    out = [s for s in out if s]
    if len(since.parties) < len(PARTS):
        out.append(f"La note précédente n'a enregistré que son {compared} : le reste n'est pas comparé.")
    return out


def since_previous(previous, now: dict) -> Since:
    """:func:`compare_facts` of the previous note ``previous`` (its ``.ipynb``, or None) and the facts ``now``."""
    return compare_facts(previous_facts(previous), now)


# --- the brief's section --------------------------------------------------------------------------
@dataclass
class FactsSection(Section):
    """« Depuis la note précédente »; displayed, it records the note's facts in the output's metadata.

    The executed notebook keeps them, invisibly, under ``mesra`` → ``faits``: what the batch
    writes beside the note and the next note compares with.
    """

    facts: dict = field(default_factory=dict, repr=False)
    since: Since | None = field(default=None, repr=False)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {}, {"mesra": {FACTS_KEY: self.facts}}


def since_section(
    previous, corpus, territoire, *, date_reference=None, title: str = "Depuis la note précédente", **facts
) -> FactsSection:
    """The section « Depuis la note précédente »: the sentences of :func:`since_sentences`, the facts recorded.

    ``facts``: the keyword arguments of :func:`note_facts` (``findings``, ``actors``, ``people``,
    ``ties``, ``origine``).
    """
    now = note_facts(corpus, territoire, date_reference=date_reference, **facts)
    since = since_previous(previous, now)
    s = FactsSection(title, level=3, facts=now, since=since)
    lines = since_sentences(since)
    if since.premiere or since.rien or since.sans_faits or not since.comparable:
        s.paragraphs.extend(lines)
    else:
        s.bullets.extend(lines)
    return s
