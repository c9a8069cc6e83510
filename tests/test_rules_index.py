"""docs/rules.md, the index of the guides' rules, against the code and the tests (issue 15).

Any rule is found from its number in one step: every rule number cited in guichet/, templates/
or tests/ has its row in docs/rules.md, every row is cited by a test, and every « implemented
in » or « tested in » path of a row exists, inside the repository, with the function it names.
"""

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "docs" / "rules.md"
THIS = Path(__file__).resolve()

# The guides' letters: G the account, C account creation, P power of attorney,
# A certificates, O overlapping complementary insurers, V carte Vitale order.
GUIDES = "GCPAOV"
# The rules the project chose for a démarche the guides do not describe: RDV « Mon agenda »
# (issue 17, docs/decisions/appointments-rules.md); ECH the « Espace d'échanges » (issue 19,
# docs/decisions/exchanges.md); CEAM the european health card order (issue 18,
# docs/decisions/ceam.md); SIT « Déclarer un changement de situation » (issue 18,
# docs/decisions/situation-address-change.md, situation-bank-details.md,
# situation-usage-name.md, situation-newborn.md, situation-other-parent.md and
# situation-withdrawal.md).
PROJECT = ("RDV", "ECH", "CEAM", "SIT")
SERIES = (*PROJECT, *GUIDES)
PREFIX = "|".join(SERIES)
NUMBER = re.compile(rf"\b({PREFIX})(\d{{1,2}})\b")
# « C1-C9 », « A1–A6 », « O2 to O6 »: a range cites every rule between its two ends.
RANGE = re.compile(rf"\b({PREFIX})(\d{{1,2}})\s*(?:-|–|to|à)\s*\1(\d{{1,2}})\b")
# test_a4_outcomes…, test_code_rules_c5: a test's name cites the rule as a lower-case word.
TEST_NAME = re.compile(r"\bdef (test_\w+)")
NAME_PART = re.compile(rf"({PREFIX.lower()})(\d{{1,2}})")

# Text that looks like a rule number and is not one (removed before the scan), with why.
NOT_CITATIONS = [
    re.compile(r"\bC0, (?:DEL, C1|C1, DEL)\b"),  # Unicode's C0 and C1 control characters
    re.compile(r"\bC1 control\b"),  # idem
    re.compile(r"\bA4 at \d+ dpi\b"),  # the paper size
    re.compile(r"\bA7-TEST-\d+\b"),  # a kiosk device name in a test
    re.compile(r"_median_and_p90\b"),  # the 90th percentile, in a test's name
]
# A path outside the repository: rules are cited by number and docs/rules.md instead.
OUTSIDE = re.compile(r"\.\./shared/|shared/RULES|shared/seeds|/work/")

ROW = re.compile(r"^\| ([A-Z]+\d+) \|(.*)\|\s*$")
SERIES_OF = re.compile(r"^([A-Z]+)(\d+)$")
CODE_SPAN = re.compile(r"`([^`]+)`")


def _index() -> dict[str, dict[str, list[str]]]:
    """Each row of docs/rules.md: its summary, « implemented in » and « tested in » entries."""
    rows: dict[str, dict[str, list[str]]] = {}
    for line in INDEX.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        number, rest = match.groups()
        cells = [cell.strip() for cell in rest.split(" | ")]
        assert len(cells) == 3, f"{number}: expected 4 cells, got {len(cells) + 1}: {line}"
        assert number not in rows, f"{number} has two rows in docs/rules.md"
        summary, implemented, tested = cells
        rows[number] = {
            "summary": [summary],
            "implemented": CODE_SPAN.findall(implemented),
            "tested": CODE_SPAN.findall(tested),
        }
    return rows


def _scanned_files() -> list[Path]:
    files = [*(ROOT / "guichet").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    files += [path for path in (ROOT / "templates").rglob("*") if path.is_file()]
    return sorted(path for path in files if path.resolve() != THIS)


def _citations(text: str) -> tuple[set[str], set[str]]:
    """The rule numbers `text` cites by name (or in a test's name), and those it cites in a
    range only."""
    for pattern in NOT_CITATIONS:
        text = pattern.sub(" ", text)
    in_range = set()
    for match in RANGE.finditer(text):
        letter, first, last = match[1], int(match[2]), int(match[3])
        in_range |= {f"{letter}{n}" for n in range(min(first, last), max(first, last) + 1)}
    text = RANGE.sub(" ", text)
    named = {f"{m[1]}{int(m[2])}" for m in NUMBER.finditer(text)}
    for test_name in TEST_NAME.findall(text):
        for part in test_name.split("_"):
            if match := NAME_PART.fullmatch(part):
                named.add(f"{match[1].upper()}{int(match[2])}")
    return named, in_range - named


def _cited() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Rule number → files citing it by name; rule number → files citing it in a range only."""
    named: dict[str, set[str]] = defaultdict(set)
    in_range: dict[str, set[str]] = defaultdict(set)
    for path in _scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        by_name, by_range = _citations(path.read_text(encoding="utf-8"))
        for number in by_name:
            named[number].add(relative)
        for number in by_range:
            in_range[number].add(relative)
    return named, in_range


def _is_test_file(relative: str) -> bool:
    path = Path(relative)
    return path.parts[0] == "tests" and path.name.startswith("test_") and path.suffix == ".py"


def _inside_repository(relative: str) -> Path | None:
    path = (ROOT / relative).resolve()
    return path if path.is_relative_to(ROOT) and path.is_file() else None


def _defines(text: str, name: str) -> bool:
    """`name` is a function, a class or a module-level constant of the file."""
    name = re.escape(name)
    pattern = rf"^\s*(?:async\s+def|def|class)\s+{name}\b|^{name}\s*(?::[^=\n]+)?="
    return re.search(pattern, text, re.MULTILINE) is not None


def test_the_index_numbers_the_rules_of_every_guide_without_a_gap():
    rows = _index()
    problems = []
    series = {n: SERIES_OF.match(n).groups() for n in rows}
    for letter in SERIES:
        numbers = sorted(int(series[n][1]) for n in rows if series[n][0] == letter)
        if numbers != list(range(1, len(numbers) + 1)) or not numbers:
            problems.append(f"{letter}: rows {numbers}, expected 1 to {len(numbers)}")
    problems += [f"{n}: not a guide's letter" for n in rows if series[n][0] not in SERIES]
    problems += [
        f"{n}: a cell is empty"
        for n, row in rows.items()
        if not (row["summary"][0] and row["implemented"] and row["tested"])
    ]
    assert not problems, "docs/rules.md:\n" + "\n".join(problems)


def test_every_rule_cited_in_code_templates_or_tests_has_its_row():
    rows = _index()
    named, in_range = _cited()
    missing = [
        f"{number}: cited in {', '.join(sorted(named[number] | in_range[number]))}"
        for number in sorted(set(named) | set(in_range))
        if number not in rows
    ]
    assert not missing, "Rule numbers cited but missing from docs/rules.md:\n" + "\n".join(missing)


def test_every_rule_of_the_index_is_cited_by_a_test():
    named, _ = _cited()
    untested = [
        number
        for number in _index()
        if not any(_is_test_file(path) for path in named.get(number, ()))
    ]
    assert not untested, (
        "Rules of docs/rules.md that no test cites by number (a range does not count): "
        + ", ".join(untested)
    )


def test_each_test_file_of_a_row_exists_and_cites_its_rule():
    named, _ = _cited()
    problems = []
    for number, row in _index().items():
        for relative in row["tested"]:
            if not _is_test_file(relative) or _inside_repository(relative) is None:
                problems.append(f"{number}: {relative} is not a test file of tests/")
            elif relative not in named.get(number, set()):
                problems.append(f"{number}: {relative} does not cite {number}")
    assert not problems, "docs/rules.md, « Tested in »:\n" + "\n".join(problems)


def test_each_implementation_of_a_row_exists_with_the_function_it_names():
    problems = []
    for number, row in _index().items():
        for entry in row["implemented"]:
            relative, _, name = entry.partition("::")
            path = _inside_repository(relative)
            if path is None or path.relative_to(ROOT).parts[0] not in ("guichet", "templates"):
                problems.append(f"{number}: {relative} is not a file of guichet/ or templates/")
            elif name and not _defines(path.read_text(encoding="utf-8"), name):
                problems.append(f"{number}: {relative} defines no {name}")
    assert not problems, "docs/rules.md, « Implemented in »:\n" + "\n".join(problems)


def test_code_tests_and_docs_name_no_path_outside_the_repository():
    files = [*_scanned_files(), ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    outside = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not outside, "Paths outside the repository (cite docs/rules.md):\n" + "\n".join(outside)


def test_the_scan_tells_citations_from_look_alikes():
    named, in_range = _citations(
        '"""Rules A1–A3 and O2 to O4; V2/V6 (C5-C7)."""\n'
        "def test_code_rules_c5(): ...\n"
        "def test_processing_times_median_and_p90(): ...\n"
        "# control characters (C0, DEL, C1); A4 at 300 dpi; class fr-h1 #A1B2C3; G12x\n"
    )
    assert named == {"V2", "V6", "C5"}
    assert in_range == {"A1", "A2", "A3", "O2", "O3", "O4", "C6", "C7"}
