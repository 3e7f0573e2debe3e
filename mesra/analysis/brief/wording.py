"""The French wording of the brief: Jinja2 templates, with mesra's French helpers as filters.

Each section of a brief has its facts (a frozen dataclass computed in Python) and its
wording, a template in ``templates/`` that a researcher can edit without touching
Python. A template writes plain text:

* blocks separated by a blank line are paragraphs (their lines are joined by a space);
* a line that starts with ``- `` is a bullet, ``* `` a note ("Pour lire cette section");
* the filters are mesra's French helpers: ``plural`` ("3 acteurs"), ``number``,
  ``share`` ("1 sur 8"), ``et`` ("a, b et c"), ``the``/``of``/``to`` (articles and
  elisions: "l'ARDES", "du MES"), ``date``, ``label`` (a vocabulary code's label).

>>> render_text("{{ 3 | plural('acteur') }} et {{ ['A', 'B', 'C'] | et }}")
'3 acteurs et A, B et C'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from mesra import french
from mesra.analysis.brief import titles
from mesra.corpus.contract import label

__all__ = [
    "environment",
    "render",
    "render_text",
    "Wording",
    "Acronym",
    "acronyms",
    "shorten",
    "shorten_section",
    "shorten_sections",
]


def _agree(n: int, singular: str, plural: str) -> str:
    """``singular`` for 0 and 1, ``plural`` above (French agreement of a verb or adjective)."""
    return singular if abs(int(n)) < 2 else plural


def lower_first(text: str) -> str:
    """« Promouvoir … » → « promouvoir … » (a phrase said inside a sentence)."""
    return text[:1].lower() + text[1:] if text else text


def with_aside(text: str, aside) -> str:
    """``text`` and ``aside`` in brackets after it, inside ``text``'s own last brackets when it ends with some, the
    aside's brackets made commas: never brackets after brackets, nor brackets in brackets.

    >>> with_aside("Évaluation du PESAD 21 (2019)", "résultats à diffuser en 2020")
    'Évaluation du PESAD 21 (2019 ; résultats à diffuser en 2020)'
    >>> with_aside("l'ARDES plaide", "attention aux pratiques (co-construction)"), with_aside("Alterguide", None)
    ("l'ARDES plaide (attention aux pratiques, co-construction)", 'Alterguide')
    """
    if not (isinstance(aside, str) and aside.strip()):
        return text
    aside = aside.strip().replace(" (", ", ").replace(")", "")
    return f"{text[:-1]} ; {aside})" if text.endswith(")") else f"{text} ({aside})"


@cache
def environment() -> Environment:
    """The templates of :mod:`mesra.analysis.brief` with the French filters."""
    env = Environment(
        loader=PackageLoader("mesra.analysis.brief", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # a Section escapes everything when it renders HTML
    )
    env.filters.update(
        plural=french.plural,
        the_count=french.the_count,
        number=french.number,
        share=french.share,
        et=french.join,
        ou=lambda items: french.join(items, "ou"),
        the=lambda pair: french.the(*pair) if isinstance(pair, tuple) else french.the(pair),
        of=lambda pair: french.of(*pair) if isinstance(pair, tuple) else french.of(pair),
        to=lambda pair: french.to(*pair) if isinstance(pair, tuple) else french.to(pair),
        date=french.date,
        label=label,
        agree=_agree,
        lower_first=lower_first,
        aside=with_aside,
        upper_first=lambda text: text[:1].upper() + text[1:] if text else text,
        quote=lambda text: f"« {text} »",
        lookup=lambda key, table: table.get(key, key),
        # a relation and its object, the verb agreed with n subjects: {{ code | relation(pair, 2) }}
        relation=lambda code, pair, n=1: french.relation(code, [pair], n=n, subject=True),
        relations=lambda codes, pair: french.relations(codes, pair),
        # a list of texts (a section's paragraphs and bullets, in order) with each actor named in full once,
        # then by its acronym: {{ texts | acronyms(forms) }} (forms: acronyms(corpus.acteurs))
        short_names=lambda texts, forms: shorten(list(texts), forms),
    )
    # the titles of the brief's parts, for a sentence that refers to one: {{ titles.FICHE.advocacy }}
    env.globals["titles"] = titles
    return env


def render_text(source: str, **context) -> str:
    """A template given as a string (for tests and doctests)."""
    return environment().from_string(source).render(**context).strip()


@dataclass
class Wording:
    """What a template wrote: paragraphs, bullets and notes."""

    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def render(template: str, **context) -> Wording:
    """Render ``templates/<template>.j2`` and split it into paragraphs, bullets and notes."""
    text = environment().get_template(f"{template}.j2").render(**context)
    return split(text)


def split(text: str) -> Wording:
    out = Wording()
    current: list[str] | None = None
    kind = ""
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        starts = line[:2]
        if not line or starts in ("- ", "* "):
            if current:
                joined = re.sub(r"\s+", " ", " ".join(current)).strip()
                {"p": out.paragraphs, "- ": out.bullets, "* ": out.notes}[kind].append(joined)
            current = None
            if line:
                kind, current = starts, [line[2:]]
            continue
        if current is None:
            kind, current = "p", [line]
        else:
            current.append(line)
    return out


# --- an actor named in full once per section, then by its acronym ----------------------------------------
@dataclass(frozen=True)
class Acronym:
    """How a section names an actor again: ``name`` (as the corpus writes it) → ``sigle``.

    ``elide``: the name is used without article (« Acteurs Pour l'Économie Solidaire Hauts-de-France ») but
    its acronym, starting with a vowel, takes the elided article (« l'APES », « de l'APES »); otherwise the
    article before the name serves the acronym as it is (« du Mouvement pour l'Économie Solidaire » → « du MES »).
    """

    name: str
    sigle: str
    elide: bool = False
    #: Other actors' names that contain this one (« Groupe de travail … du RIPESS Europe »): left whole.
    within: tuple[str, ...] = ()


_VOWELS = "aeiouyàâéèêëîïôûùh"


def acronyms(acteurs) -> tuple[Acronym, ...]:
    """The acronyms a section may use after a first mention in full (``acteurs.sigle``), those only whose
    article reads right: the name's own article before a consonant (« le MES », « la FPH », « les PTCE »), the
    elided one before a vowel (« l'UE », « l'APES »). An acronym that two actors share, or that is another
    actor's name, is not used; neither is one that would need an article the corpus does not give
    (« l'Expérimentation Territoires Zéro Chômeur… » → « TZCLD »: le ? la ?).
    """
    from collections import Counter

    rows = [
        (str(n), str(sg).strip(), a if isinstance(a, str) and a else None)
        for n, sg, a in zip(acteurs["nom"], acteurs["sigle"], acteurs["article"])
        if isinstance(sg, str) and sg.strip()
    ]
    shared = Counter(sg for _, sg, _ in rows)
    names = set(acteurs["nom"].astype(str))
    out = []
    for name, sigle, article in rows:
        if sigle == name or len(sigle) >= len(name) or shared[sigle] > 1 or sigle in names:
            continue
        vowel = sigle[:1].lower() in _VOWELS
        if name.casefold().startswith(
            sigle.casefold() + " "
        ):  # « CNAM Paris » → « CNAM », « Attac France » → « ATTAC »
            out.append(Acronym(name, sigle))
        elif re.search(rf"(?<!\w){re.escape(sigle)}(?!\w)", name):  # « Groupe MACIF »: le ? la ? « Thèse CIFRE »
            continue
        elif (article in ("le", "la") and not vowel) or article == "les" or (article == "l'" and vowel):
            out.append(Acronym(name, sigle))
        elif article is None and vowel and sigle.isupper():
            out.append(Acronym(name, sigle, elide=True))
    out = [replace(x, within=tuple(n for n in sorted(names) if x.name in n and n != x.name)) for x in out]
    return tuple(sorted(out, key=lambda x: -len(x.name)))  # a longer name first (one may contain another)


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"«[^»]*»", text)]


def shorten(texts: list[str], forms) -> list[str]:
    """``texts`` (a section's paragraphs, bullets and notes, in reading order) with every actor of ``forms``
    (:func:`acronyms`) named in full the first time, its acronym given there in brackets when the section uses
    it after; quoted passages (« … ») are left as the source words them.

    >>> apes = Acronym("Acteurs Pour l'ES HdF", "APES", elide=True)
    >>> mes = Acronym("Mouvement pour l'ES", "MES")
    >>> texts = ["Le Mouvement pour l'ES et Acteurs Pour l'ES HdF.",
    ...          "Membre du Mouvement pour l'ES, d'Acteurs Pour l'ES HdF. Acteurs Pour l'ES HdF porte "
    ...          "« Acteurs Pour l'ES HdF »."]
    >>> first, second = shorten(texts, [apes, mes])
    >>> first
    "Le Mouvement pour l'ES (MES) et Acteurs Pour l'ES HdF (APES)."
    >>> second
    "Membre du MES, de l'APES. L'APES porte « Acteurs Pour l'ES HdF »."
    >>> shorten(["Le Mouvement pour l'ES (MES) agit."], [mes])  # once, never twice
    ["Le Mouvement pour l'ES (MES) agit."]
    >>> shorten(["Le Mouvement pour l'ES (prévu) et le Mouvement pour l'ES."], [mes])  # never « (MES) (prévu) »
    ["Le Mouvement pour l'ES (prévu) et le MES."]
    >>> shorten(["Le Mouvement pour l'ES agit.", "Le Mouvement pour l'ES (MES, Paris) siège."], [mes])[1]
    'Le MES (Paris) siège.'
    """
    seen: set[str] = set()
    used: set[str] = set()
    out = []
    for text in texts:
        for form in forms:
            text = _shorten_one(text, form, seen, used)
        out.append(text)
    # the first mention in full: « (SIGLE) » after it when the section names the actor again by its acronym
    return [_MARKS.sub(lambda m: f" ({m.group(1)})" if m.group(1) in used else "", t) for t in out]


#: Where a name is first given in full (``\x00SIGLE\x00``, until :func:`shorten` knows whether it is used after).
_MARK = "\x00{}\x00"
_MARKS = re.compile("\x00([^\x00]+)\x00")


def _shorten_one(text: str, form: Acronym, seen: set[str], used: set[str]) -> str:
    pattern = re.compile(r"(?:\b(d|qu)['’])?" + re.escape(form.name) + r"(?![\w-])")
    quoted = _quoted(text) + [m.span() for n in form.within for m in re.finditer(re.escape(n), text)]
    pieces, last = [], 0
    for m in pattern.finditer(text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        if form.name not in seen:
            seen.add(form.name)
            if not text[m.end() :].startswith(" ("):  # never « (MES) (prévu) »: then the acronym is not given
                pieces.append(text[last : m.end()] + _MARK.format(form.sigle))
                last = m.end()
            continue
        pieces.append(text[last : m.start()])
        used.add(form.sigle)
        # the name said again with its acronym in brackets after it (a part of the fiche that gives it, once the fiche
        # has named it above): the brackets go, or keep only what they add (« le PESAD 21 (Côte-d'Or) »)
        rest = text[m.end() :]
        bracket = next((b for b in (f" ({form.sigle})", f" ({form.sigle}, ") if rest.startswith(b)), None)
        if not form.elide:  # the article before the name serves the acronym (« du MES », « l'UE »)
            pieces.append(text[m.start() : m.end() - len(form.name)] + form.sigle)
        else:
            before = text[: m.start()].rstrip()
            start = not before or before.endswith((".", "!", "?", "-")) and not m.group(1)
            if m.group(1):
                pieces.append({"d": "de", "qu": "que"}[m.group(1).lower()] + " l'" + form.sigle)
            else:
                pieces.append(("L'" if start else "l'") + form.sigle)
        last = m.end()
        if bracket:
            pieces.append(" (" if bracket.endswith(", ") else "")
            last += len(bracket)
    if not pieces:
        return text
    return "".join(pieces) + text[last:]


def shorten_section(section, forms) -> None:
    """:func:`shorten` on a :class:`~mesra.analysis.sections.Section`'s paragraphs, bullets and notes, in place."""
    texts = [*section.paragraphs, *section.bullets, *section.notes]
    done = shorten(texts, forms)
    n, b = len(section.paragraphs), len(section.bullets)
    section.paragraphs, section.bullets, section.notes = done[:n], done[n : n + b], done[n + b :]


def shorten_sections(sections, forms) -> None:
    """:func:`shorten_section` across several sections read as one text (the fiche's parts: a name given in full once
    on its two pages, then by its acronym; thirty-second reading: « Acteurs Pour l'Économie Solidaire
    Hauts-de-France » in full in each part of France's fiche pushed it onto a third page)."""
    texts = [t for s in sections for t in (*s.paragraphs, *s.bullets, *s.notes)]
    done = iter(shorten(texts, forms))
    for s in sections:
        s.paragraphs = [next(done) for _ in s.paragraphs]
        s.bullets = [next(done) for _ in s.bullets]
        s.notes = [next(done) for _ in s.notes]


#: A status line quotes at most this many characters of the action's title.
TITLE_WIDTH = 76
#: ... or this many more, to keep an inner quotation whole (« Évaluation de l'utilité sociale », L660).
QUOTE_REACH = 20


#: Words a cut title never ends with: it would leave its complement out.
_DANGLING = frozenset(
    [
        "à",
        "au",
        "aux",
        "avec",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "la",
        "le",
        "les",
        "l'",
        "d'",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
        "vers",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "notre",
        "nos",
    ]
)


def short_title(title: str, width: int = TITLE_WIDTH, *, open_quote: bool = False) -> str:
    """``title`` cut at a word before ``width`` characters, with « … »; an inner quotation the cut would leave open
    is left out, unless ``open_quote`` (the caller closes it)."""
    if len(title) <= width:
        return title
    cut = title[:width].rsplit(" ", 1)[0]
    while " " in cut and cut.rsplit(" ", 1)[1].lower() in _DANGLING:  # never « … de la… » (ninth reading, L392)
        cut = cut.rsplit(" ", 1)[0]
    closes = title.find("»", len(cut))
    if cut.count("«") > cut.count("»") and 0 <= closes < width + QUOTE_REACH:  # the quotation whole, when it ends soon
        # (ninth reading: « Lancement du groupe de travail… » said nothing of the group, L660)
        whole = title[: closes + 1]
        return whole if whole == title else whole + "…"
    if cut.count("«") > cut.count("»") and not open_quote:  # never an inner quotation opened and left open
        head = cut[: cut.rindex("«")].rstrip(" ,;:(")
        if len(head) >= width // 3:  # else (a title that starts with its quotation) it is closed again
            return head + "…"
        return cut.rstrip(" ,;:(") + "… »"
    return cut.rstrip(" ,;:(") + "…"
