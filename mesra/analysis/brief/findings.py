"""« À retenir »: three to five findings computed from the data, one sentence each."""

from __future__ import annotations

import json
from dataclasses import dataclass

from mesra import french
from mesra.analysis import frame
from mesra.analysis.brief import axes
from mesra.analysis.brief.view import HOLDS, TerritoryView, as_list
from mesra.analysis.brief.wording import lower_first, render, with_aside
from mesra.analysis.counts import ANALYSIS_AXES, is_member, monograph_states, tie_count
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import is_generic


@dataclass(frozen=True)
class Finding:
    """One finding: its kind (the template's branch), the names and numbers it states, its locators."""

    kind: str  # thin, pairs, brokers, no_broker, strongest, made, hosted, monographs, no_monograph, gaps, plan,
    # authorities
    names: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    others: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    states: tuple[tuple[str, int], ...] = ()  # how far the initiatives are documented (counts.monograph_states)
    #: for ``monographs``, per name, what the fiche says of it: (the region it is in, in a smaller territory's note;
    #: what the sources count of it, « 23 collectivités accompagnées »; its first aim; the frame's innovation field;
    #: the first clause of its participation process), each "" when not said; for ``gaps``, the initiatives
    #: whose text speaks of how they began without saying whether a commission or a mobilisation (``others``:
    #: those whose origin is not known at all; :func:`mesra.analysis.frame.origin_said`)
    details: tuple = ()
    #: for ``gaps``: the territory's actors that the sources cite only as examples of what could take part in a project
    #: (« Exemples de démarche pouvant intégrer la recherche-action », L443-452), and that project
    examples: tuple[str, ...] = ()
    example_of: str = ""
    #: for ``gaps``, per initiative of ``details``: what its monograph says of how it began, or "" (« Les actes le
    #: disent « un dispositif régional »… », L762, L796; :func:`mesra.analysis.frame.origin_told`)
    told: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What the finding states, without its wording: the next note compares findings by this key, so that a
        sentence reworded is not a finding new and withdrawn (twenty-seventh reading: « Nouveau constat » and
        « Constat retiré » for one fact, said in two wordings, in France's « Depuis la note précédente »)."""
        parts = (self.kind, self.names, self.numbers, self.others, self.states, self.details, self.examples)
        return json.dumps(parts, ensure_ascii=False, default=list)


@dataclass(frozen=True)
class FindingsFacts:
    findings: tuple[Finding, ...]
    date_reference: object = None


#: How many other pairs as densely tied the finding names; beyond, it counts them.
STRONGEST_NAMED = 3
#: The fiche says three to five findings.
MAX_FINDINGS = 5
#: With this many actors or fewer, the thin-territory finding names each with what the corpus says of it.
FEW_ACTORS = 3


def _said_of(v: TerritoryView, ident: str, named: list[str]) -> tuple[str, tuple[str, ...]]:
    """What the corpus says of one actor, in words: « le CRE-SOL est membre du Mouvement pour l'Économie
    Solidaire »; a tie the sources only cite as an example is said as such (« à titre d'exemple possible
    seulement, les sources citent PoleS en lien avec Avec Nous »); a tie to an actor ``named`` before is
    said there, once."""
    t = v.ties.drop_duplicates(["source_id", "relation", "cible_id"])
    own = t[(t["source_id"] == ident) | ((t["cible_id"] == ident) & ~t["source_id"].isin(named))]
    who = french.the(*v.pair(ident))
    facts, examples = [], []
    for row in own.itertuples(index=False):
        att = row.attestation if isinstance(getattr(row, "attestation", None), str) else contract.OBSERVED
        mine = row.source_id == ident
        if att == contract.LEADS:  # « en lien avec »: an example's relation is not a fact (L443-452)
            examples.append(v.in_sentence(row.cible_id if mine else row.source_id))  # « la recherche-action sur … »
            continue
        subject, target = (who, row.cible_id) if mine else (french.the(*v.pair(row.source_id)), ident)
        phrase = f"{subject} {french.relation(row.relation, [v.pair(target)], subject=True)}"
        facts.append(phrase + (", prévu par un plan" if att != contract.OBSERVED else ""))
    if examples:
        facts.append(
            f"à titre d'exemple possible seulement, les sources citent {who} en lien avec "
            f"{french.join(list(dict.fromkeys(examples)))}"
        )
    if not facts:
        beside = t[(t["cible_id"] == ident) & t["source_id"].isin(named)]["source_id"]
        facts = (
            [f"{who} apparaît seulement aux côtés {french.of(french.join(_names(v, dict.fromkeys(beside))))}"]
            if len(beside)
            else [f"le corpus ne connaît {french.to(*v.pair(ident))} aucun lien"]  # « au TIESS », never « à le »
        )
    return " ; ".join(facts), tuple(str(s) for s in own["source"] if isinstance(s, str))


def _bracketed(objet) -> str:
    """What the text says a tie is for, in brackets after it (« (par l'intermédiaire du Réseau des AMAP …) »), or
    ``""``."""
    return f" ({objet.strip()})" if isinstance(objet, str) and objet.strip() else ""


def _names(v: TerritoryView, ids) -> list[str]:
    return [french.the(*v.pair(i)) for i in ids]


def _thin(v: TerritoryView) -> Finding:
    ties = tie_count(v.ties)
    names, sources = [], []
    if 0 < len(v.actors) <= FEW_ACTORS:
        tied = v.ties["source_id"].value_counts().add(v.ties["cible_id"].value_counts(), fill_value=0)
        ids = sorted(v.actors["acteur_id"], key=lambda i: (-tied.get(i, 0), i))  # the most tied first
        for i, ident in enumerate(ids):
            said, srcs = _said_of(v, ident, ids[:i])
            names.append(said)
            sources += srcs
    return Finding(
        "thin",
        numbers=(len(v.actors), ties.known, len(v.monographs), ties.examples),
        states=monograph_states(v.monographs),
        names=tuple(names),
        sources=tuple(dict.fromkeys(sources)),
    )


#: Up to this many partners, the organisation « qui fait le plus le lien » is said with them.
NAMED_PARTNERS = 5


def _brokers(v: TerritoryView) -> Finding | None:
    g = v.graph
    from mesra.analysis.brief.network import pair_sentences

    few = v.tied_inside() < 2
    b = v.brokers(3) if not few else ()  # never a generic actor (« Collectivités territoriales (non nommées) »)
    if few or (len(b) and v.is_star(b["noeud"].iloc[0])):
        # one organisation of the territory and its partners, or a small star: each pair said with how it is
        # tied (ninth reading: Normandie's ARDES and COORACE, L328, were on no page of the fiche; Occitanie's
        # MES Occitanie joins a working group the Région carries, L508, not a cooperation between them)
        said = pair_sentences(v)
        if said:
            sources = sorted({src for *_, d in g.edges(data=True) for src in as_list(d.get("sources"))})
            return Finding("pairs", names=said, numbers=(g.number_of_edges(),), sources=tuple(sources))
        if v.tied_inside() < 2:
            return None
    if not len(b):
        return Finding("no_broker")
    lead = b.iloc[0]
    sources = sorted({src for _, _, d in g.edges(lead["noeud"], data=True) for src in as_list(d.get("sources"))})
    if g.degree(lead["noeud"]) < HOLDS:  # a small bridge beside the rest (Île-de-France's MES): not what to retain
        return None
    # a few partners are named (fifteenth reading: Hauts-de-France's « l'APES (4 partenaires) » never said which)
    named = [french.the(*v.pair(n)) for n in sorted(g.neighbors(lead["noeud"]), key=v.name_of)]
    partners = (french.join(named),) if 1 < len(named) <= NAMED_PARTNERS else ()
    return Finding(  # names with their articles: « c'est par le Mouvement pour l'Économie Solidaire que passent… »
        "brokers", names=(french.the(*v.pair(lead["noeud"])),), numbers=(int(lead["degre"]),),
        others=tuple(french.the(*v.pair(n)) for n in b["noeud"].iloc[1:]), sources=tuple(sources), details=partners,
    )  # fmt: skip


def _strongest(v: TerritoryView) -> Finding | None:
    g = v.graph
    if not g.number_of_edges():
        return None
    t = v.observed_ties

    def twice(u: str, w: str, d: dict) -> bool:
        """Whether the pair's direct tie is stated apart from the project they share (twenty-sixth reading: « Les
        Champs des possibles et le Réseau des AMAP … liés de plus d'une façon » rested on one sentence, a partnership
        within Devenir paysan, L452, L910)."""
        pair = {u, w}
        direct = t[t["source_id"].isin(pair) & t["cible_id"].isin(pair) & t["relation"].isin(d.get("relations") or ())]
        shared = t[t["source_id"].isin(pair) & t["cible_id"].isin(set(d.get("contextes") or ()))]
        if not len(direct) or not len(shared):  # two shared contexts, or direct ties alone: more than one way
            return True
        return not set(direct["source"]) <= set(shared["source"])

    edges = [e for e in g.edges(data=True) if e[2]["weight"] < 2 or twice(*e)]
    if not edges:
        return None
    top = max(e[2]["weight"] for e in edges)
    if top < 2:
        return None
    best = [e for e in edges if e[2]["weight"] == top]
    direct = t[t["relation"].isin(set(r for e in best for r in e[2].get("relations") or ()))]

    def attested(a: str, b: str) -> int:  # how many places state the pair's own direct tie (L452 and L910)
        pair = ((direct["source_id"] == a) & (direct["cible_id"] == b)) | (
            (direct["source_id"] == b) & (direct["cible_id"] == a)
        )
        return direct.loc[pair, "source"].nunique()

    # among equally dense pairs, the one the sources document in most places, then the one whose direct tie
    # they state in most places (ninth reading: Île-de-France's pair rested on L452 alone, in the examples
    # list, while L910 states the Champs des possibles'); the others are counted
    u, w, d = max(
        best,
        key=lambda e: (
            len(set(e[2].get("sources") or ())),
            attested(e[0], e[1]),
            -len(v.name_of(e[0])),
            v.name_of(e[0]),
            v.name_of(e[1]),
        ),
    )
    contexts = tuple(v.name_of(c) for c in d.get("contextes") or ())
    # the other pairs as dense, named when few (twenty-fourth reading: « 3 autres couples … le sont aussi » never said
    # which)
    others = sorted(f"{french.of(*v.pair(a))} et {french.of(*v.pair(b))}" for a, b, _ in best if {a, b} != {u, w})
    return Finding(
        "strongest", names=(french.the(*v.pair(u)), french.the(*v.pair(w))),
        numbers=(int(d.get("liens_directs") or 0), len(best) - 1), others=contexts,
        sources=tuple(d.get("sources") or ()),
        details=tuple(others) if len(others) <= STRONGEST_NAMED else (),
    )  # fmt: skip


def _monographs(v: TerritoryView, with_councils: bool = False) -> Finding:
    m = v.monographs
    if not len(m):
        return Finding("no_monograph")
    documented = sorted(set(v.axis_evidence["axe"]) & set(ANALYSIS_AXES))  # axe 6 is the programme (L441)
    named = len(m) <= 3
    # where it is (in a child's note), its figures and what it is for; the common frame's origin (L404) is the
    # corpus's coding, never the proceedings' words: the fiche leaves it to the initiative's table (twelfth
    # reading: « commande publique » read as public procurement where L320 says « souvent à la demande »)
    above = set(v.corpus.territory_ancestors(v.territoire))
    # per initiative, what the fiche says of it in brackets, as facts; the template words them (« initiative située
    # en … », « pour … », « selon les sources : … », « processus de participation : … »)
    details = tuple(
        (
            # an initiative of the region in a département's note: its figures are the region's (tenth reading: the
            # APES's « 16 territoires d'intervention » read as the Pas-de-Calais's, L320)
            v.corpus.territory_name(home) if home in above else "",
            french.join(p for p in (frame.figure_phrase(k, n) for k, n in sorted(figures.items())) if p),
            # what it is for: without a figure (eighth reading: Devenir paysan's « couveuse », L452), or when it is
            # the territory's only one (twelfth reading: what the Générateur's 23 collectivités are accompanied for,
            # L314)
            aims[0] if isinstance(aims, list) and aims and (len(m) == 1 or not figures) else "",
            # neither figure nor aim: the common frame's innovation field, as the corpus reads it (13th reading:
            # Normandie's fiche said nothing of what the ARDES does in the TZCLD, L330), never called an innovation
            # (fourteenth: the proceedings do not)
            innovation.strip().rstrip(".")
            if not figures and not aims and isinstance(innovation, str) and innovation.strip()
            else "",
            # the territory's only initiative: how its actors take part, first clause of the common frame's field
            # (thirtieth reading: « l'implication des élus et des techniciens des collectivités » that the Générateur
            # requires, L312, is what an elected reader needs, and was only in the note), unless « Avec les
            # collectivités » says what they do with named councils (Hauts-de-France's fiche holds on two pages)
            _first_new_clause(process, innovation if not figures and not aims else None)
            if len(m) == 1 and isinstance(process, str) and process.strip() and not with_councils
            else "",
        )
        for figures, aims, home, innovation, process in zip(
            m["chiffres"],
            m["objectifs"],
            m["territoire"],
            m["innovation_description"] if "innovation_description" in m.columns else [None] * len(m),
            m["processus_participation"] if "processus_participation" in m.columns else [None] * len(m),
        )
    )
    return Finding(
        "monographs", names=tuple(m["titre"]) if named else (), numbers=(len(m), len(documented)),
        sources=tuple(src for srcs in m["sources"] for src in srcs), states=monograph_states(m),
        details=details if named else (),
    )  # fmt: skip


def _first_new_clause(text: str, said: object) -> str:
    """The first clause of ``text`` (clauses split by « ; »), or "" when ``said`` already holds its first words
    (thirty-second reading: Normandie's fiche said « instances de concertation territoriales » twice, from the
    innovation field and from the participation process; thirty-third: the next clause, the ARDES's animation of new
    candidate territories with the COORACE, L328, is a role, not how people take part)."""
    known = said.casefold() if isinstance(said, str) else ""
    first = text.split(" ; ")[0].strip().rstrip(".")
    return "" if " ".join(first.casefold().split()[:4]) in known else first


def _gaps(v: TerritoryView) -> Finding | None:
    if not len(v.monographs):
        return None
    open_axes = axes.open_axes(v)
    m = v.monographs
    # an origin the text speaks of without qualifying it is « non qualifiée », not unknown (L328 for the TZCLD)
    said = {row.titre: frame.origin_said(row) for row in m.itertuples(index=False) if row.origine == "inconnue"}
    unknown = tuple(t for t, s in said.items() if not s)
    unqualified = tuple(t for t, s in said.items() if s)
    told = {row.titre: frame.origin_told(row) or "" for row in m.itertuples(index=False) if row.titre in unqualified}
    examples, example_of, example_sources = _examples(v)
    if not open_axes and not said and not examples:
        return None
    return Finding(
        "gaps",
        names=tuple(lower_first(a) for a in open_axes),  # « démarche ESS », never « ess »
        others=unknown,
        numbers=(len(unknown), len(unqualified)),
        details=unqualified,
        told=tuple(told[t] for t in unqualified),
        sources=tuple(loc for t in unqualified for loc in said[t]) + example_sources,
        examples=examples,
        example_of=example_of,
    )


def _examples(v: TerritoryView) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The territory's actors that the sources cite only as examples of what could take part in one project, that
    project's name in a sentence (its bracketed precision left out) and the lines (twenty-fourth reading: the fiches
    of Occitanie, Hauts-de-France, Île-de-France and Bourgogne-Franche-Comté never said that the proceedings name
    their initiative among the « exemples de démarche pouvant intégrer la recherche-action », L443-452)."""
    from mesra.network.graphs import leads

    found = leads(v.corpus, v.territoire)
    found = found[found["source_id"].isin(v.actor_ids)]
    found = found[[v.joins_project(r, c) for r, c in zip(found["relation"], found["cible_id"])]]
    if not len(found) or found["cible_id"].nunique() != 1:
        return (), "", ()
    said = v.project_said(found["cible_id"].iloc[0])
    names = dict.fromkeys(v.example_said(a, o) for a, o in zip(found["source_id"], found["objet"]))
    return tuple(names), said, tuple(found["source"])


#: What the territory's actors made, in the findings: tools and projects they develop or carry, and the events they
#: organise (fifth cold read: the Gard's own fact is the event of August 2019, L348), as the sources state it
#: (observed), never the seminar's chantiers.
MADE_RELATIONS = ("developpe", "porte")
MADE_TYPES = ("outil", "projet", "plateforme", "evenement")
#: How many made things the finding names; the others are counted.
MADE_SHOWN = 4
#: The same for a country or wider, whose fiche has more to say elsewhere on its two pages (twelfth reading).
WIDE_MADE_SHOWN = 3
#: When the finding names all the territory's made things and they are this few, each says what the text says of it
#: (thirty-first reading: Bourgogne-Franche-Comté's fiche named the PESAD 21's accompaniment without the young people,
#: councils and EPCI who come to it for advice, L762, and its evaluation without the results it means to spread in
#: 2020, L530).
MADE_SAID_WHOLE = 2


def _made(v: TerritoryView) -> Finding | None:
    """« Ce que les acteurs du territoire ont déjà fait » : the tools and projects its organisations develop or carry,
    observed (L542: the APES's Alterguide; L550: EVALUMIP), each with its maker, first those most cited."""
    t = v.observed_ties
    if not len(t):
        return None
    # the project an initiative of the territory is about is said with that initiative (tenth reading: France's
    # TZCLD said twice; the Générateur said by the Côte-d'Or, not by its region); its events and tools stay (the
    # Gard's event of August 2019, L348)
    m = v.monographs
    told = (
        set(m["id"]) | {a for acts in m["acteurs"] for a in acts or () if v.types.get(a) == "projet"}
        if len(m)
        else set()
    )
    t = t[
        t["source_id"].isin(v.actor_ids)
        & t["relation"].isin(MADE_RELATIONS)
        & t["cible_id"].map(v.types).isin(MADE_TYPES)
        & ~t["cible_id"].isin(told)
    ]
    if not len(t):
        return None
    # each maker's tools and projects before its events, then by name
    t = t.drop_duplicates(["cible_id"]).assign(
        _event=t["cible_id"].map(v.types).eq("evenement"), _name=t["cible_id"].map(v.name_of)
    )
    t = t.sort_values(["_event", "_name"], kind="stable")
    makers = t["source_id"].value_counts(sort=False)
    order = sorted(makers.index, key=lambda m: (-makers[m], v.name_of(m)))  # the maker of most things first
    # one thing of each maker in turn, so that a country's finding does not name a single organisation's
    queues = {m: list(t.loc[t["source_id"] == m, "cible_id"]) for m in order}
    picked: dict[str, list[str]] = {}
    most = WIDE_MADE_SHOWN if v.wide else MADE_SHOWN
    while sum(map(len, picked.values())) < min(most, len(t)):
        for m in order:
            if queues[m] and sum(map(len, picked.values())) < most:
                picked.setdefault(m, []).append(queues[m].pop(0))
    names = []
    sigles = dict(zip(v.actors["acteur_id"], v.actors["sigle"])) if "sigle" in v.actors else {}
    objets = dict(zip(t["cible_id"], t["objet"])) if len(t) <= MADE_SAID_WHOLE else {}
    for maker, things in picked.items():
        said = [
            with_aside(
                _without_maker(v.name_of(c), v.pair(maker)[0], v.name_of(maker), sigles.get(maker)), objets.get(c)
            )
            for c in things
        ]
        names.append(f"{french.join(said)}, par {french.the(*v.pair(maker))}")  # never brackets in brackets
    shown = t[t["cible_id"].isin({c for things in picked.values() for c in things})]
    sources = tuple(sorted({str(x) for x in shown["source"] if isinstance(x, str)}))
    # the others, each with its maker, for the note's annex (twenty-second reading: « et 7 autres (voir le centre de
    # ressources) » sent the reader of the printed fiche to pages it does not hold)
    rest = t[~t["cible_id"].isin(shown["cible_id"])]
    # with what the text says of it (twenty-fourth reading: « Dispositif local d'accompagnement, par Opale » read as
    # Opale running the DLA, which it carries « au niveau national dans le domaine culturel », L504)
    others = tuple(
        f"{v.name_of(c)}{_bracketed(o)}, par {french.the(*v.pair(m))}"
        for c, m, o in zip(rest["cible_id"], rest["source_id"], rest["objet"])
    )
    return Finding("made", names=tuple(names), numbers=(len(rest),), others=others, sources=sources)


def _without_maker(name: str, *maker_names: str) -> str:
    """« Formation à l'évaluation … (MES Occitanie) » said after « le MES Occitanie : » loses its last brackets."""
    head, sep, tail = name.rpartition(" (")
    makers = {m.replace(" ", "") for m in maker_names if isinstance(m, str) and m}
    return head if sep and tail.rstrip(")").replace(" ", "") in makers else name


def _said_below(facts) -> bool:
    """Whether the plan's finding would only say the co-animation that the fiche's part on the chantier says just
    below: a region's, without a follow-up (twenty-eighth reading: said twice on four fiches); with a follow-up it says
    what awaits a review. The part then stands for the finding, in the fiche's three to five."""
    return not facts.national and bool(facts.chantiers) and not facts.reference.suivi


def _plan_facts(v: TerritoryView):
    from mesra.analysis.plan import territory_plan

    return getattr(v, "plan_facts", None) or territory_plan(v.corpus, v.territoire, v.date_reference)


def _plan(v: TerritoryView, facts) -> Finding | None:
    """The plan's finding (:func:`mesra.analysis.plan.plan_finding`: the chantiers the territory
    co-animates and where the follow-up stands, at the corpus's own reference date); ``facts``: its plan."""
    from mesra.analysis.plan import plan_finding

    if _said_below(facts):
        return None
    found = plan_finding(v.corpus, facts)
    if found is None:
        return None
    text, sources = found
    return Finding("plan", names=(text,), sources=tuple(sources))


#: Ties by which an organisation from elsewhere carries or supports a project located in the territory.
HOSTED_RELATIONS = ("porte", "accompagne", "developpe", "co_organise")
#: Taking part counts too when it is in a project (twenty-fourth reading: the UFISC « intervient lors de la
#: construction des pratiques évaluatives » of conventions in Seine-Saint-Denis, L576, it does not accompany them;
#: the MIRAMAP takes part in Devenir paysan, L452), never in an event (the seminar's participants).
HOSTED_PROJECT_RELATIONS = ("participe_a",)


def _hosted(v: TerritoryView) -> Finding | None:
    """What organisations from elsewhere carry or support in the territory (twelfth reading: the UFISC's support
    of a convention creating lieux intermédiaires in Seine-Saint-Denis, L576, was on no page of Île-de-France's
    fiche). ``names``: one clause each, by :func:`mesra.french.sentence` (« l'UFISC accompagne … »)."""
    t = v.observed_ties
    if not len(t):
        return None
    t = t[
        t["cible_id"].isin(v.actor_ids)
        & ~t["source_id"].isin(v.actor_ids | v.people_ids)
        & (
            t["relation"].isin(HOSTED_RELATIONS)
            | (t["relation"].isin(HOSTED_PROJECT_RELATIONS) & t["cible_id"].map(v.types).eq("projet"))
        )
        & t["cible_id"].map(v.types).isin(MADE_TYPES)
        & ~t["source_id"].map(v.types).isin(("personne",))
    ].drop_duplicates(["source_id", "relation", "cible_id"])
    if not len(t):
        return None
    # organisations the corpus says national are said so (thirtieth and thirty-first readings: « d'ailleurs » said
    # where they are, which the sources do not; L70, L76 list the UFISC and the MIRAMAP among the national networks)
    a = v.corpus.acteurs
    echelons = dict(zip(a["acteur_id"], a["echelon"])) if "echelon" in a.columns else {}
    national = all(echelons.get(s) == "national" for s in t["source_id"])
    # and members of the Mouvement when all are (thirty-second reading: Île-de-France's fiche never said that the
    # Mouvement is present there through its member federations, the MIRAMAP and the UFISC, L70, L76)
    members = t["source_id"].isin(a.loc[is_member(a), "acteur_id"]).all()
    return Finding(
        "hosted",
        numbers=(int(national), int(members)),
        # with what the text says of how (twenty-fourth reading: the MIRAMAP takes part « par l'intermédiaire du réseau
        # Amap Île-de-France », L452)
        names=tuple(
            french.sentence([v.pair(s)], r, [v.pair(c)]) + _bracketed(o)
            for s, r, c, o in zip(t["source_id"], t["relation"], t["cible_id"], t["objet"])
        ),
        sources=tuple(str(x) for x in t["source"] if isinstance(x, str)),
    )


#: What an organisation does with a named local authority, in the findings (twenty-fifth reading: Hauts-de-France's
#: fiche left out that the agglomeration of Béthune-Bruay asked the APES to gather its 120 firms, L322).
AUTHORITY_RELATIONS = ("accompagne", "partenaire_de", "co_organise", "finance")


def _authorities(v: TerritoryView) -> Finding | None:
    """« Avec les collectivités » : what the territory's organisations do with a named local authority (a
    ``collectivite`` the sources name), or an authority of the territory with an organisation, observed, with what the
    text says it is for."""
    t = v.observed_ties
    if not len(t):
        return None
    kinds = t["cible_id"].map(v.types)
    t = t[
        t["relation"].isin(AUTHORITY_RELATIONS)
        & kinds.eq("collectivite")
        & (t["source_id"].isin(v.actor_ids) | t["cible_id"].isin(v.actor_ids))
        & ~t["cible_id"].map(v.name_of).map(is_generic)
    ].drop_duplicates(["source_id", "relation", "cible_id"])
    names = tuple(
        french.sentence([v.pair(s)], r, [v.pair(c)]) + _bracketed(o)
        for s, r, c, o in zip(t["source_id"], t["relation"], t["cible_id"], t["objet"])
    )
    # a proposal of an authority, said by what it proposes (twenty-eighth reading: Boulogne's, L322, was not on the
    # fiche of Hauts-de-France)
    planned = v.ties[(v.ties["attestation"] == "prevu") & v.ties["relation"].isin(AUTHORITY_RELATIONS)]
    planned = planned[planned["cible_id"].map(v.types).eq("collectivite")]
    proposed = [
        (said, src)
        for s, c, src in zip(planned["source_id"], planned["cible_id"], planned["source"])
        if (said := v.proposal_said(s, c))
    ]
    if not len(t) and not proposed:
        return None
    names += tuple(said for said, _ in proposed)
    sources = [str(x) for x in [*t["source"], *(src for _, src in proposed)] if isinstance(x, str)]
    return Finding("authorities", names=names, sources=tuple(dict.fromkeys(sources)))


def facts(v: TerritoryView) -> FindingsFacts:
    if len(v.organisations) < 2 and not len(v.monographs):
        return FindingsFacts((_thin(v),), v.date_reference)
    plan = _plan_facts(v)
    councils = _authorities(v)  # read once: the only initiative's processus is left to it (_monographs)
    kinds = (
        _brokers,
        _made,
        _hosted,
        lambda v: _monographs(v, with_councils=councils is not None),
        _gaps,
        lambda v: _plan(v, plan),
        lambda v: councils,
        _strongest,
    )
    found = [f for f in (kind(v) for kind in kinds) if f]
    if any(f.kind == "pairs" for f in found):  # the pairs say every cooperation already, with the authorities'
        found = [f for f in found if f.kind != "authorities"]
    if len(found) < 3:
        found.insert(0, _thin(v))
    found = found[: MAX_FINDINGS - _said_below(plan)]  # three to five, the chantier's part counted as one
    return FindingsFacts(tuple(found), v.date_reference)


def keyed(v: TerritoryView, bullets: list[str]) -> list[tuple[str, str]] | list[str]:
    """The findings' sentences ``bullets`` (:func:`section`) as ``(key, sentence)`` pairs (:attr:`Finding.key`) for
    the facts a note keeps; the sentences alone when they do not go one per finding."""
    found = facts(v).findings
    return list(zip((x.key for x in found), bullets)) if len(found) == len(bullets) else list(bullets)


def section(v: TerritoryView) -> Section:
    f = facts(v)
    s = Section("À retenir")
    s.bullets = render("findings", f=f).bullets
    for finding in f.findings:
        s.cite(*finding.sources)
    return s
