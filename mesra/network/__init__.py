"""The network layer: cooperation and affiliation graphs, projections, measures, exports, plots.

:mod:`~mesra.network.graphs` builds networkx graphs from a corpus,
:mod:`~mesra.network.projection` projects affiliation graphs (sparse matrix
product), :mod:`~mesra.network.measures` computes the per-node measures,
:mod:`~mesra.network.export` writes Gephi files and :mod:`~mesra.network.plots`
draws. Importing this package imports none of them (matplotlib and igraph load
on first use).
"""
