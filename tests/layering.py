#!/usr/bin/env python3
"""The plan of the house, checked from the objects and the sources (docs/architecture.md).

usage: layering.py NM SOURCE_DIR TARGET=OBJ|OBJ|... [TARGET=...]

For each program (mapihost.dll, mapicheck, the tools) the files are its objects' sources. File A uses file B when
A's object needs a symbol B's object defines (from nm: a declaration alone never counts), or when A (or its header)
includes B's header (b.h beside b.c). It fails, naming the files, when
  - a file of src/util/ uses a file outside src/util/ (the utility library is the bottom layer);
  - files use each other in a circle (each circle printed with the edge that closes it);
  - a function lives in a file other than the one its name's prefix names (route_open_entry belongs in session.c).
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def source_of(obj, source_dir):
    """src/core/session.c.obj -> core/session.c (relative to source_dir, as CMake lays out object files)."""
    path = obj.replace("\\", "/")
    match = re.search(r"\.dir/(.*)\.obj$", path)
    rel = match.group(1) if match else os.path.basename(path)
    rel = rel.replace("__/", "../")
    return os.path.normpath(rel)


def symbols(nm, obj):
    out = subprocess.run([nm, obj], check=True, capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def includes(path):
    try:
        with open(path, encoding="utf-8") as f:
            return INCLUDE.findall(f.read())
    except OSError:
        return []


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def check_target(name, objects, nm, source_dir, errors):
    files = {}  # relative source path -> (defined, used)
    for obj in objects:
        files[source_of(obj, source_dir)] = symbols(nm, obj)
    owner = {}
    for path, (defined, _) in files.items():
        for symbol in defined:
            owner[symbol] = path
    by_stem = {stem(p): p for p in files}
    by_name = {stem(p).replace("_", ""): p for p in files}

    edges = {p: {} for p in files}  # file -> {used file: why}
    for path, (_, used) in files.items():
        for symbol in sorted(used):
            other = owner.get(symbol)
            if other and other != path:
                edges[path].setdefault(other, "calls " + symbol)
        # Includes of the file and of its own header: a header named after another file is a use of that file.
        full = os.path.join(source_dir, path)
        own_header = os.path.splitext(full)[0] + ".h"
        for source in (full, own_header):
            for header in includes(source):
                other = by_stem.get(stem(header))
                if other and other != path and header.endswith(".h"):
                    edges[path].setdefault(other, "includes " + header)

    for path, targets in edges.items():
        if path.startswith("util/"):
            for other, why in targets.items():
                if not other.startswith("util/"):
                    errors.append(f"{name}: {path} {why} of {other}: the utility library uses nothing above it")

    for cycle in circles(edges):
        hops = " -> ".join(f"{a} ({edges[a][b]})" for a, b in zip(cycle, cycle[1:] + cycle[:1]))
        errors.append(f"{name}: files that use each other in a circle: {hops} -> {cycle[0]}")

    # A function belongs in the file its prefix names: the longest file name that starts its name.
    # A file's name matches the first words of a function's name run together: fastshutdown for process_fast_shutdown_done.
    for path, (defined, _) in files.items():
        for symbol in sorted(defined):
            words = symbol.split("_")
            if not re.match(r"^[a-z][a-z0-9]*$", words[0]) or len(words) < 2:
                continue
            prefixes = ["".join(words[:k]) for k in range(len(words), 0, -1)]
            named = next((by_name[p] for p in prefixes if p in by_name), None)
            if named and named != path:
                errors.append(f"{name}: {symbol} is in {path}, but its prefix names {named}")
    return len(files)


def circles(edges):
    """The strongly connected components of more than one file, each as one circle through all of its files."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(one_circle(sorted(component), edges))

    sys.setrecursionlimit(10000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def one_circle(component, edges):
    """A shortest path from the component's first file back to itself, inside the component."""
    start, members = component[0], set(component)
    previous, frontier = {start: None}, [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(edges[node]):
                if nxt == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if nxt in members and nxt not in previous:
                    previous[nxt] = node
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return component


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    nm, source_dir = argv[1], argv[2]
    errors, total = [], 0
    for spec in argv[3:]:
        name, _, objects = spec.partition("=")
        total += check_target(name, [o for o in objects.split("|") if o], nm, source_dir, errors)
    if errors:
        print(f"layering broken ({len(errors)}):\n  " + "\n  ".join(errors))
        return 1
    print(f"layering: {total} files in {len(argv) - 3} programs; util/ uses nothing above it, no circle, "
          "every function in the file its prefix names")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
