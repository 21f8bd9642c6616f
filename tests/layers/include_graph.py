#!/usr/bin/python3
"""include_graph.py - no arrow back up: the include graph of src/ follows
the layers of the pipeline.

Reads every #include "..." line of src/ (angle-bracket includes are system
and library headers, outside the graph), resolves it the way the compiler
does here (the includer's folder first, then src/, then include/ for
gongkai.h, then the folder of the one header of that name under src/, as
the server and store targets add their own folders), and fails on:

- an include that names no file of the tree;
- an arrow from a lower layer to a higher one;
- an arrow between two components of one layer (readers and parse are
  peers: neither includes the other; read.c, above both, calls both).

The layers, lowest first.  A file may include a file of its own component
and of any component in a lower layer, nothing else:

  0  api      include/gongkai.h: the public API, under everything
  1  base     src/base/        arena, buffers, UTF-8, status codes
  2  format   src/format/      the national format as data, rules.def
  3  model    src/model.{h,c}, src/facts.h, src/layout.{h,c}: the report
                               model (and its diagnostics, accessors) and
                               the layout, the IR between readers and parser
  4  readers  src/readers/     bytes -> layout (and a model JSON -> model)
     parse    src/parse/       layout -> model
  5  checks   src/checks/      the rules; they read the model only
  6  writers  src/writers/     model -> json, md, html, docx, csv, xlsx
  7  read     src/read.c       sniff and dispatch: calls the readers, then
                               the parser
  8  store    src/store/       the workspace's database
  9  server   src/server/      HTTP adapter over the library and the store
  10 cli      src/cli/         the command; it starts the server

Usage: include_graph.py [SRC_DIR]   (default: the src/ beside tests/)
Prints every bad arrow and exits 1, or prints a summary and exits 0.
"""
import os
import re
import sys

LAYERS = [
    # (rank, component, test on the path relative to the project root)
    (0, "api", lambda p: p == "include/gongkai.h"),
    (1, "base", lambda p: p.startswith("src/base/")),
    (2, "format", lambda p: p.startswith("src/format/")),
    (3, "model", lambda p: p in ("src/model.h", "src/model.c",
                                 "src/facts.h", "src/layout.h",
                                 "src/layout.c")),
    (4, "readers", lambda p: p.startswith("src/readers/")),
    (4, "parse", lambda p: p.startswith("src/parse/")),
    (5, "checks", lambda p: p.startswith("src/checks/")),
    (6, "writers", lambda p: p.startswith("src/writers/")),
    (7, "read", lambda p: p == "src/read.c"),
    (8, "store", lambda p: p.startswith("src/store/")),
    (9, "server", lambda p: p.startswith("src/server/")),
    (10, "cli", lambda p: p.startswith("src/cli/")),
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SOURCE = re.compile(r"\.(c|h|def)$")


def layer_of(rel):
    for rank, comp, test in LAYERS:
        if test(rel):
            return rank, comp
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                          os.path.join(here, "..", "..", "src"))
    root = os.path.dirname(src)
    files = []
    for d, _, names in os.walk(src):
        for n in names:
            if SOURCE.search(n):
                files.append(os.path.relpath(os.path.join(d, n), root))
    files.sort()
    by_name = {}
    for f in files:
        by_name.setdefault(os.path.basename(f), []).append(f)

    def resolve(includer, name):
        for base in (os.path.dirname(includer), "src", "include"):
            cand = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(os.path.join(root, cand)):
                return cand
        same = by_name.get(os.path.basename(name), [])
        return same[0] if len(same) == 1 else None

    errors = []
    arrows = 0
    for f in files:
        me = layer_of(f)
        if me is None:
            errors.append(f"{f}: in no layer: add it to LAYERS in "
                          f"tests/layers/include_graph.py")
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            text = fh.read()
        for m in INCLUDE.finditer(text):
            name = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            to = resolve(f, name)
            if to is None:
                errors.append(f'{f}:{line}: #include "{name}" names no file')
                continue
            them = layer_of(to)
            if them is None:
                errors.append(f"{to}: in no layer (included by {f}:{line})")
                continue
            arrows += 1
            if me[1] == them[1] or them[0] < me[0]:
                continue
            if them[0] == me[0]:
                why = "between peers"
            else:
                why = "up"
            errors.append(f'{f}:{line}: #include "{name}" ({me[1]}, layer '
                          f'{me[0]}) -> {to} ({them[1]}, layer {them[0]}): '
                          f"an arrow {why}")
    if errors:
        for e in errors:
            print(e)
        print(f"{len(errors)} bad include(s) of {arrows} in {len(files)} "
              f"files")
        return 1
    print(f"include graph: {arrows} includes in {len(files)} files, "
          f"none pointing up or between peers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
