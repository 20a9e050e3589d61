#!/usr/bin/env python3
"""docs/unsupported.md's list of what mapihost.dll does not implement, made from the code.

usage: unsupported.py SOURCE_DIR [--write]

Every method the host lacks returns unsupported("Object", "Method") and every utility it lacks calls
unsupported(NULL, "Name") or lacks("Name", ...) (src/util/unsupported.c, src/util/missing.c). This script collects
those calls, in the order the sources hold them, into a table between the markers of docs/unsupported.md. Without
--write it fails, showing the difference, when the document's table is not the one the code makes.
"""
import difflib
import pathlib
import re
import sys

BEGIN = "<!-- BEGIN: made by tests/unsupported.py from the code; run it with --write after a change -->"
END = "<!-- END -->"
CALL = re.compile(r'\bunsupported\(\s*(NULL|"([^"]+)")\s*,\s*"([^"]+)"\s*\)|\blacks\(\s*"([^"]+)"')
UTILITIES = "Utility functions (exported; each fails cleanly)"


def collect(source_dir):
    rows = {}
    for path in sorted(pathlib.Path(source_dir, "src").rglob("*.c")):
        text = path.read_text(encoding="utf-8")
        for match in CALL.finditer(text):
            if match.group(4):
                obj, method = UTILITIES, match.group(4)
            elif match.group(1) == "NULL":
                obj, method = UTILITIES, match.group(3)
            else:
                obj, method = match.group(2), match.group(3)
            methods = rows.setdefault(obj, [])
            if method not in methods:
                methods.append(method)
    return rows


def table(rows):
    lines = [BEGIN, "", "| Object | Not implemented |", "|---|---|"]
    for obj, methods in rows.items():
        lines.append(f"| {obj} | {', '.join(methods)} |")
    lines += ["", END]
    return "\n".join(lines)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    doc_path = pathlib.Path(argv[1], "docs", "unsupported.md")
    doc = doc_path.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        print(f"{doc_path}: the markers of the made table are missing")
        return 1
    start, end = doc.index(BEGIN), doc.index(END) + len(END)
    made = table(collect(argv[1]))
    if "--write" in argv[2:]:
        doc_path.write_text(doc[:start] + made + doc[end:], encoding="utf-8")
        return 0
    if doc[start:end] != made:
        diff = difflib.unified_diff(doc[start:end].splitlines(), made.splitlines(), "docs/unsupported.md", "the code",
                                    lineterm="")
        print("docs/unsupported.md does not list what the code answers with unsupported():\n" + "\n".join(diff))
        return 1
    count = sum(len(m) for m in collect(argv[1]).values())
    print(f"docs/unsupported.md lists the {count} methods and functions the code reports as not implemented")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
