"""mesra — research-action notebooks for the French solidarity economy.

The notebook API, in one namespace. Names are imported on first use, so that
``import mesra`` (and ``mesra check``) pays neither for matplotlib nor for igraph.

>>> import mesra
>>> corpus = mesra.load_corpus()
>>> bool(len(corpus.acteurs))
True

``mesra.load_corpus`` also finds a relative corpus path from the project root when it
is not in the current folder: a batch passes ``data`` relative to the project root (the
same on every machine) to notebooks that run in another folder.
"""

from __future__ import annotations

import functools
import importlib
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("mesra")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0+inconnue"

#: Public name → module that defines it (imported on first access).
_API = {
    # corpus
    "Corpus": "mesra.corpus.load",
    "check_corpus": "mesra.corpus.load",
    "load_corpus": "mesra.corpus.load",
    "pseudonymise": "mesra.corpus.privacy",
    "CorpusError": "mesra.errors",
    "MesraError": "mesra.errors",
    "MesraWarning": "mesra.errors",
    "ParameterError": "mesra.errors",
    "Problem": "mesra.errors",
    # overview (notebook 01)
    "actors_by_territory": "mesra.analysis.overview",
    "corpus_summary": "mesra.analysis.overview",
    "counts_by": "mesra.analysis.overview",
    "data_quality": "mesra.analysis.overview",
    "describe_corpus": "mesra.analysis.overview",
    "describe_graph": "mesra.analysis.overview",
    "isolated_actors": "mesra.analysis.overview",
    # monographs (notebook 02)
    "axes_coverage": "mesra.analysis.crossanalysis",
    "axes_summary": "mesra.analysis.crossanalysis",
    "cooperation_tools": "mesra.analysis.crossanalysis",
    "innovation_sources": "mesra.analysis.crossanalysis",
    "monograph_summaries": "mesra.analysis.crossanalysis",
    "origins": "mesra.analysis.crossanalysis",
    "participation": "mesra.analysis.crossanalysis",
    "resources": "mesra.analysis.crossanalysis",
    "unmet_needs": "mesra.analysis.crossanalysis",
    # charts
    "plot_counts": "mesra.analysis.charts",
    "readable": "mesra.analysis.readable",
    "plot_coverage": "mesra.analysis.charts",
    # briefs (notebook 04)
    "Brief": "mesra.analysis.brief",
    "check_parameters": "mesra.analysis.brief",
    # action plans (notebook 05, and the brief's plan section)
    "actions_for": "mesra.analysis.plan",
    "due_within": "mesra.analysis.plan",
    "past_due": "mesra.analysis.plan",
    "without_carrier": "mesra.analysis.plan",
    "partners_to_mobilise": "mesra.analysis.plan",
    "actions_by_status": "mesra.analysis.plan",
    "actions_by_carrier": "mesra.analysis.plan",
    "plan_table": "mesra.analysis.plan",
    "plot_timeline": "mesra.analysis.plan",
    "plan_section": "mesra.analysis.plan",
    "plan_next_steps": "mesra.analysis.plan",
    "plan_snapshot": "mesra.analysis.plan",
    "changes_since": "mesra.analysis.plan",
    "reference_date": "mesra.analysis.plan",
    "reference_sentence": "mesra.analysis.plan",
    "follow_up_section": "mesra.analysis.plan",
    "territory_plan": "mesra.analysis.plan",
    "chantiers": "mesra.analysis.plan",
    # networks (notebook 03)
    "cooperation_graph": "mesra.network.graphs",
    "affiliation_graph": "mesra.network.graphs",
    "planned_cooperations": "mesra.network.graphs",
    "leads": "mesra.network.graphs",
    "project": "mesra.network.projection",
    "SparseProjection": "mesra.network.projection",
    "export_graph": "mesra.network.export",
    "export_graphs": "mesra.network.export",
    "output_folder": "mesra.files",
    "metrics": "mesra.network.measures",
    "metrics_from_affiliation": "mesra.network.measures",
    "graph_summary": "mesra.network.measures",
    "brokers": "mesra.network.measures",
    "with_measures": "mesra.network.measures",
    "top_brokers": "mesra.network.measures",
    "plot_network": "mesra.network.plots",
    "plot_map": "mesra.analysis.maps",
    "departement_counts": "mesra.analysis.maps",
    "plot_echelons": "mesra.network.plots",
    "save_figure": "mesra.network.plots",
    # the resource centre (issue 25)
    "ressources": "mesra.analysis.resources.notebook",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    """Import a public name on first access (PEP 562)."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'mesra' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    if name == "load_corpus":
        value = _found_in_project(value)
    globals()[name] = value  # later accesses skip this function
    return value


def _found_in_project(load):
    """``load`` with a relative path also looked up from the project root (see the module's doc)."""

    @functools.wraps(load)
    def load_corpus(path=None, *args, **kwargs):
        from mesra.files import find_in_project

        return load(find_in_project(path) if path else path, *args, **kwargs)

    return load_corpus


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
