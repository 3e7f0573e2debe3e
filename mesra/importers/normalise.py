"""Text decoded and normalised once, on the way in, by every importer.

What an export holds is not always the text it means: HTML entities (``L&#039;Atelier``,
``&nbsp;``), JSON escapes left as text by a tool that encoded twice (``Sineo Ch\\u00e2lons sur
Sa\\u00f4ne``), decomposed accents (``e`` + U+0301) and non-breaking spaces.
:func:`normalise_text` turns all of them into the text itself, once, so that what is displayed
is what was meant; typographic apostrophes and dashes (``Villeneuve-d’Ascq``, ``L’Atelier``)
are *kept* for display and folded only for identifiers and matching (:func:`mesra.text.slugify`
folds them, so ``villeneuve-d-ascq`` is the identifier of both spellings).

>>> normalise_text("Sineo Ch\\\\u00e2lons sur Sa\\\\u00f4ne")
'Sineo Châlons sur Saône'
>>> normalise_text("L&#039;Atelier&nbsp;Solidaire")
"L'Atelier Solidaire"
>>> normalise_text("Villeneuve-d’Ascq")
'Villeneuve-d’Ascq'
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["normalise_text", "decode_escapes"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
# \uXXXX (possibly a surrogate pair), as JSON writes a non-ASCII character, left as text
_ESCAPE = re.compile(
    r"\\+u(?P<hi>[dD][89abAB][0-9a-fA-F]{2})\\+u(?P<lo>[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\+u(?P<c>[0-9a-fA-F]{4})"
)


def _unescape(m: re.Match) -> str:
    if m.group("c"):
        code = int(m.group("c"), 16)
        if 0xD800 <= code <= 0xDFFF or code < 0x20:  # a lone surrogate or a control: not text
            return m.group(0)
        return chr(code)
    hi, lo = int(m.group("hi"), 16), int(m.group("lo"), 16)
    return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))


def decode_escapes(text: str) -> str:
    """``\\u00e2`` sequences left as text decoded to their characters (``â``).

    Only ``\\u`` followed by four hexadecimal digits is decoded (a path such as
    ``C:\\users`` is left alone: ``\\us`` is not an escape).
    """
    return _ESCAPE.sub(_unescape, text) if "\\" in text and "u" in text else text


def normalise_text(value: object, *, entities: bool = True) -> str:
    """One line of text as it was meant: entities and literal escapes decoded, Unicode NFC,
    non-breaking spaces and control characters turned into spaces, runs collapsed.

    ``entities=False`` leaves HTML entities alone (a caller that already decoded them).
    """
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return ""
    text = str(value)
    if entities and "&" in text:
        text = html.unescape(text)
    text = decode_escapes(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
