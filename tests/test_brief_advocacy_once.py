"""Twentieth reading (issue 21): France's advocacy says each engagement once, and only advocacy.

The nineteenth reader found France's « 40 engagements » padded: a person's mandate counted as advocacy (Hervé ROUSSEL
for ATTAC within the CTC, L217; Jean-Baptiste JOBARD for the CAC, L1010), the MES's place in the CTC and in the
Transiscope said once « national » (L928) and once « local » (L904, L906), its place in the CAC once as member and
once as partner (L928), and the RIPESS Europe's members one by one (L936).

Line numbers are those of ``data/sources/actes-coconstruire-2019.txt``.
"""

from __future__ import annotations

import pytest

import mesra
from mesra import french
from mesra.analysis.brief import Brief, advocacy, fiche


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture(scope="module")
def fr(corpus):
    return Brief(corpus, "fr")


def _whole(brief) -> list[str]:
    part = next(
        p
        for p in fiche.sections(brief, whole=True).parts
        if p.title == "Plaidoyer, sensibilisation et partenariats : où et pour quoi"
    )
    return part.bullets


def test_a_persons_mandate_is_not_an_advocacy_engagement(fr):
    t = advocacy.ties(fr)
    assert not {"herve-roussel", "jean-baptiste-jobard"} & set(t["source_id"])
    assert not any("ROUSSEL" in b or "JOBARD" in b for b in _whole(fr))


@pytest.mark.parametrize("territoire", ["fr", "occitanie", "hauts-de-france", "normandie", "ile-de-france"])
def test_one_engagement_per_actor_and_body(corpus, territoire):
    t = advocacy.ties(Brief(corpus, territoire))
    assert not t.duplicated(["source_id", "cible_id"]).any()


def test_the_mes_in_the_cac_the_ctc_and_the_transiscope_is_said_once_with_every_level(fr):
    bullets = _whole(fr)
    cac = [b for b in bullets if "Collectif des Associations Citoyennes" in b and b.startswith("Le ")]
    assert len(cac) == 1 and "est membre et partenaire du Collectif des Associations Citoyennes" in cac[0]
    transiscope = [b for b in bullets if "du Transiscope" in b or "au Transiscope" in b]
    assert (
        len(transiscope) == 1
        and "siège au comité de pilotage du Transiscope (échelons national et local)" in (transiscope[0])
    )
    ctc = [b for b in bullets if b.startswith(("Le MES", "Le Mouvement")) and "Transition Citoyenne" in b]
    assert not any("participe au CTC" in b or "participe au Collectif pour la Transition" in b for b in bullets)
    assert len(ctc) == 1 and "(échelons national et local)" in ctc[0]
    # the aim said once, not « l'élaboration du PACTE » beside « élaboration du PACTE »
    assert ctc[0].count("PACTE") == 1
    # every line the sentences rest on is still cited (L904, L906, L928)
    t = advocacy.ties(fr)
    transiscope_tie = t[(t["source_id"] == "mes") & (t["cible_id"] == "transiscope")].iloc[0]
    assert {"L906", "L928"} <= set(transiscope_tie["source"].split("#")[1].split(","))


def test_the_ripess_europes_members_are_one_sentence(fr):
    members = [b for b in _whole(fr) if "sont membres du RIPESS Europe" in b]
    # counted as four, as « Et N autres engagements » counts them (twentieth reading: 29 announced, 26 lines)
    assert len(members) == 1 and "RIPESS Europe (4 engagements, échelon européen)" in members[0]
    for name in ("Acteurs Pour l'Économie Solidaire", "Régies de Quartier", "MES Occitanie", "UFISC"):
        assert name in members[0]
    # the MES's seat on its bureau stays a sentence of its own (L936)
    assert any("siège au bureau du RIPESS Europe" in b for b in _whole(fr))


def test_the_fiche_counts_engagements_as_section_four_does(fr):
    """« Et N autres engagements » counts each actor's engagement, as section 4 does, not the sentences."""
    f = fiche.facts(fr)
    assert f.advocacy_total == len(advocacy.ties(fr))
    said = "\n".join(fiche.sections(fr).parts[0].bullets + [b for p in fiche.sections(fr).parts for b in p.bullets])
    rest = f.advocacy_total - sum(a.count for a in f.advocacy)
    assert f"Et {french.plural(rest, 'autre engagement', 'autres engagements')}" in said


def test_merged_locator_keeps_every_line_in_order():
    assert advocacy.merged_locator(["a#L245,L928", "a#L904", "a#L245"]) == "a#L245,L904,L928"
    assert advocacy.merged_locator(["a#L12", "b#L3"]) == "a#L12"
    assert advocacy.merged_locator([None]) is None
