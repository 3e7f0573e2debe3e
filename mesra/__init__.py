"""mesra — research-action notebooks for the French solidarity economy.

>>> import mesra
>>> corpus = mesra.load_corpus()
"""

from __future__ import annotations

__version__ = "0.1.0"

from .corpus import Corpus, check_corpus, load_corpus  # noqa: E402
from .errors import CorpusError, MesraError, ParameterError, Problem  # noqa: E402
from .overview import (  # noqa: E402
    actors_by_territory, corpus_summary, counts_by, data_quality, describe_corpus, describe_graph,
    isolated_actors,
)
from .crossanalysis import (  # noqa: E402
    axes_coverage, axes_summary, cooperation_tools, innovation_sources, monograph_summaries, origins,
    participation, resources, unmet_needs,
)
from .charts import plot_counts, plot_coverage  # noqa: E402
from .briefs import Brief, check_parameters  # noqa: E402
from .privacy import pseudonymise  # noqa: E402
from .networks import (  # noqa: E402
    SparseProjection, affiliation_graph, cooperation_graph, export_graph, project,
)
from .metrics import brokers, graph_summary, metrics, metrics_from_affiliation, top_brokers  # noqa: E402
from .plotting import plot_echelons, plot_network, save_figure  # noqa: E402

__all__ = [
    "__version__", "Corpus", "CorpusError", "MesraError", "ParameterError", "Problem",
    "check_corpus", "load_corpus", "pseudonymise",
    # overview (notebook 01)
    "actors_by_territory", "corpus_summary", "counts_by", "data_quality", "describe_corpus", "describe_graph",
    "isolated_actors",
    # monographs (notebook 02)
    "axes_coverage", "axes_summary", "cooperation_tools", "innovation_sources", "monograph_summaries",
    "origins", "participation", "resources", "unmet_needs",
    # charts
    "plot_counts", "plot_coverage",
    # briefs (notebook 04)
    "Brief", "check_parameters",
    # networks (notebook 03)
    "cooperation_graph", "affiliation_graph", "project", "SparseProjection", "export_graph", "metrics",
    "metrics_from_affiliation", "graph_summary", "brokers", "top_brokers", "plot_network", "plot_echelons",
    "save_figure",
]
