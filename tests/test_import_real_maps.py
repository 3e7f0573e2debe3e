"""GoGoCarto imports on two more real maps (issue 23), counted against the source files themselves.

- « Près de chez nous » (Poitou-Charentes), ``gogocompact``, with its taxonomy tree (``taxonomy-full.js``);
- Alternatiba (Limousin…), JSON-LD whose categories are SKOS concepts ``{"@type", "@id"}``, with its
  SKOS taxonomy (``taxonomy-pwa.js``), elements without any address, people named as elements.

Both are JavaScript files (``var elements = {…}``) of ``pixelhumain/GoGoCartoJs``; see
``tests/fixtures/gogocarto/README.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from helpers import snapshot

from mesra import check_corpus, load_corpus
from mesra.importers.gogocarto import import_gogocarto, load_category_mapping
from mesra.text import slugify

FIX = Path(__file__).parent / "fixtures" / "gogocarto"
PDCN = FIX / "pres-de-chez-nous"
ALTER = FIX / "alternatiba"


def js_data(path: Path) -> list:
    text = path.read_text("utf-8")
    return json.loads(text[text.index("{") :].rstrip().rstrip(";"))["data"]


def tail(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def pdcn(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdcn") / "corpus"
    report = import_gogocarto(PDCN / "elements-gogocompact.js", out, taxonomy=PDCN / "taxonomy-full.js")
    return out, report


@pytest.fixture(scope="module")
def alter(tmp_path_factory):
    out = tmp_path_factory.mktemp("alter") / "corpus"
    report = import_gogocarto(ALTER / "elements-pwa.js", out, taxonomy=ALTER / "taxonomy-pwa.js")
    return out, report


def test_every_compact_element_becomes_one_actor(pdcn):
    out, report = pdcn
    elements = js_data(PDCN / "elements-gogocompact.js")
    assert check_corpus(out) == []
    corpus = load_corpus(out)
    assert len(corpus.acteurs) == len(elements) == 51
    assert set(corpus.acteurs["source"]) == {f"{report.source_id}#id={e[0]}" for e in elements}


def test_same_name_elements_stay_distinct_and_are_listed(pdcn):
    out, report = pdcn
    elements = js_data(PDCN / "elements-gogocompact.js")
    groups = Counter(slugify(e[1]) for e in elements)
    twins = {k for k, n in groups.items() if n > 1}
    # « Crédit Coopératif » in Niort and in Poitiers, « AMAP du Chaudron d'Or » twice…
    assert {"credit-cooperatif", "amap-du-chaudron-d-or"} <= twins
    corpus = load_corpus(out)
    assert corpus.acteurs["acteur_id"].is_unique
    assert report.count("acteurs", "ambigu") == 0
    assert {slugify(name) for name in report.homonyms} == twins
    assert sum(len(ids) for ids in report.homonyms.values()) == sum(groups[k] for k in twins)
    assert "Homonymes à vérifier" in report.summary()


def test_reimporting_merges_by_locator_not_by_name(pdcn, tmp_path):
    import shutil

    out, _ = pdcn
    copy = tmp_path / "copie"
    shutil.copytree(out, copy)
    again = import_gogocarto(PDCN / "elements-gogocompact.js", copy, taxonomy=PDCN / "taxonomy-full.js", force=True)
    assert again.count("acteurs", "cree") == 0 and again.count("acteurs", "ambigu") == 0
    assert again.count("acteurs", "fusionne") == 51
    assert len(load_corpus(copy).acteurs) == 51


def test_the_taxonomy_names_every_option_and_the_report_says_the_shape(pdcn):
    out, report = pdcn
    notes = " ".join(report.notes)
    options = {str(o) for e in js_data(PDCN / "elements-gogocompact.js") for o in e[4]}
    assert f"nomme {len(options)} des {len(options)} numéros" in notes
    assert "Catégories lues sous la forme : numéros d'options (51)" in notes
    corpus = load_corpus(out)
    typed = (corpus.acteurs["type"] != load_category_mapping().default).mean()
    assert typed > 0.5  # most elements typed by their categories or their names


def test_association_names_are_typed_association(pdcn, alter):
    for out, _ in (pdcn, alter):
        corpus = load_corpus(out)
        assoc = corpus.acteurs[corpus.acteurs["nom"].str.match(r"(?i)association\b")]
        assert len(assoc) >= 1
        assert set(assoc["type"]) == {"association"}


def test_skos_concepts_are_matched_against_the_skos_taxonomy(alter):
    out, report = alter
    elements = js_data(ALTER / "elements-pwa.js")
    concepts = {
        tail(c["@id"])
        for e in elements
        if isinstance(e.get("taxonomy"), list)
        for c in e["taxonomy"]
        if isinstance(c, dict) and c.get("@id")
    }
    notes = " ".join(report.notes)
    assert "inutile" not in notes
    assert f"nomme {len(concepts)} des {len(concepts)} numéros" in notes
    assert "concepts SKOS {@type, @id}" in notes
    # every actor whose name states no form gets the type its concepts' labels give through the mapping
    from mesra.importers.names import type_from_name
    from mesra.importers.taxonomy import read_taxonomy

    names = read_taxonomy(ALTER / "taxonomy-pwa.js").names
    mapping = load_category_mapping()
    corpus = load_corpus(out)
    by_locator = dict(zip(corpus.acteurs["source"], corpus.acteurs["type"]))
    checked = typed = 0
    for e in elements:
        concepts = [tail(c["@id"]) for c in e.get("taxonomy") or [] if isinstance(c, dict) and c.get("@id")]
        actor = f"{report.source_id}#id={tail(e.get('@id', ''))}"
        if not concepts or actor not in by_locator or type_from_name(e["name"]):
            continue
        expected = mapping.type_of([names[c] for c in concepts], [])[0]
        assert by_locator[actor] == expected, e["name"]
        checked += 1
        typed += expected != mapping.default
    assert checked >= 30 and typed >= 1


def test_elements_without_address_are_not_reported_as_unfound(alter):
    _, report = alter
    elements = js_data(ALTER / "elements-pwa.js")
    assert not any("address" in e or "postalCode" in e for e in elements)
    assert sum(report.territories.counts.values()) == 0
    assert "introuvable" not in report.summary().split("Territoires non résolus")[0].replace("introuvables.", "")
    assert any("sans adresse" in n for n in report.notes)


def test_people_named_as_elements_are_pseudonymised_people(alter):
    out, report = alter
    elements = js_data(ALTER / "elements-pwa.js")
    people = {"Baldens Sylvie", "Lamaud Jacques", "Olivier Aymard", "Patrick Lespagnol", "Dominique Lollivier"}
    assert people <= {e["name"] for e in elements}
    corpus = load_corpus(out)
    kept = [e for e in elements if e.get("@id")]
    assert len(corpus.acteurs) + len(corpus.personnes) == len(kept) == len(elements) - 1
    assert len(corpus.personnes) == len(people)
    assert corpus.personnes["personne_id"].str.startswith("personne-").all()
    for data in snapshot(out).values():
        text = data.decode("utf-8")
        for name in people:
            assert all(word not in text for word in name.split()), name
    assert any("5 éléments nomment une personne" in n for n in report.notes)
    assert any("sans identifiant" in n for n in report.notes)  # the one element without @id, listed


def test_typographic_apostrophes_make_one_identifier_and_find_the_commune(tmp_path):
    # synthetic (labelled so): the same organisation written with ’ and with ', in Villeneuve-d’Ascq
    export = {
        "ontology": "gogofull",
        "data": [
            {
                "id": "a1",
                "name": "L’Atelier Solidaire",
                "address": {"postalCode": "59650", "addressLocality": "Villeneuve-d’Ascq"},
            },
            {"id": "b2", "name": "Sineo Ch\\u00e2lons sur Sa\\u00f4ne", "address": {"postalCode": "71100"}},
        ],
    }
    first = tmp_path / "carte-a.json"
    first.write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    out = tmp_path / "corpus"
    report = import_gogocarto(first, out)
    corpus = load_corpus(out)
    atelier = corpus.acteurs[corpus.acteurs["source"].str.endswith("#id=a1")].iloc[0]
    assert atelier["nom"] == "L’Atelier Solidaire"  # kept for display
    assert atelier["acteur_id"] == "l-atelier-solidaire"
    assert corpus.territoires.set_index("territoire_id").loc[atelier["territoire_id"], "code_insee"] == "59009"
    sineo = corpus.acteurs[corpus.acteurs["source"].str.endswith("#id=b2")].iloc[0]
    assert sineo["nom"] == "Sineo Châlons sur Saône" and sineo["acteur_id"] == "sineo-chalons-sur-saone"
    assert report.territories.counts["commune"] == 1
    # a second map writes it with a straight apostrophe: the same actor (same name, same commune)
    export2 = {
        "ontology": "gogofull",
        "data": [
            {
                "id": "z9",
                "name": "L'Atelier Solidaire",
                "address": {"postalCode": "59650", "addressLocality": "Villeneuve-d'Ascq"},
            }
        ],
    }
    second = tmp_path / "carte-b.json"
    second.write_text(json.dumps(export2), "utf-8")
    merged = import_gogocarto(second, out, force=True)
    assert merged.count("acteurs", "fusionne") == 1 and merged.count("acteurs", "cree") == 0


@pytest.mark.parametrize(
    "name, shapes, description",
    [
        # "optionValues": [ "10427", 'Market' ]: an id followed by its description (not a category name)
        ("elements-single-optionvalues.js", {"numéros d'options (1)"}, "Market"),
        # "taxonomy": [ "Location", "Auto", "Vélo", 10427, 10517, "0dechet", … ]: names and ids mixed
        ("elements-single-taxonomy.js", {"noms de catégories (2)", "numéros d'options (2)"}, None),
    ],
)
def test_the_client_sample_shapes_are_read(tmp_path, name, shapes, description):
    from mesra.importers.gogocarto import read_gogocarto

    path = FIX / "formes" / name
    text = path.read_text("utf-8")
    assert text.lstrip().startswith("var elements = [")
    batch = read_gogocarto(path, taxonomy=PDCN / "taxonomy-full.js")
    assert [a["source"].rsplit("=", 1)[1] for a in batch.tables["acteurs"]] == re_ids(text)
    notes = " ".join(batch.notes)
    for shape in shapes:
        assert shape in notes
    assert "ne nomme aucun" not in notes and "nomme " in notes
    if description:
        assert description in text and description not in notes  # a description is not a category


def re_ids(text: str) -> list[str]:
    import re

    return re.findall(r'^\s{4}"id": "(\w+)"', text, flags=re.MULTILINE)
