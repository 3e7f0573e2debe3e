"""Cross-analysis of monographs along the seminar's common frame (notebook ``02-monographies``).

The frame ("cadre commun pour la rédaction", Axe 1 workshop) asks of each
initiative: unmet needs and the project's origin (public commission or citizen
mobilisation); where social innovation comes from; how cooperation was built
(participation, regulation of frictions, tools). The "note de cadrage" adds six
research axes. Every function takes an optional territory and rolls it up; the monographs of a
territory and the axes each documents come from :mod:`mesra.analysis.counts`, as in the briefs.
"""

from __future__ import annotations

import pandas as pd

from mesra import french
from mesra.analysis import frame
from mesra.analysis.counts import ANALYSIS_AXES, documented_axes, monographs_of
from mesra.corpus import contract
from mesra.corpus.contract import label

__all__ = [
    "origins",
    "innovation_sources",
    "cooperation_tools",
    "participation",
    "unmet_needs",
    "axes_coverage",
    "axes_summary",
    "resources",
    "monograph_summaries",
]


def _monos(corpus, territoire=None) -> pd.DataFrame:
    return monographs_of(corpus, territoire)


def _vocab_counts(values, vocab, total: int) -> pd.DataFrame:
    counts = pd.Series(values, dtype=object).value_counts()
    rows = [(v, label(v), int(counts.get(v, 0))) for v in vocab]
    df = pd.DataFrame(rows, columns=["code", "Libellé", "Monographies"])
    # "1 sur 8", never "12,0 %" for a handful of monographs (mesra.french.share)
    df["Part"] = [french.share(n, total) if total else "—" for n in df["Monographies"]]
    return df


def origins(corpus, territoire=None) -> pd.DataFrame:
    """Monographs by origin: public commission, citizen mobilisation, mixed, unknown."""
    monos = _monos(corpus, territoire)
    return _vocab_counts(list(monos["origine"]), contract.ORIGINES, len(monos))


def _list_counts(monos: pd.DataFrame, column: str, vocab) -> pd.DataFrame:
    """Counts of a list-valued column, plus the monographs that document nothing."""
    df = _vocab_counts([v for vs in monos[column] for v in vs], vocab, len(monos))
    none = int(sum(1 for vs in monos[column] if not vs))
    share = french.share(none, len(monos)) if len(monos) else "—"
    return pd.concat([df, pd.DataFrame([(None, "Non documenté", none, share)], columns=df.columns)], ignore_index=True)


def innovation_sources(corpus, territoire=None) -> pd.DataFrame:
    """Where the social innovation comes from (a monograph may name several sources)."""
    return _list_counts(_monos(corpus, territoire), "innovation_sources", contract.INNOVATION_SOURCES)


def cooperation_tools(corpus, territoire=None) -> pd.DataFrame:
    """Tools used for territorial cooperation (monetary, legal, digital…)."""
    return _list_counts(_monos(corpus, territoire), "outils", contract.OUTILS_COOPERATION)


def participation(corpus, territoire=None) -> pd.DataFrame:
    """Participation processes and regulation of frictions, as the monographs state them."""
    monos = _monos(corpus, territoire)
    return pd.DataFrame(
        {
            "Monographie": monos["titre"],
            "Processus de participation": monos["processus_participation"],
            "Régulation des frictions": monos["regulation_frictions"],
            "Marge de manœuvre": monos["marge_de_manoeuvre"],
        }
    ).reset_index(drop=True)


def unmet_needs(corpus, territoire=None) -> pd.DataFrame:
    """One row per unmet need named in a monograph."""
    monos = _monos(corpus, territoire)
    rows = [(m.titre, need) for m in monos.itertuples() for need in m.besoins_non_couverts]
    return pd.DataFrame(rows, columns=["Monographie", "Besoin non couvert"])


def axes_coverage(corpus, territoire=None) -> pd.DataFrame:
    """Boolean matrix: monograph (rows, by title) × the five axes of analysis of the note de cadrage (the
    sixth, the programme of action, is the research-action's own, L441:
    :data:`~mesra.analysis.counts.ANALYSIS_AXES`)."""
    monos = _monos(corpus, territoire)
    axes = documented_axes(monos)
    data = {
        label(a): [i in axes[m] for m in monos["id"]]
        for i, a in enumerate(contract.AXES_RECHERCHE, start=1)
        if i in ANALYSIS_AXES
    }
    return pd.DataFrame(data, index=list(monos["titre"]))


def axes_summary(corpus, territoire=None) -> pd.DataFrame:
    """Per axis of analysis (1–5): how many monographs document it, which do not — the open questions."""
    monos = _monos(corpus, territoire)
    axes = documented_axes(monos)
    rows = []
    for i, axis in enumerate(contract.AXES_RECHERCHE, start=1):
        if i not in ANALYSIS_AXES:
            continue
        documented = [t for t, m in zip(monos["titre"], monos["id"]) if i in axes[m]]
        missing = [t for t, m in zip(monos["titre"], monos["id"]) if i not in axes[m]]
        rows.append((i, label(axis), len(documented), len(missing), "; ".join(missing) or "—"))
    return pd.DataFrame(rows, columns=["Axe", "Intitulé", "Documenté", "Non documenté", "Monographies sans élément"])


def resources(corpus, territoire=None) -> pd.DataFrame:
    """Resource hybridisation (market, redistribution, reciprocity) where it is known."""
    monos = _monos(corpus, territoire)
    cols = [f"ressources_{r}" for r in contract.RESSOURCES]
    known = monos[monos[cols].notna().any(axis=1)]
    df = known[["titre", *cols]].rename(
        columns={"titre": "Monographie", **{f"ressources_{r}": label(r) for r in contract.RESSOURCES}}
    )
    return df.reset_index(drop=True)


def monograph_summaries(corpus, territoire=None) -> pd.DataFrame:
    """One row per monograph, summarised along the common frame (for briefs)."""
    monos = _monos(corpus, territoire)
    rows = []
    for m in monos.itertuples():
        rows.append(
            {
                "Monographie": m.titre,
                "Territoire": corpus.territory_name(m.territoire),
                "Porteur": m.porteur,
                "Origine": frame.UNQUALIFIED_ORIGIN.capitalize() if frame.origin_said(m) else label(m.origine),
                "Besoins non couverts": "; ".join(m.besoins_non_couverts) or None,
                "Innovation sociale": "; ".join(label(s) for s in m.innovation_sources) or None,
                "Outils de coopération": "; ".join(label(s) for s in m.outils) or None,
                "Chiffres": "; ".join(f"{k} : {v}" for k, v in sorted(m.chiffres.items())) or None,
                "Sources": ", ".join(m.sources),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Monographie",
            "Territoire",
            "Porteur",
            "Origine",
            "Besoins non couverts",
            "Innovation sociale",
            "Outils de coopération",
            "Chiffres",
            "Sources",
        ],
    )
