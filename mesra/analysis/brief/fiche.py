"""The *fiche territoire*: the first one or two printed pages of a brief, what a coordinator forwards.

Four parts, each a :class:`~mesra.analysis.sections.Section`: our people here and their
functions (``personnes.csv`` and ``roles.csv``, through the shared view); the actions the
territory carries or co-leads, grouped by chantier with its co-animation and one status line
each (:mod:`mesra.analysis.plan`: :func:`~mesra.analysis.plan.territory_plan`,
:func:`~mesra.analysis.plan.coanimation_sentence`, :func:`~mesra.analysis.plan.status_line`);
where the territory's actors advocate and for what (its ``objet``, a paraphrase: not in guillemets); the findings
(:mod:`~mesra.analysis.brief.findings`). The facts are :class:`FicheFacts`; the wording is
``templates/fiche.j2``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace

from mesra import french
from mesra.analysis.brief import advocacy, findings, titles
from mesra.analysis.brief.view import (  # noqa: F401 (SEATS, observed, seat re-exported)
    SEATS,
    TerritoryView,
    chantier_carriers,
    merged_locator,
    observed,
    present,
    seat,
    spanned_locator,
)
from mesra.analysis.brief.wording import render, short_title
from mesra.analysis.counts import member_networks, seated_people
from mesra.analysis.sections import Section, where_in_words
from mesra.corpus import pages as printed_pages

__all__ = ["FicheFacts", "FichePerson", "Advocating", "facts", "sections", "Fiche", "PEOPLE_MAX", "ADVOCACY_MAX"]

#: At most this many people are named one per line; the others are counted (their table is in the annex).
PEOPLE_MAX = 10
#: France's fiche (and Europe's, the world's) names fewer, each with fewer roles: they have more to say
#: elsewhere (four chantiers, the national advocacy) and must hold on two printed pages.
WIDE_PEOPLE_MAX = 8
#: France's fiche cuts the title of each chantier's first dated action at a word before this many characters.
FIRST_WIDTH = 56
#: France's fiche cuts the title of each chantier's need at a word before this many characters.
NEED_WIDTH = 44
#: France's fiche cuts an advocacy's aim at a word before this many characters.
WIDE_OBJET = 60
#: At most this many passages quoted for one finding in the fiche (the note's sections cite them all).
SOURCES_PER_FINDING = 1
#: Findings that name separate facts, one passage each (« ce que des organisations nationales mènent ici »), quote
#: one passage per fact (thirty-first reading: Île-de-France's fiche said the UFISC's part in the conventions of
#: Seine-Saint-Denis, L576, with no footnote).
ONE_SOURCE_PER_NAME = ("hosted",)
#: The fiche's printed footnotes quote this many characters of their passage (the note's quote more).
FOOTNOTE_WIDTH = 24
#: At most this many advocacy engagements are quoted; the others are counted (their table is in the annex).
ADVOCACY_MAX = 5
#: France's fiche (and wider) quotes as many: the national representation the proceedings list together (L928:
#: ESS France, the CAC, the CTC, the Transiscope) first, with the European and international levels (twelfth
#: reading); six until the sub-territories were all named in the header (twenty-eighth reading), which the two
#: printed pages no longer held.
WIDE_ADVOCACY_MAX = 5


@dataclass(frozen=True)
class FichePerson:
    personne_id: str
    #: ``(function as the sources word it, place id)``, the main one first.
    functions: tuple[tuple[str | None, str | None], ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Advocating:
    """One advocacy engagement: who, how (a relation code), where or to whom, for what (quoted), at which level."""

    acteur_id: str
    relation: str
    cible_id: str
    objet: str | None
    echelon: str | None
    source: str | None
    #: ``"conseil d'administration"``, ``"bureau"`` or both, when the tie says the membership is a seat.
    seat: str | None = None
    #: The other relations of the same actor to the same body (the MES is member and partner of the CAC, L928).
    also: tuple[str, ...] = ()
    #: Every level the sources give the engagement (the Transiscope: national, L928, and local, L906).
    echelons: tuple[str, ...] = ()
    #: Other actors engaged in the same way, in the same body, for the same aim (the APES, the CNLRQ, the MES
    #: Occitanie and the UFISC are members of the RIPESS Europe, L936): one sentence says them all.
    others: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many engagements the sentence says (one per actor)."""
        return 1 + len(self.others)


@dataclass(frozen=True)
class FicheFacts:
    territoire: str
    people: tuple[FichePerson, ...]
    people_total: int
    national: bool
    #: ``(chantier, its actions)`` for the chantiers the territory co-animates (every one for France).
    chantiers: tuple = ()
    #: The territory's other actions (carried or co-carried by its actors, located in it).
    other_actions: tuple = ()
    advocacy: tuple[Advocating, ...] = ()
    advocacy_total: int = 0
    findings: findings.FindingsFacts | None = None
    reference: object = None
    #: ``(event id, its funders' ids, locators)`` for the events that the territory's actors fund (the
    #: seminar: FPH and APES, L160), every funder named.
    funded: tuple = ()
    #: Ids of :attr:`other_actions` that no actor or person of the territory carries: it only joins them
    #: (as a partner) or they are placed in it; listed apart from those its actors carry.
    joined: frozenset = frozenset()
    #: Ids of :attr:`joined` that name none of the territory's actors or people, even as a partner: only located in
    #: it (twenty-first reading: the meeting at the MSH, L459, in Paris, said « associée » to Île-de-France's actors).
    placed: frozenset = frozenset()
    #: ``(axis, its plan's open actions)`` for the workshops the territory's people take part in without
    #: co-animating them (fifth cold read: Normandie's CAZIN and COURTET in the Axe 2 group, L482-484).
    workshops: tuple[tuple[int, int], ...] = ()
    #: How many of the territory's people take part in :attr:`workshops`.
    workshop_people: int = 0
    #: People of national bodies seated in the territory (the CNAM, Sciences Po in Paris), counted in the
    #: country's note (:func:`counts.seated_people`) and named apart in a region's fiche.
    seated: tuple[FichePerson, ...] = ()
    #: ``(actor id, its territory id, its source)`` for the territory's territorial networks that are members of
    #: the Mouvement (L46-56: « LES RÉSEAUX TERRITORIAUX », PES 21 for Bourgogne-Franche-Comté), in a region's fiche.
    networks: tuple[tuple[str, str, str | None], ...] = ()
    #: How many territorial networks the whole corpus counts among the Mouvement's members (5: L48-56).
    networks_total: int = 0
    #: Of :attr:`networks`, those the sources name nowhere but in the Mouvement's list of members: no other tie, no
    #: person (fifteenth reading: CRE-SOL, L54, is at no workshop and on no list of the seminar, L179-204, L1084-1086).
    networks_silent: tuple[str, ...] = ()


def _networks(view: TerritoryView) -> tuple[tuple[tuple[str, str, str | None], ...], int]:
    """The territory's territorial networks that are members of the Mouvement, and how many the corpus has.

    Twelfth reading: no region said that its network is one of the Mouvement's territorial networks (L46-56)."""

    here = member_networks(view.actors)
    return (
        tuple(
            (i, t, s if present(s) else None)
            for i, t, s in zip(here["acteur_id"], here["territoire_id"], here["source"])
        ),
        len(member_networks(view.corpus.acteurs)),
    )


def _silent(view: TerritoryView) -> tuple[str, ...]:
    """The territory's member networks whose only tie is their membership of the Mouvement and who have no person."""
    t = view.corpus.liens
    people = set(view.corpus.personnes["acteur_id"].dropna())
    out = []
    for ident in member_networks(view.actors)["acteur_id"]:
        mine = t[(t["source_id"] == ident) | (t["cible_id"] == ident)]
        if set(mine["relation"]) <= {"membre_de"} and ident not in people:
            out.append(ident)
    return tuple(out)


def _other_workshops(view: TerritoryView, plan) -> tuple[tuple[tuple[int, int], ...], int]:
    """The other workshops the territory's people take part in, each with the size of its plan, and how many
    of its people take part in them."""
    from mesra.analysis.plan import chantiers, plan_size, territory_plan

    if plan.national:
        return (), 0
    t = observed(view.corpus.liens)
    t = t[(t["relation"] == "participe_a") & t["source_id"].isin(view.people_ids)]
    shown = {c.chantier_id for c in plan.chantiers}
    others = {axe: c.chantier_id for axe, c in chantiers(view.corpus).items() if c.chantier_id not in shown}
    t = t[t["cible_id"].isin(set(others.values()))]
    joined = set(t["cible_id"])
    if not joined:
        return (), 0
    # counted as France's fiche counts each chantier's plan (plan_count), from the same facts
    country = territory_plan(view.corpus, None, view.date_reference)
    found = tuple((axe, plan_size(country.of_chantier(cid))) for axe, cid in sorted(others.items()) if cid in joined)
    return found, t["source_id"].nunique()


def _persons(view: TerritoryView, pids) -> list[FichePerson]:
    """Each person with every function and the sources that state them, in ``pids``' order."""
    from mesra.analysis.brief.view import not_leads

    t = not_leads(view.corpus.liens)
    workshops = t[(t["relation"] == "participe_a") & (t["cible_id"].map(view.types) == "chantier")]
    out = []
    for pid in pids:
        fns = view.functions(pid)
        sources = [s for *_, s in fns if present(s)]
        sources += [s for s in workshops.loc[workshops["source_id"] == pid, "source"] if present(s)]  # L291, L874…
        out.append(FichePerson(pid, tuple((fn, aid) for fn, aid, _ in fns), tuple(dict.fromkeys(sources))))
    return out


def _seated(view: TerritoryView) -> tuple[FichePerson, ...]:
    """People of national bodies seated in the territory: those the plan names first (L459), then by their
    number of functions and name."""
    from mesra.analysis.plan import named_in_actions

    in_plan = named_in_actions(view.corpus)
    found = _persons(view, dict(seated_people(view.corpus, view.territoire)))
    return tuple(
        sorted(found, key=lambda p: (p.personne_id not in in_plan, -len(p.functions), view.name_of(p.personne_id)))
    )


def _chantier_carriers(view: TerritoryView) -> set[str]:
    """Who carries a chantier (:func:`~mesra.analysis.brief.view.chantier_carriers`)."""
    return chantier_carriers(view)


def _people(view: TerritoryView) -> list[FichePerson]:
    from mesra.analysis.plan import named_in_actions

    out = _persons(view, view.people["personne_id"])
    # those who co-animate the chantiers first — a chantier role, or the national coordination, which
    # co-animates every chantier (L257) — then those with several functions, then by name
    types = view.types
    carriers = _chantier_carriers(view)

    def animates(p: FichePerson) -> bool:
        return any(
            types.get(a) == "chantier" or (a in carriers and "coordinat" in str(fn or "").lower())
            for fn, a in p.functions
        )

    def presides(p: FichePerson) -> bool:  # a co-president of the national coordination (L217: COMBES, COLER)
        return any(a in carriers and "présid" in str(fn or "").lower() for fn, a in p.functions)

    in_plan = named_in_actions(view.corpus)  # those the plan names (L459: Jean-Louis LAVILLE, 13 January 2020)

    return sorted(
        out,
        key=lambda p: (
            not animates(p),
            not presides(p),
            p.personne_id not in in_plan,
            -len(p.functions),
            view.name_of(p.personne_id),
        ),
    )


def _advocacy(view: TerritoryView) -> list[Advocating]:
    t = view.advocacy_ties if hasattr(view, "advocacy_ties") else advocacy.ties(view)
    objets = view.objets(t)
    qualites = t["qualite"] if "qualite" in t.columns else [None] * len(t)
    rows = [
        Advocating(
            s,
            r,
            c,
            o,
            e if present(e) else None,
            src if present(src) else None,
            seat(r, q, o),
            tuple(x for x in rs if x != r),
            tuple(es),
        )
        for s, r, c, o, e, src, q, rs, es in zip(
            t["source_id"],
            t["relation"],
            t["cible_id"],
            objets,
            t["echelon"],
            t["source"],
            qualites,
            t["relations"],  # advocacy.one_per_pair
            t["echelons"],
        )
    ]
    if _wide(view):  # France: its national representation (seats, memberships of national bodies) first
        person = view.types
        coordination = _chantier_carriers(view)  # who co-animates the chantiers (L257): the national coordination

        ranked = sorted(
            rows,
            key=lambda r: (
                r.echelon != "national",
                r.seat is None,
                r.acteur_id not in coordination,  # the national coordination's own, at each level (L904)
                # what it works on before the body it works in (thirteenth reading: « participe au CTC (échelon
                # local) » read as a local CTC where L904 says the Pacte pour la Transition)
                view.types.get(r.cible_id) in ("collectif", "federation", "reseau_national", "reseau_territorial"),
                r.relation not in REPRESENTATION,
                person.get(r.acteur_id) == "personne",  # an organisation's seat before a person's mandate
                not r.objet,
            ),
        )
        return _together(_each_level(ranked))
    # what is defended first (that is what the fiche is for), in the cartography's order (local → international)
    return _together([r for r in rows if r.objet] + [r for r in rows if not r.objet])


def _together(rows: list[Advocating]) -> list[Advocating]:
    """Actors engaged the same way in the same body for the same aim, at the same level, in one sentence, where the
    first of them stands (nineteenth reading: France's annex said the RIPESS Europe's members one by one, L936, as
    four engagements of its « 40 »). A stated seat stays a sentence of its own."""
    key = lambda r: (r.relation, r.also, r.cible_id, r.objet, r.echelons or (r.echelon,))  # noqa: E731
    firsts: dict = {}
    out: list[Advocating] = []
    for r in rows:
        k = key(r)
        if r.seat is None and k in firsts:
            i = firsts[k]
            first = out[i]
            out[i] = replace(
                first, others=(*first.others, r.acteur_id), source=merged_locator([first.source, r.source])
            )
            continue
        if r.seat is None:
            firsts[k] = len(out)
        out.append(r)
    return out


def _each_level(ranked: list[Advocating]) -> list[Advocating]:
    """The national engagements first, but never all the fiche shows: the first European and the first
    international one come within :data:`ADVOCACY_MAX` (sixth reading: France's fiche showed five national ones
    and not the MES's seat in the RIPESS Europe, L936, which its regions show)."""
    wider = [next(r for r in ranked if r.echelon == e) for e in WIDER if any(r.echelon == e for r in ranked)]
    national = [r for r in ranked if r.echelon == "national"]
    head = national[: max(WIDE_ADVOCACY_MAX - len(wider), 1)] + wider
    return head + [r for r in ranked if not any(r is h for h in head)]


#: The echelons other than the country's own, in the cartography's order: France's fiche shows the first
#: engagement of each (twelfth reading: its regions' seats in their CRESS, L912-916, and the Pacte pour la
#: Transition at the local level, L904, were hidden in « Et 34 autres »).
WIDER = ("local", "regional", "europeen", "international")

#: Ties that put an actor in a body (a seat, a membership, a representation): France's fiche says them first.
REPRESENTATION = ("membre_de", "represente", "plaide_aupres_de")


def _wide(view: TerritoryView) -> bool:
    """A country or wider (France, Europe, the world): :attr:`TerritoryView.wide`."""
    return view.wide


def _funded(view: TerritoryView) -> tuple:
    """Events (the seminar) that one of the territory's actors funds (``finance``, observed), with all their funders."""
    from mesra.analysis.brief.view import observed

    t = observed(view.corpus.liens)
    t = t[(t["relation"] == "finance") & (t["cible_id"].map(view.types) == "evenement")]
    out = []
    for event, group in t.groupby("cible_id", sort=True):
        if view.actor_ids.intersection(group["source_id"]):
            funders = tuple(dict.fromkeys(group["source_id"]))
            out.append((event, funders, tuple(dict.fromkeys(group["source"]))))
    return tuple(out)


def _at_most(items: list, most: int) -> tuple:
    """The first ``most`` of ``items``, or all of them when only one would be left out: a line « et 1 autre »
    would hide one item in the space it takes to name it (issue 21, cold read: Occitanie's FRESS)."""
    return tuple(items if len(items) <= most + 1 else items[:most])


def facts(view: TerritoryView, *, whole: bool = False) -> FicheFacts:
    """The fiche's facts; ``whole``: every person and every advocacy engagement (the lists the whole note prints in
    its annex, seventeenth reading), not the first ones the two pages hold."""
    from mesra.analysis.plan import territory_plan

    plan = getattr(view, "plan_facts", None) or territory_plan(view.corpus, view.territoire, view.date_reference)
    people = _people(view)
    in_chantier = {c.chantier_id for c in plan.chantiers}
    works = tuple((c, plan.of_chantier(c.chantier_id)) for c in plan.chantiers)
    others = tuple(a for a in plan.actions if a.chantier not in in_chantier)
    adv = _advocacy(view)
    mine = view.actor_ids | view.people_ids
    seated = () if plan.national else _seated(view)
    # the people of national bodies seated here, whom the fiche names, count too (twenty-sixth reading: « sans que
    # l'un de ses acteurs en soit porteur ou partenaire » over a meeting with Jean-Louis Laville, L459, whom the same
    # fiche names as a researcher of the CNAM Paris)
    named = mine | {p.personne_id for p in seated}
    return FicheFacts(
        territoire=view.territoire,
        people=tuple(people) if whole else _at_most(people, WIDE_PEOPLE_MAX if _wide(view) else PEOPLE_MAX),
        people_total=len(people),
        national=plan.national,
        chantiers=works,
        other_actions=others,
        advocacy=tuple(adv) if whole else _at_most(adv, WIDE_ADVOCACY_MAX if _wide(view) else ADVOCACY_MAX),
        advocacy_total=sum(a.count for a in adv),
        findings=findings.facts(view),
        reference=plan.reference,
        funded=_funded(view),
        joined=frozenset(a.action_id for a in others if not set(a.porteurs) & mine),
        placed=frozenset(a.action_id for a in others if not (set(a.porteurs) | set(a.partenaires)) & named),
        workshops=(workshops := _other_workshops(view, plan))[0],
        workshop_people=workshops[1],
        seated=seated,
        **dict(zip(("networks", "networks_total"), () if plan.national else _networks(view))),
        networks_silent=() if plan.national else _silent(view),
    )


#: At most this many functions and roles of one person are said in the fiche (the annex has them all).
FUNCTIONS_MAX = 6
#: The same in France's fiche and wider (:data:`WIDE_PEOPLE_MAX`).
WIDE_FUNCTIONS_MAX = 3


def _lower_word(fn: str) -> str:
    """« Co-Présidente » → « co-présidente », « Chargé de mission » → « chargé de mission » (not an acronym)."""
    first, _, rest = fn.partition(" ")
    if first.isupper() and len(first) > 1:
        return fn
    first = first.lower() if "-" in first else first[:1].lower() + first[1:]
    return f"{first} {rest}" if rest else first


#: A cut that would leave fewer than this many characters after a « ; » stops at the « ; » (twelfth reading).
BRIEF_TAIL = 24


def _brief(words: str, width: int | None = None) -> str:
    """A function's words cut at a word before ``width`` characters (:data:`FUNCTION_WIDTH`), a quotation
    cut inside closed again (« chercheurs-acteurs engagés avec… »)."""
    out = short_title(words, width or FUNCTION_WIDTH, open_quote=True)
    head, _, tail = out.rpartition(" ; ")
    if out != words and head and len(tail) < BRIEF_TAIL:  # never « … ; faire… »: the first item whole, then « … »
        out = head + "…"
    if out.count("«") > out.count("»"):
        out += " »"
    return out


def _function_phrase(view: TerritoryView, fn: str | None, aid: str | None, axes: dict) -> str:
    """« co-présidente du MES Occitanie », « référente, animatrice et rapporteuse du chantier de l'Axe 4 »."""
    if not fn:
        return view.name_of(aid) if present(aid) else "rôle non précisé"
    words = _brief(_lower_word(fn))
    if not present(aid):
        return words
    if aid in axes:
        words = words.replace(" du chantier coopératif", "").replace(" du chantier", "")
        return f"{words} du chantier de l'Axe {axes[aid]}"
    name = view.name_of(aid)
    sigle = view.corpus.acteurs.set_index("acteur_id")["sigle"].get(aid)
    said = [name, *([sigle] if present(sigle) else [])]
    first = name.split(" ")[0]
    if len(first) > 3 and first[:1].isupper() and f" {first} " in f" {words} ":  # « membre du Mouvement parmi… »
        return words
    if any(x.lower() in words.lower() for x in said) or any(
        w in words.lower() for w in ("séminaire", "table ronde", "débat", "actes", "conclusion", "note de cadrage")
    ):
        return words  # the function already says where
    if view.types.get(aid) in ("evenement", "projet", "outil", "plateforme"):
        return f"{words} ({name})"
    return f"{words} {french.of(*view.pair(aid))}"


#: A function longer than this is cut at a word (« … »); the annex has it whole.
FUNCTION_WIDTH = 64


def _workshops(view: TerritoryView, pid: str, axes: dict, led: set[int]) -> str | None:
    """« participe aux ateliers des axes 1 et 2 »: the workshops a person takes part in (``liens``,
    ``participe_a`` a chantier), those she leads left out (her référente line says it)."""
    from mesra.analysis.brief.view import not_leads

    t = not_leads(view.corpus.liens)
    mine = t[(t["source_id"] == pid) & (t["relation"] == "participe_a")]
    joined = sorted({axes[c] for c in mine["cible_id"] if c in axes} - led)
    if not joined:
        return None
    if len(joined) == 1:
        return f"participe à l'atelier de l'Axe {joined[0]}"
    return "participe aux ateliers des axes " + french_join(str(a) for a in joined)


def french_join(items) -> str:
    return french.join(list(items))


def _phrases(view: TerritoryView, p: FichePerson, axes: dict, whole: bool = False) -> list[str]:
    """Every function of a person (``personnes.csv`` and ``roles.csv``) and her workshops, each briefly:
    the chantier she leads first, then her main function, her workshops, her other roles; the first ones only unless
    ``whole`` (the note's annex: eighteenth reading, « et 7 autres rôles » in a « liste complète »)."""
    placed = {aid for fn, aid in p.functions if fn and present(aid)}
    # a bare place (« CNAM Paris ») where a function at the same place says more (« chercheur du CNAM Paris »)
    functions = [(fn, aid) for fn, aid in p.functions if fn or aid not in placed]
    said = list(dict.fromkeys(_function_phrase(view, fn, aid, axes) for fn, aid in functions))
    wide = _wide(view)
    # a chantier's référent first; in France's fiche, a presidency next (L217: the MES's co-presidents)
    said.sort(key=lambda w: ("chantier de l'Axe" not in w, wide and "présiden" not in w))
    led = {axes[aid] for _, aid in p.functions if aid in axes}
    workshops = _workshops(view, p.personne_id, axes, led)
    if workshops:
        said.insert(min(len(said), 1 + bool(led)), workshops)
    most = len(said) if whole else WIDE_FUNCTIONS_MAX if wide else FUNCTIONS_MAX
    if len(said) > most:
        rest = len(said) - most
        said = [*said[:most], f"et {rest} autre{'s' if rest > 1 else ''} rôle{'s' if rest > 1 else ''}"]
    return said


@dataclass
class Fiche:
    """The fiche as one block of HTML (``<div class="mesra-fiche">``), its parts in order."""

    title: str
    parts: list[Section] = field(default_factory=list)

    def _repr_html_(self) -> str:
        inner = "\n".join(p._repr_html_() for p in self.parts)
        return f"<div class='mesra-fiche'><h2>{html.escape(self.title)}</h2>\n{inner}</div>"

    def __str__(self) -> str:
        return "\n\n".join([self.title, *(str(p) for p in self.parts)])

    __repr__ = __str__


#: How the fiche heads the actions outside the territory's chantiers: those its actors carry, and the others.
#: France's fiche says a need whole up to this many characters (L1054's « 1,5 ETP salarié et un service civique »).
NEED_WHOLE = 140

CARRIED = " que portent ou co-portent les acteurs du territoire"
JOINED = " auxquelles les acteurs du territoire sont associés"
#: twenty-fourth reading: « sans qu'aucun de ses acteurs y soit nommé » was false of a meeting with a researcher of the
#: territory at one of its institutions (L459): they are neither carrier nor partner of it
PLACED = " que le plan situe sur le territoire, sans que l'un de ses acteurs en soit porteur ou partenaire"


def _title_said(a, f: FicheFacts) -> str:
    """An action's title as the fiche says it, cut (the plan's table, in the annex, has it whole). A need is said whole
    in France's fiche: it is what an elected official can act on (eighth reading: « 1,5 ETP », L1054); a long one is
    cut like an action (twentieth reading: L1050's three lines pushed France's fiche to a third page); a region's
    fiche cuts it like the others."""
    whole = a.besoin and f.national and len(a.intitule) <= NEED_WHOLE
    return a.intitule if whole else short_title(a.intitule)


def _action_line(view: TerritoryView, f: FicheFacts, a) -> str:
    """An action's status line, its long title cut (the plan's table, in the annex, has it whole); in a region's
    fiche, every carrier the plan names (sixth reading: the APES co-carries the European group's action, L661)."""
    from mesra.analysis.plan import status_line

    said = status_line(replace(a, intitule=_title_said(a, f)), f.reference, said_once=True)
    if not a.porteurs:
        return said
    from mesra.analysis.plan import chantiers

    works = chantiers(view.corpus).values()
    groups = {c.chantier_id: c.axe for c in works}
    people = set(view.corpus.personnes["personne_id"])
    named = [view.name_of(p) for p in a.porteurs if p in people]

    def carriers(ids) -> str:  # a workshop group as such (the Axe 2 group, L666-679)
        return french.join(f"le groupe de travail de l'Axe {groups[p]}" if p in groups else french.the(*view.pair(p))
                           for p in ids)  # fmt: skip

    if not f.national:
        # every carrier the plan names (eleventh reading: « par MES France », L662, L664, L678, was left out), the
        # people named with their organisation (« par MES France (Patricia COLER, Bérénice DONDEYNE, Bruno
        # LASNIER) », L664)
        orgs = [p for p in a.porteurs if p not in people]
        who = carriers(orgs)
        who = f"{who} ({french.join(named)})" if who and named else who or french.join(named)
        return said.removesuffix(".") + f" ; {'porteurs' if len(orgs) > 1 else 'porteur'} : {who}."
    # France: the other carriers, beside the national coordination (tenth reading: « par APES, MES Occitanie et MES
    # France », L661; « par le groupe de travail Axe 2 et le MES France », L679), then the people the plan names
    # (ninth reading: COLER, DONDEYNE, LASNIER, L664)
    coordination = {p for c in works for p in c.coanimation} - people
    if others := [p for p in a.porteurs if p not in people and p not in coordination]:
        said = said.removesuffix(".") + f" ; avec {carriers(others)}."
    if named:
        said = said.removesuffix(".") + f" ; personnes nommées : {french.join(named)}."
    return said


def _plan_head(view: TerritoryView, f: FicheFacts) -> Section:
    """The plan's heading part: where the follow-up stands, and who funded the seminar that drew up the plans."""
    from mesra.analysis.plan import reference_sentence

    head = Section(  # one printed line (twentieth reading: two lines of heading pushed France's fiche to a third page)
        # a region co-animates a chantier of the whole Movement's plan, it does not carry its actions (twenty-fifth
        # reading: Hauts-de-France's heading « porte ou co-anime » over 18 actions, one of which names the APES)
        "Les actions du plan qui concernent le territoire"
        if f.joined or not f.national
        else "Les actions que le territoire porte ou co-anime",
        level=3,
    )
    if not f.chantiers and not f.other_actions:  # no follow-up sentence then: it would speak of « des actions »
        head.paragraphs = ["Aucune action des plans du séminaire ne concerne ce territoire."]
    elif f.national and not f.reference.suivi:  # France's « À retenir » already says no follow-up is recorded
        head.paragraphs = []
    else:
        head.paragraphs = [reference_sentence(f.reference)]
    if f.funded and not f.national:  # who funded the seminar that drew up the plans (L160): a funding, not an advocacy
        w = render("fiche", part="funded", f=f, pairs={i: view.pair(i) for e, fs, _ in f.funded for i in (e, *fs)})
        head.paragraphs[:0] = w.paragraphs
        head.cite(*(src for *_, srcs in f.funded for src in srcs))
    return head


def _by_sigles(view: TerritoryView, title: str) -> str:
    """``title`` with the actors' full names it quotes replaced by the acronym the sources give them, so that a
    cut title still says what the action is about (ninth reading: « Lancement d'une campagne de mobilisation
    vers le… » for the FSMET, L983, L993)."""
    a = view.corpus.acteurs
    named = [(n, g) for n, g in zip(a["nom"], a["sigle"]) if present(g) and isinstance(n, str) and len(n) > len(g)]
    for name, sigle in sorted(named, key=lambda x: -len(x[0])):
        title = title.replace(name, sigle)
    return title


def _plan_parts(view: TerritoryView, f: FicheFacts) -> list[Section]:
    """One part per chantier (its co-animation, then one status line per action), then the other actions."""
    from mesra.analysis.plan import chantier_subject, coanimation_sentence, common_coanimation, first_dated

    def line(a) -> str:
        return _action_line(view, f, a)

    parts = [_plan_head(view, f)]
    if f.national and f.chantiers:  # France: one line per chantier; each region's fiche lists its chantier's actions
        part = Section("Les chantiers et leur co-animation", level=4)
        # who co-animates every chantier said once (twelfth reading: two printed pages)
        common = common_coanimation(view.corpus, [c for c, _ in f.chantiers])
        if common:
            part.paragraphs = render("fiche", part="chantiers", common=common).paragraphs
        t = view.corpus.actions
        made = {i: str(x) for i, x in zip(t["action_id"], t["livrable"]) if present(x)} if "livrable" in t else {}
        part.bullets = [
            coanimation_sentence(
                view.corpus,
                c,
                compact=bool(common),
                actions=acts,
                first=(a := first_dated(acts))
                and replace(a, intitule=short_title(_by_sigles(view, a.intitule), FIRST_WIDTH)),
                lines=False,  # cited in the part's notes
                needs=tuple(short_title(_by_sigles(view, a.intitule), NEED_WIDTH) for a in acts if a.besoin),
                deliverables=tuple(
                    dict.fromkeys(made[a.action_id] for a in acts if a.ouverte and made.get(a.action_id))
                ),
            )
            for c, acts in f.chantiers
        ]
        part.cite(*(src for c, _ in f.chantiers for src in c.sources))
        parts.append(part)
    for c, acts in () if f.national else f.chantiers:
        subject = chantier_subject(view.corpus, c.chantier_id)
        part = Section(f"Chantier de l'Axe {c.axe}" + (f" : {subject}" if subject else ""), level=4)
        # the plan of the whole Mouvement, not the territory's own (twelfth reading: Occitanie's fiche read as
        # carrying the national Axe 4 plan, L257)
        # the plan's own lines in the sentence, the référents' in the part's notes (twenty-eighth reading)
        said = coanimation_sentence(
            view.corpus, c, actions=acts, lines=False, plan_lines=spanned_locator(a.source for a in acts)
        )
        part.paragraphs = [said + " " + render("fiche", part="whole_plan").paragraphs[0]]
        part.bullets = [line(a) for a in acts]  # each action's own lines are in the plan's table (annex)
        part.cite(*c.sources)
        parts.append(part)
    if f.national:  # the actions the national coordination itself carries, by date (fifth cold read: L662-L679)
        carried_here = sorted(
            {
                a.action_id: a
                for c, acts in f.chantiers
                for a in acts
                if a.ouverte and set(a.porteurs) & (set(c.coanimation) - set(c.referents))
            }.values(),
            key=lambda a: (
                a.debut or a.fin or "9999",
                a.debut is None,
                a.action_id,
            ),  # « en 2022 » before « au plus tard »
        )
        if carried_here:
            part = Section("Actions des chantiers que porte la coordination nationale", level=4)
            part.bullets = [line(a) for a in carried_here]
            parts.append(part)
    if f.other_actions and f.national:
        # a need is not an action (seventeenth reading: « 43 des 44 actions » and two items « hors chantier »)
        needs = [a.besoin for a in f.other_actions]
        title = (
            "Besoins exprimés hors chantier"
            if all(needs)
            else "Actions et besoins exprimés hors chantier"
            if any(needs)
            else "Actions hors chantier"
        )
        part = Section(title, level=4)
        if all(needs):  # needs are undated: one sentence, not one « sans date, besoin exprimé » line each (France's
            # fiche holds on two pages with L221's need, twenty-second round)
            said = [_title_said(a, f) for a in f.other_actions]
            # their lines in the sentence (twenty-eighth reading: L221, L1050, L1054 were given nowhere on the fiche)
            where = merged_locator(a.source for a in f.other_actions)
            lines = where_in_words([where], printed_pages.of(view.corpus)) if where and "#" in where else ""
            part.paragraphs = render("fiche", part="needs", needs=said, lines=lines).paragraphs
        else:
            part.bullets = [line(a) for a in f.other_actions]
        parts.append(part)
    carried = [a for a in f.other_actions if a.action_id not in f.joined]
    joined = [a for a in f.other_actions if a.action_id in f.joined and a.action_id not in f.placed]
    placed = [a for a in f.other_actions if a.action_id in f.placed]
    for acts, what in () if f.national else ((carried, CARRIED), (joined, JOINED), (placed, PLACED)):
        if acts:
            part = Section(("Autres actions" if f.chantiers else "Actions") + what, level=4)
            part.bullets = [line(a) for a in acts]  # each action's own line is in the plan's table (annex)
            parts.append(part)
    if f.workshops:  # after the lists of actions, never between a chantier's sentence and its actions
        part = Section("Autres ateliers", level=4)
        part.paragraphs = render("fiche", part="workshops", f=f).paragraphs
        parts.append(part)
    return parts


def sections(view: TerritoryView, *, whole: bool = False) -> Fiche:
    """The fiche's parts, worded by ``templates/fiche.j2`` and :mod:`mesra.analysis.plan`; ``whole``: with every
    person and every advocacy engagement, each aim whole (:func:`facts`)."""
    from mesra.analysis.plan import chantiers

    f = facts(view, whole=whole)
    axes = {c.chantier_id: c.axe for c in chantiers(view.corpus).values()}
    names = {p.personne_id: view.name_of(p.personne_id) for p in (*f.people, *f.seated)}
    phrases = {p.personne_id: _phrases(view, p, axes, whole) for p in (*f.people, *f.seated)}

    people = Section(titles.FICHE["people"], level=3)
    w = render("fiche", part="people", f=f, names=names, phrases=phrases)
    people.paragraphs, people.bullets = w.paragraphs, w.bullets
    for p in (*f.people, *f.seated):
        people.cite_once(*p.sources)
    if f.networks:  # said first: who we are here, then our people
        sigles = view.corpus.acteurs.set_index("acteur_id")["sigle"]
        places = {
            a: ", ".join(
                x
                for x in (
                    sigles.get(a) if present(sigles.get(a)) and sigles.get(a) not in view.name_of(a) else "",
                    view.corpus.territory_name(t) if t != view.territoire else "",
                )
                if x
            )
            for a, t, _ in f.networks
        }
        net = render("fiche", part="networks", f=f, pairs={a: view.pair(a) for a, _, _ in f.networks}, places=places)
        people.paragraphs[:0] = net.paragraphs
        people.cite(*(s for *_, s in f.networks if s))

    adv = Section(titles.FICHE["advocacy"], level=3)
    pairs = {i: view.pair(i) for a in f.advocacy for i in (a.acteur_id, a.cible_id, *a.others)}
    shown = f
    # France's fiche cuts each aim (the note's annex has it whole): five levels, two pages
    if f.national and not whole:
        cut = tuple(replace(a, objet=a.objet and _brief(a.objet, WIDE_OBJET)) for a in f.advocacy)
        shown = replace(f, advocacy=cut)
    w = render("fiche", part="advocacy", f=shown, pairs=pairs)
    adv.paragraphs, adv.bullets = w.paragraphs, w.bullets
    adv.cite(*(a.source for a in f.advocacy if a.source))

    found = Section("À retenir", level=3)
    found.bullets = render("findings", f=f.findings).bullets
    for x in f.findings.findings:  # the fiche quotes at most two passages a finding; the note cites them all
        found.cite(*x.sources[: len(x.names) if x.kind in ONE_SOURCE_PER_NAME else SOURCES_PER_FINDING])
    parts = [found, people, *_plan_parts(view, f), adv]
    for part in parts:
        part.footnote_width = FOOTNOTE_WIDTH
    return Fiche("Fiche territoire", parts)
