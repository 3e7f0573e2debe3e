"""The research-action brief ("note de recherche-action") of one territory.

Notebook ``04-note-recherche-action`` builds a :class:`Brief` and shows its
sections one per cell; each section is a :class:`~mesra.report.Section` (escaped
HTML) that cites the locators of the facts it states. A territory with little
data gets short sections that say what is missing — never an error, never filler.
"""

from __future__ import annotations

import re
from functools import cached_property

import pandas as pd

from mesra.analysis import crossanalysis
from mesra.analysis.sections import Section, join_fr, sort_locators
from mesra.corpus import contract
from mesra.corpus.contract import label
from mesra.corpus.geo import check_territory
from mesra.corpus.validate import line_ranges

__all__ = ["Brief", "check_parameters", "HUB_LIMIT"]

#: Collectives larger than this are left out when suggesting actors to connect:
#: sharing a very large body says little about who should meet (and keeps it linear).
HUB_LIMIT = 200
_ADVOCACY_RELATIONS = ("plaide_aupres_de", "represente")
_ADVOCACY_BODIES = ("instance_ess", "collectif", "etat", "collectivite", "federation", "plateforme")
_ECHELON_ORDER = {e: i for i, e in enumerate(contract.ECHELONS)}


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


class Brief:
    """Everything a brief states about ``territoire``, computed once.

    Parameters
    ----------
    corpus : Corpus
        A loaded corpus (pseudonymised or not).
    territoire : str
        Territory identifier; its sub-territories are rolled up.
    """

    def __init__(self, corpus, territoire: str):
        check_parameters(corpus, territoire)
        self.corpus = corpus
        self.territoire = territoire

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
    def people_ids(self) -> set[str]:
        p = self.corpus.personnes
        return set(p.loc[p["acteur_id"].isin(self.actor_ids), "personne_id"])

    @cached_property
    def _names(self) -> dict[str, str]:
        a, p = self.corpus.acteurs, self.corpus.personnes
        names = dict(zip(a["acteur_id"], a["nom"]))
        for pid, nom, prenom in zip(p["personne_id"], p["nom"], p["prenom"]):
            names[pid] = f"{prenom} {nom}" if isinstance(prenom, str) and prenom else str(nom)
        return names

    @cached_property
    def _types(self) -> dict[str, str]:
        a = self.corpus.acteurs
        out = dict(zip(a["acteur_id"], a["type"]))
        out.update({pid: contract.PERSON_TYPE for pid in self.corpus.personnes["personne_id"]})
        return out

    @cached_property
    def ties(self) -> pd.DataFrame:
        """Ties with at least one end in the territory (its actors or their people)."""
        inside = self.actor_ids | self.people_ids
        liens = self.corpus.liens
        return liens[liens["source_id"].isin(inside) | liens["cible_id"].isin(inside)].reset_index(drop=True)

    @cached_property
    def monographs(self) -> pd.DataFrame:
        return self.corpus.monographs_in(self.territoire).reset_index(drop=True)

    def _name(self, ident) -> str:
        return self._names.get(ident, ident)

    def _tie_table(self, ties: pd.DataFrame, *, with_axe=False) -> pd.DataFrame:
        rows = []
        for t in ties.itertuples(index=False):
            echelon = t.echelon if isinstance(t.echelon, str) else None
            row = {
                "Acteur": self._name(t.source_id),
                "Relation": label(t.relation),
                "Avec": self._name(t.cible_id),
                "Type": label(self._types.get(t.cible_id, "")),
                "Échelon": label(echelon) if echelon else None,
            }
            if with_axe:
                row = {"Axe": None if pd.isna(t.axe) else int(t.axe), **row}
            row["Source"] = t.source
            rows.append(row)
        cols = (["Axe"] if with_axe else []) + ["Acteur", "Relation", "Avec", "Type", "Échelon", "Source"]
        return pd.DataFrame(rows, columns=cols)

    # --- sections -----------------------------------------------------------
    def header(self) -> Section:
        """Title and what the brief rests on."""
        c = self.corpus
        terr = c.territoires.set_index("territoire_id").loc[self.territoire]
        parents = [c.territory_name(t) for t in c.territory_ancestors(self.territoire)]
        below = [
            t
            for t in c.territory_ids(self.territoire)[1:]
            if t in set(self.actors["territoire_id"]) | set(self.monographs["territoire"])
        ]
        s = Section(f"Note de recherche-action — {self.name}", level=1)
        where = f"{label(terr['niveau'])}" + (f" ({join_fr(parents)})" if parents else "")
        s.paragraphs.append(
            f"Territoire : {self.name}, niveau {where}. Cette note rassemble ce que le corpus documente sur "
            f"ce territoire et ses sous-territoires : {len(self.actors)} acteur(s), {len(self.ties)} lien(s), "
            f"{len(self.monographs)} monographie(s)."
        )
        if below:
            s.paragraphs.append("Sous-territoires inclus : " + join_fr(c.territory_name(t) for t in below) + ".")
        if not len(self.actors) and not len(self.monographs):
            s.paragraphs.append(
                "Le corpus ne contient encore aucun acteur ni aucune monographie situés dans ce "
                "territoire : cette note est courte et dit ce qui manque."
            )
        s.paragraphs.append(
            f"Corpus : {len(c.acteurs)} acteurs au total, empreinte {c.hash[:12]}."
            + (" Les noms des personnes sont pseudonymisés." if c.pseudonymised else "")
        )
        return s

    def actor_counts(self, column: str = "type") -> pd.DataFrame:
        counts = self.actors[column].value_counts()
        vocab = contract.VOCABULARIES[column]
        rows = [(label(v), int(counts[v])) for v in vocab if v in counts.index]
        missing = int(self.actors[column].isna().sum())
        if missing:
            rows.append(("Non renseigné", missing))
        return pd.DataFrame(rows, columns=["Libellé", "Nombre"])

    def actors_section(self) -> Section:
        """1. The territory and its actors by type and echelon."""
        s = Section("1. Le territoire et ses acteurs")
        if not len(self.actors):
            s.paragraphs.append("Aucun acteur du corpus n'est situé dans ce territoire.")
            return s
        members = int(self.actors["membre_mes"].fillna(False).sum())
        s.paragraphs.append(
            f"{len(self.actors)} acteur(s) situé(s) dans le territoire, dont {members} membre(s) "
            "du Mouvement pour l'Économie Solidaire."
        )
        s.add_table("Acteurs par type", self.actor_counts("type"))
        s.add_table("Acteurs par échelon", self.actor_counts("echelon"))
        a = self.actors
        table = pd.DataFrame(
            {
                "Acteur": a["nom"],
                "Type": [label(t) for t in a["type"]],
                "Territoire": [self.corpus.territory_name(t) for t in a["territoire_id"]],
                "Échelon": [label(e) if isinstance(e, str) else None for e in a["echelon"]],
                "Membre MES": [None if pd.isna(v) else ("oui" if bool(v) else "non") for v in a["membre_mes"]],
                "Source": a["source"],
            }
        )
        s.add_table("Liste des acteurs", table.sort_values(["Type", "Acteur"]).reset_index(drop=True))
        s.cite(*a["source"])
        return s

    @cached_property
    def graph(self):
        from mesra.network.graphs import cooperation_graph

        return cooperation_graph(self.corpus, territoire=self.territoire)

    @cached_property
    def network_metrics(self) -> pd.DataFrame:
        from mesra.network.measures import metrics

        return metrics(self.graph)

    def network_section(self, top: int = 5) -> Section:
        """2. The cooperation network: who holds it together, who is isolated."""
        from mesra.network.measures import brokers

        s = Section("2. Le réseau de coopération")
        g = self.graph
        if g.number_of_nodes() == 0:
            s.paragraphs.append("Aucun lien de coopération directe n'est documenté pour ce territoire.")
            return s
        internal = sum(1 for _, d in g.nodes(data=True) if not d.get("externe"))
        s.paragraphs.append(
            f"Le réseau compte {g.number_of_nodes()} nœuds ({internal} acteur(s) du territoire, "
            f"{g.number_of_nodes() - internal} partenaire(s) extérieur(s)) et {g.number_of_edges()} lien(s) "
            "de coopération directe (partenariat, accompagnement, co-organisation, financement, portage…)."
        )
        m = self.network_metrics
        b = brokers(m, top)
        if len(b):
            s.paragraphs.append(
                "Qui tient le réseau : les acteurs les plus intermédiaires (ceux par qui passent "
                "les chemins entre les autres) sont " + join_fr(b["nom"]) + "."
            )
            table = pd.DataFrame(
                {
                    "Acteur": b["nom"],
                    "Type": [label(t) for t in b["type"]],
                    "Extérieur au territoire": ["oui" if x else "non" for x in b["externe"]],
                    "Liens": b["degre"],
                    "Intermédiarité": b["intermediarite"].round(3),
                    "Contrainte de Burt": b["contrainte"].round(3),
                    "Communauté": b["communaute"],
                }
            )
            s.add_table(
                "Principaux intermédiaires (intermédiarité élevée, contrainte faible)", table.reset_index(drop=True)
            )
        isolated = [d.get("nom", n) for n, d in g.nodes(data=True) if g.degree(n) == 0]
        no_tie = sorted(set(self.actors["nom"]) - {d.get("nom") for _, d in g.nodes(data=True) if g.degree(_) > 0})
        if no_tie:
            s.paragraphs.append("Sans lien de coopération directe documenté : " + join_fr(no_tie) + ".")
        elif not isolated:
            s.paragraphs.append("Aucun acteur du territoire n'est isolé dans le réseau.")
        s.cite(*sorted({src for _, _, d in g.edges(data=True) for src in _as_list(d.get("sources"))}))
        return s

    @cached_property
    def advocacy_ties(self) -> pd.DataFrame:
        t = self.ties
        inside = self.actor_ids | self.people_ids
        target_type = t["cible_id"].map(self._types)
        mask = (
            t["source_id"].isin(inside)
            & (target_type != "chantier")
            & (
                (t["axe"] == 4).fillna(False)
                | t["relation"].isin(_ADVOCACY_RELATIONS)
                | ((t["relation"] == "membre_de") & target_type.isin(_ADVOCACY_BODIES))
            )
        )
        out = t[mask].copy()
        out["_order"] = [_ECHELON_ORDER.get(e, len(contract.ECHELONS)) for e in out["echelon"]]
        return out.sort_values(["_order", "source_id", "cible_id"]).drop(columns="_order").reset_index(drop=True)

    def advocacy_by_echelon(self) -> pd.DataFrame:
        t = self.advocacy_ties
        counts = t["echelon"].value_counts()
        rows = [(label(e), int(counts.get(e, 0))) for e in contract.ECHELONS]
        missing = int(t["echelon"].isna().sum())
        if missing:
            rows.append(("Non renseigné", missing))
        return pd.DataFrame(rows, columns=["Libellé", "Nombre"])

    def advocacy_section(self) -> Section:
        """3. Advocacy cartography (Axe 4): bodies where the territory's actors act, local → international."""
        s = Section("3. Cartographie du plaidoyer (Axe 4)")
        t = self.advocacy_ties
        if not len(t):
            s.paragraphs.append(
                "Aucune action de plaidoyer, de représentation ou de participation à une instance "
                "n'est documentée pour les acteurs de ce territoire."
            )
            return s
        levels = [label(e) for e in contract.ECHELONS if e in set(t["echelon"])]
        s.paragraphs.append(
            f"{len(t)} engagement(s) de plaidoyer ou de représentation documenté(s), aux échelons : "
            + (join_fr(levels) if levels else "non renseignés")
            + "."
        )
        s.add_table("Engagements par échelon", self.advocacy_by_echelon())
        s.add_table("Instances et actions, du local à l'international", self._tie_table(t))
        s.cite(*t["source"])
        return s

    def monographs_section(self) -> Section:
        """4. Monographs located in the territory, along the common frame."""
        s = Section("4. Monographies du territoire")
        m = self.monographs
        if not len(m):
            s.paragraphs.append(
                "Aucune monographie n'est située dans ce territoire ou ses sous-territoires. "
                "Le cadre commun (besoins non couverts, innovation sociale, coopération) reste "
                "à documenter (modèle : commande « mesra new-monograph »)."
            )
            return s
        for row in m.itertuples():
            s.bullets.append(
                f"{row.titre} — origine : {label(row.origine).lower()} ; besoins non couverts : "
                + ("; ".join(row.besoins_non_couverts) if row.besoins_non_couverts else "non documentés")
                + " ; innovation : "
                + (
                    ", ".join(label(x).lower() for x in row.innovation_sources)
                    if row.innovation_sources
                    else "source non documentée"
                )
                + " ; outils de coopération : "
                + (", ".join(label(x).lower() for x in row.outils) if row.outils else "non documentés")
                + (
                    " ; chiffres : " + "; ".join(f"{k} = {v}" for k, v in sorted(row.chiffres.items()))
                    if row.chiffres
                    else ""
                )
                + "."
            )
            s.cite(*row.sources)
        s.add_table(
            "Les monographies selon le cadre commun", crossanalysis.monograph_summaries(self.corpus, self.territoire)
        )
        return s

    def practices_section(self) -> Section:
        """5. Evaluation tools and practices (Axe 2), support practices (Axe 3)."""
        s = Section("5. Évaluation (Axe 2) et accompagnement (Axe 3)")
        t = self.ties
        inside = self.actor_ids | self.people_ids
        chantier = t["cible_id"].map(self._types) == "chantier"
        practices = t[t["axe"].isin([2, 3]).fillna(False) & t["source_id"].isin(inside) & ~chantier]
        tools = t[t["relation"].isin(["developpe", "utilise"]) & (t["cible_id"].map(self._types) == "outil")]
        if not len(practices) and not len(tools):
            s.paragraphs.append(
                "Aucun outil d'évaluation ni aucune pratique d'accompagnement n'est documenté pour "
                "les acteurs de ce territoire."
            )
            return s
        for axe, title in ((2, "évaluation de l'utilité sociale"), (3, "accompagnement")):
            n = int((practices["axe"] == axe).sum())
            s.paragraphs.append(f"Axe {axe} ({title}) : {n} pratique(s) documentée(s).")
        if len(tools):
            s.paragraphs.append(
                "Outils développés ou utilisés : " + join_fr(sorted({self._name(x) for x in tools["cible_id"]})) + "."
            )
        both = pd.concat([practices, tools]).drop_duplicates().sort_values(["axe", "source_id", "cible_id"])
        s.add_table("Pratiques et outils", self._tie_table(both, with_axe=True))
        s.cite(*both["source"])
        return s

    def axes_section(self) -> Section:
        """6. The six-axes grid of the note de cadrage: documented or open questions."""
        s = Section("6. Les six axes de la note de cadrage")
        m = self.monographs
        rows = []
        for i, axis in enumerate(contract.AXES_RECHERCHE, start=1):
            docs = [(t, v) for t, v in zip(m["titre"], m[f"axe_{axis}"]) if isinstance(v, str) and v.strip()]
            if docs:
                state = " | ".join(f"{t} : {v}" for t, v in docs)
            else:
                state = None
            rows.append(
                {
                    "Axe": i,
                    "Intitulé": label(axis),
                    "Ce que le corpus documente": state,
                    "Question ouverte": None if docs else "Aucun élément : à instruire par la recherche-action.",
                }
            )
        grid = pd.DataFrame(rows)
        open_axes = [r["Intitulé"] for r in rows if r["Ce que le corpus documente"] is None]
        if not len(m):
            s.paragraphs.append("Sans monographie dans ce territoire, les six axes restent des questions ouvertes.")
        elif open_axes:
            s.paragraphs.append(
                f"{6 - len(open_axes)} axe(s) sur 6 documenté(s) ; questions ouvertes : " + join_fr(open_axes) + "."
            )
        else:
            s.paragraphs.append("Les six axes sont documentés par au moins une monographie.")
        s.add_table("Grille des six axes", grid)
        for srcs in m["sources"]:
            s.cite(*srcs)
        return s

    @cached_property
    def connection_suggestions(self) -> pd.DataFrame:
        """Pairs of the territory's actors that share collectives but have no direct tie."""
        liens = self.corpus.liens
        aff = liens[liens["relation"].isin(contract.AFFILIATION_RELATIONS) & liens["source_id"].isin(self.actor_ids)]
        sizes = aff.groupby("cible_id")["source_id"].nunique()
        aff = aff[aff["cible_id"].isin(sizes[(sizes >= 2) & (sizes <= HUB_LIMIT)].index)]
        pairs = aff[["source_id", "cible_id"]].drop_duplicates()
        joined = pairs.merge(pairs, on="cible_id")
        joined = joined[joined["source_id_x"] < joined["source_id_y"]]
        if not len(joined):
            return pd.DataFrame(columns=["Acteur A", "Acteur B", "Collectifs partagés", "Nombre"])
        direct = liens[liens["relation"].isin(contract.DIRECT_RELATIONS)]
        tied = {tuple(sorted(p)) for p in zip(direct["source_id"], direct["cible_id"])}
        grouped = joined.groupby(["source_id_x", "source_id_y"])["cible_id"].apply(sorted).reset_index()
        grouped = grouped[[(a, b) not in tied for a, b in zip(grouped["source_id_x"], grouped["source_id_y"])]]
        out = pd.DataFrame(
            {
                "Acteur A": [self._name(a) for a in grouped["source_id_x"]],
                "Acteur B": [self._name(b) for b in grouped["source_id_y"]],
                "Collectifs partagés": ["; ".join(self._name(c) for c in cs) for cs in grouped["cible_id"]],
                "Nombre": [len(cs) for cs in grouped["cible_id"]],
            }
        )
        return out.sort_values(["Nombre", "Acteur A", "Acteur B"], ascending=[False, True, True]).reset_index(drop=True)

    def next_steps_section(self, top: int = 10) -> Section:
        """7. Next steps derived from the data."""
        s = Section("7. Pistes pour la suite")
        steps = []
        suggestions = self.connection_suggestions
        if len(suggestions):
            steps.append(
                f"Mettre en relation {len(suggestions)} paire(s) d'acteurs qui partagent des collectifs sans "
                "lien direct documenté (tableau ci-dessous)."
            )
            s.add_table("Acteurs à relier", suggestions.head(top))
        carried = set(self.ties.loc[self.ties["relation"] == "porte", "cible_id"])
        projects = self.corpus.acteurs[
            (self.corpus.acteurs["type"] == "projet")
            & (self.corpus.acteurs["acteur_id"].isin(self.actor_ids | carried))
        ]
        documented = set(self.corpus.monographies["porteur"].dropna()) | set(self.corpus.monographies["id"])
        documented |= {a for acts in self.corpus.monographies["acteurs"] for a in acts}
        undocumented = sorted(projects.loc[~projects["acteur_id"].isin(documented), "nom"])
        if undocumented:
            steps.append(
                "Écrire une monographie pour les initiatives qui n'en ont pas : " + join_fr(undocumented) + "."
            )
        m = self.monographs
        open_axes = [
            label(a)
            for a in contract.AXES_RECHERCHE
            if not any(isinstance(v, str) and v.strip() for v in m[f"axe_{a}"])
        ]
        if open_axes:
            steps.append("Documenter les axes sans élément : " + join_fr(open_axes) + ".")
        unknown = [t for t, o in zip(m["titre"], m["origine"]) if o == "inconnue"]
        if unknown:
            steps.append(
                "Préciser l'origine (commande publique ou mobilisation citoyenne) de : " + join_fr(unknown) + "."
            )
        tied = set(self.corpus.liens["source_id"]) | set(self.corpus.liens["cible_id"])
        alone = sorted(self.actors.loc[~self.actors["acteur_id"].isin(tied), "nom"])
        if alone:
            steps.append("Documenter les liens des acteurs sans aucun lien : " + join_fr(alone) + ".")
        if not len(self.actors):
            steps.append(
                "Recenser les acteurs de l'économie solidaire du territoire (import GoGoCarto/Transiscope, "
                "tableur) pour amorcer le corpus."
            )
        s.bullets.extend(steps or ["Le corpus ne suggère pas de piste supplémentaire pour ce territoire."])
        return s

    def sections(self) -> list[Section]:
        """Sections 1–7 (the sources section gathers their citations)."""
        return [
            self.actors_section(),
            self.network_section(),
            self.advocacy_section(),
            self.monographs_section(),
            self.practices_section(),
            self.axes_section(),
            self.next_steps_section(),
        ]

    def sources_section(self, width: int = 220) -> Section:
        """8. Sources: every locator cited above, with the cited text."""
        s = Section("8. Sources")
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
            f"{len(rows)} référence(s) citée(s) dans cette note ; « #L… » renvoie aux lignes du "
            "texte de la source livré avec le corpus."
        )
        s.add_table("Références", pd.DataFrame(rows))
        return s


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
