"""The analysis layer: corpus overview, cross-analysis of the monographs, charts, the brief.

:mod:`~mesra.analysis.overview` (notebook 01), :mod:`~mesra.analysis.crossanalysis`
(notebook 02), :mod:`~mesra.analysis.charts`, :mod:`~mesra.analysis.sections` (the
building blocks of a brief) and :mod:`~mesra.analysis.brief` (notebook 04).
"""
