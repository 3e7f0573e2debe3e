"""The network of a territory in one of its three readings, with its measures (``mesra network``).

:func:`territory_network` builds what ``mesra network`` prints and exports: the
cooperation graph (:func:`~mesra.network.graphs.cooperation_graph`), the
affiliation graph of members × collectives
(:func:`~mesra.network.graphs.affiliation_graph`), or its one-mode projection
(:func:`~mesra.network.projection.project`, ``count`` or ``newman``), with the
table of :func:`~mesra.network.measures.metrics`. The projection is computed as a
sparse matrix and measured without building the networkx graph, so that a
membership corpus of thousands of bodies stays quick; exporting it gives the same
graph as ``mesra.project(mesra.affiliation_graph(corpus, territoire), weighting)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra.errors import ParameterError
from mesra.network.graphs import affiliation_graph, cooperation_graph
from mesra.network.measures import metrics
from mesra.network.projection import SparseProjection, project

__all__ = ["TerritoryNetwork", "territory_network", "READINGS"]

#: The readings of a territory's ties, with their French names.
READINGS = {
    "cooperation": "coopération (liens directs et contextes partagés)",
    "affiliation": "affiliation (membres × collectifs)",
    "projection": "projection de l'affiliation (qui rencontre qui)",
}


@dataclass
class TerritoryNetwork:
    """A territory's network: the graph (networkx, or a sparse projection), its measures and figures."""

    reading: str
    graph: object
    metrics: pd.DataFrame
    weighting: str | None = None

    @property
    def title(self) -> str:
        return str(self.graph.graph.get("titre", ""))

    @property
    def unlocated(self) -> int:
        """Actors without a territory kept at the national level (``sans_territoire``)."""
        return int(self.graph.graph.get("sans_territoire") or 0)

    def sides(self) -> tuple[int, int]:
        """Members and collectives of an affiliation graph (members only for a projection)."""
        if isinstance(self.graph, SparseProjection):
            return self.graph.number_of_nodes(), 0
        modes = [d.get("bipartite") for _, d in self.graph.nodes(data=True)]
        return modes.count(0), modes.count(1)


def territory_network(
    corpus,
    territoire: str | None,
    *,
    affiliation: bool = False,
    projection: str | None = None,
    personnes: bool = False,
    sans_territoire: bool = True,
) -> TerritoryNetwork:
    """The network of ``territoire`` in one reading, and its metrics.

    Parameters
    ----------
    corpus : Corpus
    territoire : str or None
        Territory identifier (``None``: the whole corpus).
    affiliation : bool
        The affiliation graph (members × collectives) instead of the cooperation graph.
    projection : {"count", "newman"}, optional
        The one-mode projection of the affiliation graph (implies ``affiliation``).
    personnes : bool
        Include people.
    sans_territoire : bool
        Actors without a territory belong to the national level (``fr``), default True.

    Raises
    ------
    ParameterError
        Unknown territory or weighting.
    """
    options = {"personnes": personnes, "sans_territoire": sans_territoire}
    if projection is not None:
        if projection not in ("count", "newman"):
            raise ParameterError(
                f"Projection « {projection} » inconnue : choisissez « count » (nombre de collectifs "
                "partagés) ou « newman » (chaque collectif de taille k compte 1/(k−1))."
            )
        b = affiliation_graph(corpus, territoire, **options)
        p = project(b, projection, sparse=True)
        return TerritoryNetwork("projection", p, metrics(p), projection)
    if affiliation:
        b = affiliation_graph(corpus, territoire, **options)
        return TerritoryNetwork("affiliation", b, metrics(b))
    g = cooperation_graph(corpus, territoire, **options)
    return TerritoryNetwork("cooperation", g, metrics(g))
