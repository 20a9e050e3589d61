#!/usr/bin/env python3
"""Validates one mapicheck report: validate_report.py json|junit|mermaid FILE [SCHEMA].

json     against docs/mapicheck-report.schema.json, with the jsonschema package (Debian's python3-jsonschema).
junit    the layout CI systems read (the JUnit XML schema Jenkins, GitLab and GitHub's test reporters accept):
         <testsuites> of <testsuite name tests failures errors> of <testcase classname name>, each with at most one
         <failure message type>, and counts that add up.
mermaid  Mermaid's own parser (mermaid.parse in Node.js, tests/report/mermaid_parse.mjs, the package in the folder
         MAPIHOST_MERMAID_DIR names, which toolchain/setup.sh fills from the npm registry), then a strict grammar of
         what mapicheck emits: "sequenceDiagram", participant lines, messages and notes between declared
         participants, and text free of what would end or change a statement (";", "%%", "#" but in Mermaid's
         entity codes, "<", ">").
Exits 0 if valid, 1 with the reason otherwise.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


def fail(why):
    print(f"invalid: {why}")
    sys.exit(1)


def check_json(path, schema_path):
    import jsonschema
    with open(path, encoding="utf-8") as f:
        try:
            report = json.load(f)
        except json.JSONDecodeError as error:
            fail(f"not JSON: {error}")
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(report), key=str)
    if errors:
        fail(errors[0].message)
    verdict = report["verdict"]
    for severity, key in (("step", "steps"), ("violation", "violations"), ("error", "errors")):
        counted = sum(1 for e in report["events"] if e["severity"] == severity)
        if counted != verdict[key]:
            fail(f"verdict.{key} is {verdict[key]}, the events say {counted}")
    if [e["index"] for e in report["events"]] != list(range(len(report["events"]))):
        fail("event indexes are not 0, 1, 2, ...")


def count(element, attribute):
    value = element.get(attribute)
    if value is None or not value.isdigit():
        fail(f"<{element.tag}> has no count {attribute}")
    return int(value)


def check_junit(path):
    root = ET.parse(path).getroot()
    if root.tag != "testsuites":
        fail("the root is not <testsuites>")
    tests = failures = skips = 0
    for suite in root:
        if suite.tag != "testsuite" or not suite.get("name"):
            fail(f"<{suite.tag}> in <testsuites> is not a named <testsuite>")
        cases = list(suite)
        failed = skipped = 0
        for case in cases:
            if case.tag != "testcase" or not case.get("name") or not case.get("classname"):
                fail(f"<{case.tag}> in suite {suite.get('name')} is not a <testcase> with name and classname")
            children = list(case)
            if len(children) > 1 or any(
                    c.tag not in ("failure", "skipped") or c.get("message") is None
                    or (c.tag == "failure" and not c.get("type")) for c in children):
                fail(f"test case {case.get('name')} holds something but one <failure message type> or <skipped>")
            failed += sum(c.tag == "failure" for c in children)
            skipped += sum(c.tag == "skipped" for c in children)
        if (count(suite, "tests") != len(cases) or count(suite, "failures") != failed or count(suite, "errors")
                or count(suite, "skipped") != skipped):
            fail(f"the counts of suite {suite.get('name')} do not match its test cases")
        tests += len(cases)
        failures += failed
        skips += skipped
    if count(root, "tests") != tests or count(root, "failures") != failures or count(root, "skipped") != skips:
        fail("the counts of <testsuites> do not add up")
    if not tests:
        fail("no test case")


TEXT = r"(?:[^;%#<>\n]|#(?:lt|gt|quot|[0-9]+);)+"
PARTICIPANT = re.compile(r"^    participant (\w+)(?: as (" + TEXT + r"))?$")
MESSAGE = re.compile(r"^    (\w+)->>(\w+): (" + TEXT + r")$")
NOTE = re.compile(r"^    Note over (\w+)(?:,(\w+))?: (" + TEXT + r")$")


def check_mermaid(path):
    folder = os.environ.get("MAPIHOST_MERMAID_DIR")
    if not folder or not os.path.isdir(os.path.join(folder, "node_modules", "mermaid")):
        fail("no Mermaid parser: MAPIHOST_MERMAID_DIR must name the folder toolchain/setup.sh installs it in")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mermaid_parse.mjs")
    parsed = subprocess.run(["node", script, folder, path], capture_output=True, text=True)
    if parsed.returncode:
        fail(parsed.stdout.strip() or parsed.stderr.strip())
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        fail("the text does not end with a line break")
    lines = lines[:-1]
    if not lines or lines[0] != "sequenceDiagram":
        fail("the first line is not sequenceDiagram")
    participants = []
    for number, line in enumerate(lines[1:], 2):
        m = PARTICIPANT.match(line)
        if m:
            if len(participants) != number - 2:
                fail(f"line {number}: a participant after the first message")
            if m.group(1) in participants:
                fail(f"line {number}: participant {m.group(1)} twice")
            participants.append(m.group(1))
            continue
        m = MESSAGE.match(line) or NOTE.match(line)
        if not m:
            fail(f"line {number} is not a participant, message or note: {line!r}")
        for name in m.groups()[:-1]:
            if name is not None and name not in participants:
                fail(f"line {number}: {name} is no participant")
    if len(lines) == len(participants) + 1:
        fail("no message")


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "json":
        check_json(path, sys.argv[3])
    elif kind == "junit":
        check_junit(path)
    elif kind == "mermaid":
        check_mermaid(path)
    else:
        fail(f"unknown kind {kind}")
    print(f"valid {kind}: {path}")


if __name__ == "__main__":
    main()
