"""The research-action brief ("note de recherche-action") of one territory.

Notebook ``04-note-recherche-action`` builds a :class:`Brief` and shows its
sections one per cell; each section is a :class:`~mesra.analysis.sections.Section`
(escaped HTML) that cites the locators of the facts it states. A territory with
little data gets short sections that say what is missing — never an error, never
filler.

The brief reads the same ties three ways, never mixed in one count (see
``DESIGN.md``, "Network semantics"): *cooperation* between organisations (direct
ties and shared contexts, section 3), *affiliation* (memberships, participation),
and *advocacy* (Axe 4's cartography, section 4).
"""

from __future__ import annotations

import functools
import re
from functools import cached_property

import pandas as pd

from mesra import french
from mesra.analysis import frame
from mesra.analysis.overview import large_contexts
from mesra.analysis.sections import Section, sort_locators
from mesra.corpus import contract
from mesra.corpus.contract import label
from mesra.corpus.geo import check_territory
from mesra.corpus.validate import line_ranges

__all__ = ["Brief", "check_parameters", "HANDFUL", "PRACTICE_RELATIONS", "ADVOCACY_BODY_TYPES"]

#: A collective is small enough to suggest that its members meet when it has at most
#: this many members (sharing a national network or a large body says little).
HANDFUL = 5
#: Echelons at which sharing a collective says nothing about who should meet locally.
_WIDE_ECHELONS = ("national", "europeen", "international")
#: Ties that Axe 4 reports as advocacy actions (carrying a kit, co-organising a forum, taking part in a
#: scheme that raises awareness, developing a tool).
ADVOCACY_ACTION_RELATIONS = (
    "porte",
    "developpe",
    "co_organise",
    "partenaire_de",
    "accompagne",
    "finance",
    "participe_a",
)
#: Types of the bodies whose membership is advocacy (Axe 4), beyond one's own network.
ADVOCACY_BODY_TYPES = ("instance_ess", "plateforme", "federation", "collectif")
#: What actors *do* (Axes 2 and 3): memberships are affiliation, not practices.
PRACTICE_RELATIONS = (
    "developpe",
    "utilise",
    "porte",
    "accompagne",
    "participe_a",
    "partenaire_de",
    "co_organise",
    "finance",
    "plaide_aupres_de",
)
_ECHELON_ORDER = {e: i for i, e in enumerate(contract.ECHELONS)}
_PRACTICE_AXES = {2: "évaluation de l'utilité sociale", 3: "accompagnement des petites organisations"}


def check_parameters(corpus, territoire: str | None = None, **_ignored) -> None:
    """Refuse an unknown territory with a French message (papermill alone only warns).

    Raises
    ------
    ParameterError
        When ``territoire`` is not an identifier of the corpus's territories.
    """
    if territoire is None:
        return
    with_data = ", ".join(corpus.territories_with_data()[:15])
    check_territory(territoire, corpus.territoires["territoire_id"], hint=f"Territoires avec données : {with_data}…")


#: How a tie that is only an intention is marked in a sentence (an intention is reported as one).
_INTENTION = {"prevu": " (prévu)"}


def _attestations(ties: pd.DataFrame) -> pd.Series:
    """``ties.attestation``, ``constate`` where empty or missing."""
    if "attestation" not in ties.columns:
        return pd.Series(contract.OBSERVED, index=ties.index, dtype=object)
    return ties["attestation"].where(ties["attestation"].notna(), contract.OBSERVED)


def _observed(ties: pd.DataFrame) -> pd.DataFrame:
    """The ties the sources attest as done or in place."""
    return ties[_attestations(ties) == contract.OBSERVED]


def _not_leads(ties: pd.DataFrame) -> pd.DataFrame:
    """The ties that are observed or planned (a possibility cited as an example is only a lead)."""
    return ties[_attestations(ties) != contract.LEADS]


def _present(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _built_once(method):
    """A section is built once per brief and the same object returned after (the sources
    section gathers the citations of the sections the notebook has already shown)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        built = self.__dict__.setdefault("_built", {})
        if key not in built:
            built[key] = method(self, *args, **kwargs)
        return built[key]

    return wrapper


class Brief:
    """Everything a brief states about ``territoire``, computed once.

    Parameters
    ----------
    corpus : Corpus
        A loaded corpus (pseudonymised or not).
    territoire : str
        Territory identifier; its sub-territories are rolled up.
    date_reference : str or date, optional
        The day the action plans are read at (what is due, what is past due);
        default: today.
    """

    def __init__(self, corpus, territoire: str, *, date_reference=None):
        check_parameters(corpus, territoire)
        self.corpus = corpus
        self.territoire = territoire
        from mesra.corpus.dates import as_date

        self.date_reference = as_date(date_reference or None)

    # --- data -------------------------------------------------------------
    @cached_property
    def name(self) -> str:
        return self.corpus.territory_name(self.territoire)

    @cached_property
    def actors(self) -> pd.DataFrame:
        return self.corpus.actors_in(self.territoire).reset_index(drop=True)

    @cached_property
    def actor_ids(self) -> set[str]:
        return set(self.actors["acteur_id"])

    @cached_property
    def organisations(self) -> pd.DataFrame:
        """The territory's actors that are organisations (not projects, events, workshops, tools)."""
        return self.actors[~self.actors["type"].isin(contract.CONTEXT_TYPES)].reset_index(drop=True)

    @cached_property
    def people(self) -> pd.DataFrame:
        """People whose structure is one of the territory's actors."""
        p = self.corpus.personnes
        return p[p["acteur_id"].isin(self.actor_ids)].reset_index(drop=True)

    @cached_property
    def people_ids(self) -> set[str]:
        return set(self.people["personne_id"])

    @cached_property
    def _names(self) -> dict[str, str]:
        a, p = self.corpus.acteurs, self.corpus.personnes
        names = dict(zip(a["acteur_id"], a["nom"]))
        for pid, nom, prenom in zip(p["personne_id"], p["nom"], p["prenom"]):
            names[pid] = f"{prenom} {nom}" if isinstance(prenom, str) and prenom else str(nom)
        return names

    @cached_property
    def _articles(self) -> dict[str, str]:
        a = self.corpus.acteurs
        if "article" not in a.columns:
            return {}
        return {i: art for i, art in zip(a["acteur_id"], a["article"]) if isinstance(art, str) and art}

    def _pair(self, ident) -> tuple[str, str | None]:
        """``(name, article)`` of an actor or person, for the French helpers (:func:`mesra.french.relation`)."""
        return self._name(ident), self._articles.get(ident)

    @cached_property
    def _types(self) -> dict[str, str]:
        a = self.corpus.acteurs
        out = dict(zip(a["acteur_id"], a["type"]))
        out.update({pid: contract.PERSON_TYPE for pid in self.corpus.personnes["personne_id"]})
        return out

    @cached_property
    def _echelons(self) -> dict[str, str]:
        a = self.corpus.acteurs
        return {i: e for i, e in zip(a["acteur_id"], a["echelon"]) if isinstance(e, str)}

    @cached_property
    def ties(self) -> pd.DataFrame:
        """Ties with at least one end in the territory (its actors or their people)."""
        inside = self.actor_ids | self.people_ids
        liens = self.corpus.liens
        return liens[liens["source_id"].isin(inside) | liens["cible_id"].isin(inside)].reset_index(drop=True)

    @cached_property
    def observed_ties(self) -> pd.DataFrame:
        """:attr:`ties` that the sources attest as done or in place (``attestation`` ``constate``)."""
        return _observed(self.ties)

    @cached_property
    def monographs(self) -> pd.DataFrame:
        return self.corpus.monographs_in(self.territoire).reset_index(drop=True)

    def _name(self, ident) -> str:
        return self._names.get(ident, ident)

    def _objet(self, ties: pd.DataFrame) -> list:
        if "objet" in ties.columns:
            return [o if _present(o) else None for o in ties["objet"]]
        return [None] * len(ties)

    # --- header -------------------------------------------------------------
    def header(self) -> Section:
        """Title and what the brief rests on."""
        c = self.corpus
        terr = c.territoires.set_index("territoire_id").loc[self.territoire]
        parents = [c.territory_name(t) for t in c.territory_ancestors(self.territoire)]
        located = set(self.actors["territoire_id"]) | set(self.monographs["territoire"])
        below = [t for t in c.territory_ids(self.territoire)[1:] if t in located]
        s = Section(f"Note de recherche-action — {self.name}", level=1)
        where = f"{label(terr['niveau']).lower()}" + (f" ({french.join(parents)})" if parents else "")
        s.paragraphs.append(
            f"Territoire : {self.name}, niveau {where}. Cette note rassemble ce que le corpus documente sur "
            f"ce territoire et ses sous-territoires : {french.plural(len(self.actors), 'acteur')}, "
            f"{french.plural(len(self.people), 'personne')}, {french.plural(len(self.ties), 'lien')} et "
            f"{french.plural(len(self.monographs), 'monographie')}."
        )
        if below:
            s.paragraphs.append("Sous-territoires inclus : " + french.join(c.territory_name(t) for t in below) + ".")
        if not len(self.actors) and not len(self.monographs):
            s.paragraphs.append(
                "Le corpus ne contient encore aucun acteur ni aucune monographie situés dans ce "
                "territoire : cette note est courte et dit ce qui manque."
            )
        s.paragraphs.append(
            f"Corpus : {french.plural(len(c.acteurs), 'acteur')} au total, empreinte {c.hash[:12]}."
            + (" Les noms des personnes sont pseudonymisés." if c.pseudonymised else "")
        )
        return s

    # --- À retenir ------------------------------------------------------------
    def key_findings(self) -> Section:
        """À retenir: three to five findings computed from the data, each one sentence with its locators."""
        s = Section("À retenir")
        thin = (
            f"Le corpus documente encore peu ce territoire : {french.plural(len(self.actors), 'acteur')}, "
            f"{french.plural(len(self.ties), 'lien')} et "
            + (french.plural(len(self.monographs), "monographie") if len(self.monographs) else "aucune monographie")
            + " ; la première étape est de recenser ses acteurs et leurs coopérations."
        )
        if len(self.organisations) < 2 and not len(self.monographs):
            s.bullets.append(thin)
            return s
        for finding in (
            self._finding_brokers(),
            self._finding_strongest(),
            self._finding_monographs(),
            self._finding_gaps(),
            self._finding_plan(),
        ):
            if finding:
                text, locators = finding
                s.bullets.append(text + _locators_note(locators))
                s.cite(*locators)
        if len(s.bullets) < 3:
            s.bullets.insert(0, thin)
        return s

    def _finding_brokers(self):
        from mesra.network.measures import brokers

        g = self.graph
        tied_inside = sum(1 for n, d in g.nodes(data=True) if not d.get("externe") and g.degree(n))
        if tied_inside < 2:
            return None
        b = brokers(self.network_metrics, 3)
        if not len(b):
            return (
                "Aucune organisation ne fait le lien entre les autres : les coopérations documentées forment des "
                "groupes où chacun est relié à tous.",
                [],
            )
        lead = b.iloc[0]
        sources = sorted({src for u, v, d in g.edges(lead["noeud"], data=True) for src in _as_list(d.get("sources"))})
        others = list(b["nom"].iloc[1:])
        return (
            f"{lead['nom']} tient le réseau de coopération : c'est par cette organisation que passent le plus de "
            f"chemins entre les autres ({french.plural(int(lead['degre']), 'partenaire')})"
            + (f", devant {french.join(others)}" if others else "")
            + ".",
            sources,
        )

    def _finding_strongest(self):
        g = self.graph
        if not g.number_of_edges():
            return None
        u, v, d = max(
            g.edges(data=True),
            key=lambda e: (e[2]["weight"], -len(self._name(e[0])), self._name(e[0]), self._name(e[1])),
        )
        if d["weight"] < 2:
            return None
        what = []
        if d.get("liens_directs"):
            what.append(french.plural(d["liens_directs"], "lien direct", "liens directs"))
        if d.get("contextes"):
            what.append(
                f"{french.plural(len(d['contextes']), 'contexte partagé', 'contextes partagés')} "
                f"({french.join(self._name(c) for c in d['contextes'])})"
            )
        return (
            f"La coopération la plus dense relie {self._name(u)} et {self._name(v)} : {french.join(what)}.",
            list(d.get("sources") or []),
        )

    def _finding_monographs(self):
        m = self.monographs
        if not len(m):
            return ("Aucune monographie ne documente une initiative de ce territoire selon le cadre commun.", [])
        axes = sorted(set(self.axis_evidence["axe"]))
        titles = f" ({french.join(m['titre'])})" if len(m) <= 3 else ""
        return (
            f"{french.plural(len(m), 'monographie')}{titles} "
            + ("documente" if len(m) == 1 else "documentent")
            + f" {french.plural(len(axes), 'axe', 'axes')} sur 6 de la note de cadrage.",
            [src for srcs in m["sources"] for src in srcs],
        )

    def _finding_plan(self):
        from mesra.analysis.plan import due_within, past_due

        due = due_within(self.corpus, self.territoire, date_reference=self.date_reference)
        late = past_due(self.corpus, self.territoire, date_reference=self.date_reference)
        if not len(due) and not len(late):
            return None
        parts = []
        if len(late):
            parts.append(
                f"{french.plural(len(late), 'action')} du plan "
                + ("attend" if len(late) == 1 else "attendent")
                + " un point (échéance passée sans suivi)"
            )
        if len(due):
            parts.append(
                f"{french.plural(len(due), 'action')} "
                + ("arrive" if len(due) == 1 else "arrivent")
                + " à échéance dans les six mois"
            )
        sources = [s for s in (*late.get("source", []), *due.get("source", [])) if isinstance(s, str)]
        return (f"Au {french.date(self.date_reference)}, " + " ; ".join(parts) + ".", sources)

    def _finding_gaps(self):
        if not len(self.monographs):
            return None
        grid = self.axes_grid()
        open_axes = list(grid.loc[grid["Monographies"].isna(), "Intitulé"])
        unknown = [t for t, o in zip(self.monographs["titre"], self.monographs["origine"]) if o == "inconnue"]
        if not open_axes and not unknown:
            return None
        parts = []
        if len(open_axes) == 1:
            parts.append(f"l'axe « {open_axes[0].lower()} » reste sans élément")
        elif open_axes:
            parts.append("les axes " + french.join(f"« {a.lower()} »" for a in open_axes) + " restent sans élément")
        if len(unknown) == 1:
            parts.append(f"l'origine de la monographie « {unknown[0]} » n'est pas connue")
        elif unknown:
            parts.append(f"l'origine de {french.plural(len(unknown), 'monographie')} n'est pas connue")
        return ("Ce qui manque à la recherche-action : " + " ; ".join(parts) + ".", [])

    # --- 1. actors ----------------------------------------------------------
    def actor_counts(self, column: str = "type") -> pd.DataFrame:
        counts = self.actors[column].value_counts()
        vocab = contract.VOCABULARIES[column]
        rows = [(label(v), int(counts[v])) for v in vocab if v in counts.index]
        missing = int(self.actors[column].isna().sum())
        if missing:
            rows.append(("Non renseigné", missing))
        return pd.DataFrame(rows, columns=["Libellé", "Nombre"])

    @_built_once
    def actors_section(self) -> Section:
        """1. The territory and its actors by type and echelon."""
        s = Section("1. Le territoire et ses acteurs")
        if not len(self.actors):
            s.paragraphs.append("Aucun acteur du corpus n'est situé dans ce territoire.")
            return s
        a = self.actors
        members = int(a["membre_mes"].fillna(False).sum())
        contexts = len(a) - len(self.organisations)
        s.paragraphs.append(
            f"{french.plural(len(a), 'acteur situé', 'acteurs situés')} dans le territoire : "
            f"{french.plural(len(self.organisations), 'organisation')}"
            + (
                " et "
                + french.plural(
                    contexts, "projet, événement, atelier ou outil", "projets, événements, ateliers ou outils"
                )
                if contexts
                else ""
            )
            + f" ; {french.plural(members, 'membre', 'membres')} du Mouvement pour l'Économie Solidaire."
        )
        s.add_table("Acteurs par type", self.actor_counts("type"))
        s.add_table("Acteurs par échelon", self.actor_counts("echelon"))
        table = pd.DataFrame(
            {
                "Acteur": a["nom"],
                "Type": [label(t) for t in a["type"]],
                "Territoire": [self.corpus.territory_name(t) for t in a["territoire_id"]],
                "Échelon": [label(e) if isinstance(e, str) else french.UNKNOWN for e in a["echelon"]],
                "Membre du MES": [french.yes_no(None if pd.isna(v) else bool(v)) for v in a["membre_mes"]],
                "Source": a["source"],
            }
        )
        s.add_table("Liste des acteurs", table.sort_values(["Type", "Acteur"]).reset_index(drop=True))
        s.cite(*a["source"])
        return s

    # --- 2. people ------------------------------------------------------------
    def _roles(self, pid: str) -> list[tuple[str, str]]:
        """What a person does in the corpus: ``(French phrase, locator)``, workshops first."""
        t = _not_leads(self.corpus.liens)
        mine = t[t["source_id"] == pid]
        roles = []
        for rel, target, axe, src, att in zip(
            mine["relation"], mine["cible_id"], mine["axe"], mine["source"], _attestations(mine)
        ):
            if self._types.get(target) == "chantier":
                workshop = f"l'atelier Axe {int(axe)}" if not pd.isna(axe) else f"l'atelier « {self._name(target)} »"
                phrase = f"référent·e de {workshop}" if rel == "porte" else f"participe à {workshop}"
            else:
                phrase = french.relation(rel, [self._pair(target)])
            roles.append((phrase + _INTENTION.get(att, ""), src))
        referent = {src for phrase, src in roles if phrase.startswith("référent")}
        # the referent's own participation line repeats the referent line
        roles = [(p, s) for p, s in roles if not (p.startswith("participe à l'atelier") and s in referent)]
        return sorted(roles, key=lambda r: (not r[0].startswith("référent"), not r[0].startswith("participe"), r))

    @_built_once
    def people_section(self) -> Section:
        """2. Key people: the territory's people, their function, and their roles in the workshops."""
        s = Section("2. Personnes clés")
        p = self.people
        if not len(p):
            s.paragraphs.append("Aucune personne du corpus n'est rattachée à une structure de ce territoire.")
            return s
        rows = []
        for person in p.itertuples():
            roles = self._roles(person.personne_id)
            rows.append(
                {
                    "Personne": self._name(person.personne_id),
                    "Structure": self._name(person.acteur_id),
                    "Fonction": person.fonction if _present(person.fonction) else french.UNKNOWN,
                    "Rôle dans les ateliers et au-delà": "; ".join(r for r, _ in roles) or french.UNKNOWN,
                    "Sources": ", ".join(sort_locators([person.source, *(src for _, src in roles)])),
                }
            )
            s.cite(person.source, *(src for _, src in roles))
        table = pd.DataFrame(rows)
        referents = int(table["Rôle dans les ateliers et au-delà"].str.contains("référent").sum())
        s.paragraphs.append(
            f"{french.plural(len(p), 'personne')} des structures du territoire "
            + ("figure" if len(p) == 1 else "figurent")
            + " dans les sources"
            + (f", dont {french.plural(referents, 'référent·e', 'référent·es')} d'atelier" if referents else "")
            + "."
            + (" Les noms sont pseudonymisés." if self.corpus.pseudonymised else "")
        )
        s.add_table("Personnes et rôles", table.sort_values(["Structure", "Personne"]).reset_index(drop=True))
        return s

    # --- 3. cooperation network -----------------------------------------------------
    @cached_property
    def graph(self):
        """The cooperation graph (organisations; direct ties and shared contexts)."""
        import warnings

        from mesra.errors import MesraWarning
        from mesra.network.graphs import cooperation_graph

        with warnings.catch_warnings():  # people are left out on purpose: section 2 is theirs
            warnings.simplefilter("ignore", MesraWarning)
            return cooperation_graph(self.corpus, territoire=self.territoire)

    @cached_property
    def network_metrics(self) -> pd.DataFrame:
        from mesra.network.measures import metrics

        return metrics(self.graph)

    @cached_property
    def community_names(self) -> dict[int, str]:
        """Each community named after its most connected member (weighted degree, then PageRank)."""
        m = self.network_metrics
        out = {}
        for c, group in m.groupby("communaute"):
            top = group.sort_values(["degre_pondere", "pagerank", "nom"], ascending=[False, False, True]).iloc[0]
            out[int(c)] = f"autour {french.of(top['nom'], self._articles.get(top['noeud']))}"
        return out

    def network_method(self) -> list[str]:
        """What counts as a tie, in a few plain French lines (they follow the graph's parameters)."""
        g = self.graph
        contexts = g.graph.get("contextes", False)
        lines = [
            "Les nœuds sont les organisations du territoire (associations, réseaux, coopératives, collectivités, "
            "instances…) et leurs partenaires extérieurs.",
            "Un lien direct est un partenariat, un accompagnement, une co-organisation, un financement ou le "
            "portage d'un projet, tel que la source le rapporte.",
            "Seuls comptent les liens que la source constate (fait ou en place) : les intentions d'un plan "
            "(coopérations prévues) et les exemples possibles (pistes) sont dans les pistes pour la suite.",
        ]
        if contexts:
            lines += [
                "Deux organisations qui portent, financent, co-organisent, développent ou rejoignent le même projet, "
                "événement, atelier, outil ou plateforme sont reliées par ce contexte partagé ; le poids d'un lien "
                "additionne ses liens directs et ses contextes partagés. Utiliser un même dispositif ou outil (le "
                "DLA, une plateforme) est une pratique : ses utilisateurs ne sont pas reliés par lui.",
                "Projets, événements, ateliers et outils sont des contextes et non des nœuds : ils ne concourent "
                "pas au rôle d'intermédiaire"
                + (
                    " ; un contexte qui réunit plus de "
                    + french.plural(g.graph["taille_max_contexte"], "organisation")
                    + " ne les relie pas deux à deux, car il relierait presque tout le monde."
                    if g.graph.get("taille_max_contexte")
                    else "."
                ),
            ]
        else:
            lines += [
                "Les contextes partagés (projets, événements, ateliers, outils) ne relient pas les organisations "
                "dans ce graphe : ce sont des nœuds comme les autres.",
                "Un projet ou un événement peut alors apparaître comme intermédiaire.",
            ]
        lines.append(
            "Les adhésions et la participation à des instances, ainsi que le plaidoyer (section 4), sont d'autres "
            "lectures des mêmes liens : elles ne sont pas comptées ici."
        )
        return lines

    def _what_else(self, ident: str) -> str:
        """An organisation without cooperation tie, described by the ties it has."""
        t = _not_leads(self.corpus.liens)
        mine = t[(t["source_id"] == ident) | (t["cible_id"] == ident)]
        if not len(mine):
            everything = self.corpus.liens
            if ((everything["source_id"] == ident) | (everything["cible_id"] == ident)).any():
                return (
                    f"{self._name(ident)} : aucun lien constaté ni prévu ; "
                    "cité seulement comme exemple possible (voir les pistes)"
                )
            return f"{self._name(ident)} : aucun lien documenté"
        parts = []
        atts = _attestations(mine)
        for att in contract.PLANNED:
            mine_att = mine[atts == att]
            for rel in contract.RELATIONS:
                out = mine_att.loc[(mine_att["relation"] == rel) & (mine_att["source_id"] == ident), "cible_id"]
                if len(out):
                    targets = sorted({self._pair(x) for x in out}, key=lambda p: p[0])
                    parts.append(french.relation(rel, targets) + _INTENTION.get(att, ""))
            inbound = mine_att[mine_att["cible_id"] == ident]
            for rel in contract.RELATIONS:
                who = sorted(
                    {self._pair(x) for x in inbound.loc[inbound["relation"] == rel, "source_id"]}, key=lambda p: p[0]
                )
                if who:
                    parts.append(french.sentence(who, rel, [self._pair(ident)]) + _INTENTION.get(att, ""))
        return f"{self._name(ident)} : aucun lien retenu dans ce réseau ; " + " ; ".join(parts)

    @_built_once
    def network_section(self, top: int = 5) -> Section:
        """3. The cooperation network: who holds it together, and who has no cooperation tie."""
        from mesra.network.measures import brokers

        s = Section("3. Le réseau de coopération")
        s.notes_title = "Comment ce réseau est construit, et comment lire ses mesures"
        s.notes = self.network_method()
        g = self.graph
        if g.number_of_edges() == 0:
            s.paragraphs.append("Aucun lien de coopération entre organisations n'est documenté pour ce territoire.")
        else:
            internal = sum(1 for _, d in g.nodes(data=True) if not d.get("externe"))
            direct = sum(1 for *_, d in g.edges(data=True) if d.get("liens_directs"))
            shared = sum(1 for *_, d in g.edges(data=True) if d.get("contextes"))
            s.paragraphs.append(
                f"Le réseau relie {french.plural(internal, 'organisation')} du territoire et "
                f"{french.plural(g.number_of_nodes() - internal, 'partenaire extérieur', 'partenaires extérieurs')} "
                f"par {french.plural(g.number_of_edges(), 'lien')} : "
                f"{french.plural(direct, 'lien repose', 'liens reposent')} sur au moins un lien direct, "
                f"{french.plural(shared, 'lien', 'liens')} sur au moins un contexte partagé."
            )
            tied_inside = sum(1 for n, d in g.nodes(data=True) if not d.get("externe") and g.degree(n))
            if tied_inside >= 2:
                self._brokers(s, brokers(self.network_metrics, top))
            else:
                s.paragraphs.append(
                    "Une seule organisation du territoire a des liens dans ce réseau : la question de savoir qui "
                    "le tient ne se pose pas encore."
                )
            self._contexts(s)
        large = large_contexts(g)
        if large:
            s.paragraphs.append(
                f"Trop larges pour relier deux à deux : {large} ; ces contextes réunissent les organisations "
                "du territoire sans dire qui travaille avec qui."
            )
        no_tie = [o for o in self.organisations["acteur_id"] if o not in g or g.degree(o) == 0]
        if no_tie:
            s.paragraphs.append(
                f"{french.plural(len(no_tie), 'organisation', 'organisations')} du territoire "
                + ("n'a" if len(no_tie) == 1 else "n'ont")
                + " aucun lien de coopération dans ce réseau ; ce que le corpus en dit :"
            )
            s.bullets.extend(self._what_else(o) + "." for o in sorted(no_tie, key=self._name))
        s.cite(*sorted({src for _, _, d in g.edges(data=True) for src in _as_list(d.get("sources"))}))
        return s

    def _brokers(self, s: Section, b: pd.DataFrame) -> None:
        if not len(b):
            s.paragraphs.append(
                "Aucune organisation ne se trouve sur le chemin entre deux autres : les liens documentés forment "
                "des paires ou des groupes où chacun est relié à tous."
            )
            return
        if len(b) == 1:
            s.paragraphs.append(
                "Qui tient le réseau : l'organisation par laquelle passent les chemins entre les autres est "
                + b["nom"].iloc[0]
                + "."
            )
        else:
            s.paragraphs.append(
                "Qui tient le réseau : les organisations par lesquelles passent le plus de chemins entre les autres "
                "sont " + french.join(b["nom"]) + "."
            )
        names = self.community_names
        s.add_table(
            "Organisations intermédiaires (intermédiarité non nulle, de la plus forte à la plus faible)",
            pd.DataFrame(
                {
                    "Organisation": b["nom"],
                    "Type": [label(t) for t in b["type"]],
                    "Extérieure au territoire": [french.yes_no(x) for x in b["externe"]],
                    "Partenaires": b["degre"],
                    "Intermédiarité": [french.number(x, 2) for x in b["intermediarite"]],
                    "Contrainte de Burt": [french.number(x, 2) for x in b["contrainte"]],
                    "Taille effective": [french.number(x, 1) for x in b["taille_effective"]],
                    "Communauté": [names.get(int(c), french.UNKNOWN) for c in b["communaute"]],
                }
            ),
        )
        s.notes += [
            "Intermédiarité : part des plus courts chemins entre deux autres organisations qui passent par "
            "celle-ci, de 0 (aucun) à 1 (tous).",
            "Contrainte de Burt : de 0 à 1 ; d'autant plus faible que les partenaires de l'organisation ne sont "
            "pas reliés entre eux, c'est-à-dire qu'elle fait le pont entre des groupes.",
            "Taille effective : nombre de partenaires qui ne sont pas déjà reliés entre eux.",
            "Communauté : groupe d'organisations plus reliées entre elles qu'avec le reste du réseau (méthode de "
            "Leiden), nommé d'après son membre le plus relié.",
        ]

    def _contexts(self, s: Section) -> None:
        counts: dict[str, set] = {}
        for u, v, d in self.graph.edges(data=True):
            for c in d.get("contextes") or ():
                counts.setdefault(c, set()).update((u, v))
        if counts:
            ranked = sorted(counts.items(), key=lambda kv: (-len(kv[1]), self._name(kv[0])))[:5]
            s.paragraphs.append(
                "Contextes partagés par le plus d'organisations : "
                + "; ".join(f"{self._name(c)} ({french.plural(len(orgs), 'organisation')})" for c, orgs in ranked)
                + "."
            )

    # --- 4. advocacy -------------------------------------------------------------
    @cached_property
    def advocacy_ties(self) -> pd.DataFrame:
        """Advocacy (Axe 4): advocacy and representation ties, memberships of bodies and actions in Axe 4.

        A membership counts only when the proceedings report it as advocacy (``axe`` 4)
        and the body is an ESS body, platform, federation or collective — never the
        membership of one's own network, never a local authority's membership.
        """
        t = self.observed_ties  # an intention of advocacy in a plan is not advocacy done
        inside = self.actor_ids | self.people_ids
        target_type = t["cible_id"].map(self._types)
        source_type = t["source_id"].map(self._types)
        membership = (
            t["relation"].isin(contract.AFFILIATION_RELATIONS)
            & (t["axe"] == 4).fillna(False)
            & target_type.isin(ADVOCACY_BODY_TYPES)
            & (source_type != "collectivite")
        )
        # what Axe 4's cartography lists as advocacy at each level (L896-936) is often an action carried
        # (a kit for the municipal elections, a forum): an Axe 4 tie of carrying, developing, co-organising
        action = (
            t["relation"].isin(ADVOCACY_ACTION_RELATIONS)
            & (t["axe"] == 4).fillna(False)
            & (source_type != "collectivite")
        )
        mask = t["source_id"].isin(inside) & (t["relation"].isin(contract.ADVOCACY_RELATIONS) | membership | action)
        mask &= target_type != "chantier"
        out = t[mask].copy()
        out["echelon"] = [
            e if isinstance(e, str) else self._echelons.get(c) for e, c in zip(out["echelon"], out["cible_id"])
        ]
        out["_order"] = [_ECHELON_ORDER.get(e, len(contract.ECHELONS)) for e in out["echelon"]]
        out = out.sort_values(["_order", "source_id", "cible_id"], kind="stable").drop(columns="_order")
        return out.reset_index(drop=True)

    def advocacy_by_echelon(self) -> pd.DataFrame:
        """Advocacy ties per echelon (the same ties as the table of section 4)."""
        t = self.advocacy_ties
        counts = t["echelon"].value_counts()
        rows = [(label(e), int(counts.get(e, 0))) for e in contract.ECHELONS]
        missing = int(t["echelon"].isna().sum())
        if missing:
            rows.append(("Non renseigné", missing))
        return pd.DataFrame(rows, columns=["Libellé", "Nombre"])

    @_built_once
    def advocacy_section(self) -> Section:
        """4. Advocacy cartography (Axe 4): bodies where the territory's actors act, local → international."""
        s = Section("4. Cartographie du plaidoyer (Axe 4)")
        t = self.advocacy_ties
        if not len(t):
            s.paragraphs.append(
                "Aucune action de plaidoyer ou de représentation, ni aucune adhésion à une instance rapportée "
                "comme plaidoyer, n'est documentée pour les acteurs de ce territoire."
            )
            return s
        by = self.advocacy_by_echelon()
        levels = [f"{row['Libellé'].lower()} ({row['Nombre']})" for _, row in by.iterrows() if row["Nombre"]]
        s.paragraphs.append(
            f"{french.plural(len(t), 'engagement')} de plaidoyer ou de représentation "
            + ("documenté" if len(t) == 1 else "documentés")
            + ", par échelon : "
            + french.join(levels)
            + "."
        )
        with_object = sum(1 for o in self._objet(t) if o)
        if with_object:
            s.paragraphs.append(
                f"Pour {french.plural(with_object, 'engagement')}, les sources disent ce qui est défendu "
                "(colonne « Ce qui est défendu »)."
            )
        s.add_table("Engagements par échelon", by)
        s.add_table(
            "Instances et actions, du local à l'international",
            pd.DataFrame(
                {
                    "Échelon": [label(e) if isinstance(e, str) else french.UNKNOWN for e in t["echelon"]],
                    "Acteur": [self._name(x) for x in t["source_id"]],
                    "Engagement": [label(r) for r in t["relation"]],
                    "Instance ou destinataire": [self._name(x) for x in t["cible_id"]],
                    "Ce qui est défendu": [o or french.UNKNOWN for o in self._objet(t)],
                    "Source": t["source"],
                }
            ),
        )
        s.notes = [
            "Sont comptés : le plaidoyer, la représentation, et les adhésions aux instances de l'ESS, plateformes, "
            "fédérations et collectifs que les actes rapportent comme plaidoyer (Axe 4).",
            "Ne sont pas comptées : l'adhésion au Mouvement lui-même et aux réseaux propres, ni les adhésions de "
            "collectivités.",
        ]
        s.cite(*t["source"])
        return s

    # --- 5. monographs --------------------------------------------------------------
    @cached_property
    def axis_evidence(self) -> pd.DataFrame:
        """What each monograph of the territory documents for each axis (sections 5 and 7 share it)."""
        return frame.axis_evidence(self.monographs, self._names)

    @_built_once
    def monographs_section(self) -> Section:
        """5. Monographs located in the territory, every field of the common frame."""
        s = Section("5. Monographies du territoire")
        m = self.monographs
        if not len(m):
            s.paragraphs.append(
                "Aucune monographie n'est située dans ce territoire ou ses sous-territoires. "
                "Le cadre commun (besoins non couverts, innovation sociale, coopération) reste "
                "à documenter (modèle : commande « mesra new-monograph »)."
            )
            return s
        s.paragraphs.append(
            f"{french.plural(len(m), 'monographie')} suivant le cadre commun pour la rédaction "
            "(besoins non couverts, innovation sociale, coopération) ; « non renseigné » quand le texte ne dit rien."
        )
        ev = self.axis_evidence
        for row in m.itertuples():
            axes = sorted(set(ev.loc[ev["id"] == row.id, "axe"]))
            fields = [
                ("Territoire", self.corpus.territory_name(row.territoire)),
                ("Porteur", self._name(row.porteur) if _present(row.porteur) else french.UNKNOWN),
                ("Acteurs", french.join(self._name(a) for a in row.acteurs) or french.UNKNOWN),
                ("Année", str(row.annee) if not pd.isna(row.annee) else french.UNKNOWN),
                *frame.frame_fields(row),
                (
                    "Axes de la note de cadrage documentés",
                    french.join(f"axe {a}" for a in axes) if axes else "aucun",
                ),
                ("Sources", ", ".join(sort_locators(row.sources))),
            ]
            s.add_table(row.titre, pd.DataFrame(fields, columns=["Champ", "Contenu"]))
            s.cite(*row.sources)
        return s

    # --- 6. practices -------------------------------------------------------------------
    @cached_property
    def practices(self) -> pd.DataFrame:
        """What the territory's actors and people do in Axes 2 and 3, workshop roles included."""
        t = self.observed_ties  # what actors do, not what a plan intends
        inside = self.actor_ids | self.people_ids
        out = t[
            t["axe"].isin([2, 3]).fillna(False) & t["source_id"].isin(inside) & t["relation"].isin(PRACTICE_RELATIONS)
        ]
        # a workshop's referent is listed once, as its referent
        carried = set(
            zip(out.loc[out["relation"] == "porte", "source_id"], out.loc[out["relation"] == "porte", "cible_id"])
        )
        repeat = [
            r == "participe_a" and (s, c) in carried and self._types.get(c) == "chantier"
            for s, c, r in zip(out["source_id"], out["cible_id"], out["relation"])
        ]
        out = out[pd.Series([not x for x in repeat], index=out.index, dtype=bool)]
        return out.sort_values(["axe", "source_id", "cible_id", "relation"], kind="stable").reset_index(drop=True)

    def _practice_verb(self, source: str, relation: str, target: str) -> str:
        if self._types.get(target) == "chantier" and self._types.get(source) == contract.PERSON_TYPE:
            return "référent·e de" if relation == "porte" else "participe à"
        return label(relation)

    @_built_once
    def practices_section(self) -> Section:
        """6. Evaluation (Axe 2) and support (Axe 3): what actors do, each with its source line."""
        s = Section("6. Évaluation (Axe 2) et accompagnement (Axe 3)")
        p = self.practices
        if not len(p):
            s.paragraphs.append(
                "Aucune pratique d'évaluation ou d'accompagnement n'est documentée pour les acteurs et les "
                "personnes de ce territoire."
            )
            return s
        for axe, title in _PRACTICE_AXES.items():
            rows = p[p["axe"] == axe]
            workshop = int(rows["cible_id"].map(self._types).eq("chantier").sum())
            s.paragraphs.append(
                f"Axe {axe} ({title}) : {french.plural(len(rows), 'fait documenté', 'faits documentés')}"
                + (f", dont {french.plural(workshop, 'rôle')} dans l'atelier de l'axe" if workshop else "")
                + "."
            )
        tools = sorted(
            {
                self._name(c)
                for c, r in zip(p["cible_id"], p["relation"])
                if r in ("developpe", "utilise") and self._types.get(c) == "outil"
            }
        )
        if tools:
            s.paragraphs.append("Outils développés ou utilisés : " + french.join(tools) + ".")
        s.add_table(
            "Pratiques, une ligne par fait rapporté",
            pd.DataFrame(
                {
                    "Axe": [int(a) for a in p["axe"]],
                    "Qui": [self._name(x) for x in p["source_id"]],
                    "Fait": [
                        self._practice_verb(s, r, c) for s, r, c in zip(p["source_id"], p["relation"], p["cible_id"])
                    ],
                    "Quoi ou avec qui": [self._name(x) for x in p["cible_id"]],
                    "Source": p["source"],
                }
            ),
        )
        s.cite(*p["source"])
        return s

    # --- 7. six axes --------------------------------------------------------------------
    def axes_grid(self) -> pd.DataFrame:
        """The six axes: which monographs document each, what they say, or the open question."""
        ev = self.axis_evidence
        rows = []
        for i, axis in enumerate(contract.AXES_RECHERCHE, start=1):
            mine = ev[ev["axe"] == i]
            titles = list(dict.fromkeys(mine["monographie"]))
            rows.append(
                {
                    "Axe": i,
                    "Intitulé": label(axis),
                    "Monographies": "; ".join(titles) if titles else None,
                    "Ce qu'elles documentent": " | ".join(
                        f"{m} — {e}" for m, e in zip(mine["monographie"], mine["element"])
                    )
                    or None,
                    "Question ouverte": None if titles else frame.AXIS_QUESTIONS[axis],
                }
            )
        return pd.DataFrame(rows)

    @_built_once
    def axes_section(self) -> Section:
        """7. The six-axes grid of the note de cadrage, computed from the same frame data as section 5."""
        s = Section("7. Les six axes de la note de cadrage")
        grid = self.axes_grid()
        open_axes = list(grid.loc[grid["Monographies"].isna(), "Intitulé"])
        if not len(self.monographs):
            s.paragraphs.append("Sans monographie dans ce territoire, les six axes restent des questions ouvertes.")
        elif open_axes:
            s.paragraphs.append(
                f"{french.plural(6 - len(open_axes), 'axe documenté', 'axes documentés')} sur 6 par au moins "
                "une monographie du territoire ; questions ouvertes : " + french.join(open_axes) + "."
            )
        else:
            s.paragraphs.append("Les six axes sont documentés par au moins une monographie.")
        s.add_table("Grille des six axes", grid.astype(object).where(grid.notna(), "—"))
        s.notes = [
            "Un axe est documenté par le texte que la monographie lui consacre, et par les champs du cadre commun "
            "qui le renseignent : les besoins non couverts pour l'axe 5, le processus de participation et les outils "
            "de coopération pour l'axe 2, les acteurs repérés pour l'axe 3.",
        ]
        for srcs in self.monographs["sources"]:
            s.cite(*srcs)
        return s

    # --- 8. the action plans ------------------------------------------------------------
    @_built_once
    def plan_section(self):
        """8. "Plan d'action et suivi": what the territory carries or joins, what is due, what is past due."""
        from mesra.analysis.plan import plan_section

        return plan_section(self.corpus, self.territoire, self.date_reference, title="8. Plan d'action et suivi")

    def plan_actions(self) -> pd.DataFrame:
        """The actions of the plans that concern the territory, with their current status."""
        from mesra.analysis.plan import actions_for

        return actions_for(self.corpus, self.territoire, date_reference=self.date_reference)

    def changes_section(self, note_precedente: str | None = None) -> Section:
        """ "Depuis la note précédente": status changes and new actions since the previous brief."""
        from mesra.analysis.plan import changes_since

        s = Section("Depuis la note précédente", level=3)
        lines = changes_since(note_precedente or None, self.corpus, self.territoire, date_reference=self.date_reference)
        if lines:
            s.bullets.extend(lines)
        else:
            s.paragraphs.append(
                "Pas de note précédente de ce territoire dans ce dossier, ou rien n'a changé depuis."
                if note_precedente
                else "C'est la première note de ce territoire dans ce dossier."
            )
        return s

    # --- 9. next steps ---------------------------------------------------------------------
    @cached_property
    def connection_suggestions(self) -> pd.DataFrame:
        """Pairs of the territory's organisations that share a small, local collective but no tie.

        A collective counts when it has at most :data:`HANDFUL` members and acts below
        the national level: sharing a national network or a large body says little
        about who should meet. Pairs already tied in the cooperation graph are left out.
        """
        cols = ["Organisation A", "Organisation B", "Collectifs partagés", "Nombre"]
        liens = _observed(self.corpus.liens)
        orgs = set(self.organisations["acteur_id"])
        aff = liens[liens["relation"].isin(contract.AFFILIATION_RELATIONS) & liens["source_id"].isin(orgs)]
        sizes = aff.groupby("cible_id")["source_id"].nunique()
        small = {c for c, n in sizes.items() if 2 <= n <= HANDFUL and self._echelons.get(c) not in _WIDE_ECHELONS}
        pairs = aff.loc[aff["cible_id"].isin(small), ["source_id", "cible_id"]].drop_duplicates()
        joined = pairs.merge(pairs, on="cible_id")
        joined = joined[joined["source_id_x"] < joined["source_id_y"]]
        g = self.graph
        joined = joined[[not g.has_edge(a, b) for a, b in zip(joined["source_id_x"], joined["source_id_y"])]]
        if not len(joined):
            return pd.DataFrame(columns=cols)
        grouped = joined.groupby(["source_id_x", "source_id_y"])["cible_id"].apply(sorted).reset_index()
        out = pd.DataFrame(
            {
                cols[0]: [self._name(a) for a in grouped["source_id_x"]],
                cols[1]: [self._name(b) for b in grouped["source_id_y"]],
                cols[2]: ["; ".join(self._name(c) for c in cs) for cs in grouped["cible_id"]],
                cols[3]: [len(cs) for cs in grouped["cible_id"]],
            }
        )
        return out.sort_values([cols[3], cols[0], cols[1]], ascending=[False, True, True]).reset_index(drop=True)

    @_built_once
    def next_steps_section(self, top: int = 10) -> Section:
        """9. Next steps: the plan first (due, past due, without carrier, partners to mobilise), then data gaps."""
        from mesra.analysis.plan import plan_next_steps

        s = Section("9. Pistes pour la suite")
        steps = list(plan_next_steps(self.corpus, self.territoire, self.date_reference))
        suggestions = self.connection_suggestions
        if len(suggestions):
            steps.append(
                f"Mettre en relation {french.plural(len(suggestions), 'paire')} d'organisations qui partagent un "
                "petit collectif local sans coopérer (tableau ci-dessous)."
            )
            s.add_table("Organisations à relier", suggestions.head(top))
        steps += self._planned_and_leads(s)
        steps += self._undocumented_initiatives()
        open_axes = list(self.axes_grid().query("Monographies.isna()", engine="python")["Intitulé"])
        if len(self.monographs) and open_axes:
            steps.append("Instruire les axes de la note de cadrage sans élément : " + french.join(open_axes) + ".")
        m = self.monographs
        unknown = [t for t, o in zip(m["titre"], m["origine"]) if o == "inconnue"]
        if unknown:
            steps.append(
                "Préciser l'origine (commande publique ou mobilisation citoyenne) de : " + french.join(unknown) + "."
            )
        tied = set(self.corpus.liens["source_id"]) | set(self.corpus.liens["cible_id"])
        o = self.organisations
        members_alone = sorted(o.loc[~o["acteur_id"].isin(tied) & o["membre_mes"].fillna(False).astype(bool), "nom"])
        if members_alone:
            steps.append(
                "Documenter les coopérations de ces membres du Mouvement, sans aucun lien dans le corpus : "
                + french.join(members_alone)
                + "."
            )
        if not len(self.actors):
            steps.append(
                "Recenser les acteurs de l'économie solidaire du territoire (import GoGoCarto/Transiscope, "
                "tableur) pour amorcer le corpus."
            )
        s.bullets.extend(steps or ["Le corpus ne suggère pas de piste supplémentaire pour ce territoire."])
        return s

    def _planned_and_leads(self, s: Section) -> list[str]:
        """Planned cooperations without an observed counterpart, and the ties cited only as examples."""
        import warnings

        from mesra.errors import MesraWarning
        from mesra.network.graphs import leads, planned_cooperations

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MesraWarning)
            planned = planned_cooperations(self.corpus, self.territoire)
        steps = []
        if len(planned):
            pairs = [
                french.join([french.the(*self._pair(a)), french.the(*self._pair(b))])
                for a, b in zip(planned["organisation_a"], planned["organisation_b"])
            ]
            steps.append(
                f"Suivre {french.plural(len(planned), 'coopération prévue', 'coopérations prévues')} par les plans, "
                "sans équivalent constaté : " + " ; ".join(pairs) + "."
            )
            s.cite(*(src for srcs in planned["sources"] for src in srcs))
        found = leads(self.corpus, self.territoire)
        if len(found):
            said = [
                french.sentence([self._pair(a)], rel, [self._pair(b)])
                for a, rel, b in zip(found["source_id"], found["relation"], found["cible_id"])
            ]
            steps.append(
                "Pistes que les sources citent comme exemples possibles, sans rien constater : "
                + " ; ".join(dict.fromkeys(said))
                + "."
            )
            s.cite(*found["source"])
        return steps

    def _undocumented_initiatives(self) -> list[str]:
        carried = set(self.ties.loc[self.ties["relation"] == "porte", "cible_id"])
        a = self.corpus.acteurs
        projects = a[(a["type"] == "projet") & (a["acteur_id"].isin(self.actor_ids | carried))]
        mono = self.corpus.monographies
        documented = set(mono["porteur"].dropna()) | set(mono["id"]) | {x for acts in mono["acteurs"] for x in acts}
        undocumented = sorted(projects.loc[~projects["acteur_id"].isin(documented), "nom"])
        if not undocumented:
            return []
        return ["Écrire une monographie pour les initiatives qui n'en ont pas : " + french.join(undocumented) + "."]

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
        """10. Sources: every locator cited above, with the cited text."""
        s = Section("10. Sources")
        cited = [loc for sec in self.sections() for loc in sec.sources]
        if not cited:
            s.paragraphs.append("Aucun fait n'est cité dans cette note.")
            return s
        src = self.corpus.sources.set_index("source_id")
        rows = []
        for loc in sort_locators(cited):
            sid, _, where = loc.partition("#")
            rows.append({"Référence": loc, "Extrait": _excerpt(self.corpus.source_texts.get(sid), where, width)})
        used = sorted({loc.partition("#")[0] for loc in cited})
        for sid in used:
            if sid in src.index:
                row = src.loc[sid]
                who = f"{row['auteur']}, " if isinstance(row["auteur"], str) else ""
                year = f", {row['annee']}" if not pd.isna(row["annee"]) else ""
                s.bullets.append(f"{sid} : {who}{row['titre']}{year}.")
        s.paragraphs.append(
            f"{french.plural(len(rows), 'référence citée', 'références citées')} dans cette note ; « #L… » renvoie "
            "aux lignes du texte de la source livré avec le corpus."
        )
        s.add_table("Références", pd.DataFrame(rows))
        return s


def _locators_note(locators) -> str:
    """`` (L338-342, L916)``: the locators of a finding, short when they come from one source."""
    locs = sort_locators(locators)
    if not locs:
        return ""
    sources = {loc.partition("#")[0] for loc in locs}
    if len(sources) == 1:
        shown = [loc.partition("#")[2] or loc for loc in locs]
        if len(shown) > 6:
            shown = [*shown[:6], "…"]
        return f" ({', '.join(shown)})"
    return f" ({', '.join(locs[:6])}{', …' if len(locs) > 6 else ''})"


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _excerpt(text: str | None, where: str, width: int) -> str | None:
    ranges = line_ranges(where)
    if text is None or not ranges:
        return None
    lines = text.splitlines()
    chunk = " […] ".join(" ".join(line.strip() for line in lines[a - 1 : b] if line.strip()) for a, b in ranges)
    chunk = re.sub(r"\s+", " ", chunk)
    return chunk if len(chunk) <= width else chunk[: width - 1].rstrip() + "…"
