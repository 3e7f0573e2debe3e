"""Reading a co-evaluation (issue 26): medians per viewpoint, divergences, the <3 rule, never one score."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from mesra.analysis import coevaluation as co
from mesra.corpus import load_corpus
from mesra.errors import ParameterError

matplotlib.use("Agg")

FIXTURE = Path(__file__).parent / "fixtures" / "coevaluation"
HEADER = "campagne_id,evaluateur_id,point_de_vue,question_id,niveau,commentaire,preuve\n"

#: Words that would announce a figure across viewpoints or dimensions (an overall score, a total…).
AGGREGATE_WORDS = re.compile(
    r"\bscore|note globale|\bglobal|\btotal|tous les points de vue|tous points de vue|ensemble des points de vue"
    r"|toutes les dimensions|toutes dimensions|moyenne|indice|\bindex\b|synthèse chiffrée",
    re.IGNORECASE,
)


def aggregate_problems(facts: object, texts: list[str] = ()) -> list[str]:
    """Figures of ``facts`` not tied to one viewpoint and one dimension or criterion; aggregate words anywhere."""
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            keys = set(node)
            if any(k in keys for k in ("mediane", "effectif", "reponses", "mediane_a", "ecart_niveaux", "evolution")):
                has_view = node.get("point_de_vue") or (node.get("point_de_vue_a") and node.get("point_de_vue_b"))
                has_place = node.get("critere") or node.get("dimension")
                if not (has_view and has_place):
                    found.append(f"{where}: {node}")
            for k, v in node.items():
                if AGGREGATE_WORDS.search(str(k)):
                    found.append(f"{where}.{k}")
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")
        elif isinstance(node, str) and AGGREGATE_WORDS.search(node):
            found.append(f"{where}: {node}")

    walk(facts, "faits")
    for text in texts:
        for m in AGGREGATE_WORDS.finditer(text):
            found.append(f"texte: …{text[max(0, m.start() - 40) : m.end() + 40]}…")
    return found


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE)


@pytest.fixture(scope="module")
def reading(corpus):
    return co.read_campaign(corpus, "exemple-2024")


def _with_answers(tmp_path: Path, rows: list[str]) -> object:
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    (folder / "evaluation/reponses.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return load_corpus(folder)


def test_dimension_medians_per_viewpoint_with_their_number_of_answers(reading):
    d = reading.dimensions.set_index(["dimension", "point_de_vue"])
    # gouvernance, auto-évaluation: 8 answers « 4 » (participation) + 3, 3, 4, 3 (transparence) → median 4 of 12
    assert (d.loc[("gouvernance", "soi"), "mediane"], d.loc[("gouvernance", "soi"), "reponses"]) == (4, 12)
    # bénéficiaires: seven 2, three 1 (participation) + 3, 3, 2, 3 and one « ne sait pas »
    # → 1×3, 2×8, 3×3: median 2 of 14
    row = d.loc[("gouvernance", "beneficiaire")]
    assert (row["mediane"], row["reponses"], row["ne_sait_pas"]) == (2, 14, 1)
    # territoire, partenaires: 2, 2, 1 (besoins) + 3, 4, 3 (coopération) → 2.5 of 6
    assert d.loc[("territoire", "partenaire"), "mediane"] == 2.5
    assert set(reading.dimensions["point_de_vue"]) == {"soi", "beneficiaire", "partenaire"}


def test_distribution_keeps_ne_sait_pas_apart(reading):
    dist = reading.distribution
    coop = dist[(dist["critere"] == "cooperation") & (dist["point_de_vue"] == "beneficiaire")]
    assert coop["effectif"].sum() == 0 and list(coop["niveau"]) == [1, 2, 3, 4]
    nsp = reading.ne_sait_pas.set_index(["critere", "point_de_vue"])
    assert nsp.loc[("cooperation", "beneficiaire"), "ne_sait_pas"] == 5
    part = dist[(dist["critere"] == "participation") & (dist["point_de_vue"] == "beneficiaire")]
    assert dict(zip(part["niveau"], part["effectif"])) == {1: 3, 2: 7, 3: 0, 4: 0}


def test_divergence_table_hand_computed(reading):
    d = reading.divergences
    pairs = [
        (c, a, b, ea) for c, a, b, ea in zip(d["critere"], d["point_de_vue_a"], d["point_de_vue_b"], d["ecart_niveaux"])
    ]
    assert pairs == [
        ("participation", "soi", "beneficiaire", 2.0),  # 4 vs 2
        ("besoins", "soi", "partenaire", 2.0),  # 4 vs 2
        ("besoins", "beneficiaire", "partenaire", 2.0),  # 4 vs 2
        ("pouvoir-agir", "soi", "beneficiaire", 2.0),  # 3 vs 1
    ]
    quotes = d.iloc[0]["commentaires"]
    assert "« Les décisions se prennent surtout en bureau. » (bénéficiaires)" in quotes
    assert "« Une assemblée ouverte chaque mois. » (auto-évaluation)" in quotes
    assert co.divergence_sentence(reading).startswith("Sur 3 critères, deux points de vue diffèrent de 2 niveaux")


def test_divergence_on_fractional_medians(tmp_path):
    rows = []
    for i, levels in enumerate(["1", "2", "2", "1"]):  # soi: 1, 1, 2, 2 → 1.5
        rows.append(f"exemple-2024,s{i},soi,q-besoins-1,{levels},,")
    for i, level in enumerate(["3", "4", "4", "3"]):  # bénéficiaires: 3.5
        rows.append(f"exemple-2024,b{i},beneficiaire,q-besoins-1,{level},,")
    for i, level in enumerate(["3", "3", "4"]):  # partenaires: 3 → 1.5 from soi, 0.5 from bénéficiaires
        rows.append(f"exemple-2024,p{i},partenaire,q-besoins-1,{level},,")
    reading = co.read_campaign(_with_answers(tmp_path, rows), "exemple-2024")
    d = reading.divergences
    assert list(zip(d["point_de_vue_a"], d["point_de_vue_b"], d["mediane_a"], d["mediane_b"])) == [
        ("soi", "beneficiaire", 1.5, 3.5)
    ]
    assert d.iloc[0]["commentaires"] == []
    assert co.divergence_table(reading).iloc[0]["Commentaires"] == "aucun commentaire"


def test_fewer_than_three_respondents_are_not_shown_nor_quoted(reading):
    assert reading.hidden == (("financeur", 2),)
    facts = co.campaign_facts(reading)
    dumped = json.dumps(facts, ensure_ascii=False)
    assert "financeur" not in json.dumps({k: v for k, v in facts.items() if k != "masques"}, ensure_ascii=False)
    assert "Le financeur n'a pas été invité" not in dumped
    assert "Le financeur n'a pas été invité" not in co.divergence_table(reading).to_string()
    sentence = co.hidden_sentence(reading)
    assert sentence.startswith(
        "Les financeurs (2 répondants) ne sont pas montrés à part et leurs commentaires ne sont pas cités"
    )


def test_three_respondents_are_shown_and_two_are_not(tmp_path):
    rows = [f"exemple-2024,p{i},partenaire,q-besoins-1,2,Commentaire {i},," for i in range(3)]
    rows += [f"exemple-2024,s{i},soi,q-besoins-1,4,,," for i in range(2)]
    reading = co.read_campaign(_with_answers(tmp_path, rows), "exemple-2024")
    assert reading.viewpoints == ("partenaire",) and reading.hidden == (("soi", 2),)
    assert reading.divergences.empty  # the « soi » answers (4) are neither shown nor compared


def test_no_single_score_in_any_output(corpus, reading):
    """No figure across viewpoints or dimensions: each is tied to one viewpoint and one dimension or criterion."""
    texts = [co.hidden_sentence(reading), co.divergence_sentence(reading), co.synthetic_sentence(reading)]
    texts += [co.divergence_table(reading).to_string()]
    comparison = co.compare_campaigns(corpus, "exemple-2023", "exemple-2024")
    texts += [co.comparison_table(comparison).to_string()]
    facts = co.campaign_facts(reading)
    facts["comparaison"] = comparison.astype(object).to_dict("records")
    assert aggregate_problems(facts, texts) == []
    for df in (reading.dimensions, reading.criteres, reading.distribution, reading.ne_sait_pas, comparison):
        assert df["point_de_vue"].notna().all() and set(df["point_de_vue"]) <= set(reading.viewpoints)
        assert not set(df.columns) & {"score", "total", "global", "moyenne"}
    # one median per (dimension, viewpoint): nothing merged
    assert not reading.dimensions.duplicated(["dimension", "point_de_vue"]).any()
    assert len(reading.dimensions) == 4 * 3


def test_the_scanner_catches_an_aggregate():
    assert aggregate_problems({"dimensions": [{"dimension": "gouvernance", "mediane": 3}]})
    assert aggregate_problems({"x": [{"point_de_vue": "soi", "mediane": 3}]})
    assert aggregate_problems({}, ["Score global : 3,2"])
    assert aggregate_problems({}, ["Médiane tous points de vue : 3"])
    assert not aggregate_problems({"x": [{"point_de_vue": "soi", "critere": "c", "mediane": 3}]}, ["Médiane : 3"])


def test_comparison_criterion_by_criterion(corpus):
    comp = co.compare_campaigns(corpus, "exemple-2023", "exemple-2024").set_index(["critere", "point_de_vue"])
    assert comp.loc[("besoins", "beneficiaire"), "evolution"] == 2  # 2 → 4
    assert comp.loc[("pouvoir-agir", "beneficiaire"), "evolution"] == -1  # 2 → 1
    assert pd.isna(comp.loc[("cooperation", "beneficiaire"), "evolution"])  # 2023: 2; 2024: only « ne sait pas »
    assert co.previous_campaign(corpus, "exemple-2024")[0] == "exemple-2023"
    assert co.previous_campaign(corpus, "exemple-2023")[0] is None


def test_comparison_refuses_two_versions(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    v1 = folder / "evaluation/referentiels/utilite-sociale-v1.yaml"
    (folder / "evaluation/referentiels/utilite-sociale-v2.yaml").write_text(
        v1.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8"
    )
    camps = folder / "evaluation/campagnes.csv"
    camps.write_text(
        camps.read_text(encoding="utf-8").replace(
            "utilite-sociale,1,epicerie-exemple,,2024", "utilite-sociale,2,epicerie-exemple,,2024"
        ),
        encoding="utf-8",
    )
    corpus = load_corpus(folder)
    with pytest.raises(ParameterError, match="n'utilisent pas le même référentiel dans la même version"):
        co.compare_campaigns(corpus, "exemple-2023", "exemple-2024")
    previous, sentence = co.previous_campaign(corpus, "exemple-2024")
    assert previous is None and "mesra ne les compare pas" in sentence


def test_unknown_campaign_is_a_french_error(corpus):
    with pytest.raises(ParameterError, match="campagne « exemple-2042 » inconnue .*exemple-2024"):
        co.read_campaign(corpus, "exemple-2042")


def test_figures_draw_each_viewpoint_apart(corpus, reading):
    levels = corpus.evaluation.referential("utilite-sociale", 1).niveaux
    ax = co.plot_dimension_dots(reading, levels)
    groups = [c.get_gid() for c in ax.collections]
    assert groups == ["pdv-soi", "pdv-beneficiaire", "pdv-partenaire"]
    assert [len(c.get_offsets()) for c in ax.collections] == [4, 4, 4]
    assert not ax.lines  # nothing joins the dots
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["auto-évaluation (4 répondants)", "bénéficiaires (5 répondants)", "partenaires (3 répondants)"]
    ax2 = co.plot_criterion_bars(reading, levels)
    assert len(ax2.get_yticklabels()) == 7 * 3  # 7 criteria × 3 viewpoints shown
    assert "Pouvoir d'agir des personnes · bénéficiaires (5)" in [t.get_text() for t in ax2.get_yticklabels()]
    texts = [t.get_text() for t in ax.texts + ax2.texts] + labels + [ax.get_title(), ax2.get_title(), ax.get_xlabel()]
    assert aggregate_problems({}, texts) == []
    import matplotlib.pyplot as plt

    plt.close("all")


def test_campaigns_of_a_territory(corpus):
    assert list(co.campaigns_of_territory(corpus, "gard")["campagne_id"]) == ["exemple-2023", "exemple-2024"]
    assert co.campaigns_of_territory(corpus, "occitanie").empty
