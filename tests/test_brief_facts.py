"""Each région's brief, and the national one, states what the proceedings say.

The facts below were written from the text of the proceedings
(``data/sources/actes-coconstruire-2019.txt``), with their lines, independently of
what the code produces: a brief that loses or twists one of them fails here.
"""

from __future__ import annotations

import pytest

import mesra
from mesra.analysis.brief import Brief

#: territoire → [(where in the brief, what it must say, proceedings' lines)]
FACTS = {
    "occitanie": [
        (
            "network",
            "la Région Occitanie le porte, le MES Occitanie y participe.",
            "L338-342, L508: the Relais Locaux, the Région's RSE working group (Cercle 1/2, L781: intentions)",
        ),
        ("network", "MES Occitanie", "L338-342"),
        ("advocacy", "MES Occitanie membre de CRESS Occitanie", "L916: board seat, counted once"),
        ("practices", "EVALUMIP", "L550, L564"),
        ("people", "Bérénice DONDEYNE MES Occitanie Co-Présidente référente de l'atelier Axe 4", "L189, L858"),
        ("monographs", "Terres de Convergence et la plateforme Decidim", "L346-360"),
        ("monographs", "Origine du projet Mobilisation citoyenne", "L348: près d'une centaine d'associations"),
        ("monographs", "année de création : 2013", "L340"),
    ],
    "hauts-de-france": [
        ("network", "Acteurs Pour l'Économie Solidaire Hauts-de-France", "L318-324"),
        (
            "advocacy",
            "Acteurs Pour l'Économie Solidaire Hauts-de-France membre de CRESS Hauts-de-France",
            "L912: board seat, counted once",
        ),
        ("advocacy", "RIPESS Europe", "L936"),
        ("monographs", "L'animation territoriale de l'APES en Hauts-de-France", "L318"),
        ("monographs", "territoires d'intervention : 16", "L320"),
        ("monographs", "Origine du projet Commande publique", "L320: souvent à la demande des collectivités"),
        ("people", "Olivia RUEL-MAILFERT", "L204, L478"),
        ("people", "référente de l'atelier Axe 2", "L478"),
        ("practices", "Alterguide", "L542"),
    ],
    "normandie": [
        ("advocacy", "ARDES membre de CRESS Normandie", "L914: board seat, counted once"),
        ("practices", "Grille référentielle de l'évaluation de l'utilité sociale", "L544"),
        ("people", "Jean-Baptiste CAZIN", "L182, L696"),
        ("people", "référent de l'atelier Axe 3", "L696"),
        ("monographs", "Territoires Zéro Chômeur de Longue Durée en Normandie", "L326"),
        ("monographs", "micro-initiatives sans création de nouveaux statuts juridiques", "L330"),
    ],
    "bourgogne-franche-comte": [
        ("header", "Sous-territoires inclus : Côte-d'Or", "PESAD21 is in Dijon's département"),
        ("monographs", "Le Générateur Bourgogne-Franche-Comté", "L310"),
        ("monographs", "collectivités accompagnées : 23", "L314"),
        ("monographs", "acteurs réunis : 6", "L312"),
        ("people", "Fabrice PENASSE", "L201, L273"),
        ("people", "référent de l'atelier Axe 1", "L273"),
        ("practices", "Pôle d'économie solidaire 21 utilise Dispositif local d'accompagnement", "L762"),
    ],
    "ile-de-france": [
        ("monographs", "Devenir paysan en Île-de-France", "L452, L910"),
        ("monographs", "promouvoir les métiers agricoles et y former", "L452"),
        ("actors", "Réseau des AMAP Île-de-France", "L452, L910"),
        ("actors", "Terre de Liens Île-de-France", "L910"),
        ("actors", "GAB d'Île-de-France", "L910"),
    ],
    "bretagne": [
        ("actors", "CRESS Bretagne", "L451"),
        ("actors", "actes-coconstruire-2019#L451", "L451"),
        ("people", "Aucune personne", "no participant from Bretagne (L179-204)"),
        (
            "monographs",
            "Aucune initiative de ce territoire n'est documentée dans le corpus",
            "L451 names it only as an example",
        ),
        ("network", "CRESS Bretagne : aucun lien constaté ni prévu ; cité seulement comme exemple possible", "L451"),
    ],
    "centre-val-de-loire": [
        ("actors", "CRE-SOL", "L54"),
        ("actors", "1 membre du Mouvement pour l'Économie Solidaire", "L46-56: territorial networks of the MES"),
        (
            "network",
            "CRE-SOL : membre du Mouvement pour l'Économie Solidaire",
            "L54",
        ),
        ("people", "Aucune personne", "no participant from CRE-SOL (L179-204)"),
        ("monographs", "Aucune initiative de ce territoire n'est documentée dans le corpus", "none"),
    ],
    "provence-alpes-cote-d-azur": [
        ("actors", "PoleS", "L448"),
        ("actors", "Avec Nous", "L448"),
        ("actors", "Collectif des femmes des quartiers nord de Marseille", "L448"),
        ("actors", "Marseille", "L448"),
        (
            "monographs",
            # twenty-eighth reading: the title said the link with Marseille's collectives, an example (L448), as a fact
            "Initiative portée par PoleS en zone urbaine (citée en exemple, à documenter)",
            "L448: cited in the list of examples (L443), as Devenir paysan (L452); never said presented",
        ),
    ],
    "fr": [
        (
            "network",
            "Qui relie les autres : c'est par le MES que passent le plus de chemins",
            "network of networks, L241",
        ),
        (
            "network",
            "Ces liens forment 2 ensembles sans lien entre eux : autour du Mouvement pour l'Économie Solidaire",
            "the chantiers' co-animation (L257) ties the MES to the référents' networks; Devenir paysan and the SPG "
            "(L452, L590) to none of them",
        ),
        ("network", "car trop large pour dire qui travaille avec qui : Séminaire CoConstruire", "L1084-1086"),
        ("advocacy", "Mouvement pour l'Économie Solidaire membre de ESS France", "L928"),
        ("monographs", "Le projet L'Écosystème (Collectif pour la Transition Citoyenne)", "L380-382"),
        ("monographs", "Retour d'expérience des Pôles Territoriaux de Coopération Économique (PTCE)", "L366-378"),
        ("people", "Bruno LASNIER", "L195"),
        (
            "header",
            "9 initiatives (7 présentées au séminaire, 1 rapportée par les sources, à documenter, 1 citée en exemple",
            "seven projects presented (L308-382), Devenir paysan reported (L910), PoleS's initiative cited (L448)",
        ),
    ],
}

#: Things no brief may say (the issue's findings).
NEVER = [
    ("network", "Séminaire CoConstruire l'Économie Solidaire ! (Bergerie de Villarceaux, 2-4 décembre 2019) Événement"),
    ("advocacy", "membre de Mouvement pour l'Économie Solidaire"),
]


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


def _texts(brief: Brief) -> dict[str, str]:
    sections = {
        "header": brief.header(),
        "actors": brief.actors_section(),
        "people": brief.people_section(),
        "network": brief.network_section(),
        "advocacy": brief.advocacy_section(),
        "monographs": brief.monographs_section(),
        "practices": brief.practices_section(),
        "axes": brief.axes_section(),
        "next": brief.next_steps_section(),
    }
    out = {}
    for key, s in sections.items():
        parts = [s.title, *s.paragraphs, *s.bullets, *s.sources]  # locators: shown as marks quoting the source
        for table in s.tables:
            parts.append(table.caption)
            parts += [" ".join(str(v) for v in row) for row in table.frame.itertuples(index=False)]
        out[key] = "\n".join(parts)
    return out


@pytest.mark.parametrize("territoire", sorted(FACTS))
def test_the_brief_states_what_the_proceedings_say(corpus, territoire):
    assert len(FACTS[territoire]) >= 5
    texts = _texts(Brief(corpus, territoire))
    missing = [(where, fact, lines) for where, fact, lines in FACTS[territoire] if fact not in texts[where]]
    assert not missing, missing
    for where, fact in NEVER:
        assert fact not in texts[where], (territoire, fact)
