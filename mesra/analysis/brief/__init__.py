"""The research-action brief ("note de recherche-action") of one territory.

Notebook ``04-note-recherche-action`` builds a :class:`Brief` and shows its sections
one per cell. The brief is a package with the facts apart from the wording:

* :mod:`~mesra.analysis.brief.view`: one shared view of the territory (actors, people
  and their roles, ties, the cooperation graph, monographs), computed once;
* one module per section (:mod:`~mesra.analysis.brief.header`, ``findings``, ``actors``,
  ``people``, ``network``, ``advocacy``, ``monographs``, ``practices``, ``axes``,
  ``nextsteps``, ``sources``), whose ``facts`` function returns a small frozen
  dataclass of identifiers, numbers and source locators;
* the French wording in Jinja2 templates (``templates/*.j2``,
  :mod:`~mesra.analysis.brief.wording`), with mesra's French helpers as filters: a
  researcher rewords a sentence there without touching Python.

Each section is a :class:`~mesra.analysis.sections.Section` (escaped HTML) whose
sources show as marks that quote the source passage (on hover, and as footnotes in
print). A territory with little data gets short sections that say what is missing.
Figures that several pages show (ties, monographs, axes, actions) come from
:mod:`mesra.analysis.counts`.

The brief reads the same ties three ways, never mixed in one count (see ``DESIGN.md``,
"Network semantics"): *cooperation* between organisations (section 3), *affiliation*
(memberships, participation), and *advocacy* (Axe 4's cartography, section 4).
"""

from __future__ import annotations

import functools
from functools import cached_property

import pandas as pd

from mesra import french
from mesra.analysis.brief import (
    actors,
    advocacy,
    axes,
    fiche,
    findings,
    glossary,
    header,
    monographs,
    network,
    nextsteps,
    people,
    practices,
    sources,
    titles,
)
from mesra.analysis.brief.advocacy import ADVOCACY_ACTION_RELATIONS, ADVOCACY_BODY_TYPES
from mesra.analysis.brief.nextsteps import HANDFUL
from mesra.analysis.brief.practices import PRACTICE_RELATIONS
from mesra.analysis.brief.view import TerritoryView, present
from mesra.analysis.sections import Section, Table, sort_locators
from mesra.corpus import pages as printed_pages
from mesra.corpus.geo import resolve_territory

__all__ = [
    "Brief",
    "check_parameters",
    "HANDFUL",
    "PRACTICE_RELATIONS",
    "ADVOCACY_BODY_TYPES",
    "ADVOCACY_ACTION_RELATIONS",
]


def check_parameters(corpus, territoire: str | None = None, **_ignored) -> str | None:
    """The identifier of the territory ``territoire`` names (an identifier, a name with or without
    accents, an INSEE code: :func:`~mesra.corpus.geo.resolve_territory`); an unknown territory is
    refused with a French message (papermill alone only warns).

    Raises
    ------
    ParameterError
        When ``territoire`` is not an identifier of the corpus's territories.
    """
    if territoire is None:
        return None
    with_data = ", ".join(corpus.territories_with_data()[:15])
    return resolve_territory(territoire, corpus.territoires, hint=f"Territoires avec données : {with_data}…")


def _built_once(method):
    """A section is built once per brief and the same object returned after (the sources section
    gathers the citations of the sections the notebook has already shown); its sources quote the
    passages they cite."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        built = self.__dict__.setdefault("_built", {})
        if key not in built:
            s = method(self, *args, **kwargs)
            self._shorten(s)
            self._quote(s)
            built[key] = s
        return built[key]

    return wrapper


#: The caption of the rest of a list the note cut (« … et 17 autres (suite de la liste en annexe) »), printed in the
#: annex after the note's first items.
SUITE = "Suite de la liste"
#: The fiche's people or advocacy, whole, in the annex, when the fiche shows their first lines only.
WHOLE_LIST = "La liste de la fiche, entière"


class Brief(TerritoryView):
    """Everything a brief states about ``territoire``, computed once.

    Parameters
    ----------
    corpus : Corpus
        A loaded corpus (pseudonymised or not).
    territoire : str
        Territory identifier; its sub-territories are rolled up.
    date_reference : str or date, optional
        The day the action plans are read at (what is due, what is past due); default:
        the corpus's own (:func:`mesra.analysis.plan.reference_date`: its latest follow-up
        entry, else the date of the plan's sources), never today. ``self.reference`` says
        where it comes from; ``self.date_reference`` is the day (None without one).
    """

    def __init__(self, corpus, territoire: str, *, date_reference=None):
        territoire = check_parameters(corpus, territoire)
        from mesra.analysis.plan import reference_date

        self.reference = reference_date(corpus, date_reference or None)
        super().__init__(corpus, territoire, self.reference.jour)

    #: The printed titles of the note's sections (the notebook titles its cells with them).
    titles = titles.NOTE

    #: What a notebook shows of a brief, one section a cell, in the brief's order.
    SECTIONS = (
        ("header", "en-tête : le territoire et ce sur quoi la note repose"),
        ("actors_section", "les acteurs du territoire"),
        ("people_section", "les personnes nommées et leurs rôles"),
        ("network_section", "le réseau de coopération"),
        ("advocacy_section", "le plaidoyer (Axe 4)"),
        ("monographs_section", "les monographies"),
        ("practices_section", "les pratiques"),
        ("axes_section", "les six axes de la recherche-action"),
        ("plan_section", "le plan d'action et son suivi"),
        ("changes_section", "depuis la note précédente"),
        ("next_steps_section", "les pistes"),
        ("sources_section", "les sources citées"),
    )

    def __repr__(self) -> str:
        from mesra import french

        return f"Note de recherche-action — {self.name} ({self.territoire}), au {french.date(self.date_reference)}"

    def _repr_html_(self) -> str:
        """In a notebook: the brief's header, then the sections it offers (French HTML)."""
        import html

        items = "".join(f"<li><code>{m}()</code> : {html.escape(t)}</li>" for m, t in self.SECTIONS)
        return self.header()._repr_html_() + "\n<p>Sections (une par cellule) :</p><ul>" + items + "</ul>"

    @cached_property
    def plan_facts(self):
        """The territory's plan as facts (:class:`mesra.analysis.plan.PlanFacts`), read at :attr:`reference`."""
        from mesra.analysis.plan import territory_plan

        return territory_plan(self.corpus, self.territoire, self.reference)

    @cached_property
    def acronyms(self):
        """The actors a section names in full once, then by their acronym (:func:`.wording.acronyms`)."""
        from mesra.analysis.brief.wording import acronyms

        return acronyms(self.corpus.acteurs)

    def _shorten(self, s: Section) -> None:
        """After its first mention in a section, an actor that has an acronym is named by it (« l'APES »)."""
        from mesra.analysis.brief.wording import shorten_section

        shorten_section(s, self.acronyms)

    def _quote(self, s: Section) -> None:
        """Give a section the passages its sources cite (hover on screen, footnotes in print), numbered
        across the brief: a passage cited again keeps its number and its footnote is printed once."""
        numbers = self.__dict__.setdefault("_note_numbers", {})
        s.footnotes = set()
        for loc in sort_locators(s.sources):
            if loc not in numbers:
                numbers[loc] = len(numbers) + 1
                s.footnotes.add(loc)
            s.numbers[loc] = numbers[loc]
            if loc not in s.quotes:
                q = sources.quote(self.corpus, loc)
                # printed, the page of the proceedings a reader holds (twenty-ninth reading); on hover, lines too
                s.quotes[loc] = (
                    f"{q.source}, {q.where}" if q.where else q.source,
                    q.text,
                    q.pages or q.lines or q.source,
                )

    # --- header and findings ---------------------------------------------------------------
    @_built_once
    def header(self) -> Section:
        """Title and what the brief rests on."""
        return header.section(self)

    def fiche(self):
        """The *fiche territoire* (pages 1–2): our people, the actions and their status, advocacy, findings."""
        built = self.__dict__.setdefault("_built", {})
        if "fiche" not in built:
            from mesra.analysis.brief.wording import shorten_sections

            f = fiche.sections(self)
            shorten_sections(f.parts, self.acronyms)  # a name in full once on the fiche's two pages
            for part in f.parts:
                self._quote(part)
            built["fiche"] = f
        return built["fiche"]

    @_built_once
    def key_findings(self) -> Section:
        """À retenir: three to five findings computed from the data, one sentence each."""
        return findings.section(self)

    # --- 1–2. actors and people ------------------------------------------------------------
    def actor_counts(self, column: str = "type") -> pd.DataFrame:
        return actors.counts(self, column)

    @_built_once
    def actors_section(self) -> Section:
        """1. The territory and its actors by type and echelon."""
        return actors.section(self)

    @_built_once
    def people_section(self) -> Section:
        """2. Key people: the territory's people, their functions, and their roles in the workshops."""
        return people.section(self)

    # --- 3. cooperation network -----------------------------------------------------------
    @cached_property
    def community_names(self) -> dict[int, str]:
        return network.community_names(self)

    def _what_else(self, ident: str) -> str:
        return network.what_else(self, ident)

    @_built_once
    def network_section(self, top: int = 5) -> Section:
        """3. The cooperation network in plain sentences: who holds it together, who has no cooperation tie."""
        return network.section(self, top)

    def network_method(self) -> Section:
        """How the cooperation network is built, in full: for the researchers' page, not for the note."""
        return network.method(self)

    def measures_table(self) -> pd.DataFrame:
        """The network measures with their technical names: for the researchers' page, not for the note."""
        return network.measures_table(self)

    # --- 4. advocacy ------------------------------------------------------------------------
    @cached_property
    def advocacy_ties(self) -> pd.DataFrame:
        """Advocacy (Axe 4): see :func:`mesra.analysis.brief.advocacy.ties`."""
        return advocacy.ties(self)

    def advocacy_by_echelon(self) -> pd.DataFrame:
        """Advocacy ties per echelon (the same ties as the table of section 4)."""
        return advocacy.by_echelon(self.advocacy_ties)

    @_built_once
    def advocacy_section(self) -> Section:
        """4. Advocacy cartography (Axe 4): bodies where the territory's actors act, local → international."""
        return advocacy.section(self, self.advocacy_ties)

    # --- 5–7. monographs, practices, axes ----------------------------------------------------
    @_built_once
    def monographs_section(self) -> Section:
        """5. Monographs located in the territory, every field of the common frame."""
        return monographs.section(self)

    @cached_property
    def practices(self) -> pd.DataFrame:
        """What the territory's actors and people do in Axes 2 and 3, workshop roles included."""
        return practices.practices(self)

    @_built_once
    def practices_section(self) -> Section:
        """6. Evaluation (Axe 2) and support (Axe 3): what actors do."""
        return practices.section(self, self.practices)

    def axes_grid(self) -> pd.DataFrame:
        """The six axes: which monographs document each, what they say, or the open question."""
        return axes.grid(self)

    @_built_once
    def axes_section(self) -> Section:
        """7. The six-axes grid of the note de cadrage, computed from the same frame data as section 5."""
        return axes.section(self)

    # --- 8. the action plans (mesra.analysis.plan) ------------------------------------------
    @_built_once
    def plan_section(self):
        """8. "Plan d'action et suivi": what the territory carries or joins, what is due, what is past due."""
        from mesra.analysis.plan import plan_section

        return plan_section(self.corpus, self.territoire, self.reference, title="8. Plan d'action et suivi")

    def plan_actions(self) -> pd.DataFrame:
        """The actions of the plans that concern the territory, with their current status."""
        from mesra.analysis.counts import actions_of

        return actions_of(self.corpus, self.territoire, date_reference=self.reference)

    def changes_section(self, note_precedente: str | None = None) -> Section:
        """ "Depuis la note précédente": this note's facts against those the previous note kept.

        Displayed, the section records this note's facts (actors, people, ties, findings,
        plan) for the next note (:mod:`mesra.analysis.since`).
        """
        from mesra.analysis.since import since_section

        s = since_section(
            note_precedente or None,
            self.corpus,
            self.territoire,
            date_reference=self.reference,
            findings=findings.keyed(self, self.key_findings().bullets),
            actors=self.actors,
            people=self.people,
            ties=self.ties,
        )
        # a first note compares nothing: the part is the note's closing word (twenty-second reading: an empty
        # « Depuis la note précédente »), which also says once what the researchers' version holds
        lines = titles.ABOUT_LINES_PAGES if self._places_pages() else titles.ABOUT_LINES
        about = [lines, titles.ABOUT_DETAIL] if self._cites_lines() else [titles.ABOUT_DETAIL]
        if s.since is not None and s.since.premiere:
            s.title = titles.ABOUT
            s.paragraphs = [titles.ABOUT_FIRST, *about]
        else:
            s.notes_title = titles.ABOUT
            s.notes.extend(about)
        return s

    def _cites_lines(self) -> bool:
        """Whether the corpus holds a text whose lines the note cites (« ligne 459 »)."""
        return bool(header._texts(self.corpus))  # the texts the header names, the same rule

    def _places_pages(self) -> bool:
        """Whether the corpus places the printed pages of every text the note cites by its lines."""
        placed = printed_pages.of(self.corpus)
        s = self.corpus.sources
        texts = s.loc[s["fichier"].map(present), "source_id"] if "fichier" in s.columns else ()
        return bool(len(texts)) and all(sid in placed for sid in texts)

    # --- 9. next steps ---------------------------------------------------------------------
    @cached_property
    def connection_suggestions(self) -> pd.DataFrame:
        """Pairs of the territory's organisations that share a small, local collective but no tie."""
        return nextsteps.connection_suggestions(self)

    @_built_once
    def next_steps_section(self, top: int = 10) -> Section:
        """9. Next steps: the plan first, then whom to connect, planned cooperations, leads and data gaps."""
        return nextsteps.section(self, self.connection_suggestions, top)

    def resources(self):
        """Links to the resource centre: the resources of the tools, initiatives and actors this brief names."""
        from mesra.analysis.resources.links import brief_links

        return brief_links(self)

    # --- figures: none when there is nothing to draw (the section says so in a sentence) ----
    def plot_map(self):
        """The map of the territory's actors in France's départements, or None (nothing drawn) without
        actor or outside France; a territory that contains France (Europe, Monde) shows France's map."""
        if not len(self.actors):
            return None
        from mesra.analysis.maps import plot_map
        from mesra.corpus.geo import parent_map, walk_up

        if "fr" in self.corpus.territory_ids(self.territoire):
            return plot_map(self.corpus, "fr")
        if "fr" not in walk_up(parent_map(self.corpus.territoires), self.territoire):
            return None  # abroad: no map of the départements (the actors' table says where they are)
        return plot_map(self.corpus, self.territoire)

    def plot_network(self, seed: int = 0):
        """The cooperation network, or None (nothing drawn) without cooperation tie."""
        if not self.graph.number_of_edges():
            return None
        from mesra.network.plots import plot_network

        return plot_network(self.graph, seed=seed)

    def interactive_view(self, seed: int = 0):
        """The interactive network in the HTML page (the figure above stays for print), or None without tie."""
        if not self.graph.number_of_edges():
            return None
        from mesra.network.interactive import interactive_view

        return interactive_view(self.graph, self.corpus, seed=seed)

    #: The calendar is drawn from this many dated actions: one is said in the fiche with its date, and its calendar
    #: is an empty figure (fourteenth reading: Bourgogne-Franche-Comté's half-page chart of one meeting, L459).
    TIMELINE_MIN = 2

    def plot_timeline(self):
        """The plan's calendar, or None (nothing drawn) when fewer than :data:`TIMELINE_MIN` actions are dated."""
        actions = self.plan_actions()
        if not len(actions) or actions["periode_debut"].notna().sum() < self.TIMELINE_MIN:
            return None
        from mesra.analysis.plan import plot_timeline

        return plot_timeline(actions, self.date_reference)

    # --- the note as readers get it: short sections, long tables in the annex -----------------
    #: A table longer than this goes to the annex (the researchers' page); the note says where it is.
    SHORT_TABLE = 8
    #: A list longer than this shows its first items, the whole list in :meth:`lists_annex` (printed with the note).
    SHORT_LIST = 12
    #: A table with more text than this (characters in its cells) goes to the annex too.
    SHORT_TEXT = 1500

    def short(self, section: Section, title: str | None = None, *, notes: bool = True) -> Section:
        """``section`` as the note shows it: its sentences, its tables of at most :data:`SHORT_TABLE` rows;
        a longer table is moved to :meth:`annex` (the page « avec le code »), which the closing part names."""
        import copy

        out = copy.copy(section)
        out.title = title or section.title
        out.paragraphs = list(section.paragraphs)
        out.tables = []
        out.notes = list(section.notes) if notes else []
        annexed = self.__dict__.setdefault("_annexed", [])
        if len(section.bullets) > self.SHORT_LIST:  # a long list: its first items, the whole list in the annex
            rest = len(section.bullets) - self.SHORT_LIST
            out.bullets = [
                *section.bullets[: self.SHORT_LIST],
                f"… et {french.plural(rest, 'autre')} (suite de la liste en annexe).",
            ]
            # only the rest: the annex repeated the items the note had just said (twentieth reading: « the annex
            # then repeats section 6 in full »)
            rest_frame = pd.DataFrame({"Élément": section.bullets[self.SHORT_LIST :]})
            if not any(  # the same section shortened again (the glossary reads the note): its rest once
                t.caption == SUITE and title_ == out.title and t.frame.equals(rest_frame) for title_, t in annexed
            ):
                annexed.append((out.title, Table(SUITE, rest_frame)))
        for t in section.tables:
            size = sum(len(str(v)) for v in t.frame.to_numpy().ravel())
            if len(t.frame) <= self.SHORT_TABLE and size <= self.SHORT_TEXT:
                out.tables.append(t)
            elif all(t is not a for _, a in annexed):
                annexed.append((out.title, t))
        # nothing said of the moved tables here: the closing part says once what the researchers' version holds
        # (twenty-second reading: « Pour aller plus loin … dans la version détaillée » after each section sent the
        # reader of the printed note to pages it does not hold)
        return out

    def _planned_ids(self) -> set[str]:
        """The organisations that the planned cooperations of :meth:`planned_section` name."""
        import warnings

        from mesra.analysis.brief.view import is_generic
        from mesra.errors import MesraWarning
        from mesra.network.graphs import planned_cooperations

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MesraWarning)
            planned = planned_cooperations(self.corpus, self.territoire)
        # an unnamed body (the Cercle 2's « adhérents », L782) is never named by the bullets: the table names it
        return {o for o in (*planned["organisation_a"], *planned["organisation_b"]) if not is_generic(self.name_of(o))}

    def planned_section(self) -> Section:
        """The cooperations the plans foresee that no observed tie joins yet (an intention, said as one)."""
        from mesra.analysis.brief.nextsteps import _planned_and_leads, plan_partners

        planned, _, sources, _ = _planned_and_leads(self)
        partners = plan_partners(self, frozenset(self._planned_ids()))
        s = Section("Coopérations prévues, sans équivalent constaté")
        if partners:  # what the plan's actions name as partners, all of them, by chantier (a short table)
            frame = pd.DataFrame(
                {
                    "Chantier": [k for k, _, _ in partners],
                    "Partenaires nommés": [french.join(list(n)) for _, n, _ in partners],
                }
            )
            s.add_table(
                "Les actions du plan nomment aussi ces partenaires, à mobiliser ou à solliciter (certains ont déjà des "
                "liens avec le Mouvement)",
                frame,
            )
            s.cite(*(loc for _, _, loc in partners))
        if not planned:
            s.paragraphs = [  # fifteenth reading: « … aucune coopération … qu'aucun lien … » read as a double negative
                "Les plans ne prévoient aucune coopération nouvelle entre organisations de ce territoire"
                + (" ; leurs actions nomment des partenaires à mobiliser (tableau)." if partners else ".")
            ]
        else:
            s.paragraphs = [
                "Les sources présentent ces coopérations comme prévues (plans du séminaire) ou proposées, et ne "
                "rapportent encore aucune coopération entre ces organisations : ce sont des intentions, pas des faits "
                "(être membres d'un même réseau ou d'un même atelier n'est pas coopérer) :"
            ]
            # a proposal is said as one (fifteenth reading: Boulogne « a formulé une proposition », L322, no plan)
            s.bullets = [
                f"{p[:1].upper()}{p[1:]} ({'coopération proposée' if 'proposée par' in p else 'coopération prévue'})."
                for p in planned
            ]
            s.cite(*sources)
        if not planned and not partners:
            return s
        self._shorten(s)
        self._quote(s)
        return s

    def lists_annex(self) -> Section | None:
        """The rest of the lists the note cut to their first items (« … et 17 autres (suite de la liste en
        annexe) »), the fiche's people and advocacy whole, and the plan's actions: printed with the note, which the
        researchers' page does not travel with (sixteenth reading: « the whole note does not stand on its own »).
        Call it after the sections; None when there is nothing to print."""
        lists = [(title, t) for title, t in self.__dict__.get("_annexed", []) if t.caption == SUITE]
        lists[:0] = self._fiche_lists() + self._made_list()
        lists += self._plan_list()
        if not lists:
            return None
        s = Section("Annexe : les listes complètes")
        for title, t in lists:
            s.add_table(title, t.frame.rename(columns={"Élément": t.caption}))
        return s

    def _plan_list(self) -> list:
        """Every action of the note's plan, its title whole, axis, date and status (eighteenth and nineteenth readings:
        France's note counted 44 actions, asked who carries them, and never listed them)."""
        tables = [t for t in self.plan_section().tables if t.caption in ("Actions du plan", "Actions du territoire")]
        if not tables or not len(tables[0].frame):
            return []
        frame = tables[0].frame[["Axe", "Action", "Quand", "Statut"]].copy()
        # « Axe 4 » on one line: the narrow column broke it after « Axe », a line lost on every row
        frame["Axe"] = [v.replace(" ", "\u00a0") if isinstance(v, str) else v for v in frame["Axe"]]
        return [("Les actions du plan, titres entiers", Table("Tableau", frame.reset_index(drop=True)))]

    def glossary(self) -> Section | None:
        """« Les sigles de cette note »: each acronym the printed note uses (its fiche, its parts, its annex), said in
        full or by what the corpus knows of the organisation. Call it after the sections; None when there is none."""
        import html as html_module
        import re

        shown = [self.header(), self.fiche()]
        # each part as the notebook shows it, under the same title: its cut list is annexed once (twenty-second
        # reading: shortened under its default title, France's annex printed two lists twice)
        shown += [
            self.short(build(), titles.NOTE[key])
            for key, build in (
                ("network", self.network_section),
                ("planned", self.planned_section),
                ("monographs", self.monographs_section),
                ("practices", self.practices_section),
                ("axes", self.axes_section),
                ("next_steps", self.next_steps_section),
            )
        ]
        shown.append(self.lists_annex())
        text = html_module.unescape(re.sub(r"<[^>]+>", " ", "\n".join(x._repr_html_() for x in shown if x is not None)))
        return glossary.section(self, text, titles.GLOSSARY)

    def _made_list(self) -> list:
        """What the actors made or carry that « À retenir » counts without naming (« et 7 autres (liste en annexe de
        la note) »), each with its maker."""
        made = [x for x in fiche.facts(self).findings.findings if x.kind == "made" and x.others]
        if not made:
            return []
        frame = pd.DataFrame({"Élément": list(made[0].others)})
        return [(titles.MADE_REST, Table(SUITE, frame))]

    def _fiche_lists(self) -> list:
        """The fiche's people and advocacy, whole, when the fiche shows their first ones only (« Et 21 autres
        personnes », seventeenth reading: the printed note named 8 of France's 29 people and no page had the rest)."""
        f = fiche.facts(self)
        cut = {
            titles.FICHE["people"]: f.people_total > len(f.people),
            titles.FICHE["advocacy"]: f.advocacy_total > sum(a.count for a in f.advocacy),
        }
        if not any(cut.values()):
            return []
        out = []
        for part in fiche.sections(self, whole=True).parts:
            if cut.get(part.title):
                self._shorten(part)
                # « Liste complète » read as every person of the corpus (twenty-fourth reading: France's lacked a
                # person whose structure has no known territory, said apart in the header)
                out.append((part.title, Table(WHOLE_LIST, pd.DataFrame({"Élément": part.bullets}))))
        return out

    def annex(self) -> Section:
        """The annex (researchers' page): the long tables the note moved out, then the full sections
        the fiche summarises (actors, people, advocacy, plan)."""
        s = Section("Annexe : les tableaux complets")
        for title, t in self.__dict__.get("_annexed", []):
            s.add_table(f"{title} — {t.caption}", t.frame)
        for sec in (self.actors_section(), self.people_section(), self.advocacy_section(), self.plan_section()):
            for t in sec.tables:
                s.add_table(f"{sec.title} — {t.caption}", t.frame, t.empty)
        return s

    # --- all sections -----------------------------------------------------------------------
    def sections(self) -> list[Section]:
        """Sections 1–9 (the sources section gathers their citations)."""
        return [
            self.actors_section(),
            self.people_section(),
            self.network_section(),
            self.advocacy_section(),
            self.monographs_section(),
            self.practices_section(),
            self.axes_section(),
            self.plan_section(),
            self.next_steps_section(),
        ]

    def sources_section(self, width: int = 220) -> Section:
        """10. Sources: every passage cited above, quoted."""
        cited = [loc for sec in [self.key_findings(), *self.sections()] for loc in sec.sources]
        return sources.section(self.corpus, cited, width)
