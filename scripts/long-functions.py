#!/usr/bin/env python3
"""List Rust functions longer than a limit (default 150 lines) under crates/*/src.

Usage: scripts/long-functions.py [LIMIT]. Exits 1 when any function is longer than LIMIT.
A function's length runs from its `fn` line to the line of its closing brace; braces inside
string/char literals and comments are skipped.
"""
import re
import sys
from pathlib import Path

FN = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"[^"]*"\s+)?fn\s+(\w+)')


def strip(line, state):
    """Remove comments and literals from one line; state carries an open block comment."""
    out, i, n = [], 0, len(line)
    while i < n:
        if state['block']:
            j = line.find('*/', i)
            if j < 0:
                return ''.join(out)
            state['block'] = False
            i = j + 2
            continue
        c = line[i]
        if line.startswith('//', i):
            break
        if line.startswith('/*', i):
            state['block'] = True
            i += 2
            continue
        if c == '"':
            # raw strings r#"..."# are rare in fn bodies here; handle plain strings
            i += 1
            while i < n and line[i] != '"':
                i += 2 if line[i] == '\\' else 1
            i += 1
            continue
        if c == "'" and i + 2 < n and (line[i + 2] == "'" or (line[i + 1] == '\\')):
            j = line.find("'", i + 2 if line[i + 1] != '\\' else i + 3)
            i = (j + 1) if j > 0 else n
            continue
        out.append(c)
        i += 1
    return ''.join(out)


def functions(path):
    lines = path.read_text(encoding='utf-8').splitlines()
    state = {'block': False}
    code = [strip(l, state) for l in lines]
    i = 0
    while i < len(lines):
        m = FN.match(code[i])
        if not m:
            i += 1
            continue
        depth, started, j = 0, False, i
        while j < len(lines):
            for ch in code[j]:
                if ch == '{':
                    depth += 1
                    started = True
                elif ch == '}':
                    depth -= 1
                elif ch == ';' and not started and depth == 0:
                    started = None  # declaration without body
                    break
            if started is None or (started and depth == 0):
                break
            j += 1
        if started:
            yield m.group(7), i + 1, j - i + 1
        i += 1


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    bad = []
    for path in sorted(Path('crates').glob('*/src/**/*.rs')):
        for name, line, length in functions(path):
            if length > limit:
                bad.append((length, f'{path}:{line}', name))
    for length, where, name in sorted(bad, reverse=True):
        print(f'{length:5} {where} {name}')
    if bad:
        print(f'{len(bad)} function(s) over {limit} lines', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
