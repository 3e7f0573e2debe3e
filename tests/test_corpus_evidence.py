"""The default corpus says how it knows, and its networks count only what is observed.

``tests/fixtures/evidence/*.csv`` list the passages of the proceedings that only cite
possible examples, say who *should* take part, or state an intention
(``source_id,lignes,nature,motif``; ``nature`` ∈ exemples_possibles, qui_participe,
intention), written from the text by the auditors. No tie sourced only to such a
passage may be ``constate``.

Then the network semantics of DESIGN.md on the default corpus: no cooperation edge
rests only on planned or envisaged ties or on the shared use of one scheme, and the
planned reading keeps every edge of the observed one.
"""

from __future__ import annotations

import csv
import re
from functools import cache

import pytest
from helpers import FIXTURES

import mesra
from mesra.corpus import contract
from mesra.corpus.validate import LOCATOR, line_ranges

EVIDENCE = sorted((FIXTURES / "evidence").glob("*.csv"))
COLUMNS = ["source_id", "lignes", "nature", "motif"]
NATURES = ("exemples_possibles", "qui_participe", "intention")
_RANGE = re.compile(r"^L(\d+)(?:-L?(\d+))?$")


@cache
def corpus():
    return mesra.load_corpus()


def read_passages(path) -> list[tuple[str, int, int, str, str]]:
    """``(source_id, start, end, nature, motif)`` of each passage of one evidence file."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS, f"{path.name}: colonnes {reader.fieldnames}, attendu {COLUMNS}"
        out = []
        for line, row in enumerate(reader, start=2):
            m = _RANGE.match(row["lignes"].strip())
            assert m, f"{path.name}:{line}: lignes « {row['lignes']} » (attendu L12 ou L12-20)"
            assert row["nature"] in NATURES, f"{path.name}:{line}: nature « {row['nature']} » (attendu {NATURES})"
            assert row["motif"].strip(), f"{path.name}:{line}: motif vide"
            out.append((row["source_id"], int(m.group(1)), int(m.group(2) or m.group(1)), row["nature"], row["motif"]))
    return out


def cited_ranges(locators: str) -> list[tuple[str, int, int]]:
    out = []
    for loc in re.split(r"[;|]", locators or ""):
        m = LOCATOR.match(loc.strip())
        if m:
            out += [(m.group("source"), a, b) for a, b in line_ranges(m.group("where")) or []]
    return out


def only_within(locators: str, passages) -> bool:
    """True when every line range a tie cites lies inside one of ``passages`` (and it cites some)."""
    cited = cited_ranges(locators)
    return bool(cited) and all(
        any(sid == psid and a <= start <= end <= b for psid, a, b, *_ in passages) for sid, start, end in cited
    )


def constate_within(liens, passages) -> list[str]:
    """The ties attested ``constate`` whose locators lie only within ``passages``."""
    return [
        f"{s} —{rel}→ {c} ({src})"
        for s, c, rel, src, att in zip(
            liens["source_id"], liens["cible_id"], liens["relation"], liens["source"], liens["attestation"]
        )
        if att == contract.OBSERVED and only_within(src, passages)
    ]


# --- the check itself can fail ------------------------------------------------------------------
def test_the_check_finds_a_constate_tie_in_an_examples_passage():
    import pandas as pd

    liens = pd.DataFrame(
        {
            "source_id": ["a", "a", "b", "c"],
            "cible_id": ["x", "y", "x", "x"],
            "relation": ["partenaire_de"] * 4,
            "source": ["actes#L445", "actes#L445", "actes#L440-446", "actes#L100,L445"],
            "attestation": ["constate", "envisage", "constate", "constate"],
        }
    )
    passages = [("actes", 443, 451, "exemples_possibles", "exemples possibles (synthétique)")]
    # a: constate inside → found; a→y: envisage → fine; b: starts before the passage; c: also cites L100
    assert constate_within(liens, passages) == ["a —partenaire_de→ x (actes#L445)"]


@pytest.mark.parametrize("path", EVIDENCE, ids=lambda p: p.name)
def test_no_tie_sourced_to_an_example_or_intention_passage_is_constate(path):
    passages = read_passages(path)
    assert passages, f"{path.name} ne liste aucun passage"
    sources = set(corpus().sources["source_id"])
    assert {p[0] for p in passages} <= sources
    wrong = constate_within(corpus().liens, passages)
    assert not wrong, f"{path.name} : liens « constate » dans des passages d'exemples ou d'intentions :\n" + "\n".join(
        wrong
    )


# --- network semantics on the default corpus -----------------------------------------------------
def _territories():
    return [None, *corpus().territories_with_data()]


@cache
def observed_support():
    """Pairs of organisations an observed tie supports: a direct cooperation tie, or a context both are
    attached to by observed ties of the context relations (``utilise`` is not one)."""
    c = corpus()
    liens = c.liens[c.liens["attestation"] == contract.OBSERVED]
    direct = liens[liens["relation"].isin(contract.COOPERATION_RELATIONS)]
    pairs = {frozenset((s, t)) for s, t in zip(direct["source_id"], direct["cible_id"])}
    contexts = set(c.acteurs.loc[c.acteurs["type"].isin(contract.CONTEXT_TYPES), "acteur_id"])
    attach = liens[liens["relation"].isin(contract.CONTEXT_RELATIONS)]
    members: dict[str, set[str]] = {}
    for s, t in zip(attach["source_id"], attach["cible_id"]):
        for org, ctx in ((s, t), (t, s)):
            if ctx in contexts and org not in contexts:
                members.setdefault(ctx, set()).add(org)
    return pairs, members


@pytest.mark.parametrize("territoire", _territories(), ids=str)
def test_no_cooperation_edge_rests_only_on_intentions_examples_or_shared_use(territoire):
    g = mesra.cooperation_graph(corpus(), territoire)
    pairs, members = observed_support()
    wrong = []
    for u, v, d in g.edges(data=True):
        shared = [ctx for ctx in d["contextes"] if {u, v} <= members.get(ctx, set())]
        # a funder and the carrier of a context too broad to pair its members: both attached by observed ties
        through = d.get("finance_porte") or []
        through_ok = all({u, v} <= members.get(ctx, set()) for ctx in through)
        direct_ok = frozenset((u, v)) in pairs or (bool(through) and through_ok)
        if len(shared) != len(d["contextes"]) or (d["liens_directs"] and not direct_ok) or not through_ok:
            wrong.append(f"{u} — {v} : {d['relations']} {d['contextes']}")
        assert d["attestation"] == contract.OBSERVED
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("territoire", _territories(), ids=str)
def test_the_planned_reading_keeps_every_observed_edge(territoire):
    observed = mesra.cooperation_graph(corpus(), territoire)
    planned = mesra.cooperation_graph(corpus(), territoire, attestations=contract.PLANNED)
    edges = {frozenset(e) for e in observed.edges()}
    assert edges <= {frozenset(e) for e in planned.edges()}
    # the planned edges an observed tie supports are exactly the observed reading's edges
    assert {frozenset((u, v)) for u, v, d in planned.edges(data=True) if d["attestation"] == "constate"} == edges
    listed = mesra.planned_cooperations(corpus(), territoire)
    # a planned pair that an observed tie of any kind (a membership, a seat) already joins is not listed
    t = corpus().liens[corpus().liens["attestation"] == "constate"]
    known = {frozenset(p) for p in zip(t["source_id"], t["cible_id"])}
    only_planned = {frozenset((u, v)) for u, v in planned.edges()} - edges - known
    assert {frozenset(p) for p in zip(listed["organisation_a"], listed["organisation_b"])} == only_planned


def test_users_of_one_scheme_are_not_tied_through_it():
    # the DLA case of the proceedings: one carries the scheme, others use it
    c = corpus()
    uses = c.liens[c.liens["relation"] == "utilise"]
    contexts = set(c.acteurs.loc[c.acteurs["type"].isin(contract.CONTEXT_TYPES), "acteur_id"])
    g = mesra.cooperation_graph(c)
    members = observed_support()[1]
    for user, scheme in zip(uses["source_id"], uses["cible_id"]):
        if scheme in contexts and user not in members.get(scheme, set()):  # a user that does nothing else with it
            assert all(scheme not in d["contextes"] for *_, d in g.edges(user, data=True)), (user, scheme)


def test_leads_are_never_counted():
    c = corpus()
    found = mesra.leads(c)
    assert len(found) == int((c.liens["attestation"] == "envisage").sum())
    g = mesra.cooperation_graph(c)
    for s, t in zip(found["source_id"], found["cible_id"]):
        if g.has_edge(s, t):  # an edge between two ends of a lead rests on something else
            assert frozenset((s, t)) in observed_support()[0] or g.edges[s, t]["contextes"]
