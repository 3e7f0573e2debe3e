"""`mesra check` on large corpora: suggestions through an index, problems streamed, listing capped.

Speed itself is measured in benchmarks/check_scale.py; these tests check the structure that
makes it linear (how many candidates a suggestion looks at, when problems come out).
"""

from __future__ import annotations

import csv
import difflib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesra.cli import CHECK_LISTED, main
from mesra.corpus.load import read_raw
from mesra.corpus.validate import Kind, iter_problems, validate
from mesra.errors import CloseMatcher, did_you_mean
from mesra.french import plural

SYLLABLES = ["ba", "lo", "mi", "ne", "ru", "sa", "te", "vi", "co", "pa", "de", "gu", "fo", "ji", "ka"]


def _ids(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        words = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(rng.randint(2, 3))]
        out.add("-".join(words))
    return sorted(out)


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice("xyzq") + word[i + 1 :]


def _ratio(candidate: str, value: str) -> float:
    return difflib.SequenceMatcher(None, candidate, value).ratio()


# --- the close-match index ------------------------------------------------------------------
slug = st.text(alphabet="abcdeilmnorstu-", min_size=1, max_size=14)


@settings(max_examples=150, deadline=None)
@given(
    known=st.lists(slug, max_size=40),
    value=slug,
    n=st.integers(1, 3),
    cutoff=st.sampled_from([0.0, 0.5, 0.6, 0.75, 0.9, 1.0]),
)
def test_small_sets_get_exactly_difflibs_suggestions(known, value, n, cutoff):
    expected = difflib.get_close_matches(value, sorted(set(known)), n=n, cutoff=cutoff)
    assert CloseMatcher(known).matches(value, n=n, cutoff=cutoff) == expected


def test_did_you_mean_keeps_its_wording_and_accepts_a_matcher():
    assert did_you_mean("ocitanie", ["occitanie", "normandie"]) == " (vouliez-vous dire « occitanie » ?)"
    matcher = CloseMatcher(["occitanie", "normandie"])
    assert did_you_mean("normandy", matcher) == " (vouliez-vous dire « normandie » ?)"
    assert did_you_mean("xyz", matcher) == ""


def test_a_large_set_is_searched_through_a_bounded_window():
    ids = _ids(20_000)
    matcher = CloseMatcher(ids)
    assert len(matcher) == 20_000 > CloseMatcher.EXACT_MAX
    rng = random.Random(1)
    originals = rng.sample(ids, 200)
    found = 0
    for original in originals:
        typo = _typo(rng, original)
        if typo in ids:
            continue
        before = matcher.scored
        close = matcher.matches(typo)
        assert matcher.scored - before <= 4 * CloseMatcher.WINDOW  # not 20 000 candidates
        assert len(matcher.candidates(typo)) <= 4 * CloseMatcher.WINDOW
        if close:
            assert _ratio(close[0], typo) >= 0.75
        # the original, or an identifier at least as close (random syllables make neighbours)
        found += bool(close) and _ratio(close[0], typo) >= _ratio(original, typo)
    # one substitution leaves the beginning or the end intact: the window finds the identifier
    assert found >= 0.95 * len(originals)


def test_the_window_answer_is_difflibs_among_the_candidates():
    ids = _ids(5_000, seed=2)
    matcher = CloseMatcher(ids)
    rng = random.Random(3)
    for original in rng.sample(ids, 30):
        typo = _typo(rng, original)
        expected = difflib.get_close_matches(typo, matcher.candidates(typo), n=2, cutoff=0.6)
        assert matcher.matches(typo, n=2, cutoff=0.6) == expected


# --- a corpus with thousands of unknown references -------------------------------------------
def _big_corpus(folder, n_actors: int, n_bad: int, seed: int = 0):
    """The mini corpus's sources plus ``n_actors`` actors and ``n_bad`` ties to typos of them."""
    rng = random.Random(seed)
    ids = _ids(n_actors, seed)
    with open(folder / "acteurs.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["acteur_id", "nom", "sigle", "type", "territoire_id", "echelon", "membre_mes", "source"])
        for aid in ids:
            w.writerow([aid, aid.title(), "", "association", "gard", "local", "true", "doc-test#L2"])
    known = set(ids)
    bad = []
    with open(folder / "liens.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source_id", "cible_id", "relation", "axe", "echelon", "annee", "source"])
        while len(bad) < n_bad:
            original = rng.choice(ids)
            typo = _typo(rng, original)
            if typo in known:
                continue
            bad.append((typo, original))
            w.writerow([rng.choice(ids), typo, "partenaire_de", "", "", "", "doc-test#L2"])
    for table in ("personnes", "roles", "actions", "suivi"):  # they cite the mini corpus's actors
        (folder / f"{table}.csv").unlink(missing_ok=True)
    for p in (folder / "monographies").glob("*.md"):
        p.unlink()
    return bad


def test_thousands_of_unknown_references_cost_a_bounded_search_each(mini_dir, monkeypatch):
    bad = _big_corpus(mini_dir, 20_000, 2_000)
    raw = read_raw(mini_dir)
    built = []
    real_init = CloseMatcher.__init__

    def counting_init(self, known):
        built.append(1)
        real_init(self, known)

    compared = []
    real_set_seq1 = difflib.SequenceMatcher.set_seq1

    def counting_set_seq1(self, a):
        compared.append(1)
        # a scan of the 20 000 identifiers per unknown one would pass this at once
        assert len(compared) <= 20 * len(bad), "difflib compares each unknown value with too many identifiers"
        real_set_seq1(self, a)

    monkeypatch.setattr(CloseMatcher, "__init__", counting_init)
    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting_set_seq1)
    problems = validate(raw)
    assert len(problems) == len(bad)
    assert {p.kind for p in problems} == {Kind.UNKNOWN}
    assert len(built) == 1  # one matcher for the set of actors and persons, built once
    suggested = {p.message.split("« ")[1].split(" »")[0]: p.message for p in problems}
    right = sum(f"vouliez-vous dire « {original} »" in suggested[typo] for typo, original in bad)
    assert right >= 0.95 * len(bad)


class _Watched(list):
    """The rows of a table, recording how far validation has read them."""

    read = 0

    def __iter__(self):
        for i, row in enumerate(list.__iter__(self)):
            type(self).read = i + 1
            yield row


def test_problems_come_out_as_they_are_found(mini_dir):
    _big_corpus(mini_dir, 500, 300)
    raw = read_raw(mini_dir)
    raw.tables["liens"].rows = _Watched(raw.tables["liens"].rows)
    stream = iter_problems(raw)
    first = next(stream)
    assert first.file == "liens.csv" and first.kind == Kind.UNKNOWN
    assert 0 < _Watched.read < 300  # the first problem came before the last row was read
    assert len([first, *stream]) == 300


def test_hints_only_for_the_first_problems(mini_dir):
    _big_corpus(mini_dir, 300, 20)
    problems = list(iter_problems(read_raw(mini_dir), hints=5))
    with_hint = [i for i, p in enumerate(problems) if "vouliez-vous dire" in p.message]
    assert with_hint and max(with_hint) < 5
    assert sum("vouliez-vous dire" in p.message for p in iter_problems(read_raw(mini_dir))) > 5


def test_the_cli_prints_each_problem_before_looking_for_the_next(mini_dir, monkeypatch, capsys):
    _big_corpus(mini_dir, 300, 10)
    import mesra.corpus.validate as validate_module

    real = validate_module.iter_problems

    def watched(raw, **kwargs):
        previous = None
        for problem in real(raw, **kwargs):
            if previous is not None:
                assert str(previous) in capsys.readouterr().out
            previous = problem
            yield problem

    monkeypatch.setattr(validate_module, "iter_problems", watched)
    assert main(["check", str(mini_dir)]) == 1


def test_the_listing_is_capped_then_counted(mini_dir, capsys):
    _big_corpus(mini_dir, 400, CHECK_LISTED + 50)
    with open(mini_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("sans-nom,,,association,gard,local,true,doc-test#L2\n")
    assert main(["check", str(mini_dir)]) == 1
    out = capsys.readouterr().out.splitlines()
    listed = [line for line in out if line.startswith(("liens.csv:", "acteurs.csv:"))]
    assert len(listed) == CHECK_LISTED
    assert any(line.startswith("… et 51 autres problèmes, non affichés") and "--tout" in line for line in out)
    assert f"  liens.csv : {CHECK_LISTED + 50} (identifiant inconnu : {CHECK_LISTED + 50})" in out
    assert "  acteurs.csv : 1 (valeur obligatoire manquante : 1)" in out
    assert out[-1] == f"{CHECK_LISTED + 51} problèmes dans {mini_dir}."

    assert main(["check", "--tout", str(mini_dir)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == CHECK_LISTED + 52 and not any(line.startswith("… et") for line in out)
    assert sum("vouliez-vous dire" in line for line in out) > CHECK_LISTED


@pytest.mark.parametrize("n", [1, CHECK_LISTED])
def test_short_listings_are_unchanged(mini_dir, capsys, n):
    _big_corpus(mini_dir, 300, n)
    assert main(["check", str(mini_dir)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == n + 1 and out[-1] == f"{plural(n, 'problème')} dans {mini_dir}."
