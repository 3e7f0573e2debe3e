"""4. Advocacy cartography (Axe 4): bodies where the territory's actors act, local → international."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief.view import TerritoryView, merged_locator, present
from mesra.analysis.brief.wording import render
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label

#: Ties that Axe 4 reports as advocacy actions (carrying a kit, co-organising a forum, taking part in a
#: scheme that raises awareness, developing a tool).
ADVOCACY_ACTION_RELATIONS = ("porte", "developpe", "co_organise", "participe_a")
#: Types of the bodies whose membership is advocacy (Axe 4), beyond one's own network.
ADVOCACY_BODY_TYPES = ("instance_ess", "plateforme", "federation", "collectif")
_ECHELON_ORDER = {e: i for i, e in enumerate(contract.ECHELONS)}


@dataclass(frozen=True)
class AdvocacyFacts:
    ties: int
    by_echelon: tuple[tuple[str, int], ...]  # (French label, count), levels with at least one
    with_object: int  # ties for which the sources say what is defended
    sources: tuple[str, ...]


def ties(view: TerritoryView) -> pd.DataFrame:
    """Advocacy (Axe 4): advocacy and representation ties, memberships of bodies and actions in Axe 4.

    A membership counts only when the proceedings report it as advocacy (``axe`` 4)
    and the body is an ESS body, platform, federation or collective — never the
    membership of one's own network, never a local authority's membership. The territory's actors' engagements,
    and those of actors from elsewhere whose target is in the territory (twelfth reading: the APES's part in the
    Communauté urbaine d'Arras's projet de territoire, L898, was in Hauts-de-France's fiche and not in Arras's).
    """
    t = view.observed_ties  # an intention of advocacy in a plan is not advocacy done
    inside = view.actor_ids | view.people_ids
    target_type = t["cible_id"].map(view.types)
    source_type = t["source_id"].map(view.types)
    axe4 = (t["axe"] == 4).fillna(False)
    membership = (
        t["relation"].isin(contract.AFFILIATION_RELATIONS)
        & axe4
        & target_type.isin(ADVOCACY_BODY_TYPES)
        & (source_type != "collectivite")
    )
    # what Axe 4's cartography lists as advocacy at each level (L896-936) is often an action carried
    # (a kit for the municipal elections, a forum): an Axe 4 tie of carrying, developing, co-organising
    # a partnership or a support listed in Axe 4 counts when the text says what it serves (its ``objet``)
    argued = t["relation"].isin(("partenaire_de", "accompagne")) & t["objet"].fillna("").astype(str).str.strip().ne("")
    action = (t["relation"].isin(ADVOCACY_ACTION_RELATIONS) | argued) & axe4 & (source_type != "collectivite")
    mask = (t["source_id"].isin(inside) | t["cible_id"].isin(view.actor_ids)) & (
        t["relation"].isin(contract.ADVOCACY_RELATIONS) | membership | action
    )
    mask &= target_type != "chantier"
    # a person's mandate to speak for an organisation (Hervé ROUSSEL for ATTAC within the CTC, L217) is a role,
    # said with the people, not an engagement of advocacy (nineteenth reading: France's annex counted it as one)
    mask &= ~((t["relation"] == "represente") & (source_type == "personne"))
    out = t[mask].copy()
    out["echelon"] = [
        e if isinstance(e, str) else view.echelons.get(c) for e, c in zip(out["echelon"], out["cible_id"])
    ]
    out = one_per_pair(out)
    out["_order"] = [_ECHELON_ORDER.get(e, len(contract.ECHELONS)) for e in out["echelon"]]
    out = out.sort_values(["_order", "source_id", "cible_id"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


#: When one actor has several ties to one body, the engagement is said by the first of these relations (a seat or a
#: membership before a partnership, a participation last: a member takes part in the body it belongs to).
RELATION_ORDER = ("membre_de", "plaide_aupres_de", "represente", "porte", "developpe", "co_organise", "partenaire_de")


def one_per_pair(t: pd.DataFrame) -> pd.DataFrame:
    """One engagement per actor and body (nineteenth reading: France's annex said the MES's place in the CTC and in the
    Transiscope once « national » and once « local », L904, L906 and L928, and in the CAC once as member, once as
    partner). The engagement keeps its first tie (:data:`RELATION_ORDER`, a stated seat first) and gathers the others:
    ``relations`` (what the first one does not already say: a participation is), ``echelons``, each distinct ``objet``
    and every cited line (``source``)."""
    if t.empty:
        return t.assign(relations=[], echelons=[], gathered=[])
    rank = {r: i for i, r in enumerate(RELATION_ORDER)}
    t = t.assign(
        _seat=[0 if present(q) else 1 for q in (t["qualite"] if "qualite" in t.columns else [None] * len(t))],
        _rank=[rank.get(r, len(rank)) for r in t["relation"]],
    )
    rows = []
    for _, g in t.groupby(["source_id", "cible_id"], sort=False):
        g = g.sort_values(["_seat", "_rank"], kind="stable")
        first = g.iloc[0].copy()
        kept = [r for r in dict.fromkeys(g["relation"]) if r != "participe_a" or r == first["relation"]]
        first["relations"] = tuple(kept)
        first["gathered"] = tuple(zip(g["relation"], g["echelon"]))  # every tie the engagement says, for checks
        first["echelons"] = tuple(dict.fromkeys(e for e in g["echelon"] if present(e)))
        said = [o.strip() for o in dict.fromkeys(g["objet"]) if present(o) and str(o).strip()]
        said = [o for o in said if not any(o != other and o.lower() in other.lower() for other in said)]
        first["objet"] = " ; ".join(said) or None
        first["source"] = merged_locator(g["source"])
        rows.append(first)
    return pd.DataFrame(rows).drop(columns=["_seat", "_rank"]).reset_index(drop=True)


def by_echelon(t: pd.DataFrame) -> pd.DataFrame:
    """Advocacy ties per echelon (the same ties as the section's table)."""
    values = t["echelon"].value_counts()
    rows = [(label(e), int(values.get(e, 0))) for e in contract.ECHELONS]
    missing = int(t["echelon"].isna().sum())
    if missing:
        rows.append(("Non renseigné", missing))
    return pd.DataFrame(rows, columns=["Libellé", "Nombre"])


def facts(view: TerritoryView, t: pd.DataFrame) -> AdvocacyFacts:
    by = by_echelon(t)
    return AdvocacyFacts(
        ties=len(t),
        by_echelon=tuple((lab, int(n)) for lab, n in zip(by["Libellé"], by["Nombre"]) if n),
        with_object=sum(1 for o in view.objets(t) if o),
        sources=tuple(t["source"]),
    )


def section(view: TerritoryView, t: pd.DataFrame) -> Section:
    f = facts(view, t)
    w = render("advocacy", f=f)
    s = Section("4. Cartographie du plaidoyer (Axe 4)", paragraphs=w.paragraphs, notes=w.notes)
    if not f.ties:
        s.notes = []
        return s
    s.add_table(
        "Instances et actions, du local à l'international",
        pd.DataFrame(
            {
                "Échelon": [french.join([label(x) for x in es]) or french.UNKNOWN for es in t["echelons"]],
                "Acteur": [view.name_of(x) for x in t["source_id"]],
                "Engagement": [french.join([label(x) for x in rs]) for rs in t["relations"]],
                "Instance ou destinataire": [view.name_of(x) for x in t["cible_id"]],
                "Ce qui est défendu": [o or french.UNKNOWN for o in view.objets(t)],
            }
        ),
    )
    s.cite(*f.sources)
    return s
