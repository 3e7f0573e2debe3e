"""Merging imported rows into an existing corpus, without duplicating actors.

Rules, applied in this order to every imported actor:

1. **Identifier** — exactly one existing actor cites the same source locator
   (the same element of the same export, e.g. ``gogocarto-carte#id=4Xa``): it is
   the same actor, re-imported. A locator several actors share (a line of a
   document naming many) identifies none of them.
2. **Name + territory** — an existing actor has the same normalised name (or
   acronym) and the same territory: it is the same actor.
3. **Ambiguous** — same name, but several such actors, or territories that do
   not settle it (one of them unknown, or one containing the other: the
   national body or its local branch?). The imported actor is *left out* and
   listed, with the candidates, for the user to decide; its ties are left out too.
4. Otherwise the actor is **created**; if its identifier is taken, it gets a
   numeric suffix (``la-recyclerie-2``).

Within one import, an element's identity is its source locator: two imported rows with the
same name but different locators (a shop chain's branches in Paris and in Toulouse) are two
actors, never matched with each other by name (rules 2 and 3 look only at the actors that
were there before the import). They are listed as homonyms to review
(:attr:`MergeResult.homonyms`).

A merged actor keeps its identifier and values; the import only fills its empty
cells (listed). People merge by identifier (stable pseudonyms); ties are added
unless the same ``(source_id, cible_id, relation)`` exists; territories are
matched by identifier or by INSEE code and level. Existing rows keep their
order; new rows follow, in import order. Every decision is returned as a
:class:`Decision` with a French message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mesra.corpus import contract
from mesra.corpus.geo import parent_map, reference_territories, walk_up
from mesra.text import slugify

__all__ = ["Decision", "MergeResult", "merge_tables", "DECISION_LABELS", "name_key"]

DECISION_LABELS = {
    "cree": "créé",
    "fusionne": "fusionné avec l'existant",
    "ambigu": "ambigu, laissé à votre décision",
    "deja_present": "déjà présent",
    "ecarte": "écarté",
}


@dataclass(frozen=True)
class Decision:
    """One merge decision: ``table``, ``kind`` (a key of :data:`DECISION_LABELS`),
    the imported identifier, the corpus identifier it ended as (None when left
    out) and a French ``message``."""

    table: str
    kind: str
    imported: str
    target: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.table} : {self.message}"


@dataclass
class MergeResult:
    """Merged tables (rows of text cells), decisions, and which tables changed."""

    tables: dict[str, list[dict[str, str]]]
    decisions: list[Decision] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    id_map: dict[str, str | None] = field(default_factory=dict)
    #: Imported actors created under the same normalised name (name → identifiers), kept distinct.
    homonyms: dict[str, list[str]] = field(default_factory=dict)

    def count(self, table: str, kind: str) -> int:
        return sum(1 for d in self.decisions if d.table == table and d.kind == kind)


def name_key(name: object) -> str:
    """Normalised name for matching: slug without accents, case or punctuation."""
    return slugify(str(name or ""))


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _parents(territoires: list[dict]) -> dict[str, str]:
    """Parents of the reference geography and of the corpus's own territories."""
    return {**parent_map(territoires), **parent_map(reference_territories())}


def _fill(row: dict[str, str], new: dict[str, str], columns) -> list[str]:
    filled = []
    for col in columns:
        if not row.get(col) and new.get(col):
            row[col] = new[col]
            filled.append(col)
    return filled


def merge_tables(existing: dict[str, list[dict[str, str]]], imported: dict[str, list[dict[str, str]]]) -> MergeResult:
    """Merge ``imported`` rows into ``existing`` ones (both: table name → rows).

    Neither input is modified. Returns the merged rows of every table of the
    contract, the decisions, and the names of the tables that changed.
    """
    tables = {name: [dict(r) for r in existing.get(name, [])] for name in contract.TABLE_ORDER}
    res = MergeResult(tables)
    _merge_sources(res, imported.get("sources", []))
    tmap = _merge_territories(res, imported.get("territoires", []))
    _merge_actors(res, imported.get("acteurs", []), tmap, imported.get("personnes", []))
    _merge_people(res, imported.get("personnes", []))
    _merge_ties(res, imported.get("liens", []))
    return res


def _merge_sources(res: MergeResult, rows: list[dict[str, str]]) -> None:
    """Sources by identifier: a known one is kept as it is."""
    known = {r.get("source_id") for r in res.tables["sources"]}
    for row in rows:
        sid = row["source_id"]
        if sid in known:
            res.decisions.append(
                Decision("sources", "deja_present", sid, sid, f"source « {sid} » déjà présente : conservée")
            )
            continue
        res.tables["sources"].append(dict(row))
        known.add(sid)
        res.changed.add("sources")
        res.decisions.append(Decision("sources", "cree", sid, sid, f"source « {sid} » ajoutée"))


def _merge_territories(res: MergeResult, rows: list[dict[str, str]]) -> dict[str, str]:
    """Territories by INSEE code and level, else added (with a suffix if their id is taken);
    returns imported id → corpus id."""
    ref_ids = set(reference_territories()["territoire_id"])
    terr = res.tables["territoires"]
    by_id = {r.get("territoire_id"): r for r in terr}
    by_code = {(r.get("niveau"), r.get("code_insee")): r.get("territoire_id") for r in terr if r.get("code_insee")}
    tmap: dict[str, str] = {}
    new_terr = []
    for row in rows:
        tid = row["territoire_id"]
        if tid in ref_ids:
            continue
        same_code = by_code.get((row.get("niveau"), row.get("code_insee"))) if row.get("code_insee") else None
        if same_code:
            tmap[tid] = same_code
            msg = (
                f"territoire « {tid} » déjà présent"
                if same_code == tid
                else f"territoire « {row.get('nom')} » ({row.get('code_insee')}) déjà présent sous "
                f"l'identifiant « {same_code} » : repris"
            )
            res.decisions.append(Decision("territoires", "deja_present", tid, same_code, msg))
            continue
        target = _unique(tid, set(by_id) | ref_ids) if tid in by_id else tid
        row = {**row, "territoire_id": target}
        tmap[tid] = target
        by_id[target] = row
        new_terr.append(row)
        msg = f"territoire « {target} » ({row.get('nom')}) ajouté"
        if target != tid:
            msg += f" (« {tid} » désigne déjà un autre territoire)"
        res.decisions.append(Decision("territoires", "cree", tid, target, msg))
    for row in new_terr:
        if row.get("parent_id"):
            row["parent_id"] = tmap.get(row["parent_id"], row["parent_id"])
        terr.append(row)
        res.changed.add("territoires")
    return tmap


class _ActorIndex:
    """The corpus's actors by source locator and by normalised name or acronym."""

    def __init__(self, acteurs: list[dict[str, str]]):
        self.by_locator: dict[str, list[dict]] = {}
        self.by_name: dict[str, list[dict]] = {}
        for r in acteurs:
            self.add(r)

    def add(self, row: dict[str, str]) -> None:
        if row.get("source"):
            self.by_locator.setdefault(row["source"], []).append(row)
        for key in {name_key(row.get("nom")), name_key(row.get("sigle"))} - {""}:
            self.by_name.setdefault(key, []).append(row)

    def same_source(self, row: dict[str, str]) -> dict | None:
        """The one actor citing the same element of the same export, if exactly one does."""
        locator = row.get("source") or ""
        hits = self.by_locator.get(locator, [])
        return hits[0] if len(hits) == 1 and "#" in locator else None

    def same_name(
        self, row: dict[str, str], parent: dict[str, str], exclude: set[str] = frozenset()
    ) -> tuple[list[dict], list[dict]]:
        """Actors of the same name in the same territory, and in a territory that does not settle it
        (those whose identifier is in ``exclude``, created by this import, left aside)."""
        here = row.get("territoire_id") or ""
        same, related = [], []
        for c in self.by_name.get(name_key(row.get("nom")), []):
            if c.get("acteur_id") in (None, "") or c.get("acteur_id") in exclude:
                continue
            there = c.get("territoire_id") or ""
            if here and there == here:
                same.append(c)
            elif not here or not there or here in walk_up(parent, there) or there in walk_up(parent, here):
                related.append(c)
        return same, related


_FILLED_ACTOR_COLUMNS = tuple(
    c for c in contract.TABLES["acteurs"].column_names if c not in ("acteur_id", "nom", "source")
)


def _actor_merged(res: MergeResult, iid: str, row: dict, hit: dict, label: str, why: str) -> None:
    res.id_map[iid] = hit["acteur_id"]
    filled = _fill(hit, row, _FILLED_ACTOR_COLUMNS)
    if filled:
        res.changed.add("acteurs")
    res.decisions.append(
        Decision(
            "acteurs",
            "fusionne",
            iid,
            hit["acteur_id"],
            f"{label} → « {hit['acteur_id']} » ({why})" + (f" ; complété : {', '.join(filled)}" if filled else ""),
        )
    )


def _actor_ambiguous(res: MergeResult, iid: str, row: dict, label: str, candidates: list[dict]) -> None:
    found = ", ".join(f"« {c['acteur_id']} » (territoire : {c.get('territoire_id') or 'inconnu'})" for c in candidates)
    res.id_map[iid] = None
    res.decisions.append(
        Decision(
            "acteurs",
            "ambigu",
            iid,
            None,
            f"{label}, territoire : {row.get('territoire_id') or 'inconnu'} — même nom que {found}. Non importé : "
            "s'il s'agit d'un autre acteur, ajoutez-le à acteurs.csv avec un identifiant "
            "distinct ; sinon, complétez l'acteur existant à la main.",
        )
    )


def _merge_actors(res: MergeResult, rows: list[dict], tmap: dict[str, str], people: list[dict]) -> None:
    """Actors by source locator, then by name and territory; ambiguous ones left out; others created."""
    acteurs = res.tables["acteurs"]
    taken = {r.get("acteur_id") for r in acteurs} | {r.get("personne_id") for r in res.tables["personnes"]}
    taken |= {r.get("personne_id") for r in people}
    index = _ActorIndex(acteurs)
    parent = _parents(res.tables["territoires"])
    created: set[str] = set()
    by_key: dict[str, list[str]] = {}
    for row in rows:
        row = dict(row)
        iid = row["acteur_id"]
        if row.get("territoire_id"):
            row["territoire_id"] = tmap.get(row["territoire_id"], row["territoire_id"])
        label = f"« {row.get('nom')} » ({row.get('source')})"
        hit = index.same_source(row)
        if hit is not None:
            _actor_merged(res, iid, row, hit, label, "même identifiant de source")
            continue
        same, related = index.same_name(row, parent, created)
        if len(same) == 1 and not related:
            _actor_merged(res, iid, row, same[0], label, f"même nom, même territoire « {row.get('territoire_id')} »")
            continue
        if same or related:
            _actor_ambiguous(res, iid, row, label, [*same, *related])
            continue
        target = _unique(iid, taken)
        taken.add(target)
        row["acteur_id"] = target
        res.id_map[iid] = target
        created.add(target)
        by_key.setdefault(name_key(row.get("nom")), []).append(target)
        acteurs.append(row)
        index.add(row)
        res.changed.add("acteurs")
        msg = f"{label} → « {target} »"
        if target != iid:
            msg += f" (identifiant « {iid} » déjà pris)"
        res.decisions.append(Decision("acteurs", "cree", iid, target, msg))
    names = {r["acteur_id"]: r.get("nom", "") for r in acteurs}
    res.homonyms = {names[ids[0]]: ids for key, ids in by_key.items() if key and len(ids) > 1}


def _merge_people(res: MergeResult, rows: list[dict[str, str]]) -> None:
    """People by identifier (stable pseudonyms): a known one only gets its empty cells filled."""
    personnes = res.tables["personnes"]
    pids = {r.get("personne_id"): r for r in personnes}
    actor_ids = {r.get("acteur_id") for r in res.tables["acteurs"]}
    for row in rows:
        row = dict(row)
        pid = row["personne_id"]
        if row.get("acteur_id"):
            row["acteur_id"] = res.id_map.get(row["acteur_id"], row["acteur_id"]) or ""
        if pid in pids:
            res.id_map[pid] = pid
            filled = _fill(pids[pid], row, ["prenom", "acteur_id", "fonction"])
            if filled:
                res.changed.add("personnes")
            msg = f"personne « {pid} » déjà présente" + (f" ; complété : {', '.join(filled)}" if filled else "")
            res.decisions.append(Decision("personnes", "deja_present", pid, pid, msg))
            continue
        target = _unique(pid, actor_ids | set(pids))
        row["personne_id"] = target
        res.id_map[pid] = target
        pids[target] = row
        personnes.append(row)
        res.changed.add("personnes")
        res.decisions.append(Decision("personnes", "cree", pid, target, f"personne « {target} » ajoutée"))


def _merge_ties(res: MergeResult, rows: list[dict[str, str]]) -> None:
    """Ties with their ends mapped; one whose end was left out, or whose ends became one, is dropped."""
    liens = res.tables["liens"]
    seen = {(r.get("source_id"), r.get("cible_id"), r.get("relation")) for r in liens}
    for row in rows:
        row = dict(row)
        a, b = res.id_map.get(row["source_id"], row["source_id"]), res.id_map.get(row["cible_id"], row["cible_id"])
        what = f"{row['source_id']} {contract.label(row['relation'])} {row['cible_id']}"
        if a is None or b is None:
            msg = f"lien « {what} » écarté : une extrémité est ambiguë (voir ci-dessus)"
            res.decisions.append(Decision("liens", "ecarte", what, None, msg))
            continue
        if a == b:
            msg = f"lien « {what} » écarté : ses deux extrémités désignent « {a} »"
            res.decisions.append(Decision("liens", "ecarte", what, None, msg))
            continue
        row["source_id"], row["cible_id"] = a, b
        key = (a, b, row["relation"])
        shown = f"lien « {a} {contract.label(row['relation'])} {b} »"
        if key in seen:
            res.decisions.append(Decision("liens", "deja_present", what, None, f"{shown} déjà présent"))
            continue
        seen.add(key)
        liens.append(row)
        res.changed.add("liens")
        res.decisions.append(Decision("liens", "cree", what, None, f"{shown} ajouté"))
