"""Pseudonymisation of people: one switch, every output of a run.

People are personal data. :func:`pseudonymise` returns a copy of a corpus where
every person's identifier and name is replaced by a stable pseudonym derived
from a hash of the identifier (the same person gets the same pseudonym in every
run and every output), and where their names are also masked in free text
(monograph bodies and fields).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

import pandas as pd

__all__ = ["pseudonym", "pseudonymise", "name_variants"]


def pseudonym(personne_id: str) -> tuple[str, str]:
    """Stable ``(identifier, display name)`` for a person identifier.

    >>> pseudonym("josette-combes")[0].startswith("personne-")
    True
    """
    digest = hashlib.sha256(f"mesra:{personne_id}".encode()).hexdigest()[:6]
    return f"personne-{digest}", f"Personne {digest.upper()}"


def name_variants(nom: str | None, prenom: str | None) -> list[str]:
    """Spellings of a person's name to mask in free text (longest first)."""
    nom = (nom or "").strip()
    prenom = (prenom or "").strip()
    out = set()
    if nom and prenom:
        out |= {f"{prenom} {nom}", f"{nom} {prenom}", f"{prenom} {nom.title()}", f"{nom.title()} {prenom}"}
    if nom and len(nom) >= 4:
        out.add(nom)
        out.add(nom.title())
    return sorted(out, key=lambda s: (-len(s), s))


def _masker(people: pd.DataFrame):
    patterns = []
    for row in people.itertuples(index=False):
        display = pseudonym(row.personne_id)[1]
        for variant in name_variants(row.nom, row.prenom):
            patterns.append((re.compile(r"(?<!\w)" + re.escape(variant) + r"(?!\w)", re.IGNORECASE), display))

    def mask(value):
        if isinstance(value, str):
            for pattern, display in patterns:
                value = pattern.sub(display, value)
            return value
        if isinstance(value, list):
            return [mask(v) for v in value]
        if isinstance(value, dict):
            return {k: mask(v) for k, v in value.items()}
        return value

    return mask


def pseudonymise(corpus):
    """A copy of ``corpus`` in which no person's real name or identifier remains."""
    people = corpus.personnes
    ids = {pid: pseudonym(pid)[0] for pid in people["personne_id"]}
    mask = _masker(people)
    new_people = people.copy()
    new_people["personne_id"] = [ids[p] for p in people["personne_id"]]
    new_people["nom"] = [pseudonym(p)[1] for p in people["personne_id"]]
    new_people["prenom"] = None
    new_people = new_people.sort_values("personne_id").reset_index(drop=True)
    liens = corpus.liens.copy()
    for col in ("source_id", "cible_id"):
        liens[col] = [ids.get(v, v) for v in liens[col]]
    monos = corpus.monographies.copy()
    for col in monos.columns:
        if not pd.api.types.is_numeric_dtype(monos[col]):
            monos[col] = pd.Series([mask(v) for v in monos[col]], index=monos.index, dtype=object)
    acteurs = corpus.acteurs.copy()
    acteurs["nom"] = [mask(v) for v in acteurs["nom"]]
    texts = {k: mask(v) for k, v in corpus.source_texts.items()}
    return dataclasses.replace(
        corpus,
        personnes=new_people,
        liens=liens,
        monographies=monos,
        acteurs=acteurs,
        source_texts=texts,
        pseudonymised=True,
    )
