"""The corpus at a glance (notebook ``01-corpus``): counts and data quality."""

from __future__ import annotations

import pandas as pd

from mesra import french
from mesra.corpus import contract
from mesra.corpus.contract import label

__all__ = [
    "corpus_summary",
    "counts_by",
    "actors_by_territory",
    "data_quality",
    "isolated_actors",
    "describe_corpus",
    "describe_graph",
]


def corpus_summary(corpus) -> pd.DataFrame:
    """One row per table: how many rows the corpus holds."""
    own = len(corpus.territoires) - len(corpus.territoires[corpus.territoires["source"] == "reference"])
    rows = [
        ("Acteurs", len(corpus.acteurs)),
        ("Personnes", len(corpus.personnes)),
        ("Liens", len(corpus.liens)),
        ("Monographies", len(corpus.monographies)),
        ("Actions des plans", len(getattr(corpus, "actions", ()))),
        ("Entrées du suivi", len(getattr(corpus, "suivi", ()))),
        ("Sources", len(corpus.sources)),
        ("Territoires (référence + ajoutés)", own),
    ]
    return pd.DataFrame(rows, columns=["Table", "Lignes"])


def counts_by(corpus, column: str, table: str = "acteurs") -> pd.DataFrame:
    """Counts of ``table`` rows by ``column`` with French labels, vocabulary order, unknown last.

    >>> import mesra
    >>> counts_by(mesra.load_corpus(), "echelon").columns.tolist()
    ['code', 'Libellé', 'Nombre']
    """
    frame = getattr(corpus, table)
    values = frame[column]
    vocab = contract.VOCABULARIES.get(column, ())
    counts = values.value_counts(dropna=True)
    order = [v for v in vocab if v in counts.index] + sorted(v for v in counts.index if v not in vocab)
    rows = [(v, label(v), int(counts[v])) for v in order]
    missing = int(values.isna().sum())
    if missing:
        rows.append((None, "Non renseigné", missing))
    return pd.DataFrame(rows, columns=["code", "Libellé", "Nombre"])


def actors_by_territory(corpus) -> pd.DataFrame:
    """Actors located directly in each territory, with its level and the rolled-up count."""
    direct = corpus.acteurs["territoire_id"].value_counts()
    rows = []
    terr = corpus.territoires.set_index("territoire_id")
    for tid in corpus.territories_with_data():
        below = corpus.actors_in(tid)
        rows.append((tid, terr.loc[tid, "nom"], label(terr.loc[tid, "niveau"]), int(direct.get(tid, 0)), len(below)))
    df = pd.DataFrame(
        rows, columns=["territoire_id", "Territoire", "Niveau", "Acteurs situés", "Acteurs (avec sous-territoires)"]
    )
    return df.sort_values(["Acteurs (avec sous-territoires)", "territoire_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def isolated_actors(corpus) -> pd.DataFrame:
    """Actors that no tie mentions."""
    tied = set(corpus.liens["source_id"]) | set(corpus.liens["cible_id"])
    iso = corpus.acteurs[~corpus.acteurs["acteur_id"].isin(tied)]
    return iso[["acteur_id", "nom", "type", "territoire_id", "source"]].reset_index(drop=True)


def data_quality(corpus) -> pd.DataFrame:
    """Per table and column: empty cells (unknown), and rows without a source."""
    rows = []
    for name in ("acteurs", "personnes", "liens"):
        frame = getattr(corpus, name)
        for col in contract.TABLES[name].column_names:
            missing = int(frame[col].isna().sum())
            if missing:
                rows.append((name, col, missing, len(frame), french.share(missing, len(frame))))
    mono = corpus.monographies
    for col in (
        "annee",
        "marge_de_manoeuvre",
        "innovation_description",
        "processus_participation",
        "regulation_frictions",
    ):
        if col in mono:
            missing = int(mono[col].isna().sum())
            if missing:
                rows.append(("monographies", col, missing, len(mono), french.share(missing, len(mono))))
    iso = isolated_actors(corpus)
    if len(iso):
        rows.append(
            (
                "acteurs",
                "(acteurs sans aucun lien)",
                len(iso),
                len(corpus.acteurs),
                french.share(len(iso), len(corpus.acteurs)),
            )
        )
    # "1 sur 8" below 20 rows, a whole percentage above (mesra.french.share)
    return pd.DataFrame(rows, columns=["Table", "Champ", "Vides", "Lignes", "Part vide"])


def describe_corpus(corpus, territoire: str | None = None):
    """A short French description of a loaded corpus (first cell of every notebook).

    With ``territoire``, what the corpus holds in that territory and below it (its actors, the
    people attached to them, every tie with an end among them, its monographs) and the sources
    those rows cite: a territory's page does not change when a row elsewhere does.
    """
    from mesra.analysis.sections import Section

    if territoire is not None:
        return _describe_territory(corpus, territoire)
    s = Section("Corpus chargé", level=3)
    titles = _titles(corpus, corpus.sources)
    s.paragraphs.append(
        f"{len(corpus.acteurs)} acteurs, {len(corpus.personnes)} personnes, {len(corpus.liens)} liens "
        f"et {len(corpus.monographies)} monographies."
    )
    s.paragraphs.append(f"Sources : {titles}.")
    if corpus.pseudonymised:
        s.paragraphs.append("Les noms des personnes sont pseudonymisés.")
    return s


def _titles(corpus, sources: pd.DataFrame) -> str:
    return "; ".join(
        f"{t} ({a})" if isinstance(a, str) else str(t) for t, a in zip(sources["titre"], sources["auteur"])
    )


def _describe_territory(corpus, territoire: str):
    import re

    from mesra.analysis.counts import monographs_of, people_of, territory_ties, tie_count
    from mesra.analysis.sections import Section

    # the same counts as the territory's note (people by their structure, ties split by how they are known,
    # initiatives rather than monographs: none is written yet in the default corpus)
    actors = corpus.actors_in(territoire)
    people = people_of(corpus, territoire)
    ties = territory_ties(corpus, territoire)
    known = tie_count(ties)
    monographs = monographs_of(corpus, territoire)
    s = Section("Corpus chargé", level=3)

    def count(n: int, one: str, many: str, none: str) -> str:
        return french.plural(n, one, many) if n else none

    counted = [
        count(len(actors), "acteur", "acteurs", "aucun acteur"),
        count(len(people), "personne", "personnes", "aucune personne"),
        count(known.known, "lien établi ou prévu", "liens établis ou prévus", "aucun lien établi ou prévu")
        + (
            f" (et {french.plural(known.examples, 'exemple possible', 'exemples possibles')})" if known.examples else ""
        ),
        count(len(monographs), "initiative", "initiatives", "aucune initiative"),
    ]
    s.paragraphs.append(
        f"{corpus.territory_name(territoire)} et ses sous-territoires : {french.join(counted)} "
        "(un lien compte dès qu'une de ses extrémités est dans le territoire)."
    )
    cells = [
        str(v)
        for frame in (actors, people, ties, monographs)
        for column in ("source", "sources")
        if column in frame.columns
        for value in frame[column]
        for v in (value if isinstance(value, (list, tuple)) else [value])
        if isinstance(v, str)
    ]
    cited = {part.split("#", 1)[0] for cell in cells for part in re.split(r"[;,\s]+", cell) if part}
    sources = corpus.sources[corpus.sources["source_id"].isin(cited)]
    if len(sources):
        s.paragraphs.append(f"Sources citées : {_titles(corpus, sources)}.")
    if corpus.pseudonymised:
        s.paragraphs.append("Les noms des personnes sont pseudonymisés.")
    return s


def large_contexts(graph) -> str:
    """The contexts too large to tie their organisations two by two, named, each with its size
    (``""`` when there is none): « Séminaire … (18 organisations) »."""
    large = graph.graph.get("contextes_larges") or {}
    names = graph.graph.get("noms_contextes_larges") or {}
    return french.join(f"{names.get(c, c)} ({french.plural(n, 'organisation')})" for c, n in sorted(large.items()))


def describe_graph(graph):
    """A short French description of a cooperation or affiliation graph."""
    from mesra.analysis.sections import Section

    s = Section(str(graph.graph.get("titre") or "Réseau"), level=3)
    external = sum(1 for _, d in graph.nodes(data=True) if d.get("externe"))
    isolated = sum(1 for n in graph.nodes if graph.degree(n) == 0)
    s.paragraphs.append(
        f"{french.plural(graph.number_of_nodes(), 'nœud')} (dont "
        f"{french.plural(external, 'extérieur', 'extérieurs')} au territoire) et "
        f"{french.plural(graph.number_of_edges(), 'lien')} ; "
        f"{french.plural(isolated, 'nœud isolé', 'nœuds isolés')}."
    )
    large = large_contexts(graph)
    if large:
        s.paragraphs.append(f"Contextes trop larges pour relier deux à deux : {large}.")
    dropped = int(graph.graph.get("liens_personnes_ignores") or 0)
    if graph.number_of_edges() == 0 and dropped:
        s.paragraphs.append(
            f"Aucun lien retenu : {french.plural(dropped, 'lien')} de ces relations "
            + ("relie" if dropped == 1 else "relient")
            + " des personnes, laissées de côté "
            "(personnes=False) ; construisez le graphe avec personnes=True pour les inclure."
        )
    elif graph.number_of_nodes() == 0:
        s.paragraphs.append("Aucun lien de coopération directe n'est documenté pour ce territoire.")
    return s
