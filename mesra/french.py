"""French typography for everything a reader sees: plurals, numbers, lists, dates, punctuation.

One module, so that every page says "1 acteur" and "2 acteurs", writes "0,59"
and "12 500" (thin no-break space from five digits on, so that years stay "2019"),
joins lists with "et", and puts the no-break spaces French typography wants before
``:``, ``;``, ``?`` and ``!``.

>>> plural(1, "acteur"), plural(2, "acteur"), plural(3, "lien", "liens")
('1 acteur', '2 acteurs', '3 liens')
>>> number(0.5931, 2), number(12500), number(2019)
('0,59', '12\u202f500', '2019')
>>> join(["APES", "ARDES", "MES Occitanie"])
'APES, ARDES et MES Occitanie'
>>> date("2020-01-13"), date("2020-06"), date("2022")
('13 janvier 2020', 'juin 2020', '2022')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

__all__ = [
    "of",
    "to",
    "the",
    "verb",
    "relation",
    "sentence",
    "plural",
    "number",
    "planned",
    "share",
    "lines_in_words",
    "locator_in_words",
    "pages_in_words",
    "measure",
    "percent",
    "join",
    "date",
    "punctuate",
    "yes_no",
    "UNKNOWN",
    "NNBSP",
    "NBSP",
    "RELATION_WORDS",
    "PAST_WORDS",
    "DATED_WORDS",
    "relations",
]

#: Narrow no-break space (thousands, before ; ! ? and %), and no-break space (before :).
NNBSP = "\u202f"
NBSP = "\u00a0"
#: What a reader page says for a missing value.
UNKNOWN = "non renseigné"

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

_IRREGULAR = {"échelon": "échelons", "réseau": "réseaux", "local": "locaux", "régional": "régionaux",
              "national": "nationaux", "international": "internationaux", "travail": "travaux"}  # fmt: skip


def _plural_word(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("au", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``n`` and the noun agreed with it (French: 0 and 1 take the singular).

    ``singular`` may be several words ("lien direct"): each is put in the plural
    unless ``plural_form`` is given.
    """
    n = int(n)
    if abs(n) < 2:
        noun = singular
    else:
        noun = plural_form or " ".join(_plural_word(w) for w in singular.split(" "))
    return f"{number(n)} {noun}"


def the_count(n: int, singular: str, plural_form: str | None = None, article: str = "l'") -> str:
    """``n`` things with the definite article: « les 3 actions », and for one « l'action » (not
    « l'1 action »); ``article`` is the singular's (``le``, ``la``, ``l'``).

    >>> the_count(3, "action"), the_count(1, "action"), the_count(1, "piste", article="la")
    ('les 3 actions', "l'action", 'la piste')
    """
    if abs(int(n)) == 1:
        return the(singular, article)
    return f"les {plural(n, singular, plural_form)}"


def agree(n: int, singular: str, plural_form: str | None = None) -> str:
    """The word (adjective, participle) agreed with ``n``, without the number: 0 and 1 take the singular.

    >>> agree(1, "ignoré"), agree(3, "ignoré"), agree(2, "rattachée")
    ('ignoré', 'ignorés', 'rattachées')
    """
    if abs(int(n)) < 2:
        return singular
    return plural_form or " ".join(_plural_word(w) for w in singular.split(" "))


def number(x: float | int | None, decimals: int | None = None) -> str:
    """A number as French readers write it: decimal comma, thin no-break space for thousands.

    ``decimals=None`` writes integers as integers and other numbers with up to two
    decimals (trailing zeros dropped). A missing value is :data:`UNKNOWN`.
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return UNKNOWN
    if decimals is None:
        if float(x).is_integer():
            decimals = 0
        else:
            text = f"{float(x):.2f}".rstrip("0").rstrip(".")
            return _group(text)
    return _group(f"{float(x):.{decimals}f}")


def _group(text: str) -> str:
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = NNBSP.join(groups) if len(groups[0]) + sum(map(len, groups[1:])) > 4 else "".join(groups)
    return sign + out + ("," + frac if frac else "")


def percent(share: float | None, decimals: int = 0) -> str:
    """A share (0–1) as a French percentage: ``42 %`` with a thin no-break space."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return UNKNOWN
    return f"{number(100 * share, decimals)}{NNBSP}%"


#: Below this many items, a share is given as a count ("1 sur 8"), never as a percentage.
SMALL_TOTAL = 20


def share(k: int, n: int) -> str:
    """``k`` of ``n`` as readers should read it: ``1 sur 8`` below :data:`SMALL_TOTAL` items, else a
    whole percentage (``12 %``).

    >>> share(1, 8), share(5, 40)
    ('1 sur 8', '12\u202f%')
    """
    k, n = int(k), int(n)
    if n < SMALL_TOTAL:
        return f"{number(k)} sur {number(n)}"
    return percent(k / n)


def measure(x: float | int | None) -> str:
    """A measure (a centrality, a mean, a density) with the one rule of decimals of mesra's pages:
    two decimals below 1, one decimal from 1 on, trailing zeros dropped.

    >>> measure(12.78), measure(0.5931), measure(8.0)
    ('12,8', '0,59', '8')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return UNKNOWN
    decimals = 2 if abs(float(x)) < 1 else 1
    text = f"{round(float(x), decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return _group(text if text not in ("-0", "") else "0")


def join(items: Iterable[object], last: str = "et") -> str:
    """``a, b et c`` (or ``a, b ou c``); ``a ; b et c`` when a name holds a comma.

    >>> join(["la CRESS", "la CA de Béthune-Bruay, Artois-Lys Romane", "le MES"])
    'la CRESS ; la CA de Béthune-Bruay, Artois-Lys Romane et le MES'
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    sep = " ; " if any("," in i for i in items[:-1]) else ", "  # never read as two names (fifteenth reading)
    return sep.join(items[:-1]) + f" {last} " + items[-1]


def lines_in_words(wheres) -> str:
    """Line locators as readers read them: ``["L663-664", "L12,L20"]`` → ``lignes 663-664, 12 et 20``.

    >>> lines_in_words(["L459"]), lines_in_words(["L663-664", "L12,L20"])
    ('ligne 459', 'lignes 663-664, 12 et 20')
    >>> lines_in_words(["L257", "L257,L858"])  # a line two locators share is said once
    'lignes 257 et 858'
    """
    parts = list(dict.fromkeys(p.strip().removeprefix("L") for w in wheres for p in str(w).split(",") if p.strip()))
    if not parts:
        return ""
    word = "ligne" if len(parts) == 1 and "-" not in parts[0] else "lignes"
    return f"{word} {join(parts)}"


def pages_in_words(spans) -> str:
    """Printed pages as a bibliography gives them: ``p. 11``, ``p. 34-35``, ``p. 11 et 28``
    (:class:`mesra.corpus.pages.PageSpan`: ``first``, ``last``); empty without any.

    >>> from mesra.corpus.pages import PageSpan
    >>> pages_in_words([PageSpan(11, 11), PageSpan(28, 28), PageSpan(11, 11)]), pages_in_words([PageSpan(34, 35)])
    ('p. 11 et 28', 'p. 34-35')
    """
    parts = list(dict.fromkeys(str(s.first) if s.first == s.last else f"{s.first}-{s.last}" for s in spans))
    return f"p. {join(parts)}" if parts else ""


def locator_in_words(text: str) -> str:
    """A cell of locators (``doc#L12-20, doc#L25``) as ``doc, lignes 12-20 et 25``; other text unchanged."""
    locs = [t.strip() for t in str(text).split(", ") if t.strip()]
    if not locs or not all(re.match(r"^[\w.-]+#L\d", loc) for loc in locs):
        return text
    by_source: dict[str, list[str]] = {}
    for loc in locs:
        sid, _, where = loc.partition("#")
        by_source.setdefault(sid, []).append(where)
    return " ; ".join(f"{sid}, {lines_in_words(w)}" for sid, w in by_source.items())


def date(value: object) -> str:
    """A date written ``AAAA``, ``AAAA-MM`` or ``AAAA-MM-JJ`` (or a date object) in French words."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    if hasattr(value, "year") and hasattr(value, "month"):
        value = f"{value.year:04d}-{value.month:02d}-{getattr(value, 'day', 1):02d}"
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value).strip()[:10])
    if not m:
        return str(value)
    year, month, day = m.groups()
    if month is None:
        return year
    words = f"{MONTHS[int(month) - 1]} {year}"
    if day is None:
        return words
    d = int(day)
    return f"{'1er' if d == 1 else d} {words}"


def _article(article: object) -> str | None:
    """The article as the contract writes it (``le``, ``la``, ``l'``, ``les``), or None for a bare name."""
    if article is None or (isinstance(article, float) and math.isnan(article)):
        return None
    text = str(article).strip().lower().replace("\u2019", "'")
    return text if text in ("le", "la", "l'", "les") else None


def _starts_with_vowel(name: str) -> bool:
    from mesra.text import fold

    return fold((str(name)[:1] or "x").lower()) in "aeiouyh"


def the(name: object, article: object = None) -> str:
    """A name with its article: ``la Région Occitanie``, ``l'APES``, ``les Instances régionales``, ``Opale``.

    >>> the("Région Occitanie", "la"), the("APES", "l'"), the("Opale")
    ('la Région Occitanie', "l'APES", 'Opale')
    """
    art = _article(article)
    if art is None:
        return str(name)
    return f"l'{name}" if art == "l'" else f"{art} {name}"


def of(name: object, article: object = None) -> str:
    """``de`` + a name, contracted with its article (du, de la, de l', des); a bare name is elided
    before a vowel or a mute h: ``d'ARDES``, ``de MES Occitanie``.

    >>> of("ARDES"), of("MES Occitanie"), of("Île-de-France")
    ("d'ARDES", 'de MES Occitanie', "d'Île-de-France")
    >>> of("Mouvement", "le"), of("Région", "la"), of("APES", "l'"), of("Instances régionales", "les")
    ('du Mouvement', 'de la Région', "de l'APES", 'des Instances régionales')
    """
    art = _article(article)
    if art == "le":
        return f"du {name}"
    if art == "les":
        return f"des {name}"
    if art is not None:
        return f"de {the(name, art)}"
    return f"d'{name}" if _starts_with_vowel(str(name)) else f"de {name}"


def to(name: object, article: object = None) -> str:
    """``à`` + a name, contracted with its article: ``au Mouvement``, ``à la Région``, ``à l'APES``,
    ``aux Instances régionales``, ``à Opale``.

    >>> to("Mouvement", "le"), to("Instances régionales", "les"), to("Opale")
    ('au Mouvement', 'aux Instances régionales', 'à Opale')
    """
    art = _article(article)
    if art == "le":
        return f"au {name}"
    if art == "les":
        return f"aux {name}"
    return f"à {the(name, art)}"


#: How each relation of ``liens.csv`` reads in French: (singular, plural, preposition, nominal).
#: A nominal relation ("membre de", "partenaire de") takes « est / sont » after a subject.
RELATION_WORDS: dict[str, tuple[str, str, str | None, bool]] = {
    "membre_de": ("membre", "membres", "de", True),
    "participe_a": ("participe", "participent", "à", False),
    "porte": ("porte", "portent", None, False),
    "accompagne": ("accompagne", "accompagnent", None, False),
    "partenaire_de": ("partenaire", "partenaires", "de", True),
    # « avec le soutien financier de » (L160, L1090): a support, not the whole cost (twenty-eighth reading)
    "finance": ("soutient financièrement", "soutiennent financièrement", None, False),
    "co_organise": ("co-organise", "co-organisent", None, False),
    "represente": ("représente", "représentent", None, False),
    "developpe": ("développe", "développent", None, False),
    "utilise": ("utilise", "utilisent", None, False),
    "plaide_aupres_de": ("plaide auprès", "plaident auprès", "de", False),
}

_PREPOSITIONS = {"de": of, "à": to, None: the}


def _pairs(items) -> list[tuple[object, object]]:
    """``name``, ``(name, article)`` or a list of either → a list of ``(name, article)``."""
    if isinstance(items, (str, tuple)):
        items = [items]
    return [(i[0], i[1] if len(i) > 1 else None) if isinstance(i, tuple) else (i, None) for i in items]


def verb(relation: str, n: int = 1, *, subject: bool = True) -> str:
    """The verb of a relation agreed with ``n`` subjects: ``participe`` / ``participent``,
    ``est membre`` / ``sont membres``; without ``subject`` (a role: « membre de … »), the bare form.

    >>> verb("participe_a", 2), verb("membre_de", 1), verb("membre_de", subject=False)
    ('participent', 'est membre', 'membre')
    """
    singular, plural_form, _, nominal = RELATION_WORDS[relation]
    word = plural_form if n > 1 else singular
    if nominal and subject:
        return ("sont " if n > 1 else "est ") + word
    return word


#: The passé composé of the relations a finished act may be said with (« l'APES a produit un Alterguide », L542: a tool
#: developed is a done thing): singular, plural.
PAST_WORDS = {
    "developpe": ("a développé", "ont développé"),
}
#: The passé composé of the relations when the sources date the act (a tie's ``annee``): « AGROSUP, l'INRA et
#: l'Université de Bourgogne ont accompagné le PESAD 21 en 2019 » (L530: « tout au long de l'année 2019 »; twenty-first
#: reading: « accompagnent … en 2019 » read against today as still under way). Memberships and mandates stay present.
DATED_WORDS = {
    **PAST_WORDS,
    "accompagne": ("a accompagné", "ont accompagné"),
    "finance": ("a soutenu financièrement", "ont soutenu financièrement"),
    "porte": ("a porté", "ont porté"),
    "co_organise": ("a co-organisé", "ont co-organisé"),
    "participe_a": ("a participé", "ont participé"),
    "partenaire_de": ("a été partenaire", "ont été partenaires"),
    "utilise": ("a utilisé", "ont utilisé"),
}


def relation(
    relation: str,
    targets,
    article: object = None,
    *,
    n: int = 1,
    subject: bool = False,
    past: bool = False,
    dated: bool = False,
) -> str:
    """A relation and its object(s), the preposition contracted with each article.

    ``targets`` is a name (with ``article``), a ``(name, article)`` pair or a list of
    either. Without ``subject`` the phrase describes a role (« membre du Mouvement »,
    « plaide auprès de la Région ») ; with it, the verb agrees with ``n`` subjects.

    >>> relation("membre_de", "Mouvement pour l'Économie Solidaire", "le")
    "membre du Mouvement pour l'Économie Solidaire"
    >>> relation("participe_a", [("Région Occitanie", "la"), ("Opale", None)])
    'participe à la Région Occitanie et à Opale'
    """
    if relation not in RELATION_WORDS:
        raise ValueError(f"relation inconnue : {relation}")
    pairs = _pairs(targets) if not isinstance(targets, str) or article is None else [(targets, article)]
    prep = _PREPOSITIONS[RELATION_WORDS[relation][2]]
    words = verb(relation, n, subject=subject)
    if past and subject and relation in PAST_WORDS:
        words = PAST_WORDS[relation][n > 1]
    if dated and subject and relation in DATED_WORDS:  # a dated act: « ont accompagné … en 2019 »
        words = DATED_WORDS[relation][n > 1]
    return f"{words} {join(prep(name, art) for name, art in pairs)}"


def relations(codes, target, article: object = None) -> str:
    """Several relations of one subject to one target, the target named once when they share their preposition.

    >>> relations(("membre_de", "partenaire_de"), "Collectif des Associations Citoyennes", "le")
    'est membre et partenaire du Collectif des Associations Citoyennes'
    >>> relations(("porte", "participe_a"), "Forum", "le")
    'porte le Forum et participe au Forum'
    """
    codes = tuple(dict.fromkeys(codes))
    words = [RELATION_WORDS[c] for c in codes]
    if len(codes) > 1 and all(w[3] for w in words) and len({w[2] for w in words}) == 1:
        pair = _pairs([(target, article)] if isinstance(target, str) else [target])[0]
        return f"est {join(w[0] for w in words)} {_PREPOSITIONS[words[0][2]](*pair)}"
    return join([relation(c, target, article, subject=True) for c in codes])


def sentence(
    subjects, relation_code: str, targets, article: object = None, *, past: bool = False, dated: bool = False
) -> str:
    """Subject(s), verb agreed with them, object(s): ``l'APES et ARDES sont membres du Mouvement``.

    ``subjects`` and ``targets`` are names, ``(name, article)`` pairs or lists of either
    (``article`` applies to a single target name). No capital and no final full stop:
    the caller places the clause.

    >>> sentence([("Région Occitanie", "la"), "Opale"], "participe_a", "Mouvement", "le")
    'la Région Occitanie et Opale participent au Mouvement'
    >>> sentence([("IEP", "l'")], "partenaire_de", "Mouvement", "le", dated=True)
    "l'IEP a été partenaire du Mouvement"
    """
    who = _pairs(subjects)
    n = len(who) if len(who) > 1 else (2 if who and _article(who[0][1]) == "les" else 1)  # « les Instances plaident »
    what = relation(relation_code, targets, article, n=n, subject=True, past=past, dated=dated)
    return f"{join(the(name, art) for name, art in who)} {what}"


def planned(clause: str) -> str:
    """A clause said as planned, its verb in the subjunctive: « il est prévu ou proposé que l'APES accompagne le
    Territoire de Boulogne » (twelfth reading: « l'APES accompagne … (lien prévu) » read as a fact, then withdrawn;
    thirteenth: Boulogne's is a proposal, L322).

    >>> planned("l'ARDES est partenaire du COORACE")
    "il est prévu ou proposé que l'ARDES soit partenaire du COORACE"
    >>> planned("Opale et l'UFISC portent le projet")
    "il est prévu ou proposé qu'Opale et l'UFISC portent le projet"
    """
    clause = re.sub(r" est (membres?|partenaires?) ", r" soit \1 ", clause, count=1)
    clause = re.sub(r" sont (membres|partenaires) ", r" soient \1 ", clause, count=1)
    # « prévu ou proposé »: contract v3's ``prevu`` holds a plan's intentions and proposals (Boulogne's, L322)
    head = (
        "il est prévu ou proposé qu'"
        if clause[:1].lower() in "aeéèêiouyh" and clause[:1]
        else "il est prévu ou proposé que "
    )
    return head + clause


def yes_no(value: object) -> str:
    """``oui`` / ``non``, or :data:`UNKNOWN`."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "nan"):
        return UNKNOWN
    return "oui" if bool(value) else "non"


_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")
_BEFORE_MARK = re.compile(r"(?<=\S)[ \u00a0\u202f]*([;!?])(?=\s|$|[»)])")


def punctuate(text: str) -> str:
    """No-break spaces before ``:`` (ordinary) and ``; ? !`` (narrow), as French typography wants.

    URLs and times (``https://``, ``10:30``) are left alone: only a colon followed by
    a space or the end is touched.

    >>> punctuate("Sources : L12 ; voir aussi ?")
    'Sources\u00a0: L12\u202f; voir aussi\u202f?'

    Inside guillemets too, so that a printed line never ends on « nor starts with » (thirty-first round: « un
    dispositif régional\n» in Bourgogne-Franche-Comté's fiche):

    >>> punctuate("« un dispositif régional »")
    '«\u00a0un dispositif régional\u00a0»'
    """
    text = _BEFORE_COLON.sub(NBSP + ":", str(text))
    text = text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
    return _BEFORE_MARK.sub(lambda m: NNBSP + m.group(1), text)
