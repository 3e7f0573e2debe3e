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
    dec = res.decisions.append

    # --- sources ----------------------------------------------------------
    known_sources = {r.get("source_id"): r for r in tables["sources"]}
    for row in imported.get("sources", []):
        sid = row["source_id"]
        if sid in known_sources:
            dec(Decision("sources", "deja_present", sid, sid, f"source « {sid} » déjà présente : conservée"))
        else:
            tables["sources"].append(dict(row))
            known_sources[sid] = row
            res.changed.add("sources")
            dec(Decision("sources", "cree", sid, sid, f"source « {sid} » ajoutée"))

    # --- territories ------------------------------------------------------
    ref_ids = set(reference_territories()["territoire_id"])
    terr = tables["territoires"]
    by_id = {r.get("territoire_id"): r for r in terr}
    by_code = {(r.get("niveau"), r.get("code_insee")): r.get("territoire_id") for r in terr if r.get("code_insee")}
    tmap: dict[str, str] = {}
    new_terr = []
    for row in imported.get("territoires", []):
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
            dec(Decision("territoires", "deja_present", tid, same_code, msg))
            continue
        target = tid
        if tid in by_id:
            target = _unique(tid, set(by_id) | ref_ids)
        row = dict(row)
        row["territoire_id"] = target
        tmap[tid] = target
        by_id[target] = row
        new_terr.append(row)
        msg = f"territoire « {target} » ({row.get('nom')}) ajouté"
        if target != tid:
            msg += f" (« {tid} » désigne déjà un autre territoire)"
        dec(Decision("territoires", "cree", tid, target, msg))
    for row in new_terr:
        if row.get("parent_id"):
            row["parent_id"] = tmap.get(row["parent_id"], row["parent_id"])
        terr.append(row)
        res.changed.add("territoires")
    parent = _parents(tables["territoires"])

    # --- actors -----------------------------------------------------------
    acteurs = tables["acteurs"]
    taken = {r.get("acteur_id") for r in acteurs} | {r.get("personne_id") for r in tables["personnes"]}
    taken |= {r.get("personne_id") for r in imported.get("personnes", [])}
    by_locator: dict[str, list[dict]] = {}
    by_name: dict[str, list[dict]] = {}
    for r in acteurs:
        if r.get("source"):
            by_locator.setdefault(r["source"], []).append(r)
        for key in {name_key(r.get("nom")), name_key(r.get("sigle"))} - {""}:
            by_name.setdefault(key, []).append(r)
    columns = [c for c in contract.TABLES["acteurs"].column_names if c not in ("acteur_id", "nom", "source")]
    idmap = res.id_map
    for row in imported.get("acteurs", []):
        row = dict(row)
        iid = row["acteur_id"]
        if row.get("territoire_id"):
            row["territoire_id"] = tmap.get(row["territoire_id"], row["territoire_id"])
        label = f"« {row.get('nom')} » ({row.get('source')})"
        hits = by_locator.get(row.get("source") or "", [])
        hit = hits[0] if len(hits) == 1 and "#" in (row.get("source") or "") else None

        def merge_into(hit, why):
            idmap[iid] = hit["acteur_id"]
            filled = _fill(hit, row, columns)
            if filled:
                res.changed.add("acteurs")
            dec(
                Decision(
                    "acteurs",
                    "fusionne",
                    iid,
                    hit["acteur_id"],
                    f"{label} → « {hit['acteur_id']} » ({why})"
                    + (f" ; complété : {', '.join(filled)}" if filled else ""),
                )
            )

        if hit is not None:
            merge_into(hit, "même identifiant de source")
            continue
        key = name_key(row.get("nom"))
        cands = [c for c in by_name.get(key, []) if c.get("acteur_id") not in (None, "")]
        here = row.get("territoire_id") or ""
        same, related = [], []
        for c in cands:
            there = c.get("territoire_id") or ""
            if here and there == here:
                same.append(c)
            elif not here or not there or here in walk_up(parent, there) or there in walk_up(parent, here):
                related.append(c)
        if len(same) == 1 and not related:
            merge_into(same[0], f"même nom, même territoire « {here} »")
            continue
        if same or related:
            found = ", ".join(
                f"« {c['acteur_id']} » (territoire : {c.get('territoire_id') or 'inconnu'})" for c in [*same, *related]
            )
            idmap[iid] = None
            dec(
                Decision(
                    "acteurs",
                    "ambigu",
                    iid,
                    None,
                    f"{label}, territoire : {here or 'inconnu'} — même nom que {found}. Non importé : "
                    "s'il s'agit d'un autre acteur, ajoutez-le à acteurs.csv avec un identifiant "
                    "distinct ; sinon, complétez l'acteur existant à la main.",
                )
            )
            continue
        target = _unique(iid, taken)
        taken.add(target)
        row["acteur_id"] = target
        idmap[iid] = target
        acteurs.append(row)
        if row.get("source"):
            by_locator.setdefault(row["source"], []).append(row)
        for k in {key, name_key(row.get("sigle"))} - {""}:
            by_name.setdefault(k, []).append(row)
        res.changed.add("acteurs")
        msg = f"{label} → « {target} »"
        if target != iid:
            msg += f" (identifiant « {iid} » déjà pris)"
        dec(Decision("acteurs", "cree", iid, target, msg))

    # --- people -----------------------------------------------------------
    personnes = tables["personnes"]
    pids = {r.get("personne_id"): r for r in personnes}
    actor_ids = {r.get("acteur_id") for r in acteurs}
    for row in imported.get("personnes", []):
        row = dict(row)
        pid = row["personne_id"]
        if row.get("acteur_id"):
            row["acteur_id"] = idmap.get(row["acteur_id"], row["acteur_id"]) or ""
        if pid in pids:
            idmap[pid] = pid
            filled = _fill(pids[pid], row, ["prenom", "acteur_id", "fonction"])
            if filled:
                res.changed.add("personnes")
            dec(
                Decision(
                    "personnes",
                    "deja_present",
                    pid,
                    pid,
                    f"personne « {pid} » déjà présente" + (f" ; complété : {', '.join(filled)}" if filled else ""),
                )
            )
            continue
        target = _unique(pid, actor_ids | set(pids))
        row["personne_id"] = target
        idmap[pid] = target
        pids[target] = row
        personnes.append(row)
        res.changed.add("personnes")
        dec(Decision("personnes", "cree", pid, target, f"personne « {target} » ajoutée"))

    # --- ties -------------------------------------------------------------
    liens = tables["liens"]
    seen = {(r.get("source_id"), r.get("cible_id"), r.get("relation")) for r in liens}
    for row in imported.get("liens", []):
        row = dict(row)
        a, b = idmap.get(row["source_id"], row["source_id"]), idmap.get(row["cible_id"], row["cible_id"])
        what = f"{row['source_id']} {contract.label(row['relation'])} {row['cible_id']}"
        if a is None or b is None:
            dec(
                Decision(
                    "liens",
                    "ecarte",
                    what,
                    None,
                    f"lien « {what} » écarté : une extrémité est ambiguë (voir ci-dessus)",
                )
            )
            continue
        if a == b:
            dec(
                Decision(
                    "liens", "ecarte", what, None, f"lien « {what} » écarté : ses deux extrémités désignent « {a} »"
                )
            )
            continue
        row["source_id"], row["cible_id"] = a, b
        key = (a, b, row["relation"])
        if key in seen:
            dec(
                Decision(
                    "liens",
                    "deja_present",
                    what,
                    None,
                    f"lien « {a} {contract.label(row['relation'])} {b} » déjà présent",
                )
            )
            continue
        seen.add(key)
        liens.append(row)
        res.changed.add("liens")
        dec(Decision("liens", "cree", what, None, f"lien « {a} {contract.label(row['relation'])} {b} » ajouté"))
    return res
