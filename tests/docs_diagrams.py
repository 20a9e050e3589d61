#!/usr/bin/env python3
"""Every sequence diagram in the README and docs/ parses with Mermaid's own parser.

usage: docs_diagrams.py SOURCE_DIR MERMAID_DIR

Runs tests/report/mermaid_parse.mjs (Node.js, the package toolchain/setup.sh installs) over each ```mermaid block
that is a sequenceDiagram. Flowcharts are left to the renderer: Mermaid's flowchart parser needs a browser's DOM.
"""
import pathlib
import re
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, mermaid = pathlib.Path(argv[1]), argv[2]
    parser = source / "tests" / "report" / "mermaid_parse.mjs"
    files = [source / "README.md"] + sorted((source / "docs").rglob("*.md"))
    checked, failures = 0, []
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            text = path.read_text(encoding="utf-8")
            for number, block in enumerate(re.findall(r"```mermaid\n(.*?)```", text, re.S)):
                if not block.lstrip().startswith("sequenceDiagram"):
                    continue
                diagram = pathlib.Path(work, f"{path.stem}-{number}.mmd")
                diagram.write_text(block, encoding="utf-8")
                result = subprocess.run(["node", str(parser), mermaid, str(diagram)], capture_output=True, text=True)
                checked += 1
                if result.returncode:
                    failures.append(f"{path.relative_to(source)}, diagram {number + 1}: {result.stdout.strip()}")
    if failures:
        print("diagrams Mermaid cannot parse:\n  " + "\n  ".join(failures))
        return 1
    print(f"{checked} sequence diagrams in the README and docs/ parse with Mermaid's parser")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
