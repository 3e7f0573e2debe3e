"""The titles of the brief's parts, in one place: the notebook titles its sections with them, and a sentence
that refers to another part names it from here (never a hard-coded « section 4 »)."""

from __future__ import annotations

#: The parts of the fiche territoire (mesra/analysis/brief/fiche.py).
FICHE = {
    "people": "Les personnes nommées et leurs rôles",
    "advocacy": "Où nous faisons du plaidoyer, et pour quoi",
}

#: The sections of the note proper, numbered as printed (notebooks/04-note-recherche-action.ipynb).
#: « Axe 2 » there is the seminar's chantier (workshop), not the note de cadrage's axe d'analyse.
NOTE = {
    "network": "1. Le réseau de coopération constaté",
    "planned": "2. Coopérations prévues, sans équivalent constaté",
    "monographs": "3. Les initiatives, selon le cadre commun",
    "practices": "4. Pratiques : évaluation et accompagnement (chantiers des Axes 2 et 3)",
    "axes": "5. Les six axes de la note de cadrage",
    "next_steps": "6. Pistes pour la suite",
}

#: Where the long tables are: the researchers' page of the same note (« version détaillée » in the index), said so
#: in every sentence that sends a reader there (never the link's label alone).
DETAIL = "la version détaillée de la note, pour les chercheurs"
#: The same in the fiche's « Et 21 autres personnes (tableau complet dans …) », on one printed line.
DETAIL_SHORT = "la version détaillée de la note"
