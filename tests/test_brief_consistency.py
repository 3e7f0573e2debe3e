"""Every brief of the default corpus says the same thing from one section to the next."""

from __future__ import annotations

import re

import pytest

import mesra
from mesra.analysis.brief import ADVOCACY_ACTION_RELATIONS as ACTIONS
from mesra.analysis.brief import Brief
from mesra.corpus import contract


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture(scope="module")
def briefs(corpus):
    return {t: Brief(corpus, t) for t in corpus.territories_with_data()}


def _number(text: str, pattern: str) -> int:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    value = m.group(1).replace("\u202f", "")
    return 0 if value in ("aucun", "aucune") else int(value)  # « aucun fait documenté »


def _acronym(name, brief) -> str:
    return next((a.sigle for a in brief.acronyms if name.startswith(a.name + " (")), "")


def test_no_organisation_called_without_any_tie_has_one(corpus, briefs):
    tied = set(corpus.liens["source_id"]) | set(corpus.liens["cible_id"])
    known = corpus.liens[corpus.liens["attestation"] != "envisage"]
    not_leads = set(known["source_id"]) | set(known["cible_id"])
    names = dict(zip(corpus.acteurs["nom"], corpus.acteurs["acteur_id"]))
    # after its first mention in a section, an actor is named by its acronym (« la CRESS HdF »)
    names.update({a.sigle: names[a.name] for a in next(iter(briefs.values())).acronyms})
    for t, brief in briefs.items():
        for bullet in brief.network_section().bullets:
            name, _, rest = bullet.partition(" : ")
            name = name.removesuffix(f" ({_acronym(name, brief)})")  # the first mention gives the acronym
            if rest.startswith("aucun lien de coopération, d'adhésion"):
                assert names[name] not in tied, (t, bullet)
            elif rest.startswith("aucun lien constaté ni prévu"):  # only examples of the proceedings name it
                assert names[name] in tied and names[name] not in not_leads, (t, bullet)
            else:  # described by the ties it has: it has some, and none of them is a cooperation edge
                assert names[name] in tied, (t, bullet)
                assert names[name] not in brief.graph or brief.graph.degree(names[name]) == 0, (t, bullet)


def test_brokers_lie_between_others_and_are_never_contexts(briefs):
    for t, brief in briefs.items():
        for table in brief.network_section().tables:
            if table.caption.startswith("Organisations intermédiaires"):
                assert (table.frame["Intermédiarité"] != "0,00").all(), t
                assert not set(table.frame["Type"]) & {contract.label(x) for x in contract.CONTEXT_TYPES}, t
        types = {d["type"] for _, d in brief.graph.nodes(data=True)}
        assert not types & set(contract.CONTEXT_TYPES), t
    assert "seminaire-coconstruire-2019" not in briefs["fr"].graph


def test_the_grid_and_the_monographs_section_agree_field_by_field(briefs):
    for t, brief in briefs.items():
        grid = brief.axes_grid()
        section = brief.monographs_section()
        for table in section.tables:
            fields = dict(zip(table.frame["Champ"], table.frame["Contenu"]))
            said = fields["Axes d'analyse de la note de cadrage (1 à 5) documentés"]
            axes = {int(a) for a in re.findall(r"axe (\d)", said)}
            in_grid = {
                int(row["Axe"])
                for _, row in grid.iterrows()
                if isinstance(row["Initiatives"], str)
                and int(row["Axe"]) <= 5  # the sixth is the research-action's programme (L441), not documented
                and table.caption in row["Initiatives"].split("; ")
            }
            assert axes == in_grid, (t, table.caption)
            # unmet needs feed axis 5: the two say the same
            needs = fields["Besoins non couverts"] != "non renseigné"
            own_text = brief.monographs.set_index("titre").loc[table.caption, "axe_besoins_non_couverts"]
            assert (5 in axes) == (needs or isinstance(own_text, str)), (t, table.caption)


def test_counts_agree_between_sections(briefs):
    for t, brief in briefs.items():
        header = str(brief.header())
        assert _number(header, r"sous-territoires : (\S+) acteur") == len(brief.actors), t
        if len(brief.actors):
            by_type = brief.actors_section().tables[0].frame["Nombre"].sum()
            assert by_type == len(brief.actors), t
        adv = brief.advocacy_section()
        if adv.tables:  # the sentence counts by echelon what the table lists (no table repeats the sentence)
            by_echelon = sum(int(n) for n in re.findall(r"\((\d+)\)", adv.paragraphs[0].split("par échelon")[1]))
            assert by_echelon == len(adv.tables[0].frame) == len(brief.advocacy_ties), t
        practices = brief.practices_section()
        if practices.tables:  # the facts counted are the table's rows; the sentence says them, without a count
            from mesra.analysis.brief import practices as part

            rows = practices.tables[0].frame
            for axe, _, n, _ in part.facts(brief, brief.practices).by_axis:
                assert n == int((rows["Axe"] == axe).sum()), (t, axe)
            assert "faits documentés" not in " ".join(practices.paragraphs), t


def test_advocacy_never_counts_membership_of_the_movement_or_of_local_authorities(briefs, corpus):
    types = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["type"]))
    for t, brief in briefs.items():
        a = brief.advocacy_ties
        assert not ((a["relation"] == "membre_de") & (a["cible_id"] == "mes")).any(), t
        assert not a["source_id"].map(types).eq("collectivite").any(), t
        assert set(a["relation"]) <= {
            *contract.ADVOCACY_RELATIONS,
            *contract.AFFILIATION_RELATIONS,
            *ACTIONS,
            "partenaire_de",
            "accompagne",
        }, t
        partner = a[a["relation"].isin(("partenaire_de", "accompagne"))]
        assert partner["objet"].fillna("").str.strip().ne("").all(), t  # a partnership counts with what it serves
        # an action counts as advocacy only when Axe 4 reports it
        assert (
            a.loc[~a["relation"].isin([*contract.ADVOCACY_RELATIONS, *contract.AFFILIATION_RELATIONS]), "axe"] == 4
        ).all()


def test_people_section_names_the_workshop_referents(briefs):
    # the four referents (L273, L478, L696, L858) appear in the brief of their structure's region
    expected = {
        "bourgogne-franche-comte": "Fabrice PENASSE",
        "hauts-de-france": "Olivia RUEL-MAILFERT",
        "normandie": "Jean-Baptiste CAZIN",
        "occitanie": "Bérénice DONDEYNE",
    }
    for t, who in expected.items():
        table = briefs[t].people_section().tables[0].frame
        row = table[table["Personne"] == who]
        assert len(row) == 1, t
        role = row.iloc[0]["Rôle dans les ateliers et au-delà"]
        # the person's own form (roles.csv: « Référente, animatrice… »), never « référent·e » for a named person
        assert re.search(r"\bréférente? de l'atelier Axe", role) and "·" not in role, (t, role)


def test_next_steps_never_ask_to_connect_through_a_national_network(briefs):
    for t, brief in briefs.items():
        s = brief.connection_suggestions
        assert "Mouvement pour l'Économie Solidaire" not in " ".join(s.get("Collectifs partagés", [])), t


def test_key_findings_open_every_brief_with_three_to_five_sentences_or_say_data_is_thin(briefs):
    for t, brief in briefs.items():
        findings = brief.key_findings().bullets
        if len(brief.organisations) < 2 and not len(brief.monographs):
            assert len(findings) == 1 and findings[0].startswith("Le corpus documente encore peu"), t
        else:
            thin = [f for f in findings if f.startswith("Le corpus documente encore peu")]
            # three to five findings; fewer only when the first one says the data is thin
            assert 3 <= len(findings) <= 5 or (thin and 1 < len(findings) < 3), (t, findings)
            assert not thin or findings[0] == thin[0], t
        assert all(f.endswith((".", ")")) and "(s)" not in f for f in findings), t
    occ = briefs["occitanie"].key_findings().bullets
    # observed ties only: the Relais locaux it carries (L338-340) and the Région's RSE working group (L508);
    # the other partners of the Cercle 1/2 (L781) were intentions
    # two ties: nobody is said to « hold » the network, the finding says who is tied to whom (issue 21, c), and
    # how: the MES Occitanie joins a working group the Région carries (ninth reading, L508)
    assert occ[0].startswith(  # L257: « chaque chantier, co-animé par la coordination nationale et des référents »
        "Les liens de coopération documentés entre organisations nommées : le Mouvement pour l'Économie Solidaire, "
        "par sa coordination nationale, et le MES Occitanie, par Bérénice DONDEYNE, co-animent le chantier de l'Axe 4 "
        "(p. 11 et 28) ;"
    )
    # the RRL is the MES Occitanie's own project (L340), not a cooperation between two organisations (twenty-sixth)
    assert "(p. 18) : la Région Occitanie le porte, le MES Occitanie y participe." in occ[0]
    assert "le MES Occitanie porte le Réseau des Relais Locaux" not in occ[0]
    assert not any("que passent le plus de chemins" in f for f in occ), occ


def test_next_steps_lead_with_the_plan_and_the_plan_section_reads_it_at_the_reference_date(corpus):
    from mesra.analysis.brief.wording import shorten
    from mesra.analysis.plan import due_within, plan_next_steps

    brief = Brief(corpus, "occitanie", date_reference="2020-02-01")
    section = brief.next_steps_section()
    steps = section.bullets
    plan = plan_next_steps(corpus, "occitanie", "2020-02-01")
    # the same sentences, an actor named by its acronym after its first mention in the section
    plan = shorten([*section.paragraphs, *plan], brief.acronyms)[len(section.paragraphs) :]
    assert plan and steps[: len(plan)] == plan
    section = str(brief.plan_section())
    assert section.startswith("8. Plan d'action et suivi") and "1er février 2020" in section
    assert len(due_within(corpus, "occitanie", date_reference="2020-02-01"))
    # twenty-fourth reading: the lack of follow-up is said once, by the fiche's part on the actions, not by the finding;
    # twenty-eighth: without a follow-up the co-animation is said by that part only, not again in « À retenir »
    findings = " ".join(brief.key_findings().bullets)
    assert "co-anime le chantier de l'Axe 4" not in findings and "aucun suivi" not in findings
    assert any(p.title.startswith("Chantier de l'Axe 4") for p in brief.fiche().parts)
    # read later with no follow-up recorded, nothing is overdue: the fiche says the follow-up is missing
    later = Brief(corpus, "occitanie", date_reference="2026-01-01")
    assert "attend" not in later.key_findings().bullets[-1]
    assert "Les sources ne disent pas où en sont les actions depuis le plan de décembre 2019" in str(later.fiche())


def test_advocacy_counts_every_entry_of_the_axe4_lists_at_its_level(corpus, briefs):
    # L896-936 list the advocacy of the members at each level (local, regional, national, European):
    # every observed entry of a territory's actor is in its brief's advocacy, at the level of the list
    t = corpus.liens
    lines = t["source"].str.extract(r"#L(\d+)", expand=False).astype(float)
    listed = t[(lines >= 896) & (lines <= 936) & (t["attestation"] == "constate") & (t["axe"] == 4)]
    argued = listed["relation"].isin(("partenaire_de", "accompagne")) & listed["objet"].fillna("").str.strip().ne("")
    listed = listed[listed["relation"].isin([*ACTIONS, *contract.ADVOCACY_RELATIONS, "membre_de"]) | argued]
    # a local authority is the one advocated to, never an advocate: the CU d'Arras carries the territory project
    # the APES takes part in (L898)
    types = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["type"]))
    listed = listed[listed["source_id"].map(types) != "collectivite"]
    assert len(listed) >= 25
    checked = 0
    for name, brief in briefs.items():
        # one engagement per actor and body gathers its ties (twentieth reading): each is still said, at its level
        shown = {(r.source_id, r.cible_id, rel, e) for r in brief.advocacy_ties.itertuples() for rel, e in r.gathered}
        for r in listed[listed["source_id"].isin(brief.actor_ids)].itertuples():
            assert (r.source_id, r.cible_id, r.relation, r.echelon) in shown, (name, r.source_id, r.cible_id)
            checked += 1
    assert checked >= 25
    local = {n: int(b.advocacy_by_echelon().set_index("Libellé").loc["Local", "Nombre"]) for n, b in briefs.items()}
    assert local["hauts-de-france"] >= 2 and local["normandie"] >= 2 and local["occitanie"] >= 1  # L898, L900, L902
