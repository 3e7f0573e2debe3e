"""SYNTHETIC resources for the resource centre's site tests (tests/test_site*.py).

These are invented test fixtures, not facts of the corpus: names, quotes and locators are made
up (the locators point to a synthetic source id ``source-synthetique``), so that the site is
tested apart from the derivation of the default corpus (mesra.analysis.resources.derive).
"""

from __future__ import annotations

from mesra.analysis.resources.model import Citation, Item, Resource, Section

SYNTHETIC_SOURCE = "source-synthetique"


def cite(lines: str, text: str | None) -> Citation:
    return Citation(f"{SYNTHETIC_SOURCE}#{lines}", text)


def synthetic_resources() -> tuple[Resource, ...]:
    """Two evaluation tools, one other tool, an initiative, two portraits and a watch (all synthetic)."""
    grille = Resource(
        ressource_id="outil-grille-test",
        kind="outil",
        title="Grille Test d'évaluation",
        summary="Une grille synthétique pour l'évaluation de l'utilité sociale.",
        territoires=("occitanie",),
        echelon="regional",
        themes=("evaluation",),
        axes=("2",),
        acteurs=("asso-alpha", "reseau-beta"),
        date="2019",
        citations=(cite("L10", "La grille sert à évaluer l'utilité sociale."),),
        status="en usage",
        sections=(
            Section(
                "Qui l'a développé",
                (
                    Item(
                        "Développée par Asso Alpha.",
                        "asso-alpha",
                        None,
                        (cite("L11", "Asso Alpha a conçu la grille."),),
                    ),
                ),
            ),
            Section(
                "Qui l'utilise",
                (Item("Utilisée par Réseau Beta (prévu).", "reseau-beta", "prevu", (cite("L12", None),)),),
            ),
            Section("La notice", markdown="**Étape 1** : lire la <script>alert(1)</script> notice."),
        ),
        extra={"notice": "non fournie dans ce jeu synthétique"},
    )
    mesure = Resource(
        ressource_id="outil-mesure-test",
        kind="outil",
        title="Mesure Test",
        summary="Un outil synthétique d'évaluation d'impact social.",
        territoires=("hauts-de-france",),
        echelon="local",
        themes=("evaluation",),
        axes=("2",),
        acteurs=("reseau-beta",),
        citations=(cite("L20", "Mesure Test évalue l'impact."),),
    )
    generateur = Resource(
        ressource_id="outil-generateur-test",
        kind="outil",
        title="Générateur Test",
        summary="Un outil synthétique pour créer des activités.",
        territoires=("hauts-de-france",),
        echelon="regional",
        themes=("accompagnement",),
        axes=("3",),
    )
    initiative = Resource(
        ressource_id="initiative-jardin-test",
        kind="initiative",
        title="Jardin <b>partagé</b> Test",
        territoires=("occitanie",),
        echelon="local",
        themes=('Alimentation durable, "circuits" | courts',),
        axes=("1",),
        acteurs=("asso-alpha",),
        sections=(
            Section(
                "Origine du projet",
                (Item("Né d'un besoin synthétique.", None, None, (cite("L30", "Le jardin est né."),)),),
            ),
        ),
    )
    alpha = Resource(
        ressource_id="portrait-asso-alpha",
        kind="portrait",
        title="Asso Alpha",
        summary="Une association synthétique.",
        territoires=("occitanie",),
        echelon="regional",
        acteurs=("asso-alpha",),
        sections=(
            Section("Ses personnes", (Item("Camille Testeur, coordinatrice (synthétique)."),)),
            Section(
                "Ses liens",
                (
                    Item(
                        "Coopère avec Réseau Beta.",
                        "reseau-beta",
                        "constate",
                        (cite("L40", "Alpha et Beta coopèrent."),),
                    ),
                ),
            ),
        ),
    )
    beta = Resource(
        ressource_id="portrait-reseau-beta",
        kind="portrait",
        title="Réseau Beta",
        territoires=("hauts-de-france", "occitanie"),
        echelon="national",
        acteurs=("reseau-beta",),
    )
    veille = Resource(
        ressource_id="veille-test",
        kind="veille",
        title="Veille Test des politiques publiques",
        summary="Une veille synthétique.",
        territoires=("fr",),
        echelon="national",
        themes=("plaidoyer",),
        axes=("4",),
    )
    return (grille, mesure, generateur, initiative, alpha, beta, veille)


TERRITORY_NAMES = {"occitanie": "Occitanie", "hauts-de-france": "Hauts-de-France", "fr": "France"}
ACTOR_NAMES = {"asso-alpha": "Asso Alpha", "reseau-beta": "Réseau Beta"}
