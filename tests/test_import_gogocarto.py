"""`mesra import gogocarto`: the three shapes of a GoGoCarto export become a valid corpus."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import assert_import_writes_nothing, snapshot

from mesra import MesraError, check_corpus, load_corpus
from mesra.cli import main
from mesra.importers.gogocarto import import_gogocarto, load_category_mapping, read_gogocarto

FIX = Path(__file__).parent / "fixtures" / "gogocarto"
FULL = FIX / "carte-exemple.json"
COMPACT = FIX / "carte-compacte.json"
JSONLD = FIX / "carte-jsonld.json"
TAXONOMY = FIX / "taxonomy.json"


def elements(path=FULL):
    return json.loads(path.read_text("utf-8"))["data"]


def kept(path=FULL):
    return [e for e in elements(path) if e.get("status", 1) >= 0]


@pytest.fixture
def imported(tmp_path):
    out = tmp_path / "carte"
    report = import_gogocarto(FULL, out)
    return out, report


def test_gogofull_becomes_a_valid_corpus(imported):
    out, report = imported
    assert report.applied
    assert check_corpus(out) == []
    corpus = load_corpus(out)
    assert len(corpus.acteurs) == len(kept())
    assert {p.name for p in report.written} == {"sources.csv", "territoires.csv", "acteurs.csv"}


def test_every_actor_points_to_its_element(imported):
    out, report = imported
    corpus = load_corpus(out)
    assert set(corpus.sources["source_id"]) >= {report.source_id}
    assert report.source_id == "gogocarto-carte-exemple"
    expected = {f"{report.source_id}#id={e['id']}" for e in kept()}
    assert set(corpus.acteurs["source"]) == expected


def test_refused_elements_are_left_out_and_reported(imported):
    out, report = imported
    refused = [e for e in elements() if e.get("status", 1) < 0]
    assert refused
    corpus = load_corpus(out)
    assert not set(corpus.acteurs["nom"]) & {e["name"] for e in refused}
    assert any("refusé" in n for n in report.notes)


def _actor(corpus, element_id):
    rows = corpus.acteurs[corpus.acteurs["source"].str.endswith(f"#id={element_id}")]
    assert len(rows) == 1
    return rows.iloc[0]


def test_territories_are_resolved_through_the_reference(imported):
    out, report = imported
    corpus = load_corpus(out)
    terr = corpus.territoires.set_index("territoire_id")
    by_id = {e["id"]: e for e in elements()}
    # Dijon: commune → EPCI → Côte-d'Or → Bourgogne-Franche-Comté
    dijon = _actor(corpus, "4Xa2")["territoire_id"]
    assert terr.loc[dijon, "code_insee"] == "21231"
    chain = corpus.territory_ancestors(dijon)
    assert [terr.loc[t, "niveau"] for t in chain[:4]] == ["epci", "departement", "region", "pays"]
    assert "bourgogne-franche-comte" in chain
    # arrondissement → the commune of Paris
    assert terr.loc[_actor(corpus, "9bQ1")["territoire_id"], "code_insee"] == "75056"
    # Corsica 20200 → Haute-Corse
    assert "haute-corse" in corpus.territory_ancestors(_actor(corpus, "Ht44")["territoire_id"])
    # commune unknown in its département → that département only
    assert _actor(corpus, "Zz07")["territoire_id"] == "gard"
    # homonym without postal code, foreign address: never guessed
    assert _actor(corpus, "Kp33")["territoire_id"] is None
    assert _actor(corpus, "Bx10")["territoire_id"] is None
    assert by_id["Bx10"]["address"]["addressCountry"] == "Belgique"
    counts = report.territories.counts
    assert counts["departement"] == 1 and counts["ambigu"] == 1 and counts["introuvable"] == 1
    assert counts["commune"] == len(kept()) - 3
    labels = " ".join(label for label, _, _ in report.territories.unresolved)
    assert "Kp33" in labels and "Bx10" in labels and "Zz07" in labels


def test_the_actors_roll_up_into_region_briefs(imported):
    out, _ = imported
    corpus = load_corpus(out)
    in_bfc = corpus.actors_in("bourgogne-franche-comte")
    assert list(in_bfc["source"]) == ["gogocarto-carte-exemple#id=4Xa2"]
    assert "occitanie" in corpus.territories_with_data()


def test_personal_fields_are_dropped(imported):
    out, report = imported
    personal = {e[k] for e in elements() for k in ("email", "telephone") if e.get(k)}
    assert personal
    for data in snapshot(out).values():
        text = data.decode("utf-8")
        assert not any(value in text for value in personal)
    assert any("email" in n and "telephone" in n for n in report.notes)


def test_types_come_from_the_default_mapping(imported):
    out, report = imported
    corpus = load_corpus(out)
    mapping = load_category_mapping()
    assert _actor(corpus, "4Xa2")["type"] == mapping.type_of(["Épicerie solidaire"], [])[0]
    assert _actor(corpus, "9bQ1")["type"] == mapping.type_of(["Coopérative"], [])[0] == "cooperative"
    assert _actor(corpus, "Nc05")["type"] == mapping.default
    assert any("type par défaut" in n for n in report.notes)


def test_html_entities_in_names_are_decoded(imported):
    out, _ = imported
    assert _actor(load_corpus(out), "Ht44")["nom"] == "L'Atelier Exemple"


def test_homonyms_in_different_communes_stay_two_actors(imported):
    out, _ = imported
    corpus = load_corpus(out)
    a, b = _actor(corpus, "Rc01"), _actor(corpus, "Rc02")
    assert a["nom"] == b["nom"]
    assert a["acteur_id"] != b["acteur_id"]
    assert a["territoire_id"] != b["territoire_id"]


def test_a_user_mapping_changes_the_types(tmp_path):
    mapping = tmp_path / "correspondance.csv"
    mapping.write_text("# ma carte\ncategorie;type\nrepair cafe;outil\n*;projet\n", "utf-8")
    out = tmp_path / "out"
    import_gogocarto(FULL, out, categories=mapping)
    corpus = load_corpus(out)
    repair = corpus.acteurs[corpus.acteurs["nom"] == "Repair Café"]
    assert set(repair["type"]) == {"outil"}
    # a name that states a form keeps it (« Collectif … », « SCOP … »: the one name rule of every importer)
    from mesra.importers.names import type_from_name

    stated = corpus.acteurs["nom"].map(type_from_name)
    assert set(corpus.acteurs.loc[stated.isna(), "type"]) == {"outil", "projet"}
    assert (corpus.acteurs.loc[stated.notna(), "type"] == stated[stated.notna()]).all()


@pytest.mark.parametrize(
    "text, match",
    [
        ("categorie,type\nAMAP,amap\n*,collectif\n", "type « amap » hors vocabulaire"),
        ("categorie,type\nAMAP,collectif\n", r"ligne « \*,<type> » manquante"),
        ("nom,genre\nAMAP,collectif\n", "en-tête « categorie,type"),
        ("# rien\n", "fichier vide"),
    ],
)
def test_malformed_mapping_is_refused(tmp_path, text, match):
    mapping = tmp_path / "m.csv"
    mapping.write_text(text, "utf-8")
    with pytest.raises(MesraError, match=match):
        import_gogocarto(FULL, tmp_path / "out", categories=mapping)
    assert not (tmp_path / "out").exists()


def test_missing_mapping_file_is_refused(tmp_path):
    with pytest.raises(MesraError, match="correspondance .* introuvable"):
        load_category_mapping(tmp_path / "absent.csv")


def test_gogocompact_without_taxonomy_says_what_is_missing(tmp_path):
    report = import_gogocarto(COMPACT, tmp_path / "out")
    corpus = load_corpus(tmp_path / "out")
    data = json.loads(COMPACT.read_text("utf-8"))["data"]
    assert len(corpus.acteurs) == sum(1 for d in data if not (len(d) > 5 and d[5] < 0))
    assert corpus.acteurs["territoire_id"].isna().all()
    assert any("taxonomie" in n for n in report.notes)
    assert any("ne porte pas d'adresse" in n for n in report.notes)
    from mesra.importers.names import type_from_name

    unstated = corpus.acteurs["nom"].map(type_from_name).isna()
    assert set(corpus.acteurs.loc[unstated, "type"]) == {load_category_mapping().default}


def test_gogocompact_with_taxonomy_names_the_options(tmp_path):
    import_gogocarto(COMPACT, tmp_path / "out", taxonomy=TAXONOMY)
    corpus = load_corpus(tmp_path / "out")
    types = dict(zip(corpus.acteurs["source"].str.rsplit("=", n=1).str[1], corpus.acteurs["type"]))
    assert types["4Xa2"] == "association"  # option 105 = Épicerie solidaire
    assert types["9bQ1"] == "cooperative"  # option 41 = Coopérative, followed by a description
    assert types["Rc01"] == "collectif"  # option 210 = Repair Café


def test_gogocompact_option_ids_through_the_mapping(tmp_path):
    mapping = tmp_path / "m.csv"
    mapping.write_text("categorie,type,option_id\n,financeur,105\n*,collectif,\n", "utf-8")
    import_gogocarto(COMPACT, tmp_path / "out", categories=mapping)
    corpus = load_corpus(tmp_path / "out")
    assert _actor(corpus, "4Xa2")["type"] == "financeur"
    assert _actor(corpus, "Rc01")["type"] == "collectif"


def test_json_ld_graph(tmp_path):
    import_gogocarto(JSONLD, tmp_path / "out")
    corpus = load_corpus(tmp_path / "out")
    assert set(corpus.acteurs["source"]) == {"gogocarto-carte-jsonld#id=4Xa2", "gogocarto-carte-jsonld#id=Rc01"}
    assert corpus.acteurs["territoire_id"].notna().all()


def test_bare_list_and_missing_ontology_are_recognised(tmp_path):
    bare = tmp_path / "liste.json"
    bare.write_text(json.dumps(elements()[:2]), "utf-8")
    assert len(read_gogocarto(bare).tables["acteurs"]) == 2
    no_onto = tmp_path / "sans.json"
    no_onto.write_text(json.dumps({"data": json.loads(COMPACT.read_text("utf-8"))["data"][:2]}), "utf-8")
    batch = read_gogocarto(no_onto)
    assert len(batch.tables["acteurs"]) == 2
    assert "gogocompact" in batch.source["titre"]


def _truncated(tmp_path):
    p = tmp_path / "tronque.json"
    data = FULL.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _write(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


@pytest.mark.parametrize(
    "make, match",
    [
        (_truncated, "JSON mal formé .* tronqué"),
        (
            lambda t: _write(t, "o.json", '{"ontology": "gogoweird", "data": [{"id": 1, "name": "x"}]}'),
            "ontologie « gogoweird » inconnue",
        ),
        (lambda t: _write(t, "v.json", '{"ontology": "gogofull", "data": []}'), "aucun élément"),
        (lambda t: _write(t, "a.json", '{"elements": []}'), "clé « data »"),
        (lambda t: _write(t, "c.csv", "id;name\n1;x\n"), "JSON mal formé"),
        (lambda t: _write(t, "e.json", ""), "est vide"),
        (lambda t: _write(t, "b.json", b"\xff\xfe\x00{"), "UTF-8"),
        (lambda t: _write(t, "n.json", "42"), "objet JSON attendu"),
        (
            lambda t: _write(t, "m.json", '{"ontology": "gogofull", "data": [{"id": 1, "name": "x"}, [1]]}'),
            "deux ontologies|gogocompact invalide",
        ),
        (lambda t: t / "absent.json", "introuvable"),
    ],
)
def test_malformed_exports_write_nothing(tmp_path, mini_dir, make, match):
    assert_import_writes_nothing(import_gogocarto, make(tmp_path), tmp_path, mini_dir, match)


def test_cli_prints_a_french_summary(tmp_path, capsys):
    out = tmp_path / "carte"
    assert main(["import", "gogocarto", str(FULL), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"Acteurs : {len(kept())} créé(s)" in text
    assert "Territoires" in text and "ambiguë" in text and "introuvable" in text
    assert "Fichiers écrits : sources.csv, territoires.csv, acteurs.csv" in text
    assert main(["check", str(out)]) == 0


def test_cli_malformed_input_gives_a_french_error_without_traceback(tmp_path, capsys):
    out = tmp_path / "carte"
    code = main(["import", "gogocarto", str(_truncated(tmp_path)), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("erreur : ") and "Traceback" not in err
    assert not out.exists()


def test_existing_corpus_is_only_previewed_without_force(mini_dir, capsys):
    before = snapshot(mini_dir)
    assert main(["import", "gogocarto", str(FULL), "--out", str(mini_dir)]) == 1
    assert snapshot(mini_dir) == before
    assert "relancez avec --force" in capsys.readouterr().out


def test_force_merges_into_an_existing_corpus_and_reimport_changes_nothing(mini_dir):
    old = load_corpus(mini_dir)
    report = import_gogocarto(FULL, mini_dir, force=True)
    assert report.applied and report.existing
    assert check_corpus(mini_dir) == []
    merged = load_corpus(mini_dir)
    assert len(merged.acteurs) == len(old.acteurs) + len(kept())
    assert set(old.acteurs["acteur_id"]) <= set(merged.acteurs["acteur_id"])
    # the mini corpus already knows Alès (30007): the import reuses it
    assert _actor(merged, "Rc01")["territoire_id"] == "ales"
    assert (merged.territoires["code_insee"] == "30007").sum() == 1
    after_first = snapshot(mini_dir)
    again = import_gogocarto(FULL, mini_dir, force=True)
    assert again.written == []
    assert again.count("acteurs", "fusionne") == len(kept())
    assert snapshot(mini_dir) == after_first


def test_out_must_be_a_folder(tmp_path):
    target = tmp_path / "fichier.txt"
    target.write_text("x", "utf-8")
    with pytest.raises(MesraError, match="n'est pas un dossier"):
        import_gogocarto(FULL, target)


def test_a_workbook_corpus_is_not_shadowed_by_csv(tmp_path, mini_dir):
    from mesra.corpus.spreadsheet import export_xlsx

    folder = tmp_path / "classeur"
    folder.mkdir()
    export_xlsx(mini_dir, folder / "corpus.xlsx")
    shutil.copytree(mini_dir / "sources", folder / "sources")
    with pytest.raises(MesraError, match="classeur"):
        import_gogocarto(FULL, folder, force=True)


# --- fuzzing: whatever the JSON, a French error or a valid corpus --------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_scalar = st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=True) | st.text(max_size=12)
_json = st.recursive(
    _scalar, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=20
)
_element = st.fixed_dictionaries(
    {},
    optional={
        "id": _scalar,
        "name": _scalar,
        "status": _scalar,
        "categories": _json,
        "categoriesFull": _json,
        "optionValues": _json,
        "email": _scalar,
        "address": _json
        | st.fixed_dictionaries(
            {},
            optional={
                "postalCode": st.sampled_from(["21000", "2000", "20200", "97400", "", "ABCDE"]) | _scalar,
                "addressLocality": st.sampled_from(["Dijon", "Saint-Martin", "Paris 3e", ""]) | _scalar,
                "addressCountry": st.sampled_from(["FR", "France", "BE", ""]) | _scalar,
            },
        ),
    },
)
_document = st.fixed_dictionaries(
    {"data": st.lists(_element | st.lists(_json, max_size=7), max_size=6)},
    optional={"ontology": st.sampled_from(["gogofull", "gogocompact", "x"]) | _json},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=_document | _json)
def test_fuzzed_exports_give_a_french_error_or_a_valid_corpus(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "carte.json"
    path.write_text(json.dumps(doc), "utf-8")
    try:
        report = import_gogocarto(path, folder / "out")
    except MesraError as exc:
        assert str(exc)
        assert not (folder / "out").exists()
        return
    assert report.applied
    assert check_corpus(folder / "out") == []


# --- the real sample of GoGoCartoJs and the real taxonomies (issue 14; fixtures/gogocarto/reel) ---------
REAL = FIX / "reel"
REAL_ELEMENTS = REAL / "elements.json"


def real_elements():
    return json.loads(REAL_ELEMENTS.read_text("utf-8"))["data"]


def _real_types(corpus):
    return dict(zip(corpus.acteurs["source"].str.rsplit("=", n=1).str[1], corpus.acteurs["type"]))


def test_the_real_sample_imports_with_meaningful_types(tmp_path):
    # the 12 organisations of GoGoCartoJs' web/data/elements.json give their categories as option numbers
    # only; the taxonomy that names them is GoGoCartoJs' web/data/taxonomy.js (see the README)
    out = tmp_path / "carte"
    report = import_gogocarto(REAL_ELEMENTS, out, taxonomy=REAL / "taxonomy.js")
    assert check_corpus(out) == []
    types = _real_types(load_corpus(out))
    assert len(types) == len(real_elements()) == 12
    # shops, restaurants and farms are businesses; the associations say so in their categories
    assert types["10CF"] == types["zw9"] == types["10iu"] == "entreprise"  # Bio C'bon, Cuisines du monde, a farm
    assert types["10jA"] == types["10hX"] == types["10i0"] == "association"
    assert set(types.values()) == {"entreprise", "association"}
    assert not any("type par défaut" in n for n in report.notes)
    assert any("nomme 28 des 28" in n for n in report.notes)


def test_the_cherves_conflict_is_listed_and_left_at_the_postal_codes_departement(tmp_path):
    out = tmp_path / "carte"
    report = import_gogocarto(REAL_ELEMENTS, out, taxonomy=REAL / "taxonomy.js")
    anlp = next(e for e in real_elements() if e["address"]["addressLocality"] == "Cherves")
    assert anlp["address"]["postalCode"] == "16370"
    corpus = load_corpus(out)
    assert _actor(corpus, anlp["id"])["territoire_id"] == "charente"
    assert "vienne" not in corpus.territory_ancestors("charente")
    assert report.territories.counts["conflit"] == 1
    assert report.territories.counts["commune"] == 11
    assert [u[0] for u in report.territories.conflicts()] == [
        f"« {anlp['name']} » (gogocarto-elements#id={anlp['id']})"
    ]
    # the CSV beside the import lists every address, the conflict with both candidates
    assert report.resolutions == out / "resolutions-territoires-gogocarto-elements.csv"
    rows = list(csv.DictReader(io.StringIO(report.resolutions.read_text("utf-8"))))
    assert len(rows) == 12
    conflict = next(r for r in rows if r["statut"] == "conflit avec le code postal")
    assert (conflict["code_postal"], conflict["commune"], conflict["territoire_id"]) == ("16370", "Cherves", "charente")
    assert conflict["candidats"] == "Cherves (86073, Vienne)"
    text = report.summary()
    assert "1 en conflit avec le code postal" in text and "Cherves (86073, Vienne)" in text


def test_the_transiscope_skos_taxonomy_of_another_map_is_refused(tmp_path):
    # the real Transiscope taxonomy (SKOS, JSON-LD) numbers its concepts 3…108: none of the sample's options
    with pytest.raises(MesraError, match=r"taxonomy-transiscope\.js.*SKOS.*ne nomme aucun des 28 numéros"):
        import_gogocarto(REAL_ELEMENTS, tmp_path / "out", taxonomy=REAL / "taxonomy-transiscope.js")
    assert not (tmp_path / "out").exists()


def test_a_taxonomy_naming_some_options_says_how_many_and_which_labels_are_thematic(tmp_path):
    # web/data/taxonomy.json names the 5 top categories of the sample's 28 options: all thematic
    report = import_gogocarto(REAL_ELEMENTS, tmp_path / "out", taxonomy=REAL / "taxonomy.json")
    notes = " ".join(report.notes)
    assert "nomme 5 des 28 numéros" in notes and "sans nom : 10429 (5)" in notes
    from mesra.importers.names import type_from_name

    data = json.loads(REAL_ELEMENTS.read_text("utf-8"))["data"]
    unstated = [e["name"] for e in data if not type_from_name(e["name"])]
    assert 0 < len(unstated) < 12 and f"{len(unstated)} acteurs sans catégorie reconnue" in notes
    assert "Catégories absentes" not in notes  # « Agriculture & Alimentation »… are known, and thematic


def test_without_a_taxonomy_option_numbers_are_reported(tmp_path):
    report = import_gogocarto(REAL_ELEMENTS, tmp_path / "out")
    notes = " ".join(report.notes)
    assert "12 éléments ne donnent leurs catégories que par numéro" in notes and "--taxonomie" in notes


def test_every_label_of_the_published_taxonomies_is_in_the_default_mapping():
    from mesra.importers.merge import name_key
    from mesra.importers.taxonomy import read_taxonomy

    mapping = load_category_mapping()
    known = {k for k, _ in mapping.rules} | mapping.thematic
    for name in ("taxonomy-transiscope.js", "taxonomy.js"):
        labels = set(read_taxonomy(REAL / name).names.values())
        assert labels and not {label for label in labels if name_key(label) not in known}, name
    typed = {k: t for k, t in mapping.rules}
    assert typed[name_key("Magasins, commerces")] == typed[name_key("Producteurs, fournisseurs")] == "entreprise"
    assert typed[name_key("Finance éthique")] == "financeur"
    assert name_key("Agriculture et alimentation") in mapping.thematic


def test_unknown_labels_are_counted_and_named(tmp_path):
    doc = {
        "ontology": "gogofull",
        "data": [
            {"id": "a", "name": "A", "categories": ["Alimentation", "Brasserie artisanale"]},
            {"id": "b", "name": "B", "categories": ["Brasserie artisanale"]},
            {"id": "c", "name": "C", "categories": ["Association"]},
        ],
    }
    path = _write(tmp_path, "carte.json", json.dumps(doc))
    report = import_gogocarto(path, tmp_path / "out")
    notes = " ".join(report.notes)
    assert "2 acteurs sans catégorie reconnue" in notes
    assert (
        "Catégories absentes de categories_transiscope.csv (2) : « Brasserie artisanale » (2), « Alimentation » (1)"
        in notes
    )


@pytest.mark.parametrize(
    "content, match",
    [
        ('{"nothing": [1, 2]}', "taxonomie « t.json » non reconnue"),
        ('{"@graph": [{"@type": "schema:Place", "@id": 1, "name": "x"}]}', "non reconnue"),
        ("[]", "non reconnue"),
        ('var taxonomy = {"options": [', "JSON mal formé"),
        ("", "est vide"),
    ],
)
def test_an_unreadable_or_unrecognised_taxonomy_is_an_error(tmp_path, content, match):
    tax = _write(tmp_path, "t.json", content)
    with pytest.raises(MesraError, match=match):
        import_gogocarto(REAL_ELEMENTS, tmp_path / "out", taxonomy=tax)
    assert not (tmp_path / "out").exists()


def test_a_taxonomy_from_the_elements_categories_full(tmp_path):
    # the third form: an export of the same map whose elements carry their categories with number and name
    named = {"data": [{"id": "x", "name": "X", "categoriesFull": [{"id": 10429, "name": "Epicerie & Supérette"}]}]}
    tax = _write(tmp_path, "autre-export.json", json.dumps(named))
    report = import_gogocarto(REAL_ELEMENTS, tmp_path / "out", taxonomy=tax)
    types = _real_types(load_corpus(tmp_path / "out"))
    ruche = next(e["id"] for e in real_elements() if e["name"] == "La Ruche de Chenay")
    assert types[ruche] == "entreprise"
    assert any("catégories portées par les éléments" in n and "nomme 1 des 28" in n for n in report.notes)


def test_cli_taxonomie_refuses_the_wrong_taxonomy_in_french(tmp_path, capsys):
    code = main(
        [
            "import",
            "gogocarto",
            str(REAL_ELEMENTS),
            "--out",
            str(tmp_path / "o"),
            "--taxonomie",
            str(REAL / "taxonomy-transiscope.js"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("erreur : ") and "autre carte" in err


@settings(max_examples=80, deadline=None)
@given(
    doc=_json
    | st.fixed_dictionaries({"@graph": st.lists(_json, max_size=4)})
    | st.fixed_dictionaries({"options": _json})
)
def test_fuzzed_taxonomies_are_read_or_refused_in_french(doc):
    from mesra.importers.taxonomy import taxonomy_from

    try:
        tax = taxonomy_from(doc, "t.json")
    except MesraError as exc:
        assert "non reconnue" in str(exc)
        return
    assert tax.names and all(isinstance(k, str) and isinstance(v, str) and v for k, v in tax.names.items())
