"""The data contract (v3): tables, columns, vocabularies and French labels.

This module is the only place that spells the corpus's file names, column names
and vocabularies. Everything else asks it. Files that practitioners write are in
French; the Python API around them is in English.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "VOCABULARIES",
    "NIVEAUX",
    "TYPES",
    "PERSON_TYPE",
    "ECHELONS",
    "RELATIONS",
    "DIRECT_RELATIONS",
    "AFFILIATION_RELATIONS",
    "COOPERATION_RELATIONS",
    "ADVOCACY_RELATIONS",
    "CONTEXT_TYPES",
    "CONTEXT_RELATIONS",
    "USE_RELATIONS",
    "CARRY_FUND",
    "GENERIC_MARKS",
    "is_generic",
    "ORIGINES",
    "MONOGRAPH_STATES",
    "INNOVATION_SOURCES",
    "OUTILS_COOPERATION",
    "AXES_RECHERCHE",
    "RESSOURCES",
    "STATUTS",
    "NEED",
    "ATTESTATIONS",
    "OBSERVED",
    "PLANNED",
    "LEADS",
    "ARTICLES",
    "CLOSED_STATUTS",
    "DATE_PATTERN",
    "MONOGRAPH_SECTIONS",
    "MONOGRAPH_DIR",
    "MONOGRAPH_FIELDS",
    "MONOGRAPH_ID_FIELDS",
    "MONOGRAPH_LOCATOR_FIELDS",
    "MONOGRAPH_PLACE_FIELDS",
    "LIST_SEPARATOR",
    "RESOURCE_KINDS",
    "RESOURCE_TABLE",
    "RESOURCE_DIR",
    "RESOURCE_ID_PATTERN",
    "AXES_SEMINAIRE",
    "LABELS",
    "VOCABULARY_LABELS",
    "label",
    "TRUE_WORDS",
    "FALSE_WORDS",
]

# --- vocabularies -----------------------------------------------------------
NIVEAUX = ("monde", "europe", "pays", "region", "departement", "collectivite_outre_mer", "epci", "commune")
TYPES = (
    "reseau_territorial",
    "federation",
    "association",
    "cooperative",
    "entreprise",
    "collectivite",
    "etat",
    "instance_ess",
    "collectif",
    "recherche",
    "financeur",
    "projet",
    "outil",
    "evenement",
    "chantier",
    "plateforme",
)
#: ``type`` of a person's node in a graph (people are not actors, so not in :data:`TYPES`).
PERSON_TYPE = "personne"
ECHELONS = ("local", "regional", "national", "europeen", "international")
RELATIONS = (
    "membre_de",
    "participe_a",
    "porte",
    "accompagne",
    "partenaire_de",
    "finance",
    "co_organise",
    "represente",
    "developpe",
    "utilise",
    "plaide_aupres_de",
)
#: Ties between two actors that say they work together (cooperation graph).
DIRECT_RELATIONS = (
    "partenaire_de",
    "accompagne",
    "co_organise",
    "finance",
    "porte",
    "developpe",
    "utilise",
    "represente",
    "plaide_aupres_de",
)
#: Ties that say two organisations cooperate (the cooperation graph's default).
COOPERATION_RELATIONS = ("partenaire_de", "accompagne", "co_organise", "finance", "porte")
#: Advocacy and representation: Axe 4's cartography, a reading of its own.
ADVOCACY_RELATIONS = ("plaide_aupres_de", "represente")
#: Ties of belonging: members × collectives (bipartite affiliation graph).
AFFILIATION_RELATIONS = ("membre_de", "participe_a")
#: Actor types that are shared *contexts* (a project, an event, a workshop, a tool, a
#: platform) rather than organisations: in the cooperation graph they are not nodes;
#: organisations tied to the same context are joined by a projected tie.
CONTEXT_TYPES = ("projet", "evenement", "chantier", "outil", "plateforme")
#: Ties that attach an organisation to a context (carrying, partnering, co-organising,
#: funding, supporting, taking part in or developing it). Not ``utilise``: using a scheme or
#: a tool (the DLA, a shared platform) is a practice, not a shared context (:data:`USE_RELATIONS`).
CONTEXT_RELATIONS = (*COOPERATION_RELATIONS, "participe_a", "developpe")
#: Ties that never join their actor to a context: using a scheme is a practice.
USE_RELATIONS = ("utilise",)
#: In a context too large to join its organisations two by two, who carries it and who funds it are still tied:
#: funding what another organisation carries is a direct link (the APES funds the seminar the MES carries, L160,
#: L1090-1092); its participants are not.
CARRY_FUND = ("porte", "finance")
#: How the corpus marks an actor that stands for a group left unnamed (« Collectivités territoriales
#: (non nommées) », « Chambres régionales de l'ESS (ensemble des CRESS) »): no column says it, the name does
#: (data/README.md, « Acteurs génériques »).
GENERIC_MARKS = ("(non nommé", "(ensemble des")


def is_generic(name) -> bool:
    """An actor standing for unnamed bodies, by its name (:data:`GENERIC_MARKS`): not a node of the cooperation
    network (it would join organisations the sources never put together), never said to « hold » a network."""
    return isinstance(name, str) and any(m in name.lower() for m in GENERIC_MARKS)


def in_sentence(name, article=None):
    """A name as a sentence says it: a body standing for unnamed ones (:func:`is_generic`), with its article, is a
    common noun, « auprès des pouvoirs publics (non nommés) », not « des Pouvoirs publics »."""
    if article and isinstance(article, str) and is_generic(name):
        return name[:1].lower() + name[1:]
    return name


ORIGINES = ("commande_publique", "mobilisation_citoyenne", "mixte", "inconnue")
#: How far an initiative is documented: a monograph written along the common frame, an initiative
#: its carriers presented (at a seminar: the proceedings summarise it; the monograph is still to
#: write), one the sources report as existing without its carriers presenting it (Devenir paysan,
#: L910), or one only cited as an example of what could be documented.
MONOGRAPH_STATES = ("redigee", "presentee", "rapportee", "citee")
INNOVATION_SOURCES = (
    "nouvelles_methodes_animation",
    "reconfiguration_parties_prenantes",
    "nouvelles_solutions",
)
OUTILS_COOPERATION = ("monetaire", "juridique", "numerique", "financier", "foncier", "methodologique")
#: The six axes of the "note de cadrage pour une recherche-action" (Axe 1 workshop).
AXES_RECHERCHE = (
    "economie_territorialisee",
    "synergies",
    "acteurs_ess",
    "economie_informelle",
    "besoins_non_couverts",
    "programme_action",
)
RESSOURCES = ("marchand", "redistribution", "reciprocite")
#: How a tie is known (``liens.attestation``, contract v3): ``constate`` (done or in place),
#: ``prevu`` (an intention of a plan or fiche-action), ``envisage`` (a possibility listed
#: as an example). An empty cell, or a corpus without the column, reads ``constate``.
ATTESTATIONS = ("constate", "prevu", "envisage")
#: The attestation of an observed tie: the only one the cooperation network counts by default.
OBSERVED = "constate"
#: The attestations of the planned reading ("coopérations prévues"): observed ties and intentions.
PLANNED = ("constate", "prevu")
#: The attestation of a possibility listed as an example: it feeds only leads ("pistes"), never a count.
LEADS = "envisage"
#: Article of an actor's name (``acteurs.article``, contract v3): "la Région", "le Mouvement";
#: empty for names used bare ("Opale", "KPsens").
ARTICLES = ("le", "la", "l'", "les")
#: Status of a planned action (``actions.statut``, ``suivi.statut``); ``besoin``: a need the workshop
#: expressed (« Besoin exprimé par l'atelier », L999-1001), not an action anyone plans: never due nor overdue,
#: never counted among the planned actions.
STATUTS = ("prevu", "en_cours", "fait", "reporte", "abandonne", "besoin")
#: The status of a need expressed by a workshop (see :data:`STATUTS`).
NEED = "besoin"
#: Statuses after which an action is no longer due.
CLOSED_STATUTS = ("fait", "abandonne")
#: Dates of the action plans: a year, a month or a day (``AAAA``, ``AAAA-MM``, ``AAAA-MM-JJ``).
DATE_PATTERN = r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$"
#: The four seminar workshops (chantiers), keyed by ``axe``.
AXES_SEMINAIRE = {
    1: "Innovation sociale et citoyenne au service du développement des territoires",
    2: "Évaluation de l'utilité sociale et de l'impact social",
    3: "Modèles socio-économiques des petites et moyennes entreprises et organisations de l'ESS",
    4: "Plaidoyer pour une transition E2DS2",
}

#: Separator of several values in one cell (``personnes.variantes``, ``actions.porteurs``…).
LIST_SEPARATOR = "|"

#: The kinds of resource ("ressource") of the resource centre, as ``ressources.csv`` writes them.
RESOURCE_KINDS = ("outil", "initiative", "portrait", "veille")

TRUE_WORDS = frozenset({"true", "vrai", "oui", "1", "yes"})
FALSE_WORDS = frozenset({"false", "faux", "non", "0", "no"})

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "niveau": NIVEAUX,
    "type": TYPES,
    "echelon": ECHELONS,
    "relation": RELATIONS,
    "origine": ORIGINES,
    "etat": MONOGRAPH_STATES,
    "innovation.sources": INNOVATION_SOURCES,
    "cooperation.outils": OUTILS_COOPERATION,
    "statut": STATUTS,
    "attestation": ATTESTATIONS,
    "article": ARTICLES,
    "ressource": RESOURCE_KINDS,
}


# --- tables -----------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a corpus table.

    ``kind`` is one of ``id`` (the table's key), ``ref`` (identifier of a row of
    ``ref``), ``refs`` (identifiers of rows of ``ref`` separated by
    :data:`LIST_SEPARATOR`), ``text``, ``vocab`` (value of ``VOCABULARIES[vocab]``),
    ``bool``, ``int`` (bounded by ``minimum``/``maximum``), ``date`` (:data:`DATE_PATTERN`,
    a real date, year bounded by ``minimum``/``maximum``) and ``locator`` (``source_id#…``).
    """

    name: str
    kind: str = "text"
    required: bool = False
    ref: tuple[str, ...] = ()
    vocab: str | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    description: str = ""
    optional: bool = False
    #: ``(start, end)`` date columns of a period: the end may not come before the start.
    period: tuple[str, str] | None = None

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_SOURCE = Column("source", "locator", required=True)

TABLES: dict[str, Table] = {
    "sources": Table(
        "sources",
        (
            Column("source_id", "id", required=True),
            Column("titre", required=True),
            Column("auteur"),
            Column("annee", "int", minimum=1800, maximum=2100),
            Column("fichier"),
            # v3, optional: the date of what the source records (a seminar's last day), AAAA[-MM[-JJ]];
            # a plan without follow-up is read at the latest date of its sources (mesra.analysis.plan)
            Column("date", "date", minimum=1800, maximum=2100),
        ),
        key="source_id",
        description="les documents sources",
    ),
    "territoires": Table(
        "territoires",
        (
            Column("territoire_id", "id", required=True),
            Column("nom", required=True),
            Column("niveau", "vocab", required=True, vocab="niveau"),
            Column("code_insee"),
            Column("parent_id", "ref", ref=("territoires",)),
            Column("source", "locator"),
        ),
        key="territoire_id",
        description="les territoires absents de la géographie de référence",
        optional=True,
    ),
    "acteurs": Table(
        "acteurs",
        (
            Column("acteur_id", "id", required=True),
            Column("nom", required=True),
            Column("sigle"),
            Column("type", "vocab", required=True, vocab="type"),
            Column("territoire_id", "ref", ref=("territoires",)),
            Column("echelon", "vocab", vocab="echelon"),
            Column("membre_mes", "bool"),
            _SOURCE,
            # v3, optional: the article of the name (le, la, l', les), empty for bare names
            Column("article", "vocab", vocab="article"),
        ),
        key="acteur_id",
        description="les acteurs",
    ),
    "personnes": Table(
        "personnes",
        (
            Column("personne_id", "id", required=True),
            Column("nom", required=True),
            Column("prenom"),
            Column("acteur_id", "ref", ref=("acteurs",)),
            Column("fonction"),
            _SOURCE,
            # v2: other spellings of the name found in the sources, "|"-separated (masked too)
            Column("variantes"),
        ),
        key="personne_id",
        description="les personnes",
        optional=True,
    ),
    # v3, optional: every role of a person, one row each (a person can be co-president of
    # one body, speaker for another and author of the conclusion); ``personnes.acteur_id``
    # and ``fonction`` stay the main role.
    "roles": Table(
        "roles",
        (
            Column("personne_id", "ref", required=True, ref=("personnes",)),
            Column("acteur_id", "ref", ref=("acteurs",)),
            Column("fonction", required=True),
            _SOURCE,
        ),
        description="les rôles des personnes",
        optional=True,
    ),
    "liens": Table(
        "liens",
        (
            Column("source_id", "ref", required=True, ref=("acteurs", "personnes")),
            Column("cible_id", "ref", required=True, ref=("acteurs", "personnes")),
            Column("relation", "vocab", required=True, vocab="relation"),
            Column("axe", "int", minimum=1, maximum=4),
            Column("echelon", "vocab", vocab="echelon"),
            Column("annee", "int", minimum=1800, maximum=2100),
            # v2, optional: what an advocacy or representation tie argues for or carries,
            # in the source's own words (a corpus without this column stays valid).
            Column("objet"),
            _SOURCE,
            # v3, optional: how the source knows the tie (constate, prevu, envisage); empty = constate
            Column("attestation", "vocab", vocab="attestation"),
            # v3, optional: the capacity the source gives (« en tant que membre du conseil
            # d'administration », « membre fondateur et du bureau »), in its own words
            Column("qualite"),
        ),
        description="les liens entre acteurs et personnes",
        optional=True,
    ),
    # v2, optional: the action plans and their follow-up log.
    "actions": Table(
        "actions",
        (
            Column("action_id", "id", required=True),
            Column("axe", "int", minimum=1, maximum=4),
            Column("intitule", required=True),
            Column("porteurs", "refs", ref=("acteurs", "personnes")),
            Column("partenaires", "refs", ref=("acteurs", "personnes")),
            Column("debut", "date", minimum=1800, maximum=2100),
            Column("fin", "date", minimum=1800, maximum=2100),
            Column("livrable"),
            Column("statut", "vocab", required=True, vocab="statut"),
            Column("territoire_id", "ref", ref=("territoires",)),
            _SOURCE,
            # optional (issue 26): the criterion of a co-evaluation the action answers, « referentiel:critere »
            # (a criterion of evaluation/referentiels/, checked by mesra.corpus.evaluation)
            Column("critere"),
        ),
        key="action_id",
        description="les actions des plans d'action",
        optional=True,
        period=("debut", "fin"),
    ),
    "suivi": Table(
        "suivi",
        (
            Column("action_id", "ref", required=True, ref=("actions",)),
            Column("date", "date", required=True, minimum=1800, maximum=2100),
            Column("statut", "vocab", required=True, vocab="statut"),
            Column("note"),
            # the coordinator who writes the log is its source: a document is optional
            Column("source", "locator"),
        ),
        description="le journal de suivi des actions",
        optional=True,
    ),
}
# --- the resource centre's hand-written table (issue 25) --------------------------------
#: A resource's identifier: its kind, a dash, then a slug (``outil-evalumip``, ``portrait-mes``).
RESOURCE_ID_PATTERN = r"^(?:outil|initiative|portrait|veille)-[a-z0-9]+(?:-[a-z0-9]+)*$"
#: The folder of the Markdown bodies of ``ressources.csv`` (``ressources/<ressource_id>.md``).
RESOURCE_DIR = "ressources"
#: ``ressources.csv``, optional: resources written by hand. A row whose identifier is a derived
#: resource's completes or overrides it (non-empty cells win); another identifier adds a resource.
#: Not in :data:`TABLES`: no table refers to it, and it is read and checked on its own.
RESOURCE_TABLE = Table(
    "ressources",
    (
        Column("ressource_id", "id", required=True),
        Column("type", "vocab", vocab="ressource"),
        Column("titre"),
        Column("resume"),
        Column("territoires", "refs", ref=("territoires",)),
        Column("themes"),  # "|"-separated free words
        Column("axes"),  # "|"-separated axes of the seminar, 1 to 4
        Column("acteurs", "refs", ref=("acteurs",)),
        Column("date", "date", minimum=1800, maximum=2100),
        Column("source"),  # "|"-separated locators (source_id#L12-20)
        Column("auteur"),
        Column("licence"),
        Column("statut"),
    ),
    key="ressource_id",
    description="les ressources du centre de ressources écrites à la main",
    optional=True,
)

#: Reading order: every table refers only to tables before it (liens, then the plans).
TABLE_ORDER = ("sources", "territoires", "acteurs", "personnes", "roles", "liens", "actions", "suivi")

# --- monographs ---------------------------------------------------------------
MONOGRAPH_DIR = "monographies"
#: Body sections of the seminar's common frame ("cadre commun pour la rédaction").
MONOGRAPH_SECTIONS = ("Besoins non couverts", "Innovation sociale", "Coopération")
#: Front-matter fields: name -> required.
MONOGRAPH_FIELDS = {
    "id": True,
    "titre": True,
    "territoire": True,
    "porteur": False,
    "acteurs": False,
    "annee": False,
    "origine": True,
    "etat": False,  # how far the initiative is documented (MONOGRAPH_STATES); missing = "redigee"
    "marge_de_manoeuvre": False,
    "besoins_non_couverts": False,
    "objectifs": False,  # what the initiative aims at (kept apart from the needs it answers)
    "contexte": False,  # how it began and what holds it back, as the sources say it (history, limits)
    "resultats": False,  # what the sources say it has done or brought (kept apart from what it aims at)
    "innovation": False,
    "cooperation": False,
    "axes_recherche_action": False,
    "ressources": False,
    "chiffres": False,
    "sources": True,
}
#: Monograph fields (columns of ``Corpus.monographies``) that hold actor or monograph identifiers,
#: source locators, and places; every other text field is free text.
MONOGRAPH_ID_FIELDS = ("id", "porteur", "acteurs")
MONOGRAPH_LOCATOR_FIELDS = ("sources",)
MONOGRAPH_PLACE_FIELDS = ("territoire",)

# --- French labels for what users read -----------------------------------------
LABELS: dict[str, str] = {
    # niveaux
    "monde": "Monde",
    "europe": "Europe",
    "pays": "Pays",
    "region": "Région",
    "departement": "Département",
    "collectivite_outre_mer": "Collectivité d'outre-mer",
    "epci": "EPCI",
    "commune": "Commune",
    # types
    "reseau_territorial": "Réseau territorial",
    "federation": "Fédération",
    "association": "Association",
    "cooperative": "Coopérative",
    "entreprise": "Entreprise",
    "collectivite": "Collectivité",
    "etat": "État",
    "instance_ess": "Instance de l'ESS",
    "collectif": "Collectif",
    "recherche": "Recherche",
    "financeur": "Financeur",
    "projet": "Projet",
    "outil": "Outil",
    "evenement": "Événement",
    "chantier": "Chantier",
    "plateforme": "Plateforme",
    # échelons
    "local": "Local",
    "regional": "Régional",
    "national": "National",
    "europeen": "Européen",
    "international": "International",
    # relations
    "membre_de": "membre de",
    "participe_a": "participe à",
    "porte": "porte",
    "accompagne": "accompagne",
    "partenaire_de": "partenaire de",
    "finance": "finance",
    "co_organise": "co-organise",
    "represente": "représente",
    "developpe": "développe",
    "utilise": "utilise",
    "plaide_aupres_de": "plaide auprès de",
    # origines
    "commande_publique": "Commande publique",
    "mobilisation_citoyenne": "Mobilisation citoyenne",
    "mixte": "Mixte",
    "inconnue": "Inconnue",
    # états d'une monographie
    "redigee": "Monographie rédigée",
    "presentee": "Initiative présentée, monographie à écrire",
    "rapportee": "Initiative rapportée par les sources, à documenter",
    "citee": "Initiative citée en exemple, à documenter",
    # innovation
    "nouvelles_methodes_animation": "Nouvelles méthodes d'animation",
    "reconfiguration_parties_prenantes": "Reconfiguration des parties prenantes",
    "nouvelles_solutions": "Nouvelles solutions",
    # outils de coopération
    "monetaire": "Monétaire",
    "juridique": "Juridique",
    "numerique": "Numérique",
    "financier": "Financier",
    "foncier": "Foncier",
    "methodologique": "Méthodologique",
    # six axes de la note de cadrage
    "economie_territorialisee": "Économie de marché territorialisée / internationalisée",
    "synergies": "Initiatives volontaires pour une synergie",
    "acteurs_ess": "Acteurs dans une démarche ESS",
    "economie_informelle": "Initiatives de l'économie informelle",
    "besoins_non_couverts": "Besoins non couverts",
    "programme_action": "Programme d'action",
    # statuts des actions
    "prevu": "Prévu",
    "en_cours": "En cours",
    "fait": "Fait",
    "reporte": "Reporté",
    "abandonne": "Abandonné",
    "besoin": "Besoin exprimé",
    # attestation des liens (prevu: "Prévu", as a status)
    "constate": "Constaté",
    "envisage": "Envisagé",
    # types de ressource du centre de ressources
    "initiative": "Initiative",
    "portrait": "Portrait d'acteur",
    "veille": "Veille",
    # ressources
    "marchand": "Marchand",
    "redistribution": "Redistribution",
    "reciprocite": "Réciprocité",
}


#: Labels that say more in one vocabulary than :data:`LABELS` (the workbook's vocabulary sheet).
VOCABULARY_LABELS: dict[str, dict[str, str]] = {
    "attestation": {
        "constate": "Constaté : fait ou en place (partenariat, événement tenu, siège, adhésion)",
        "prevu": "Prévu : intention d'un plan ou d'une fiche-action (qui doit participer ou porter)",
        "envisage": "Envisagé : possibilité citée en exemple (une piste, jamais comptée)",
    },
    "article": {
        "le": "le (« le Mouvement » : du Mouvement, au Mouvement)",
        "la": "la (« la Région » : de la Région, à la Région)",
        "l'": "l' (« l'APES » : de l'APES, à l'APES)",
        "les": "les (« les Instances » : des Instances, aux Instances)",
    },
}


def label(code: object) -> str:
    """French label of a vocabulary code (the code itself when unknown)."""
    return LABELS.get(str(code), str(code))
