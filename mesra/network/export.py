"""Writing graphs for Gephi and spreadsheets: GEXF, GraphML, CSV node and edge lists.

One writer per kind: the CSV lists go through :func:`mesra.files.csv_text` (a text
cell a spreadsheet would run as a formula is guarded by ``'``), the XML formats are
checked before writing: a character XML 1.0 cannot hold (a control character such as
a vertical tab, pasted into a name) is refused with a French message naming the node
or tie, and the document written is parsed back, so that an export that cannot be
valid fails instead of leaving a file Gephi refuses.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pandas as pd

from mesra.errors import MesraError, ParameterError
from mesra.files import atomic_write_bytes, csv_text
from mesra.network.graphs import _clean
from mesra.network.projection import SparseProjection

__all__ = ["export_graph", "export_graphs", "ExportedFiles", "EXPORT_SUFFIXES"]


# --- exports ------------------------------------------------------------------------------
EXPORT_SUFFIXES = (".gexf", ".graphml", ".csv")


def _export_value(value):
    """A value GEXF/GraphML can store: None dropped, lists joined, numpy scalars plain."""
    value = _clean(value)
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(str(x) for x in items)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _exportable(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose attributes every format can write (GEXF cannot store None)."""
    h = nx.Graph()
    for key, value in g.graph.items():
        value = _export_value(value)
        if value is not None:
            h.graph[key] = value
    for n, d in g.nodes(data=True):
        attrs = {k: v for k, v in ((k, _export_value(v)) for k, v in d.items()) if v is not None}
        if "nom" in attrs and "label" not in attrs:
            attrs["label"] = str(attrs["nom"])
        h.add_node(str(n), **attrs)
    for u, v, d in g.edges(data=True):
        attrs = {k: v for k, v in ((k, _export_value(x)) for k, x in d.items()) if v is not None}
        h.add_edge(str(u), str(v), **attrs)
    return h


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return csv_text(df).encode("utf-8")


#: Characters XML 1.0 cannot hold, even as a character reference (``&#11;`` is not well-formed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _bad_character(value) -> str | None:
    """``U+000B`` when ``value`` (a text) holds a character XML cannot hold, else None."""
    if not isinstance(value, str):
        return None
    m = _NOT_XML.search(value)
    return None if m is None else f"U+{ord(m.group()):04X}"


def _xml_problem(h: nx.Graph) -> str | None:
    """Where the first character XML cannot hold lies in ``h``, in French; None when there is none."""
    for key, value in h.graph.items():
        char = _bad_character(key) or _bad_character(value)
        if char:
            return f"l'attribut « {_shown(key)} » du graphe contient le caractère de contrôle {char}"
    for n, d in h.nodes(data=True):
        for key, value in (("identifiant", n), *d.items()):
            char = _bad_character(key) or _bad_character(value)
            if char:
                return f"le nœud « {_shown(n)} » ({_shown(key)}) contient le caractère de contrôle {char}"
    for u, v, d in h.edges(data=True):
        for key, value in d.items():
            char = _bad_character(key) or _bad_character(value)
            if char:
                return f"le lien « {_shown(u)} — {_shown(v)} » ({_shown(key)}) contient le caractère de contrôle {char}"
    return None


def _shown(value) -> str:
    text = _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    return text if len(text) <= 60 else text[:59] + "…"


def _xml_bytes(h: nx.Graph, path: Path, generate) -> bytes:
    """The XML document of ``h`` (GEXF or GraphML), checked well-formed; MesraError when it cannot be."""
    what = "GEXF" if path.suffix.lower() == ".gexf" else "GraphML"
    problem = _xml_problem(h)
    if problem:
        raise MesraError(
            f"export {what} impossible ({path.name}) : {problem}, qu'un fichier XML ne peut pas contenir. "
            "Corrigez la valeur dans le corpus (mesra check signale ces caractères), puis relancez."
        )
    try:
        data = b"".join(line.encode("utf-8") + b"\n" for line in generate(h))
    except (nx.NetworkXError, TypeError, ValueError) as exc:  # an attribute the format cannot type
        raise MesraError(
            f"export {what} impossible ({path.name}) : {exc} ; aucun fichier n'a été écrit. Exportez en .csv, "
            "ou donnez à cet attribut un seul type de valeur (texte, nombre ou booléen) sur tous les nœuds."
        ) from None
    try:
        ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise MesraError(
            f"export {what} impossible ({path.name}) : le document produit n'est pas du XML valide ({exc}) ; "
            "aucun fichier n'a été écrit. Signalez-le avec le corpus qui le provoque."
        ) from None
    return data


def export_graph(g: nx.Graph, path: str | Path) -> list[Path]:
    """Write a graph for Gephi or a spreadsheet, atomically; return the files written.

    Parameters
    ----------
    g : networkx.Graph or SparseProjection
        A graph from :func:`cooperation_graph`, :func:`affiliation_graph` or
        :func:`project` (a sparse projection is converted first).
    path : str or Path
        ``.gexf`` (Gephi), ``.graphml``, or ``.csv``: then two files are written,
        ``<nom>-noeuds.csv`` (``Id, Label`` and the node attributes) and
        ``<nom>-liens.csv`` (``Source, Target, Type, Weight`` and the edge
        attributes), the headers Gephi's spreadsheet import recognises.

    Notes
    -----
    Missing values are left out (GEXF cannot store them), lists are joined with
    ``", "``, node identifiers become strings, and each node gets a ``label`` (its
    ``nom``), which Gephi displays.

    Text cells of the CSV lists that a spreadsheet would run as a formula
    (``=HYPERLINK(…)``, ``@SUM(…)``) are written guarded by ``'``.

    Raises
    ------
    ParameterError
        Unknown file suffix, missing folder, or not a graph.
    MesraError
        A GEXF or GraphML export holding a character XML cannot hold (nothing written).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ParameterError(
            f"Format d'export « {path.suffix or path.name} » non pris en charge : utilisez "
            ".gexf (Gephi), .graphml ou .csv (nœuds et liens)."
        )
    if not path.parent.is_dir():
        raise ParameterError(
            f"Le dossier « {path.parent} » n'existe pas : créez-le ou choisissez un autre chemin d'export."
        )
    if isinstance(g, SparseProjection):
        g = g.to_networkx()
    if not isinstance(g, nx.Graph):
        raise ParameterError(
            "export_graph attend un graphe networkx (mesra.cooperation_graph, affiliation_graph ou project)."
        )
    h = _exportable(g)
    if suffix in (".gexf", ".graphml"):
        generate = nx.generate_gexf if suffix == ".gexf" else nx.generate_graphml
        return [atomic_write_bytes(path, _xml_bytes(h, path, generate))]
    node_rows = [
        {"Id": n, "Label": d.get("label", n), **{k: v for k, v in d.items() if k != "label"}}
        for n, d in h.nodes(data=True)
    ]
    nodes = pd.DataFrame(node_rows, columns=_columns(["Id", "Label"], node_rows))
    edge_rows = [
        {
            "Source": u,
            "Target": v,
            "Type": "Undirected",
            "Weight": d.get("weight", 1),
            **{k: x for k, x in d.items() if k != "weight"},
        }
        for u, v, d in h.edges(data=True)
    ]
    edges = pd.DataFrame(edge_rows, columns=_columns(["Source", "Target", "Type", "Weight"], edge_rows))
    stem = path.with_suffix("")
    out_nodes = stem.parent / f"{stem.name}-noeuds.csv"
    out_edges = stem.parent / f"{stem.name}-liens.csv"
    return [atomic_write_bytes(out_nodes, _csv_bytes(nodes)), atomic_write_bytes(out_edges, _csv_bytes(edges))]


def _columns(first: list[str], rows: list[dict]) -> list[str]:
    cols = list(first)
    for row in rows:
        for k in row:
            if k not in cols:
                cols.append(k)
    return cols


class ExportedFiles(list):
    """The files an export wrote; shown to readers by their names, in French."""

    _KINDS = {".gexf": "Gephi", ".graphml": "GraphML", ".csv": "tableur"}

    def __str__(self) -> str:
        if not self:
            return "Aucun fichier écrit."
        return "Fichiers écrits : " + ", ".join(f"{p.name} ({self._KINDS.get(p.suffix, p.suffix)})" for p in self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        return "<p>" + html.escape(str(self)) + "</p>"


def export_graphs(g, stem: str | Path, formats: tuple[str, ...] = EXPORT_SUFFIXES) -> ExportedFiles:
    """Write ``g`` in every format of ``formats`` (``stem`` + suffix); return the files written.

    >>> import networkx as nx, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> print(export_graphs(nx.path_graph(3), folder / "reseau", formats=(".gexf",)))
    Fichiers écrits : reseau.gexf (Gephi)
    """
    stem = Path(stem)
    written = ExportedFiles()
    for suffix in formats:
        written.extend(export_graph(g, stem.with_name(stem.name + suffix)))
    return written
