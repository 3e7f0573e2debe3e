"""Reading a co-evaluation of social utility without collapsing it (Axe 2, issue 26).

The proceedings ask that evaluation be a matter of democracy, not of measurement
(actes-coconstruire-2019#L616-618): criteria chosen by the actors, several viewpoints, no
standardised score. So this module shows **every viewpoint apart** and never computes a
figure across viewpoints or across dimensions: no overall score, no « all viewpoints »
median, no dimension total (``tests/test_coevaluation.py`` scans every output for one).

- :func:`read_campaign` — one campaign as a frozen :class:`CampaignReading`:
  per dimension and viewpoint, the median level and the number of answers
  (``dimensions``); per criterion and viewpoint, the distribution of levels with
  « ne sait pas » apart (``distribution``, ``ne_sait_pas``: diverging stacked bars) and the
  median (``criteres``); the criteria where two viewpoints' medians are two levels or more
  apart, with the comments of those viewpoints quoted beside (``divergences``: where the
  group needs to talk).
- A viewpoint with fewer than :data:`MIN_RESPONDENTS` respondents is not shown apart and its
  comments are not quoted (they would identify the person): ``hidden`` lists it and
  :func:`hidden_sentence` says so. Its answers are not merged into anything either.
- :func:`compare_campaigns` — two campaigns of the same referential **version**, criterion by
  criterion and viewpoint by viewpoint (« démarche de progrès »); different referentials or
  versions are refused with a French message. :func:`previous_campaign` finds the one to
  compare with.
- :func:`campaigns_of_territory` — the campaigns a territory's brief mentions.

Levels are compared by their rank in the criterion's scale (« two levels »), medians are
shown in the scale's values.

>>> import mesra
>>> from mesra.files import PROJECT_ROOT
>>> corpus = mesra.load_corpus(PROJECT_ROOT / "tests/fixtures/coevaluation")
>>> reading = read_campaign(corpus, "exemple-2024")
>>> reading.viewpoints, reading.hidden
(('soi', 'beneficiaire', 'partenaire'), (('financeur', 2),))
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.evaluation import Referential, viewpoint_label
from mesra.errors import ParameterError, did_you_mean
from mesra.figures import drawn_once, new_axes
from mesra.french import join, number, plural

__all__ = [
    "MIN_RESPONDENTS",
    "DIVERGENCE_LEVELS",
    "CampaignReading",
    "read_campaign",
    "compare_campaigns",
    "previous_campaign",
    "campaigns_of_territory",
    "campaign_territory",
    "campaign_links",
    "NOTEBOOK_STEM",
    "hidden_sentence",
    "divergence_sentence",
    "synthetic_sentence",
    "divergence_table",
    "comparison_table",
    "campaign_facts",
    "campaign_section",
    "divergence_section",
    "comparison_section",
    "actions_section",
    "plot_dimension_dots",
    "plot_criterion_bars",
]

#: A viewpoint with fewer respondents is not shown apart (its answers would identify them).
MIN_RESPONDENTS = 3
#: Two viewpoints whose medians are this many levels apart or more: a criterion to discuss.
DIVERGENCE_LEVELS = 2


@dataclass(frozen=True)
class CampaignReading:
    """One campaign read viewpoint by viewpoint (see the module docstring for each table)."""

    campagne_id: str
    titre: str
    referentiel: str
    version: int
    referentiel_titre: str
    ne_sait_pas_libelle: str
    synthetique: bool
    evalue: str  # the structure or territory evaluated, by name
    territoire_id: str | None  # the territory of what is evaluated (the actor's, else the campaign's)
    debut: str | None
    fin: str | None
    viewpoints: tuple[str, ...]  # shown apart, in the campaign's order
    hidden: tuple[tuple[str, int], ...]  # (viewpoint, respondents) below MIN_RESPONDENTS
    respondents: dict[str, int] = field(default_factory=dict)  # shown viewpoints only
    dimensions: pd.DataFrame = field(default_factory=pd.DataFrame)
    criteres: pd.DataFrame = field(default_factory=pd.DataFrame)
    distribution: pd.DataFrame = field(default_factory=pd.DataFrame)
    ne_sait_pas: pd.DataFrame = field(default_factory=pd.DataFrame)
    divergences: pd.DataFrame = field(default_factory=pd.DataFrame)


def _rank(median: float, values: list[int]) -> float:
    """Position of a (possibly fractional) median on the scale: 0 for the lowest level."""
    return float(np.interp(median, values, range(len(values))))


def _evaluated(corpus, camp: dict) -> tuple[str, str | None]:
    acteur, territoire = camp.get("acteur_id"), camp.get("territoire_id")
    if acteur:
        rows = corpus.acteurs[corpus.acteurs["acteur_id"] == acteur]
        if len(rows):
            row = rows.iloc[0]
            return str(row["nom"]), territoire or row["territoire_id"]
        return str(acteur), territoire
    return corpus.territory_name(territoire), territoire


def _campaign(corpus, campagne_id: str) -> dict:
    ev = corpus.evaluation
    try:
        return ev.campaign(campagne_id)
    except KeyError:
        known = ev.campaign_ids()
        listed = ", ".join(known) if known else "aucune : le corpus n'a pas de dossier evaluation/ ou pas de campagne"
        raise ParameterError(
            f"campagne « {campagne_id} » inconnue{did_you_mean(campagne_id, known)} ; campagnes du corpus : {listed}"
        ) from None


def _answers(corpus, campagne_id: str, ref: Referential) -> pd.DataFrame:
    """The campaign's answers with their dimension and criterion (one row per evaluator × question)."""
    r = corpus.evaluation.reponses
    r = r[r["campagne_id"] == campagne_id].copy()
    where = ref.questions()
    r["dimension"] = [where[q][0].id for q in r["question_id"]]
    r["critere"] = [where[q][1].id for q in r["question_id"]]
    return r


def _median_rows(answers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    rows = []
    for group, part in answers.groupby(keys, sort=False):
        values = [int(v) for v in part["valeur"].dropna()]
        rows.append(
            {
                **dict(zip(keys, group if isinstance(group, tuple) else (group,))),
                "mediane": statistics.median(values) if values else None,
                "reponses": len(values),
                "ne_sait_pas": int(part["nsp"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=[*keys, "mediane", "reponses", "ne_sait_pas"])


def read_campaign(corpus, campagne_id: str, *, min_respondents: int = MIN_RESPONDENTS) -> CampaignReading:
    """One campaign of ``corpus.evaluation``, every viewpoint apart (see the module docstring).

    Raises :class:`~mesra.errors.ParameterError` (French) for an unknown campaign.
    """
    camp = _campaign(corpus, campagne_id)
    ev = corpus.evaluation
    ref = ev.referential(camp["referentiel"], camp["version"])
    answers = _answers(corpus, campagne_id, ref)
    order = ev.viewpoints(campagne_id)
    people = answers.groupby("point_de_vue")["evaluateur_id"].nunique().to_dict()
    shown = tuple(v for v in order if people.get(v, 0) >= min_respondents)
    hidden = tuple((v, int(people[v])) for v in order if 0 < people.get(v, 0) < min_respondents)
    answers = answers[answers["point_de_vue"].isin(shown)]
    rank = {v: i for i, v in enumerate(shown)}
    name, territoire = _evaluated(corpus, camp)

    dims = _median_rows(answers, ["dimension", "point_de_vue"])
    crits = _median_rows(answers, ["critere", "point_de_vue"])
    labels = {d.id: d.libelle for d in ref.dimensions}
    crit_labels = {c.id: (d.id, c.libelle) for d, c in ref.criteria()}
    dims.insert(1, "dimension_libelle", [labels[d] for d in dims["dimension"]])
    crits.insert(0, "dimension", [crit_labels[c][0] for c in crits["critere"]])
    crits.insert(2, "critere_libelle", [crit_labels[c][1] for c in crits["critere"]])
    for df in (dims, crits):
        df.insert(
            df.columns.get_loc("point_de_vue") + 1,
            "point_de_vue_libelle",
            [viewpoint_label(v) for v in df["point_de_vue"]],
        )
    dim_order = {d.id: i for i, d in enumerate(ref.dimensions)}
    crit_order = {c.id: i for i, (_, c) in enumerate(ref.criteria())}
    dims = dims.sort_values(
        ["dimension", "point_de_vue"], key=lambda s: s.map(dim_order if s.name == "dimension" else rank)
    )
    crits = crits.sort_values(
        ["critere", "point_de_vue"], key=lambda s: s.map(crit_order if s.name == "critere" else rank)
    )
    distribution = _distribution(answers, ref, shown)
    return CampaignReading(
        campagne_id=campagne_id,
        titre=str(camp["titre"]),
        referentiel=ref.referentiel,
        version=ref.version,
        referentiel_titre=ref.titre,
        ne_sait_pas_libelle=ref.ne_sait_pas,
        synthetique=bool(camp["synthetique"]),
        evalue=name,
        territoire_id=territoire,
        debut=camp.get("debut"),
        fin=camp.get("fin"),
        viewpoints=shown,
        hidden=hidden,
        respondents={v: int(people[v]) for v in shown},
        dimensions=dims.reset_index(drop=True),
        criteres=crits.reset_index(drop=True),
        distribution=distribution,
        ne_sait_pas=crits[
            ["critere", "critere_libelle", "point_de_vue", "point_de_vue_libelle", "ne_sait_pas", "reponses"]
        ].reset_index(drop=True),
        divergences=_divergences(crits, answers, ref, shown),
    )


def _distribution(answers: pd.DataFrame, ref: Referential, shown: tuple[str, ...]) -> pd.DataFrame:
    """Per criterion × viewpoint × level, how many answers gave that level (« ne sait pas » apart)."""
    rows = []
    for d, c in ref.criteria():
        levels = ref.criterion_levels(c.id)
        part = answers[answers["critere"] == c.id]
        for v in shown:
            mine = part[part["point_de_vue"] == v]["valeur"].dropna()
            counts = mine.astype(int).value_counts().to_dict()
            for lv in levels:
                rows.append(
                    {
                        "dimension": d.id,
                        "critere": c.id,
                        "critere_libelle": c.libelle,
                        "point_de_vue": v,
                        "point_de_vue_libelle": viewpoint_label(v),
                        "niveau": lv.valeur,
                        "niveau_libelle": lv.libelle,
                        "effectif": int(counts.get(lv.valeur, 0)),
                    }
                )
    columns = ["dimension", "critere", "critere_libelle", "point_de_vue", "point_de_vue_libelle", "niveau"]
    return pd.DataFrame(rows, columns=[*columns, "niveau_libelle", "effectif"])


def _quotes(answers: pd.DataFrame, critere: str, viewpoints: tuple[str, ...]) -> list[str]:
    part = answers[(answers["critere"] == critere) & answers["point_de_vue"].isin(viewpoints)]
    out = []
    for v in viewpoints:
        for text in part[part["point_de_vue"] == v]["commentaire"].dropna():
            if str(text).strip():
                out.append(f"« {str(text).strip()} » ({viewpoint_label(v)})")
    return out


def _divergences(crits: pd.DataFrame, answers: pd.DataFrame, ref: Referential, shown) -> pd.DataFrame:
    """Criteria where two shown viewpoints' medians are :data:`DIVERGENCE_LEVELS` levels apart or more."""
    rows = []
    for _, c in ref.criteria():
        values = [lv.valeur for lv in ref.criterion_levels(c.id)]
        mine = crits[(crits["critere"] == c.id) & crits["mediane"].notna()]
        med = dict(zip(mine["point_de_vue"], mine["mediane"]))
        n = dict(zip(mine["point_de_vue"], mine["reponses"]))
        present = [v for v in shown if v in med]
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                gap = abs(_rank(med[a], values) - _rank(med[b], values))
                if gap >= DIVERGENCE_LEVELS:
                    rows.append(
                        {
                            "critere": c.id,
                            "critere_libelle": c.libelle,
                            "point_de_vue_a": a,
                            "mediane_a": med[a],
                            "reponses_a": int(n[a]),
                            "point_de_vue_b": b,
                            "mediane_b": med[b],
                            "reponses_b": int(n[b]),
                            "ecart_niveaux": gap,
                            "commentaires": _quotes(answers, c.id, (a, b)),
                        }
                    )
    columns = ["critere", "critere_libelle", "point_de_vue_a", "mediane_a", "reponses_a", "point_de_vue_b"]
    return pd.DataFrame(rows, columns=[*columns, "mediane_b", "reponses_b", "ecart_niveaux", "commentaires"])


# --- sentences and tables for the reader -------------------------------------------------------
def synthetic_sentence(reading: CampaignReading) -> str:
    """The warning every page of a synthetic campaign carries (empty for a real one)."""
    if not reading.synthetique:
        return ""
    return (
        "Exemple synthétique : les réponses de cette campagne sont inventées pour montrer la démarche ; "
        "elles ne décrivent aucune structure réelle."
    )


def hidden_sentence(reading: CampaignReading, min_respondents: int = MIN_RESPONDENTS) -> str:
    """Which viewpoints are not shown apart, and why (empty when every viewpoint is shown)."""
    if not reading.hidden:
        return ""
    parts = [f"les {viewpoint_label(v)} ({plural(n, 'répondant')})" for v, n in reading.hidden]
    who = join(parts)
    return (
        f"{who[:1].upper()}{who[1:]} ne sont pas montrés à part et leurs commentaires ne sont pas cités : "
        f"moins de {min_respondents} répondants, leurs réponses permettraient de les reconnaître. "
        "Leurs réponses ne sont pas non plus mêlées à celles des autres points de vue."
    )


def divergence_sentence(reading: CampaignReading) -> str:
    """How many criteria need a discussion (two viewpoints two levels apart or more)."""
    n = reading.divergences["critere"].nunique()
    if not n:
        return (
            f"Aucun critère où deux points de vue diffèrent de {DIVERGENCE_LEVELS} niveaux ou plus "
            "(les écarts plus faibles se lisent dans les barres)."
        )
    return (
        f"Sur {plural(n, 'critère')}, deux points de vue diffèrent de {DIVERGENCE_LEVELS} niveaux ou plus : "
        "c'est là que la discussion est utile."
    )


def _level(x) -> str:
    return "—" if x is None or (isinstance(x, float) and x != x) else number(x)


def divergence_table(reading: CampaignReading) -> pd.DataFrame:
    """The divergences with French headers and the comments beside (for display)."""
    d = reading.divergences
    return pd.DataFrame(
        {
            "Critère": d["critere_libelle"],
            "Point de vue": [viewpoint_label(v) for v in d["point_de_vue_a"]],
            "Médiane": [f"{_level(m)} ({plural(n, 'réponse')})" for m, n in zip(d["mediane_a"], d["reponses_a"])],
            "Autre point de vue": [viewpoint_label(v) for v in d["point_de_vue_b"]],
            "Sa médiane": [f"{_level(m)} ({plural(n, 'réponse')})" for m, n in zip(d["mediane_b"], d["reponses_b"])],
            "Écart (niveaux)": [number(x) for x in d["ecart_niveaux"]],
            "Commentaires": [" ; ".join(c) if c else "aucun commentaire" for c in d["commentaires"]],
        }
    )


# --- comparing two campaigns ------------------------------------------------------------------------
def compare_campaigns(corpus, avant: str, apres: str) -> pd.DataFrame:
    """Two campaigns of the same referential version, criterion by criterion, viewpoint by viewpoint.

    One row per criterion × viewpoint shown apart in both campaigns: the two medians, their
    numbers of answers and the change in levels (``evolution``, positive when ``apres`` is
    higher). Raises :class:`~mesra.errors.ParameterError` when the referentials or their
    versions differ: mesra never compares them silently.
    """
    a, b = _campaign(corpus, avant), _campaign(corpus, apres)
    if (a["referentiel"], a["version"]) != (b["referentiel"], b["version"]):
        raise ParameterError(
            f"les campagnes « {avant} » ({a['referentiel']} version {a['version']}) et « {apres} » "
            f"({b['referentiel']} version {b['version']}) n'utilisent pas le même référentiel dans la même version : "
            "mesra ne compare pas leurs critères (une question reformulée ne mesure plus la même chose). "
            "Comparez-les à la main, critère par critère, en disant ce qui a changé."
        )
    ra, rb = read_campaign(corpus, avant), read_campaign(corpus, apres)
    ref = corpus.evaluation.referential(a["referentiel"], a["version"])
    keys = ["critere", "point_de_vue"]
    left = ra.criteres[[*keys, "critere_libelle", "point_de_vue_libelle", "mediane", "reponses"]]
    right = rb.criteres[[*keys, "mediane", "reponses"]]
    both = left.merge(right, on=keys, suffixes=("_avant", "_apres"), how="inner")
    evolution = []
    for c, ma, mb in zip(both["critere"], both["mediane_avant"], both["mediane_apres"]):
        values = [lv.valeur for lv in ref.criterion_levels(c)]
        ok = ma is not None and mb is not None and ma == ma and mb == mb
        evolution.append(_rank(mb, values) - _rank(ma, values) if ok else None)
    both["evolution"] = evolution
    return both.reset_index(drop=True)


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """:func:`compare_campaigns` with French headers (for display)."""

    def change(x) -> str:
        if x is None or x != x:
            return "—"
        return "=" if x == 0 else (f"+{number(x)}" if x > 0 else number(x))

    return pd.DataFrame(
        {
            "Critère": comparison["critere_libelle"],
            "Point de vue": comparison["point_de_vue_libelle"],
            "Médiane avant": [
                f"{_level(m)} ({plural(n, 'réponse')})"
                for m, n in zip(comparison["mediane_avant"], comparison["reponses_avant"])
            ],
            "Médiane après": [
                f"{_level(m)} ({plural(n, 'réponse')})"
                for m, n in zip(comparison["mediane_apres"], comparison["reponses_apres"])
            ],
            "Évolution (niveaux)": [change(x) for x in comparison["evolution"]],
        }
    )


def previous_campaign(corpus, campagne_id: str) -> tuple[str | None, str]:
    """The campaign to compare with (same evaluated structure or territory, earlier) and a French sentence.

    Returns ``(campagne_id or None, sentence)``: the latest earlier campaign of the same
    referential version; when the latest earlier one uses another version, None and a sentence
    that says why there is no comparison.
    """
    ev = corpus.evaluation
    camp = ev.campaign(campagne_id)
    c = ev.campagnes
    same = c[
        (c["campagne_id"] != campagne_id)
        & (c["acteur_id"].fillna("") == (camp["acteur_id"] or ""))
        & (c["territoire_id"].fillna("") == (camp["territoire_id"] or ""))
    ]
    start = str(camp["debut"] or "")
    earlier = same[[str(d or "") < start for d in same["debut"]]] if start else same.iloc[0:0]
    if not len(earlier):
        return None, "Pas de campagne précédente pour la même structure : pas de comparaison."
    latest = earlier.sort_values("debut").iloc[-1]
    if (latest["referentiel"], latest["version"]) != (camp["referentiel"], camp["version"]):
        return None, (
            f"La campagne précédente « {latest['campagne_id']} » utilise {latest['referentiel']} version "
            f"{latest['version']}, celle-ci la version {camp['version']} : mesra ne les compare pas."
        )
    return str(latest["campagne_id"]), f"Comparaison avec la campagne précédente « {latest['titre']} »."


def campaign_territory(corpus, campagne_id: str) -> str | None:
    """The territory of what a campaign evaluates: the campaign's own, else its structure's (None: neither)."""
    return _evaluated(corpus, corpus.evaluation.campaign(campagne_id))[1]


def campaigns_of_territory(corpus, territoire: str | None) -> pd.DataFrame:
    """The campaigns whose evaluated structure (or territory) is in ``territoire`` itself (id, title, synthetic)."""
    ev = corpus.evaluation
    rows = []
    for cid in ev.campaign_ids():
        camp = ev.campaign(cid)
        name, where = _evaluated(corpus, camp)
        if territoire is not None and where == territoire:
            rows.append(
                {"campagne_id": cid, "titre": camp["titre"], "evalue": name, "synthetique": camp["synthetique"]}
            )
    return pd.DataFrame(rows, columns=["campagne_id", "titre", "evalue", "synthetique"])


#: The notebook of a campaign's page: the batch publishes it as ``<stem>-<campagne>.html`` beside the briefs.
NOTEBOOK_STEM = "06-co-evaluation"


def campaign_links(corpus, territoire: str | None) -> tuple[str, list[tuple[str, str]]]:
    """What a territory's brief says of its campaigns: a French sentence and ``(title, page)`` links ("" and [])."""
    found = campaigns_of_territory(corpus, territoire)
    if not len(found):
        return "", []
    n = len(found)
    sentence = (
        f"Co-évaluation de l'utilité sociale : {plural(n, 'campagne')} "
        f"{'évaluent' if n > 1 else 'évalue'} une structure de ce territoire, lue{'s' if n > 1 else ''} "
        "point de vue par point de vue sur une page à part :"
    )
    links = []
    for cid, titre, synthetic in zip(found["campagne_id"], found["titre"], found["synthetique"]):
        text = str(titre)
        if synthetic and "exemple synthétique" not in text.lower():
            text += " (exemple synthétique)"
        links.append((text, f"{NOTEBOOK_STEM}-{cid}.html"))
    return sentence, links


def campaign_facts(reading: CampaignReading) -> dict:
    """Every figure of a reading as plain data (what the tests scan for an aggregate)."""

    def records(df: pd.DataFrame) -> list[dict]:
        return [
            {k: (None if v is None or (isinstance(v, float) and v != v) else v) for k, v in row.items()}
            for row in df.astype(object).to_dict("records")
        ]

    return {
        "campagne_id": reading.campagne_id,
        "synthetique": reading.synthetique,
        "points_de_vue": list(reading.viewpoints),
        "masques": [list(h) for h in reading.hidden],
        "repondants": dict(reading.respondents),
        "dimensions": records(reading.dimensions),
        "criteres": records(reading.criteres),
        "distribution": records(reading.distribution),
        "divergences": records(reading.divergences),
    }


# --- sections of the campaign's page -----------------------------------------------------------------
def _period(reading: CampaignReading) -> str:
    from mesra.french import date

    if reading.debut and reading.fin:
        return f"entre {date(reading.debut)} et {date(reading.fin)}"
    if reading.debut or reading.fin:
        return f"en {date(reading.debut or reading.fin)}"
    return "à une date non renseignée"


def campaign_section(corpus, reading: CampaignReading) -> Section:
    """What the campaign is: who is evaluated, when, with which referential, which viewpoints are shown."""
    section = Section(reading.titre)
    if reading.synthetique:
        section.paragraphs.append(synthetic_sentence(reading))
    section.paragraphs.append(
        f"Structure ou territoire évalué : {reading.evalue}. Campagne menée {_period(reading)}, avec le référentiel "
        f"« {reading.referentiel_titre} » ({reading.referentiel}, version {reading.version})."
    )
    shown = [f"{viewpoint_label(v)} ({plural(reading.respondents[v], 'répondant')})" for v in reading.viewpoints]
    section.paragraphs.append(
        f"Points de vue montrés, chacun à part : {join(shown)}." if shown else "Aucun point de vue n'a 3 répondants."
    )
    if reading.hidden:
        section.paragraphs.append(hidden_sentence(reading))
    section.notes.append(
        "Chaque point de vue se lit à part : mesra ne calcule ni note d'ensemble, ni médiane qui mêlerait les "
        "points de vue, ni somme des dimensions ; les critères ont été choisis par le groupe (actes, lignes 616-618)."
    )
    camp = corpus.evaluation.campaign(reading.campagne_id)
    if camp.get("source"):
        section.cite(camp["source"])
    return section


def divergence_section(reading: CampaignReading) -> Section:
    """The criteria to discuss: two viewpoints two levels apart or more, with their comments."""
    section = Section("Où les points de vue divergent")
    if reading.synthetique:
        section.paragraphs.append(synthetic_sentence(reading))
    section.paragraphs.append(divergence_sentence(reading))
    section.add_table(
        "Critères où deux points de vue diffèrent de deux niveaux ou plus",
        divergence_table(reading),
        empty="Aucun critère.",
    )
    if reading.hidden:
        section.notes.append(hidden_sentence(reading))
    return section


def comparison_section(corpus, reading: CampaignReading) -> Section:
    """The previous campaign of the same structure and referential version, criterion by criterion."""
    section = Section("Depuis la campagne précédente")
    if reading.synthetique:
        section.paragraphs.append(synthetic_sentence(reading))
    previous, sentence = previous_campaign(corpus, reading.campagne_id)
    section.paragraphs.append(sentence)
    if previous is not None:
        section.add_table(
            "Médianes par critère et point de vue (points de vue montrés dans les deux campagnes)",
            comparison_table(compare_campaigns(corpus, previous, reading.campagne_id)),
        )
    return section


def actions_section(corpus, reading: CampaignReading) -> Section:
    """The improvement actions linked to a criterion of this referential (``actions.critere``)."""
    section = Section("Actions décidées, par critère")
    if reading.synthetique:
        section.paragraphs.append(synthetic_sentence(reading))
    labels = {
        f"{reading.referentiel}:{c.id}": c.libelle
        for _, c in corpus.evaluation.referential(reading.referentiel, reading.version).criteria()
    }
    actions = corpus.actions
    linked = actions[actions["critere"].isin(labels)] if "critere" in actions else actions.iloc[0:0]
    section.paragraphs.append(
        f"{plural(len(linked), 'action')} du plan {'répondent' if len(linked) > 1 else 'répond'} à un critère de ce "
        "référentiel (colonne « critere » de actions.csv) ; les notes de territoire suivent leur avancement."
    )
    section.add_table(
        "Actions et critères",
        pd.DataFrame(
            {
                "Action": linked["intitule"],
                "Critère": [labels[c] for c in linked["critere"]],
                "Statut": [contract.label(s) for s in linked["statut"]],
                "Début": linked["debut"].fillna(""),
                "Fin": linked["fin"].fillna(""),
            }
        ),
        empty="Aucune action n'est encore liée à un critère de ce référentiel.",
    )
    section.cite(*[s for s in linked["source"] if s])
    return section


# --- figures ----------------------------------------------------------------------------------------
#: One colour and marker per viewpoint position (colour-blind safe, Okabe–Ito).
_VIEWPOINT_STYLE = [
    ("#0072B2", "o"),
    ("#D55E00", "s"),
    ("#009E73", "D"),
    ("#CC79A7", "^"),
    ("#E69F00", "v"),
    ("#56B4E9", "P"),
    ("#000000", "X"),
]
#: Diverging colours: low levels in oranges, high levels in blues; « ne sait pas » grey, apart.
_LOW, _HIGH, _NSP = ("#b35806", "#f1a340", "#fee0b6"), ("#d8daeb", "#998ec3", "#542788"), "#bdbdbd"


def _style(i: int) -> tuple[str, str]:
    return _VIEWPOINT_STYLE[i % len(_VIEWPOINT_STYLE)]


@drawn_once
def plot_dimension_dots(reading: CampaignReading, levels=None, ax=None):
    """One dot per viewpoint and dimension at its median level, with its number of answers.

    No line joins the dots and nothing sums them: each viewpoint is read on its own.
    ``levels`` (the referential's default :class:`~mesra.corpus.evaluation.Level` list) labels the axis.
    """
    dims = list(dict.fromkeys(reading.dimensions["dimension"]))
    labels = dict(zip(reading.dimensions["dimension"], reading.dimensions["dimension_libelle"]))
    n = max(1, len(reading.viewpoints))
    ax = new_axes(ax, (9, 0.7 * len(dims) * max(1, n / 2.5) + 1.6), layout="constrained")
    for i, v in enumerate(reading.viewpoints):
        colour, marker = _style(i)
        part = reading.dimensions[reading.dimensions["point_de_vue"] == v]
        offset = (i - (n - 1) / 2) * 0.6 / n
        ys, xs, counts = [], [], []
        for d, m, k in zip(part["dimension"], part["mediane"], part["reponses"]):
            if m is None or m != m:
                continue
            ys.append(dims.index(d) + offset)
            xs.append(float(m))
            counts.append(int(k))
        respondents = reading.respondents.get(v, 0)
        ax.scatter(
            xs,
            ys,
            color=colour,
            marker=marker,
            s=60,
            zorder=3,
            label=f"{viewpoint_label(v)} ({plural(respondents, 'répondant')})",
            gid=f"pdv-{v}",
        )
        for x, y, k in zip(xs, ys, counts):
            ax.annotate(f"{k} rép.", (x, y), xytext=(6, -3), textcoords="offset points", fontsize=7, color=colour)
    ax.set_yticks(range(len(dims)), [labels[d] for d in dims], fontsize=8)
    ax.set_ylim(len(dims) - 0.5, -0.5)
    if levels:
        ax.set_xticks([lv.valeur for lv in levels], [f"{lv.valeur}. {lv.libelle}" for lv in levels], fontsize=8)
        ax.set_xlim(levels[0].valeur - 0.4, levels[-1].valeur + 0.6)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_xlabel("Niveau médian des réponses (chaque point de vue à part)")
    ax.set_title("Niveau médian par dimension, chaque point de vue à part", fontsize=10, loc="left")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def _level_colours(k: int) -> list[str]:
    """``k`` diverging colours, lowest level first."""
    low, high = list(_LOW), list(_HIGH)
    half = k // 2
    colours = low[-half:] if half else []
    if k % 2:
        colours.append("#f7f7f7")
    colours += high[:half]
    if len(colours) < k:  # more levels than the palette: repeat the extremes
        colours = [low[0]] * (k - len(colours)) + colours
    return colours[:k]


@drawn_once
def plot_criterion_bars(reading: CampaignReading, levels=None, ax=None):
    """Diverging stacked bars: one bar per criterion and viewpoint, « ne sait pas » apart on the right.

    Shares are of the answers that gave a level; low levels extend left of zero, high levels
    right (a middle level of an odd scale straddles zero). « Ne sait pas » is not part of the bar:
    its count is written apart, in grey, at the right margin.
    """
    dist = reading.distribution
    rows = list(dict.fromkeys(zip(dist["critere"], dist["point_de_vue"])))
    ax = new_axes(ax, (10, 0.32 * len(rows) + 1.8), layout="constrained")
    values = sorted(set(dist["niveau"]))
    colours = _level_colours(len(values))
    names = dict(zip(dist["niveau"], dist["niveau_libelle"]))
    nsp = {
        (c, v): int(k)
        for c, v, k in zip(
            reading.ne_sait_pas["critere"], reading.ne_sait_pas["point_de_vue"], reading.ne_sait_pas["ne_sait_pas"]
        )
    }
    crit_labels = dict(zip(dist["critere"], dist["critere_libelle"]))
    ticks = []
    for y, (c, v) in enumerate(rows):
        part = dist[(dist["critere"] == c) & (dist["point_de_vue"] == v)]
        counts = dict(zip(part["niveau"], part["effectif"]))
        total = sum(counts.values())
        shares = [100 * counts.get(x, 0) / total if total else 0 for x in values]
        half = len(values) / 2
        left = -sum(shares[: int(half)]) - (shares[int(half)] / 2 if len(values) % 2 else 0)
        for x, share, colour in zip(values, shares, colours):
            ax.barh(y, share, left=left, height=0.7, color=colour, edgecolor="white", linewidth=0.5, gid=f"{c}-{v}-{x}")
            left += share
        if not total:
            ax.text(0, y, "aucune réponse avec un niveau", ha="center", va="center", fontsize=6.5, color="#555555")
        ax.text(104, y, f"{nsp.get((c, v), 0)}", ha="left", va="center", fontsize=7, color="#555555")
        ticks.append(f"{_short(crit_labels[c])} · {viewpoint_label(v)} ({total})")
    for y in range(1, len(rows)):
        if rows[y][0] != rows[y - 1][0]:  # a thin line between criteria
            ax.axhline(y - 0.5, color="#cccccc", linewidth=0.6)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.text(104, -0.9, reading.ne_sait_pas_libelle, ha="left", va="bottom", fontsize=7, color="#555555")
    ax.set_yticks(range(len(rows)), ticks, fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -1.2)
    ax.set_xlim(-100, 118)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100 %", "50 %", "0", "50 %", "100 %"], fontsize=7)
    ax.set_xlabel("Part des réponses avec un niveau (entre parenthèses : leur nombre)", fontsize=8)
    from matplotlib.patches import Patch

    handles = [Patch(color=col, label=f"{x}. {names.get(x, x)}") for x, col in zip(values, colours)]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title("Niveaux par critère et point de vue", fontsize=10, loc="left")
    return ax


def _short(text: str, width: int = 38) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"
