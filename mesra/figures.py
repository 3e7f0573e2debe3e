"""What mesra's figure functions share: a new figure when no axes are given, and one drawing per image.

Every ``plot_*`` function draws on ``ax`` (a new figure when omitted) and returns it.
In a notebook, pyplot is interactive (``%matplotlib inline``): after each cell it draws
every figure changed during the cell, then the inline backend draws the figure again,
twice, to make its PNG (once to measure it, ``bbox_inches="tight"``, once to paint it).
The first drawing is thrown away: nothing shows it. :func:`drawn_once` marks a figure
the function created and finished as up to date, so that it is drawn only for its
image, which is the same. Any later change (a title set by the reader in the same cell)
marks it changed again and pyplot draws it as before. This imports no matplotlib.

>>> @drawn_once
... def plot_nothing(*, ax=None):
...     return new_axes(ax, (2, 1))
>>> plot_nothing().figure.stale
False
"""

from __future__ import annotations

import functools
import inspect

__all__ = ["new_axes", "drawn_once"]


def new_axes(ax=None, figsize=(7, 3.5), **kwargs):
    """``ax`` itself, or the axes of a new pyplot figure of ``figsize`` inches (``kwargs``: ``layout``…)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, **kwargs)
    return ax


def drawn_once(plot):
    """Decorator of a function that draws on ``ax`` (a new figure when ``None``) and returns the axes.

    When the function made the figure, the figure is marked up to date on return: pyplot's
    drawing after the cell skips it and only the image is drawn. Axes passed by the caller
    are left as they are (their figure may hold what the caller drew and has not shown).
    """
    signature = inspect.signature(plot)

    @functools.wraps(plot)
    def wrapper(*args, **kwargs):
        given = signature.bind_partial(*args, **kwargs).arguments.get("ax")
        result = plot(*args, **kwargs)
        figure = getattr(result, "figure", None)
        if given is None and figure is not None:
            figure.stale = False
        return result

    return wrapper
