"""Simple charts for the overview notebooks and briefs (French labels, no plt.show)."""

from __future__ import annotations

import pandas as pd

from mesra.figures import drawn_once, new_axes

__all__ = ["plot_counts", "plot_coverage"]

_COLOR = "#2a7f62"


def _axes(ax, size=(7, 3.5)):
    return new_axes(ax, size, layout="constrained")


@drawn_once
def plot_counts(
    counts: pd.DataFrame,
    *,
    ax=None,
    title: str = "",
    label_col: str = "Libellé",
    value_col: str = "Nombre",
    seed: int = 0,
):
    """Horizontal bar chart of a counts table (as returned by :func:`mesra.counts_by`)."""
    if len(counts) == 0 or not counts[value_col].astype(float).any():
        ax = _axes(ax, (7, 1.6))
        ax.text(0.5, 0.5, "Aucune donnée", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return ax
    ax = _axes(ax, (7, max(2.0, 0.35 * len(counts) + 1)))
    labels = [str(v) for v in counts[label_col]][::-1]
    values = list(counts[value_col])[::-1]
    bars = ax.barh(labels, values, color=_COLOR)
    ax.bar_label(bars, padding=2, fontsize=8)
    if all(float(v).is_integer() for v in values):  # counts: whole ticks only (no 0.5 actor)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(value_col)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@drawn_once
def plot_coverage(matrix: pd.DataFrame, *, ax=None, title: str = "", seed: int = 0):
    """Heat map of a boolean coverage matrix (rows × columns documented or not)."""
    ax = _axes(ax, (1.2 + 1.1 * max(len(matrix.columns), 1), 1 + 0.4 * max(len(matrix), 1)))
    if matrix.empty:
        ax.text(0.5, 0.5, "Aucune donnée", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(title)
        return ax
    data = matrix.astype(float).to_numpy()
    ax.imshow(data, cmap="Greens", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(matrix.index)), [str(i) for i in matrix.index], fontsize=8)
    for (i, j), v in pd.DataFrame(data).stack().items():
        ax.text(j, i, "oui" if v else "—", ha="center", va="center", fontsize=7, color="white" if v else "#555555")
    ax.set_title(title)
    return ax
