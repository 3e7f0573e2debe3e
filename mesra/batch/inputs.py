"""What each job reads of the corpus, hashed in a canonical form (issue 24).

A job's key used to include the fingerprint of the whole corpus: one changed tie redid every
notebook. Here each job gets the *slice* of the corpus it reads, computed with the functions
the notebooks themselves call (:meth:`~mesra.corpus.load.Corpus.actors_in`,
:func:`~mesra.analysis.counts.territory_ties`, :class:`~mesra.analysis.brief.view.TerritoryView`,
:func:`~mesra.analysis.counts.monographs_of`, :func:`~mesra.analysis.plan.actions_for`,
:func:`~mesra.analysis.plan.chantiers`, :func:`~mesra.analysis.plan.reference_date`…):

* a territory's notebooks read the rows of its actors (sub-territories included), every tie with
  an end among them or their people, the actors and people at the other end, the ties of the
  shared contexts (projects, events…) they reach (a context's size and funders are shown), its
  people and their roles, its monographs, the actions that concern it and their follow-up, the
  plan's chantiers and reference date, the territory tree above and below it, the territories
  of every actor shown, and the sources those rows cite (their text included);
* a territory's notebook reads nothing of the whole corpus, unless it describes the whole corpus
  (``describe_corpus(corpus)`` without ``territoire``: then that description is part of its
  inputs, and a change anywhere redoes it);
* an overview notebook (no ``territoire`` parameter) reads whole tables.

Each part is hashed from its rows in a canonical form (sorted, cells normalised), so that the
order of the rows and the file format (CSV or workbook) do not matter. The parts are kept in
the job's manifest, so that a later run says *why* it redoes a job (:func:`reasons`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from mesra.corpus import pages as printed_pages

#: The parts of a job's inputs, in the order they are told, with how a change is said in French.
PART_WORDS = {
    "territoires": "territoires modifiés",
    "acteurs": "acteurs modifiés",
    "personnes": "personnes modifiées",
    "liens": "liens modifiés",
    "monographies": "monographie",
    "plan": "plan d’action ou suivi modifié",
    "sources": "sources modifiées",
    "corpus": "description du corpus ou monographies voisines modifiées",
    "evaluation": "co-évaluations modifiées",
    "ressources": "ressources écrites à la main modifiées",
}
#: The tables whose rows cite sources (a locator ``source_id#L12-20``, or a source's identifier).
CITING = ("acteurs", "personnes", "liens", "roles", "monographies", "actions")
#: Columns that no territory notebook (``03``, ``04``: its pages, figures, interactive view, exports and
#: facts) reads: left out of a territory's slice, so that editing them does not redo the territories
#: above the row. Kept in the overview notebooks' inputs (``01`` counts the empty cells of every column).
#: ``tests/test_incremental.py`` edits every column of every table and checks that whatever changes a
#: brief's facts changes its key: a column read by a page cannot be left here unnoticed.
#: None today: ``liens.annee`` was one until the brief said a dated act in the past (« ont accompagné … en 2019 »).
UNREAD_BY_TERRITORIES: dict[str, tuple[str, ...]] = {}
#: What an overview notebook reads, when it declares it (``"mesra": {"entrees": "plan"}`` in its
#: metadata): the parts hashed whole; the others are not read (empty), except ``liens`` for ``plan``,
#: of which the plan reads which actors have a tie at all (:func:`~mesra.analysis.plan.partners_to_mobilise`)
#: and the chantiers (:func:`~mesra.analysis.plan.chantiers`, in the ``plan`` part). A notebook that
#: declares nothing reads every table, whole.
PROFILES = {
    "monographies": ("territoires", "acteurs", "monographies", "sources", "corpus"),
    "plan": ("territoires", "acteurs", "personnes", "plan", "sources", "liens"),
}
TABLE_PARTS = {
    "territoires": ("territoires",),
    "acteurs": ("acteurs",),
    "personnes": ("personnes", "roles"),
    "liens": ("liens",),
    "plan": ("actions", "suivi"),
    "sources": ("sources",),
}


def _cell(v: Any) -> Any:
    """A cell as JSON, the same whether it was read from CSV or a workbook."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        items = [_cell(x) for x in v]
        return sorted(items, key=repr) if isinstance(v, (set, frozenset)) else items
    if isinstance(v, dict):
        return {str(k): _cell(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if isinstance(v, (str, int, bool)):
        return v
    return str(v)


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _row_hashes(frame: pd.DataFrame) -> list[str]:
    """One hash per row, from its cells by column name (the columns' order does not matter)."""
    cols = sorted(c for c in frame.columns if c != "fichier")
    return [
        hashlib.sha256(json.dumps([_cell(v) for v in row], ensure_ascii=False, default=str).encode()).hexdigest()[:32]
        for row in frame[cols].itertuples(index=False)
    ]


def _part(hashes) -> str:
    """The digest of a set of rows: independent of their order."""
    return _digest(sorted(hashes))


class CorpusInputs:
    """A corpus indexed once per batch, to give each job the digest of what it reads."""

    def __init__(self, corpus, date_reference: str | None = None):
        from mesra.analysis.plan import chantiers, reference_date
        from mesra.corpus import contract, geo
        from mesra.network.interactive import PRACTICE_RELATIONS

        self.corpus = corpus
        self.tables = {
            "territoires": corpus.territoires,
            "acteurs": corpus.acteurs,
            "personnes": corpus.personnes,
            "roles": corpus.roles,
            "liens": corpus.liens,
            "actions": corpus.actions,
            "suivi": corpus.suivi,
            "sources": corpus.sources,
            "monographies": corpus.monographies,
        }
        self.rows = {name: _row_hashes(frame) for name, frame in self.tables.items()}
        self.slice_rows = {  # the rows as territory notebooks read them
            name: _row_hashes(self.tables[name].drop(columns=list(unread), errors="ignore")) if unread else hashes
            for name, hashes in self.rows.items()
            for unread in [UNREAD_BY_TERRITORIES.get(name, ())]
        }
        self.parents = geo.parent_map(corpus.territoires)
        ids = {
            "territoires": "territoire_id",
            "acteurs": "acteur_id",
            "personnes": "personne_id",
            "sources": "source_id",
            "monographies": "id",
            "actions": "action_id",
        }
        self.by_id: dict[str, dict[str, list[int]]] = {}
        for name, column in ids.items():
            found: dict[str, list[int]] = defaultdict(list)
            for i, ident in enumerate(self.tables[name][column]):
                found[ident].append(i)
            self.by_id[name] = found
        self.ties_by_end: dict[str, list[int]] = defaultdict(list)
        for i, (s, c) in enumerate(zip(corpus.liens["source_id"], corpus.liens["cible_id"])):
            self.ties_by_end[s].append(i)
            self.ties_by_end[c].append(i)
        self.tie_ends = list(zip(corpus.liens["source_id"], corpus.liens["cible_id"]))
        # the rows that the interactive view's cards show for every organisation of the graph: its practices and
        # its leads (:func:`mesra.network.interactive._extras`)
        att = corpus.liens["attestation"] if "attestation" in corpus.liens else [None] * len(corpus.liens)
        self.card_rows = {
            i
            for i, (rel, a) in enumerate(zip(corpus.liens["relation"], att))
            if rel in PRACTICE_RELATIONS or a == contract.LEADS
        }
        self.person_actor = dict(zip(corpus.personnes["personne_id"], corpus.personnes["acteur_id"]))
        self.role_actor = list(corpus.roles["acteur_id"])
        self.roles_by = defaultdict(list)
        for i, (pid, aid) in enumerate(zip(corpus.roles["personne_id"], corpus.roles["acteur_id"])):
            self.roles_by[pid].append(i)
            self.roles_by[aid].append(i)
        self.suivi_by_action = defaultdict(list)
        for i, aid in enumerate(corpus.suivi["action_id"]):
            self.suivi_by_action[aid].append(i)
        self.children: dict[str, list[str]] = defaultdict(list)  # geo.descendants, with the map built once
        for tid, parent in zip(corpus.territoires["territoire_id"], corpus.territoires["parent_id"]):
            if isinstance(parent, str) and parent:
                self.children[parent].append(tid)
        self.actors_at: dict[str, list[str]] = defaultdict(list)  # Corpus.actors_in, by place
        for aid, place in zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]):
            self.actors_at[place].append(aid)
        self.people_of: dict[str, list[str]] = defaultdict(list)  # the people attached to an actor
        for pid, aid in zip(corpus.personnes["personne_id"], corpus.personnes["acteur_id"]):
            self.people_of[aid].append(pid)
        self.role_people_of: dict[str, list[str]] = defaultdict(list)  # the people with a role in an actor
        for pid, aid in zip(corpus.roles["personne_id"], corpus.roles["acteur_id"]):
            self.role_people_of[aid].append(pid)
        self._memo: dict[tuple[str, bool], dict[str, Any]] = {}
        self.contexts = set(corpus.acteurs.loc[corpus.acteurs["type"].isin(contract.CONTEXT_TYPES), "acteur_id"])
        self.actor_place = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
        self.date_reference = date_reference or None
        self.reference = reference_date(corpus, self.date_reference)
        self.actions: list[tuple] = []  # the plan, once: plan.actions_for without a territory
        if len(corpus.actions):
            from mesra.analysis.plan import actions_for

            every = actions_for(corpus, None, date_reference=self.reference)
            columns = ("action_id", "porteurs", "partenaires", "coanimation", "territoire_id")
            self.actions = list(zip(*(every[c] for c in columns)))
        self.chantiers = [
            [c.chantier_id, c.axe, list(c.coanimation), list(c.referents), list(c.sources)]
            for _, c in sorted(chantiers(corpus).items())
        ]
        # the size of every chantier's plan, which a region's fiche gives for the other workshops its people join
        # (« leurs plans, de 5, 9 et 10 actions », mesra.analysis.brief.fiche._other_workshops): each action's axis
        # and status, and the follow-up that may close it (an edit of an Axe 1 action's axis changed Occitanie's
        # fiche and not its key)
        a = corpus.actions
        self.plan_sizes = _digest(
            [
                sorted((str(i), str(x), str(st)) for i, x, st in zip(a["action_id"], a["axe"], a["statut"])),
                sorted(self.rows.get("suivi", [])),
            ]
        )
        self.source_ids = sorted(str(s) for s in corpus.sources["source_id"])
        # a text with its printed pages (``sources/pages.csv``): the notes cite the pages of what they cite
        pages = printed_pages.of(corpus)
        self.texts = {
            sid: hashlib.sha256((str(t) + json.dumps(pages.get(sid))).encode()).hexdigest()
            for sid, t in corpus.source_texts.items()
        }
        self._described: str | None = None
        from mesra.analysis.counts import monograph_places

        self.places = monograph_places(corpus)  # what monographs_of and the header read, once
        sids = self.source_ids
        self.cites = {
            name: [self._sources_of(row, sids) for row in frame.itertuples(index=False)]
            for name, frame in self.tables.items()
            if name in CITING
        }

    @staticmethod
    def _sources_of(row, sids) -> frozenset:
        text = json.dumps([_cell(v) for v in row], ensure_ascii=False, default=str)
        if "#" not in text and not any(sid in text for sid in sids):
            return frozenset()
        return frozenset(s for s in sids if re.search(rf"(?<![\w-]){re.escape(s)}(#|\")", text))

    # --- the whole corpus ------------------------------------------------------------------
    def described(self) -> str:
        """The digest of what ``describe_corpus`` shows (the first cell of several notebooks)."""
        if self._described is None:
            from mesra.analysis.overview import describe_corpus

            self._described = _digest(describe_corpus(self.corpus).paragraphs)
        return self._described

    def whole(self, describes: bool = False, profile: str | None = None) -> dict[str, Any]:
        """The parts of an overview notebook: every table, whole; only those of ``profile`` (:data:`PROFILES`)
        when it declares one."""
        parts = self._whole(describes)
        if profile is None:
            return parts
        read = PROFILES[profile]
        parts = {part: (value if part in read else "") for part, value in parts.items()}
        if profile == "plan":  # which actors and people have a tie, and the chantiers: nothing else of liens.csv
            parts["liens"] = _digest([sorted({str(e) for ends in self.tie_ends for e in ends}), self.chantiers])
        return parts

    def _whole(self, describes: bool) -> dict[str, Any]:
        parts: dict[str, Any] = {
            part: _part(h for t in tables for h in self.rows[t]) for part, tables in TABLE_PARTS.items()
        }
        parts["sources"] = _digest([parts["sources"], sorted(self.texts.items())])
        parts["plan"] = _digest([parts["plan"], self.reference_value()])
        parts["monographies"] = dict(zip(self.corpus.monographies["id"], self.rows["monographies"]))
        parts["corpus"] = self.described() if describes else ""
        parts["evaluation"] = self._evaluation(whole=True)
        parts["ressources"] = self._hand_resources()
        return parts

    def _evaluation(self, whole: bool) -> str:
        """The co-evaluations a notebook reads: all of them (a campaign's page), or the campaigns alone
        (a brief names the campaigns of its territory); empty when the corpus has none."""
        ev = getattr(self.corpus, "evaluation", None)
        if ev is None or not (len(ev.campagnes) or ev.referentiels):
            return ""
        from mesra.corpus.evaluation import hash_payload

        payload = hash_payload(ev)
        return _digest(payload if whole else payload[1])

    def _hand_resources(self) -> str:
        """The resource centre's hand table and bodies (issue 25); empty when the corpus has none."""
        table = getattr(self.corpus, "ressources", None)
        bodies = getattr(self.corpus, "ressource_bodies", None) or {}
        if (table is None or not len(table)) and not bodies:
            return ""
        return _digest([sorted(_row_hashes(table)) if table is not None else [], sorted(bodies.items())])

    def reference_value(self) -> list:
        r = self.reference
        return [r.iso, r.origine, r.plan, r.suivi, r.dernier_suivi, list(r.sources or ())]

    # --- one territory -------------------------------------------------------------------
    def _joins_workshops(self, people) -> bool:
        """Whether any of ``people`` is tied to a chantier: the fiche then gives the size of its plan."""
        chantier_ids = {c[0] for c in self.chantiers}
        return any(chantier_ids & set(self.tie_ends[i]) for p in people for i in self.ties_by_end.get(p, ()))

    def _rows(self, table: str, positions) -> list[str]:
        hashes = self.slice_rows[table]
        return [hashes[i] for i in set(positions)]

    def _ids_rows(self, table: str, ids) -> list[str]:
        index = self.by_id[table]
        return self._rows(table, (i for ident in ids for i in index.get(ident, ())))

    def _inside(self, territoire: str) -> list[str]:
        """``territoire`` and every territory below it (:func:`mesra.corpus.geo.descendants`)."""
        seen, stack = {territoire}, [territoire]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return list(seen)

    def territory(self, territoire: str, describes: bool = False) -> dict[str, Any]:
        """The parts a territory's notebook reads (see the module's documentation).

        Computed once per territory and batch (two notebooks of a territory read the same slice).
        """
        key = (territoire, describes)
        if key not in self._memo:
            self._memo[key] = self._territory(territoire, describes)
        return self._memo[key]

    def _territory(self, territoire: str, describes: bool) -> dict[str, Any]:
        from mesra.corpus.geo import walk_up

        c = self.corpus
        inside = set(self._inside(territoire))
        view_actors = {a for t in inside for a in self.actors_at.get(t, ())}  # TerritoryView.actor_ids
        attached = {p for a in view_actors for p in self.people_of.get(a, ())}
        with_role = {p for a in view_actors for p in self.role_people_of.get(a, ())}
        view_people = (attached | with_role) & self.by_id["personnes"].keys()  # TerritoryView.people
        members = view_actors | attached  # the territory's actors and their people (counts.territory_ties)
        tie_rows = {i for e in members for i in self.ties_by_end.get(e, ())}  # the rows of ``ties``
        ends = {e for i in tie_rows for e in self.tie_ends[i]}
        tie_rows |= {i for e in ends & self.contexts for i in self.ties_by_end.get(e, ())}  # a context's size, funders
        shown = {e for i in tie_rows for e in self.tie_ends[i]}
        # the cards of the graph's organisations (the MES, Occitanie's partner in the Axe 4 chantier, L257: its tools)
        tie_rows |= {i for e in shown - self.contexts for i in self.ties_by_end.get(e, ()) if i in self.card_rows}
        shown = {e for i in tie_rows for e in self.tie_ends[i]}
        mono_rows = [i for i, m in enumerate(c.monographies["id"]) if self.places.get(m, set()) & inside]
        monos = c.monographies.iloc[mono_rows]
        mono_ids = set(monos["id"])
        shown |= set(monos["porteur"].dropna()) | {x for acts in monos["acteurs"] for x in (acts or [])}
        actions = self._actions(territoire, inside, members)
        shown |= {x for a in actions for v in a[1:4] for x in (v or ())}  # carriers, partners, co-animation
        # the ties between the carriers of one action (the planned cooperations say those already tied apart,
        # :func:`mesra.analysis.brief.nextsteps._co_carried`): the APES–MES tie in Occitanie's note (L661)
        for a in actions:
            carriers = set(a[1] or ())
            if len(carriers) > 1:
                tie_rows |= {
                    i for e in carriers for i in self.ties_by_end.get(e, ()) if set(self.tie_ends[i]) <= carriers
                }
        people = view_people | ((shown | members) & self.by_id["personnes"].keys())
        shown |= members | people
        shown |= {self.person_actor[x] for x in people if isinstance(self.person_actor.get(x), str)}  # structure
        role_rows = {i for x in people | view_actors for i in self.roles_by.get(x, ())}
        shown |= {self.role_actor[i] for i in role_rows}
        actor_ids = shown & self.by_id["acteurs"].keys()
        tree = inside | set(walk_up(self.parents, territoire))
        places = {self.actor_place.get(a) for a in actor_ids} | set(monos["territoire"].dropna())
        places |= {a[4] for a in actions if isinstance(a[4], str)}
        places = {t for p in places if isinstance(p, str) for t in (p, *walk_up(self.parents, p))}
        action_ids = [a[0] for a in actions]
        parts: dict[str, Any] = {
            "territoires": _part(self._ids_rows("territoires", tree | places)),
            "acteurs": _part(self._ids_rows("acteurs", actor_ids)),
            "personnes": _part(
                [*self._ids_rows("personnes", people), *self._rows("roles", role_rows)],
            ),
            "liens": _part(self._rows("liens", tie_rows)),
            "monographies": {m: h for m, h in zip(c.monographies["id"], self.rows["monographies"]) if m in mono_ids},
            "plan": _digest(
                [
                    sorted(self._ids_rows("actions", action_ids)),
                    sorted(self._rows("suivi", (i for a in action_ids for i in self.suivi_by_action.get(a, ())))),
                    self.chantiers,
                    self.plan_sizes if self._joins_workshops(view_people) else None,
                    self.reference_value(),
                ]
            ),
        }
        # whether each partner the plan names is tied to anyone yet, not its ties (the next steps' « partenaires …
        # dont les sources ne rapportent encore aucune coopération constatée », mesra.analysis.plan._partners_wanted)
        partners = sorted({p for a in actions for p in (a[2] or ())})
        parts["partenaires_lies"] = _digest([(p, bool(self.ties_by_end.get(p))) for p in partners])
        parts["sources"] = self._cited(actor_ids, people, tie_rows, role_rows, mono_ids, action_ids)
        parts["corpus"] = _digest(
            [
                self._places(territoire, tree),
                self._documented(actor_ids),
                self.described() if describes else "",
                self._member_networks(),
            ]
        )
        parts["evaluation"] = self._evaluation(whole=False)
        parts["ressources"] = self._hand_resources()
        return parts

    def _actions(self, territoire: str, inside: set[str], members: set[str]) -> list[tuple]:
        """The actions that concern the territory, by the rule of :func:`~mesra.analysis.plan.actions_for`
        (carried, joined or co-animated by one of its members, or located in it; every action for the
        national level and what contains it), read from the plan computed once:
        ``(action_id, porteurs, partenaires, coanimation, territoire_id)``."""
        from mesra.analysis.plan import NATIONAL

        if territoire in NATIONAL or set(NATIONAL) & inside:
            return self.actions
        return [a for a in self.actions if a[4] in inside or any(members.intersection(v or ()) for v in a[1:4])]

    def _places(self, territoire: str, tree: set[str]) -> list:
        """Where the monographs near the territory are placed (the header names the sub-territories)."""
        if not len(self.corpus.monographies):
            return []
        return sorted((m, sorted(p)) for m, p in self.places.items() if p & tree)

    def _member_networks(self) -> list:
        """The territorial networks that are members of the Mouvement, in the whole corpus: a region's fiche says
        how many there are (« l'un des 5 réseaux territoriaux », :func:`mesra.analysis.brief.fiche._networks`)."""
        from mesra.analysis.counts import member_networks

        return sorted(member_networks(self.corpus.acteurs)["acteur_id"])

    def _documented(self, actor_ids: set[str]) -> list:
        """Which of the actors shown a monograph documents (the next steps name the undocumented projects)."""
        mono = self.corpus.monographies
        if not len(mono):
            return []
        documented = set(mono["porteur"].dropna()) | set(mono["id"]) | {x for a in mono["acteurs"] for x in (a or [])}
        return sorted(documented & actor_ids)

    def _cited(self, actor_ids, people, tie_rows, role_rows, mono_ids, action_ids) -> str:
        """The sources that the rows of the slice cite, with their text (quoted by the brief)."""
        positions = {
            "acteurs": (i for a in actor_ids for i in self.by_id["acteurs"].get(a, ())),
            "personnes": (i for p in people for i in self.by_id["personnes"].get(p, ())),
            "liens": tie_rows,
            "roles": role_rows,
            "monographies": (i for m in mono_ids for i in self.by_id["monographies"].get(m, ())),
            "actions": (i for a in action_ids for i in self.by_id["actions"].get(a, ())),
        }
        cited = set(self.reference_value()[5])
        for name, rows in positions.items():
            cites = self.cites[name]
            for i in rows:
                cited |= cites[i]
        rows = self._ids_rows("sources", cited)
        return _digest([sorted(rows), sorted((s, self.texts.get(s)) for s in cited)])


def data_digest(parts: dict[str, Any]) -> str:
    """One digest of a job's corpus parts (what the index compares to say a page is out of date)."""
    return _digest(parts)


def reasons(previous: dict[str, Any] | None, now: dict[str, Any]) -> list[str]:
    """Why a job is redone, in French: which of its inputs changed since its last good run.

    ``previous`` and ``now``: the ``entrees`` of the manifest and of the job (``donnees``: the
    corpus parts; ``carnet``, ``code``, ``rendu``, ``parametres``, ``noyau``).
    """
    if not previous:
        return ["pas encore produit"]
    out: list[str] = []
    before, after = previous.get("donnees") or {}, now.get("donnees") or {}
    for part, words in PART_WORDS.items():
        if part == "monographies":
            old, new = before.get(part) or {}, after.get(part) or {}
            if not isinstance(old, dict) or not isinstance(new, dict):
                out.append("monographies modifiées")
                continue
            changed = sorted(m for m in set(old) | set(new) if old.get(m) != new.get(m))
            out += [f"monographie {m}" for m in changed]
        elif before.get(part) != after.get(part):
            out.append(words)
    if previous.get("rendu") != now.get("rendu"):
        out.append("nouvelle version du rendu")
    if previous.get("carnet") != now.get("carnet"):
        out.append("carnet modifié")
    if previous.get("code") != now.get("code"):
        out.append("nouvelle version de mesra")
    if previous.get("parametres") != now.get("parametres"):
        out.append("paramètres")
    if previous.get("noyau") != now.get("noyau"):
        out.append("noyau modifié")
    return out or ["entrées modifiées"]
