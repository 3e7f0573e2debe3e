"""The titles of the brief's parts, in one place: the notebook titles its sections with them, and a sentence
that refers to another part names it from here (never a hard-coded « section 4 »)."""

from __future__ import annotations

#: The parts of the fiche territoire (mesra/analysis/brief/fiche.py).
FICHE = {
    "people": "Les personnes nommées et leurs rôles",
    # the Axe 4 cartography's own heading, « plaidoyer/sensibilisation/partenariats » (L884): twenty-second reading,
    # Devenir paysan (L910) read as a partnership under « plaidoyer »; twenty-third, its absence read as « aucun »
    "advocacy": "Plaidoyer, sensibilisation et partenariats : où et pour quoi",
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

#: In the annex, the rest of « À retenir »'s « Ce que les acteurs du territoire ont fait ou mènent ».
MADE_REST = "À retenir : ce que les acteurs du territoire ont fait ou mènent"
#: The acronyms the note uses, said in full (mesra.analysis.brief.glossary).
GLOSSARY = "Les sigles de cette note"
#: The closing part of the note (« À propos de cette note »): what the researchers' version holds, said once
#: (twenty-second reading: a pointer after each section sent the reader of the printed note to pages it lacks).
ABOUT = "À propos de cette note"
#: A first note says so plainly (twenty-second reading: « Première note de ce territoire dans ce dossier » read as
#: internal bookkeeping).
ABOUT_FIRST = "C'est la première note de ce territoire : la suivante dira ce qui a changé depuis celle-ci."
#: What « ligne 459 » refers to (twenty-second reading: the printed proceedings are numbered by page, not by line).
ABOUT_LINES = (
    "Les renvois « ligne 459 » désignent les lignes du texte de la source tel que le corpus le conserve "
    "(un paragraphe par ligne), et non les pages d'un document imprimé."
)
#: …when the corpus places its sources' printed pages (``sources/pages.csv``; twenty-ninth reading: a coordinator
#: holds the printed proceedings, and « ligne 459 » alone sent her counting paragraphs).
ABOUT_LINES_PAGES = (
    "Les renvois « p. 17 » désignent la page de la source imprimée où se trouve le passage cité ; la version "
    "détaillée de cette note donne aussi sa ligne dans le texte de la source tel que le corpus le conserve "
    "(un paragraphe par ligne)."
)
ABOUT_DETAIL = (
    "Pour les chercheurs, une version détaillée de cette note est publiée avec elle : les tableaux complets, "
    "la façon dont le réseau de coopération est construit et ses mesures."
)
