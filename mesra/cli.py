"""Command line: ``mesra check | network | briefs | ressources | import | export | init | new-monograph``.

Help and messages are in French; subcommands are in English. Errors raised on
purpose (:class:`~mesra.errors.MesraError`) print their message, never a traceback.

Each command is two functions side by side: ``_<command>_parser(sub)`` adds its
parser and names its handler with ``set_defaults(handler=cli_<command>)``, and
``cli_<command>(args)`` does the work and prints (the only code of mesra that does).
Every option has a default in its parser, so a handler reads ``args.x`` directly;
it imports what it needs inside its body, so ``import mesra.cli`` stays light.
A new command is one builder listed in :func:`build_parser` plus its handler.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
from pathlib import Path

from mesra import __version__
from mesra.errors import CorpusError, MesraError, ParameterError
from mesra.french import agree, plural

__all__ = ["main", "build_parser"]

#: ``mesra check`` lists this many problems, then counts the others (``--tout``: all).
CHECK_LISTED = 200


class _FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: D102
        return super().add_usage(usage, actions, groups, prefix if prefix is not None else "usage : ")


class _FrenchParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _FrenchFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message):  # noqa: D102
        self.print_usage(sys.stderr)
        translations = {
            "the following arguments are required": "arguments obligatoires manquants",
            "unrecognized arguments": "arguments non reconnus",
            "invalid choice": "choix invalide",
            "choose from": "valeurs possibles :",
            "expected one argument": "une valeur est attendue",
            "argument": "argument",
        }
        for en, fr in translations.items():
            message = message.replace(en, fr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``mesra`` parser: global options, then one builder per command, in the order of the help."""
    parser = _FrenchParser(
        prog="mesra",
        description="mesra — recherche-action pour l'économie solidaire : valider un corpus, "
        "construire les réseaux de coopération, produire les notes de recherche-action.",
        epilog="Exemple : mesra check data/   puis   mesra briefs --out reports/",
    )
    parser.add_argument(
        "--version", action="version", version=f"mesra {__version__}", help="afficher la version et quitter"
    )
    parser.add_argument("--debug", action="store_true", help="afficher la trace complète des erreurs internes")
    parser.set_defaults(handler=None)  # no command (or ``mesra import`` without a format): the help
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_FrenchParser)
    for add in (
        _check_parser,
        _network_parser,
        _briefs_parser,
        _resources_parser,
        _import_parser,
        _export_parser,
        _init_parser,
        _new_monograph_parser,
    ):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.handler is None:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except MesraError as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`mesra check | head -1`): end quietly
        with contextlib.suppress(OSError):  # and let the exit's flush go nowhere
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as if killed by SIGPIPE, like other command-line tools
    except Exception as exc:  # noqa: BLE001 - last resort: no traceback for users
        if args.debug:
            raise
        print(
            f"erreur interne ({type(exc).__name__}: {exc}). Relancez avec --debug pour le détail et signalez-la.",
            file=sys.stderr,
        )
        return 3


# --- mesra check -------------------------------------------------------------------------
def _check_parser(sub) -> None:
    p = sub.add_parser(
        "check",
        help="valider un corpus (ne modifie aucun fichier)",
        description="Lit un corpus et signale tous les problèmes, un par ligne : fichier:ligne: champ: message.",
    )
    p.add_argument(
        "data",
        nargs="?",
        default=None,
        metavar="DOSSIER",
        help="dossier du corpus ou classeur .xlsx (défaut : corpus intégré)",
    )
    p.add_argument(
        "--tout",
        action="store_true",
        help=f"afficher tous les problèmes (défaut : les {CHECK_LISTED} premiers, puis leur compte par fichier)",
    )
    p.set_defaults(handler=cli_check)


def cli_check(args) -> int:
    """``mesra check [DOSSIER] [--tout]``: exit 0 when the corpus is valid, 1 otherwise."""
    from collections import Counter

    from mesra.corpus.load import default_data_dir, read_raw
    from mesra.corpus.validate import iter_problems

    path = Path(args.data) if args.data else default_data_dir()
    raw = read_raw(path)
    listed = None if args.tout else CHECK_LISTED
    counts: Counter[tuple[str, str]] = Counter()
    for n, problem in enumerate(iter_problems(raw, hints=listed)):
        if listed is None or n < listed:
            print(problem, flush=True)
        counts[problem.file, problem.kind] += 1
    total = sum(counts.values())
    if total:
        if listed is not None and total > listed:
            _print_problem_counts(counts, total - listed, path)
        print(f"{plural(total, 'problème')} dans {path}.")
        return 1
    counts = {name: len(t.rows) if t is not None else 0 for name, t in raw.tables.items()}
    print(
        f"Corpus valide ({path}) : {plural(counts.get('acteurs', 0), 'acteur')}, "
        f"{plural(counts.get('personnes', 0), 'personne')}, {plural(counts.get('liens', 0), 'lien')}, "
        f"{plural(len(raw.monographs), 'monographie')}, {plural(counts.get('territoires', 0), 'territoire ajouté')}"
        + (f", {_plan_counts(counts)}." if counts.get("actions") else ".")
    )
    ev = raw.evaluation
    if ev.present:
        n_camp = len(ev.campagnes.rows) if ev.campagnes is not None else 0
        n_resp = len(ev.reponses.rows) if ev.reponses is not None else 0
        print(
            f"Co-évaluation : {plural(len(ev.referentials), 'référentiel')}, {plural(n_camp, 'campagne')}, "
            f"{plural(n_resp, 'réponse')}."
        )
    return 0


def _print_problem_counts(counts, hidden: int, path: Path) -> None:
    print(
        f"… et {plural(hidden, 'autre problème')}, non {agree(hidden, 'affiché')} : "
        f"mesra check --tout {path} les affiche tous."
    )
    print("Problèmes par fichier et par nature :")
    files: dict[str, list[tuple[str, int]]] = {}
    for (file, kind), n in sorted(counts.items(), key=lambda item: (item[0][0], -item[1], item[0][1])):
        files.setdefault(file, []).append((kind, n))
    for file, kinds in files.items():
        detail = ", ".join(f"{kind} : {n}" for kind, n in kinds)
        print(f"  {file} : {sum(n for _, n in kinds)} ({detail})")


def _plan_counts(counts: dict[str, int]) -> str:
    """``45 actions, 1 entrée de suivi`` for the check summary."""
    follow_up = plural(counts.get("suivi", 0), "entrée de suivi", "entrées de suivi")
    return f"{plural(counts.get('actions', 0), 'action')}, {follow_up}"


# --- mesra network -----------------------------------------------------------------------
def _network_parser(sub) -> None:
    p = sub.add_parser(
        "network",
        help="réseau d'un territoire (coopération, affiliation ou projection) : métriques, exports",
        description="Réseau de coopération d'un territoire (par défaut), ou son réseau d'affiliation "
        "(membres × collectifs, --affiliation) ou la projection de celui-ci (--projection). À l'échelle "
        "nationale (fr), les acteurs sans territoire sont rattachés au niveau national.",
    )
    p.add_argument(
        "territoire",
        metavar="TERRITOIRE",
        help="identifiant, nom ou code INSEE du territoire (ex. occitanie, Finistère, 29)",
    )
    p.add_argument(
        "--affiliation",
        action="store_true",
        help="réseau d'affiliation : membres × collectifs (liens membre_de, participe_a), graphe biparti",
    )
    p.add_argument(
        "--projection",
        choices=("count", "newman"),
        default=None,
        help="projection du réseau d'affiliation sur les membres : count (nombre de collectifs partagés) "
        "ou newman (chaque collectif de taille k compte 1/(k−1))",
    )
    p.add_argument("--data", default=None, metavar="DOSSIER", help="dossier du corpus (défaut : intégré)")
    p.add_argument("--export", default=None, metavar="FICHIER", help="exporter le graphe (.gexf, .graphml ou .csv)")
    p.add_argument("--metrics", default=None, metavar="FICHIER.csv", help="écrire le tableau des métriques")
    p.add_argument("--personnes", action="store_true", help="inclure les personnes dans le réseau")
    p.add_argument(
        "--pseudonymiser", action="store_true", help="remplacer les noms des personnes par des pseudonymes stables"
    )
    p.set_defaults(handler=cli_network)


def cli_network(args) -> int:
    """``mesra network TERRITOIRE [--affiliation | --projection count|newman] [--export F] [--metrics F.csv]``."""
    from mesra.corpus.load import load_corpus
    from mesra.files import write_csv
    from mesra.network.export import export_graph
    from mesra.network.territory import territory_network

    corpus = load_corpus(args.data, pseudonymiser=args.pseudonymiser)
    _network_outputs(args)
    net = territory_network(
        corpus,
        args.territoire,
        affiliation=args.affiliation,
        projection=args.projection,
        personnes=args.personnes,
    )
    m = net.metrics
    _print_network_figures(net, m)
    _print_brokers(net, m)
    if args.export:
        for written in export_graph(net.graph, args.export):
            print(f"  Graphe écrit : {written}")
    if args.metrics:
        write_csv(Path(args.metrics), m)
        print(f"  Métriques écrites : {args.metrics}")
    return 0


def _network_outputs(args) -> None:
    """Refuse an export or metrics path the command cannot write, before any work."""
    from mesra.network.export import EXPORT_SUFFIXES

    for option, value, allowed in (("--export", args.export, EXPORT_SUFFIXES), ("--metrics", args.metrics, (".csv",))):
        if value is None:
            continue
        p = Path(value)
        if p.suffix.lower() not in allowed:
            raise ParameterError(
                f"{option} : extension « {p.suffix or p.name} » non prise en charge (attendu : {', '.join(allowed)})."
            )
        if not p.parent.is_dir():
            raise ParameterError(f"{option} : le dossier « {p.parent} » n'existe pas.")


def _print_network_figures(net, m) -> None:
    a = m.attrs
    externes = int(m["externe"].fillna(False).astype(bool).sum()) if len(m) else 0
    print(net.title)
    if net.reading == "affiliation":
        members, collectives = net.sides()
        ties = plural(a["liens"], "lien d'affiliation", "liens d'affiliation")
        print(f"  {plural(members, 'membre')}, {plural(collectives, 'collectif')}, {ties}.")
    elif net.reading == "projection":
        print(f"  Projection sur les membres, pondération « {net.weighting} ».")
    print(
        f"  {plural(a['noeuds'], 'nœud')} (dont {externes} {agree(externes, 'extérieur')} au territoire), "
        f"{plural(a['liens'], 'lien')}, densité {_decimal(a['densite'])}, {plural(a['composantes'], 'composante')}, "
        f"{plural(a['isolats'], 'isolé')}."
    )
    if net.unlocated:
        n = net.unlocated
        print(f"  {plural(n, 'acteur')} sans territoire, {agree(n, 'rattaché')} au niveau national.")


def _print_brokers(net, m) -> None:
    from mesra.network.measures import brokers

    a = m.attrs
    if not a["liens"]:
        print(
            {
                "cooperation": "  Aucun lien de coopération directe documenté pour ce territoire.",
                "affiliation": "  Aucun lien d'affiliation (membre_de, participe_a) documenté pour ce territoire.",
                "projection": "  Aucun membre ne partage de collectif avec un autre dans ce territoire.",
            }[net.reading]
        )
        return
    method = "Leiden" if a.get("methode_communautes") == "leiden" else "Louvain"
    print(
        f"  Modularité ({method}) : {_decimal(a['modularite'])} en {a['communautes']} communautés ; "
        f"part des liens entre échelons différents : {_decimal(a['part_liens_inter_echelons'])}."
    )
    top = brokers(m, 5)
    if len(top):
        print("  Principaux intermédiaires :")
        for i, row in enumerate(top.itertuples(index=False), 1):
            print(
                f"    {i}. {row.nom} ({row.noeud}) — intermédiarité {_decimal(row.intermediarite)}, "
                f"contrainte {_decimal(row.contrainte)}"
            )


def _decimal(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n.d."
    return f"{x:.3f}".replace(".", ",")


# --- mesra briefs ------------------------------------------------------------------------
def _briefs_parser(sub) -> None:
    p = sub.add_parser("briefs", help="produire les notes de recherche-action (Papermill, en parallèle)")
    p.add_argument("--data", default=None, metavar="DOSSIER", help="dossier du corpus (défaut : intégré)")
    p.add_argument("--out", default="reports", metavar="DOSSIER", help="dossier de sortie (défaut : reports)")
    p.add_argument(
        "--territoire",
        action="append",
        default=None,
        metavar="TERRITOIRE",
        help="territoire à produire : identifiant, nom ou code INSEE (répétable ; défaut : tous ceux qui ont des "
        "données, et fr)",
    )
    p.add_argument(
        "--workers", type=int, default=None, metavar="N", help="nombre de processus (défaut : nombre de cœurs)"
    )
    p.add_argument("--force", action="store_true", help="tout refaire, même ce qui n'a pas changé")
    p.add_argument(
        "--plan",
        action="store_true",
        help="dire seulement quels carnets seraient refaits et pourquoi, sans rien exécuter ni écrire",
    )
    p.add_argument("--pseudonymiser", action="store_true", help="remplacer les noms des personnes par des pseudonymes")
    p.add_argument(
        "--pdf", action="store_true", help="écrire aussi un PDF (A4) à côté de chaque note pour les lecteurs"
    )
    p.add_argument(
        "--carnets",
        default=None,
        metavar="DOSSIER",
        help="dossier des carnets à exécuter (défaut : notebooks/ du dépôt)",
    )
    p.add_argument(
        "--engine",
        choices=("mesra", "papermill"),
        default="mesra",
        help="mesra : noyaux chauds, prêts à l'emploi (défaut) ; papermill : un noyau neuf par carnet",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADRESSE",
        help="exécuter sur une grappe Dask (ex. tcp://serveur:8786) ; les pages reviennent ici",
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=None,  # not given: run_briefs' own default (1800 s), kept in mesra.batch, imported late
        metavar="SECONDES",
        help="durée maximale d'une cellule avant échec (défaut : 1800 ; 0 : sans limite)",
    )
    p.set_defaults(handler=cli_briefs)


def cli_briefs(args) -> int:
    """``mesra briefs``: exit 0 when every job succeeded, 1 otherwise."""
    previous = signal.getsignal(signal.SIGTERM)

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _terminate)
    try:
        from mesra.batch.run import run_briefs

        result = run_briefs(
            data=args.data,
            out=args.out,
            territoires=args.territoire,
            workers=args.workers,
            force=args.force,
            pseudonymiser=args.pseudonymiser,
            notebooks_dir=args.carnets,
            pdf=args.pdf,
            engine=args.engine,
            scheduler=args.scheduler,
            plan=args.plan,
            **({} if args.timeout is None else {"timeout": args.timeout}),
        )
    except CorpusError as exc:
        for problem in exc.problems:
            print(problem)
        print(
            f"{plural(len(exc.problems), 'problème')} dans le corpus : aucune note produite. "
            "Corrigez-les (mesra check) puis relancez."
        )
        return 1
    finally:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGTERM, previous)
    print(result.summary())
    return 0 if result.ok else 1


# --- mesra ressources -----------------------------------------------------------------------
def _resources_parser(sub) -> None:
    p = sub.add_parser(
        "ressources",
        help="produire le centre de ressources du réseau (outils, initiatives, portraits, veille)",
        description="Écrit DOSSIER/ressources/ : une page par ressource et un index à filtrer et à chercher, "
        "qui s'ouvrent sans serveur ni connexion. mesra briefs le produit aussi, à côté des notes.",
    )
    p.add_argument("--data", default=None, metavar="DOSSIER", help="dossier du corpus (défaut : intégré)")
    p.add_argument("--out", default="reports", metavar="DOSSIER", help="dossier de sortie (défaut : reports)")
    p.add_argument("--pseudonymiser", action="store_true", help="remplacer les noms des personnes par des pseudonymes")
    p.set_defaults(handler=cli_resources)


def cli_resources(args) -> int:
    """``mesra ressources [--data DOSSIER] [--out DOSSIER] [--pseudonymiser]``."""
    from mesra.batch.site import run_site

    try:
        index, n = run_site(args.data, args.out, pseudonymiser=args.pseudonymiser)
    except CorpusError as exc:
        for problem in exc.problems:
            print(problem)
        print(
            f"{plural(len(exc.problems), 'problème')} dans le corpus : aucune ressource produite. "
            "Corrigez-les (mesra check) puis relancez."
        )
        return 1
    print(f"{plural(n, 'ressource')} {agree(n, 'publiée')}. Centre de ressources : {index}")
    return 0


# --- mesra import FORMAT -----------------------------------------------------------------
def _import_parser(sub) -> None:
    p = sub.add_parser(
        "import",
        help="importer des données (GoGoCarto/Transiscope, Decidim, tableau d'acteurs, réponses d'enquête)",
    )
    isub = p.add_subparsers(dest="source", metavar="FORMAT", parser_class=_FrenchParser)
    for add in (
        _import_gogocarto_parser,
        _import_decidim_parser,
        _import_tableur_parser,
        _import_decidim_survey_parser,
        _import_kobo_parser,
    ):
        add(isub)


def _merge_options(q, who: str, *aliases: str) -> None:
    """``--out``, ``--force`` and ``--no-pseudonymiser``: the options every importer of actors shares."""
    q.add_argument("--out", required=True, metavar="DOSSIER", help="dossier du corpus à écrire ou compléter")
    q.add_argument(
        "--force",
        action="store_true",
        help="appliquer la fusion dans un corpus existant (sinon : aperçu, rien n'est écrit)",
    )
    q.add_argument(
        "--no-pseudonymiser",
        *aliases,
        dest="pseudonymiser",
        action="store_false",
        default=True,
        help=f"garder les vrais noms {who}",
    )


def _import_gogocarto_parser(isub) -> None:
    q = isub.add_parser("gogocarto", help="export JSON d'une carte GoGoCarto (ex. Transiscope)")
    q.add_argument("file", metavar="FICHIER.json")
    q.add_argument(
        "--categories",
        default=None,
        metavar="FICHIER.csv",
        help="correspondance catégories → type (défaut : taxonomie Transiscope)",
    )
    q.add_argument(
        "--taxonomie",
        default=None,
        metavar="FICHIER.json",
        help="taxonomie de la carte, pour nommer les catégories numérotées (optionValues, gogocompact) : "
        "JSON de GoGoCarto (…/api/taxonomy.json), SKOS JSON-LD de Transiscope, ou export dont les "
        "éléments portent categoriesFull",
    )
    _merge_options(q, "des éléments qui nomment une personne")
    q.set_defaults(handler=cli_import_gogocarto)


def cli_import_gogocarto(args) -> int:
    """``mesra import gogocarto FICHIER.json --out DOSSIER``: print the French summary."""
    from mesra.importers.gogocarto import import_gogocarto

    report = import_gogocarto(
        args.file,
        args.out,
        categories=args.categories,
        taxonomy=args.taxonomie,
        pseudonymiser=args.pseudonymiser,
        force=args.force,
    )
    print(report.summary())
    return 0 if report.applied else 1


def _import_decidim_parser(isub) -> None:
    q = isub.add_parser("decidim", help="export open data d'une plateforme Decidim (zip ou CSV)")
    q.add_argument("path", metavar="CHEMIN")
    q.add_argument(
        "--territoire",
        default=None,
        metavar="TERRITOIRE",
        help="territoire de la plateforme (identifiant, nom ou code)",
    )
    q.add_argument(
        "--pseudonymiser",
        dest="pseudonymiser",
        action="store_true",
        default=True,
        help="remplacer les noms des auteurs par des pseudonymes stables (par défaut)",
    )
    _merge_options(q, "des auteurs", "--no-pseudonymise")  # the spelling of mesra 0.1
    q.set_defaults(handler=cli_import_decidim)


def cli_import_decidim(args) -> int:
    """``mesra import decidim CHEMIN --out DOSSIER``: print the French summary."""
    from mesra.importers.decidim import import_decidim

    report = import_decidim(
        args.path, args.out, territoire=args.territoire, pseudonymiser=args.pseudonymiser, force=args.force
    )
    print(report.summary())
    return 0 if report.applied else 1


def _import_tableur_parser(isub) -> None:
    q = isub.add_parser("tableur", help="liste d'acteurs en tableau (.csv ou .xlsx : SIRENE, adhérents…)")
    q.add_argument("file", metavar="FICHIER")
    q.add_argument(
        "--colonnes",
        default=None,
        metavar="CHAMP=EN-TÊTE,…",
        help="colonnes à lire, si leurs en-têtes ne sont pas reconnus : nom, type, siret, adresse, "
        'code_postal, commune, code_insee (ex. "nom=Raison sociale,code_postal=CP")',
    )
    q.add_argument("--feuille", default=None, metavar="NOM", help="feuille du classeur .xlsx (défaut : la première)")
    _merge_options(q, "des lignes qui nomment une personne")
    q.set_defaults(handler=cli_import_tableur)


def cli_import_tableur(args) -> int:
    """``mesra import tableur FICHIER --out DOSSIER``: print the French summary."""
    from mesra.importers.tableur import import_tableur

    report = import_tableur(
        args.file,
        args.out,
        colonnes=args.colonnes,
        feuille=args.feuille,
        pseudonymiser=args.pseudonymiser,
        force=args.force,
    )
    print(report.summary())
    return 0 if report.applied else 1


def _survey_options(q) -> None:
    """Options shared by the importers of co-evaluation answers (Decidim survey, KoboToolbox)."""
    q.add_argument("--out", required=True, metavar="DOSSIER", help="dossier du corpus (réponses dans evaluation/)")
    q.add_argument(
        "--correspondance",
        required=True,
        metavar="FICHIER.csv",
        help="correspondance colonne,question_id[,choix,niveau] : colonnes de l'export → questions du référentiel, "
        "choix → niveaux",
    )
    q.add_argument(
        "--campagne", required=True, metavar="ID", help="identifiant de la campagne (evaluation/campagnes.csv)"
    )
    q.add_argument("--point-de-vue", default=None, metavar="VUE", help="point de vue de tous les répondants (ex. soi)")
    q.add_argument(
        "--colonne-point-de-vue",
        default=None,
        metavar="EN-TÊTE",
        help="colonne de l'export qui donne le point de vue de chaque répondant",
    )
    q.add_argument(
        "--colonne-id",
        default=None,
        metavar="EN-TÊTE",
        help="colonne de l'identifiant (de session) du répondant, si elle n'est pas reconnue ; jamais un nom",
    )
    q.add_argument(
        "--referentiel",
        default=None,
        metavar="FICHIER.yaml",
        help="référentiel pour vérifier questions et niveaux (défaut : celui de la campagne, s'il est dans le corpus)",
    )
    q.add_argument(
        "--force",
        action="store_true",
        help="ajouter les réponses à un evaluation/reponses.csv existant (sinon : aperçu, rien n'est écrit)",
    )


def _import_decidim_survey_parser(isub) -> None:
    q = isub.add_parser("decidim-enquete", help="réponses à une enquête Decidim (export CSV ou JSON)")
    q.add_argument("file", metavar="EXPORT")
    _survey_options(q)
    q.set_defaults(handler=cli_import_survey, survey_kind="decidim")


def _import_kobo_parser(isub) -> None:
    q = isub.add_parser("kobo", help="réponses collectées avec KoboToolbox (export CSV)")
    q.add_argument("file", metavar="EXPORT.csv")
    _survey_options(q)
    q.set_defaults(handler=cli_import_survey, survey_kind="kobo")


def cli_import_survey(args) -> int:
    """``mesra import decidim-enquete|kobo EXPORT --out DOSSIER …``: print the French summary."""
    from mesra.importers.survey import import_survey

    report = import_survey(
        args.survey_kind,
        args.file,
        args.out,
        correspondance=args.correspondance,
        campagne=args.campagne,
        point_de_vue=args.point_de_vue,
        colonne_point_de_vue=args.colonne_point_de_vue,
        colonne_id=args.colonne_id,
        referentiel=args.referentiel,
        force=args.force,
    )
    print(report.summary())
    return 0 if report.applied else 1


# --- mesra export FORMAT -----------------------------------------------------------------
def _export_parser(sub) -> None:
    p = sub.add_parser("export", help="exporter le corpus (classeur .xlsx)")
    esub = p.add_subparsers(dest="format", metavar="FORMAT", parser_class=_FrenchParser)
    q = esub.add_parser(
        "xlsx",
        help="un classeur, une feuille par table",
        description="Écrit un classeur, une feuille par table. Dans un dossier à lui (nouveau ou vide), "
        "les monographies et textes sources y sont copiés : le dossier est un corpus complet. Jamais à côté "
        "des fichiers CSV des mêmes tables (deux sources). Ex. : mesra export xlsx data/ tableur/corpus.xlsx",
    )
    q.add_argument("args", nargs="+", metavar="[DOSSIER] FICHIER.xlsx")
    q.add_argument("--force", action="store_true", help="écraser le fichier existant")
    q.set_defaults(handler=cli_export)


def cli_export(args) -> int:
    """``mesra export xlsx [DOSSIER] FICHIER.xlsx``: into a new or empty folder, a complete corpus."""
    from mesra.corpus import contract
    from mesra.corpus.load import check_corpus, default_data_dir
    from mesra.corpus.spreadsheet import VOCAB_SHEET, copy_companions, export_xlsx

    items = list(args.args)
    if len(items) == 1:
        src, dest = None, items[0]
    elif len(items) == 2:
        src, dest = items
    else:
        raise ParameterError("usage : mesra export xlsx [DOSSIER] FICHIER.xlsx (un ou deux arguments)")
    folder = Path(src) if src else default_data_dir()
    target = Path(dest).parent
    own = not target.exists() or (target.is_dir() and not any(target.iterdir()))
    created = not target.exists() and target.parent.is_dir() and Path(dest).suffix.lower() == ".xlsx"
    if created:
        target.mkdir()
    try:
        path = export_xlsx(src, dest, force=args.force)
    except MesraError:
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()
        raise
    print(f"Classeur écrit : {path} (feuilles : {', '.join(contract.TABLE_ORDER)}, {VOCAB_SHEET}).")
    problems = check_corpus(folder)
    if problems:
        print(
            f"Attention : le corpus comporte {plural(len(problems), 'problème')}, que le classeur reproduit ; "
            f"lancez mesra check {folder}."
        )
    if path.resolve().parent == folder.resolve():
        return 0
    if own:
        copied = copy_companions(folder, path.parent)
        print(
            f"Monographies et textes sources copiés dans {path.parent} ({len(copied)} fichier(s)) : ce dossier est "
            f"un corpus complet, dont les tables sont dans le classeur. Modifiez-le, puis : mesra check {path.parent}"
        )
    elif (folder / contract.MONOGRAPH_DIR).is_dir() or (folder / "sources").is_dir():
        print(
            f"Les monographies et les textes sources restent dans {folder} : pour un corpus complet, exportez "
            f"dans un dossier à lui (nouveau ou vide), ex. mesra export xlsx {folder} tableur/{path.name}"
        )
    return 0


# --- mesra init --------------------------------------------------------------------------
def _init_parser(sub) -> None:
    p = sub.add_parser(
        "init",
        help="créer un corpus vide (classeur à remplir, modèle de monographie, guide « Démarrer »)",
        description="Crée dans DOSSIER un corpus vide : corpus.xlsx (une feuille par table, listes "
        "déroulantes), monographies/, sources/, modele-monographie.md et DEMARRER.md, le guide qui "
        "mène jusqu'à une première note.",
    )
    p.add_argument("dossier", metavar="DOSSIER", help="dossier à créer (nouveau ou vide)")
    p.add_argument("--force", action="store_true", help="réécrire les fichiers de mesra d'un dossier existant")
    p.add_argument(
        "--modele",
        choices=["coevaluation"],
        default=None,
        help="ajouter un modèle : « coevaluation » écrit evaluation/ (squelette de référentiel d'utilité sociale, "
        "campagnes.csv et reponses.csv vides), même dans un corpus existant",
    )
    p.set_defaults(handler=cli_init)


def cli_init(args) -> int:
    """``mesra init DOSSIER [--force]``: an empty corpus and the guide to a first brief."""
    from mesra.corpus.starter import GUIDE, WORKBOOK, _existing_corpus, init_coevaluation, init_corpus

    folder = Path(args.dossier)
    if args.modele == "coevaluation":
        existing = folder.is_dir() and bool(_existing_corpus(folder))
        if not existing:
            init_corpus(folder, force=args.force)
        init_coevaluation(folder, force=args.force)
        print(
            f"Modèle de co-évaluation écrit dans {folder / 'evaluation'} : referentiels/utilite-sociale-v1.yaml "
            "(squelette à réécrire par le groupe), campagnes.csv et reponses.csv (vides).\n"
            f"Voir la section « Co-évaluation » du guide {folder / GUIDE}, puis : mesra check {folder}"
        )
        return 0
    init_corpus(args.dossier, force=args.force)
    print(
        f"Corpus vide créé dans {folder} : {WORKBOOK} (à remplir), monographies/, sources/, "
        f"modele-monographie.md.\nSuivez le guide {folder / GUIDE} : remplissez le classeur, puis "
        f"mesra check {folder}, puis mesra briefs --data {folder} --territoire VOTRE-TERRITOIRE "
        f"--out {folder / 'notes'}"
    )
    return 0


# --- mesra new-monograph -----------------------------------------------------------------
def _new_monograph_parser(sub) -> None:
    p = sub.add_parser("new-monograph", help="écrire un modèle de monographie (cadre commun du séminaire)")
    p.add_argument("id", metavar="ID", help="identifiant de la monographie (ex. ma-recyclerie)")
    p.add_argument(
        "--territoire",
        required=True,
        metavar="TERRITOIRE",
        help="territoire de l'initiative (identifiant, nom ou code)",
    )
    p.add_argument("--porteur", default=None, metavar="ACTEUR", help="acteur porteur")
    p.add_argument(
        "--data", default="data", metavar="DOSSIER", help="dossier du corpus ou classeur .xlsx (défaut : data)"
    )
    p.add_argument("--force", action="store_true", help="écraser le fichier existant")
    p.set_defaults(handler=cli_new_monograph)


def cli_new_monograph(args) -> int:
    """``mesra new-monograph ID --territoire T [--porteur A] [--data DOSSIER] [--force]``."""
    from mesra.corpus.template import new_monograph

    path = new_monograph(args.id, args.territoire, porteur=args.porteur, data=args.data, force=args.force)
    print(
        f"Modèle écrit : {path}\nRemplissez au moins titre, origine et sources (les commentaires « # » "
        f"expliquent chaque champ), puis vérifiez : mesra check {args.data}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
