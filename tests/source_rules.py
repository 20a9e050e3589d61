#!/usr/bin/env python3
"""The house rules a reader relies on, checked over the sources (docs/style.md).

usage: source_rules.py SOURCE_DIR

Fails, naming file and line, when
  - an exported function or a COM method of mapihost.dll (src/, the programs in src/mapicheck and src/tools aside)
    does not begin, after its declarations, with a TRACE of its arguments (MAPIHOST_DEBUG=all traces a session);
  - a macro hides a return (control flow is always visible at the call site);
  - code, tests or docs cite a rule ID (H12, E21, S34, U9, M4, Q3, F7, X40, W5, P1, or a lifecycle section such as
    section 1F written with the section sign) that docs/rules.md does not define;
  - code, tests or docs point at an issue number instead of saying what the behaviour is.
"""
import pathlib
import re
import sys

FUNCTION = re.compile(r"^((?:static |extern )?(?:const )?[A-Za-z_][\w \t*]*?)\b(\w+)\(([^;{}]*?)\)\s*\n\{", re.M)
CONVENTION = re.compile(r"\b(WINAPI|STDMETHODCALLTYPE|STDAPICALLTYPE|CDECL|__cdecl)\b")
DECLARATION = re.compile(r"^\s+(?:(?:const|static|struct|enum|unsigned|volatile)\s+)*[A-Za-z_]\w*(?:\s+\w+)?"
                         r"(?:[\s*]|\bconst\b)+\(?\*?\w+(?:\[[^\]]*\])*\)?(\s*=|\s*;|\s*,|\s*\[)"
                         r"|^\s+Sized\w+\(")  # SizedSPropTagArray(n, name) and its kin declare too
RULE = re.compile(r"(?<![\w.#/-])([HESUMQFXWP][1-9][0-9]?)(?![\w])")
SECTION = re.compile(r"§ ?([0-9]+[A-Z]?(?:\.[0-9]+)?)")
ISSUE = re.compile(r"\bissues? ?#?[0-9]+", re.I)
CITING = ("src", "providers", "templates", "tests", "docs", "idl", "include", "cmake", "profiles", "toolchain")


def exports(source_dir):
    names = set()
    for line in (source_dir / "src" / "mapihost.def").read_text().splitlines():
        match = re.match(r"\s+(\w+)(?:\s*=\s*(\w+))?", line)
        if match and not line.strip().startswith(";"):
            names.add(match.group(2) or match.group(1))
    return names


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def untraced(source_dir):
    names, problems = exports(source_dir), []
    for path in sorted((source_dir / "src").rglob("*.c")):
        rel = path.relative_to(source_dir).as_posix()
        if rel.split("/")[1] in ("mapicheck", "tools") or rel in ("src/util/debug.c", "src/mapi32.c"):
            continue
        text = path.read_text(encoding="utf-8")
        for match in FUNCTION.finditer(text):
            if not CONVENTION.search(match.group(1)) and match.group(2) not in names:
                continue
            lines = text[match.end():].split("\n")
            i = 1
            while i < len(lines) and DECLARATION.match(lines[i]) and not lines[i].strip().startswith("return"):
                while not lines[i].rstrip().endswith(";") and i + 1 < len(lines):
                    i += 1
                i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            if not lines[i].strip().startswith("TRACE("):
                problems.append(f"{rel}:{line_of(text, match.start())}: {match.group(2)} does not begin with a TRACE")
    return problems


def hidden_returns(source_dir):
    problems = []
    # The source folders only: a build folder inside the tree holds a Wine prefix whose folders the tests running
    # beside this one make and delete, and walking it raced with them.
    folders = [source_dir / folder for folder in CITING if (source_dir / folder).is_dir()]
    for path in sorted(p for folder in folders for pattern in ("*.c", "*.h") for p in folder.rglob(pattern)):
        rel = path.relative_to(source_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"^#\s*define\s+(\w+)\(.*?(?<!\\)$", text, re.M | re.S):
            # A macro that defines whole functions returns inside them, not at its call site.
            if re.search(r"\breturn\b", match.group(0)) and "WINAPI" not in match.group(0):
                problems.append(f"{rel}:{line_of(text, match.start())}: macro {match.group(1)} hides a return")
    return problems


def defined_rules(source_dir):
    text = (source_dir / "docs" / "rules.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\| \*\*([HESUMQFXWP][0-9]{1,2})\*\* \|", text, re.M))
    sections = set(re.findall(r"^\| \*\*§([0-9]+[A-Z]?(?:\.[0-9]+)?)\*\* \|", text, re.M))
    return ids, sections


def cited(source_dir):
    """(file, line, what) for every rule ID, section and issue number cited, Mermaid blocks aside."""
    files = [source_dir / "README.md"]
    for folder in CITING:
        files += [p for p in (source_dir / folder).rglob("*") if p.is_file()]
    for path in sorted(set(files)):
        rel = path.relative_to(source_dir).as_posix()
        if path.suffix not in (".c", ".h", ".md", ".idl", ".txt", ".cmake", ".py", ".inf", ".sh", ".in", ".def", ".json",
                               ".yml", ".rc") and path.name not in ("CMakeLists.txt", "setup.sh"):
            continue
        if rel in ("docs/rules.md", "tests/source_rules.py"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        in_mermaid = False
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip().startswith("```"):
                in_mermaid = line.strip() == "```mermaid"
                continue
            if in_mermaid:
                continue
            for match in RULE.finditer(line):
                yield rel, number, "rule", match.group(1)
            for match in SECTION.finditer(line):
                yield rel, number, "section", match.group(1)
            for match in ISSUE.finditer(line):
                yield rel, number, "issue", match.group(0)


def undefined(source_dir):
    ids, sections = defined_rules(source_dir)
    problems = []
    for rel, number, kind, what in cited(source_dir):
        if kind == "rule" and what not in ids:
            problems.append(f"{rel}:{number}: cites {what}, which docs/rules.md does not define")
        elif kind == "section" and what not in sections:
            problems.append(f"{rel}:{number}: cites §{what}, which docs/rules.md does not define")
        elif kind == "issue" and rel != "tests/source_rules.py":
            problems.append(f"{rel}:{number}: points at '{what}'; say what the behaviour is instead")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source_dir = pathlib.Path(argv[1]).resolve()
    problems = untraced(source_dir) + hidden_returns(source_dir) + undefined(source_dir)
    if problems:
        print(f"{len(problems)} broken house rules:\n  " + "\n  ".join(problems))
        return 1
    ids, sections = defined_rules(source_dir)
    print(f"house rules kept: every export and COM method traced, no hidden return, every citation among the "
          f"{len(ids)} rules and {len(sections)} sections of docs/rules.md, no issue numbers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
