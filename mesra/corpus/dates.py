"""The dates of the action plans: a year, a month or a day, as the sources give them.

``2022`` covers the whole year, ``2020-06`` the whole month, ``2020-01-13`` one day:
a plan says "juin 2020" or "fin 2022", never a day it does not know. A date is read
as the period it covers (:func:`period`), so that a bar on a timeline or a deadline
starts on its first day and ends on its last.

>>> period("2022")
(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
>>> period("2020-02")
(datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
>>> date_problem("2020-13")
'date « 2020-13 » inexistante (mois 13) : AAAA, AAAA-MM ou AAAA-MM-JJ attendu (ex. 2020-06)'
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from mesra.corpus import contract
from mesra.errors import ParameterError

__all__ = ["period", "date_problem", "as_date", "FORMAT_HINT"]

_DATE = re.compile(contract.DATE_PATTERN)
FORMAT_HINT = "AAAA, AAAA-MM ou AAAA-MM-JJ attendu (ex. 2020-06)"


def _parts(value: str) -> tuple[int, int | None, int | None] | None:
    m = _DATE.match(str(value).strip())
    if not m:
        return None
    year, month, day = m.group("year"), m.group("month"), m.group("day")
    return int(year), (int(month) if month else None), (int(day) if day else None)


def date_problem(value: str, minimum: int | None = None, maximum: int | None = None) -> str | None:
    """What is wrong with a plan date (French), or None when it is a real ``AAAA[-MM[-JJ]]`` date."""
    parts = _parts(value)
    if parts is None:
        return f"date « {value} » mal formée : {FORMAT_HINT}"
    year, month, day = parts
    if month is not None and not 1 <= month <= 12:
        return f"date « {value} » inexistante (mois {month}) : {FORMAT_HINT}"
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"date « {value} » inexistante (le mois n'a que {calendar.monthrange(year, month)[1]} jours)"
    if (minimum is not None and year < minimum) or (maximum is not None and year > maximum):
        return f"année {year} hors de l'intervalle attendu ({minimum} à {maximum})"
    return None


def period(value: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by a plan date (``ValueError`` when it is not one)."""
    parts = _parts(value)
    if parts is None or date_problem(value) is not None:
        raise ValueError(f"date « {value} » invalide : {FORMAT_HINT}")
    year, month, day = parts
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day), dt.date(year, month, day)


def as_date(value: object = None) -> dt.date:
    """A reference date: ``None`` or ``""`` is today; a ``date``/``datetime``, or ``AAAA-MM-JJ`` text.

    >>> as_date("2020-06-15")
    datetime.date(2020, 6, 15)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    parts = _parts(text)
    if parts is None or parts[2] is None or date_problem(text) is not None:
        raise ParameterError(f"date de référence « {value} » invalide : AAAA-MM-JJ attendu (ex. 2020-06-15), ou vide")
    return dt.date(*parts)
