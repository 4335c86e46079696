#!/bin/bash
# The README's ten-minute tour gives the output the README shows.
#
# Reads the section "## A ten-minute tour" of README.md: its first ```sql
# block (the one with CREATE EXTENSION) is the setup and must run without
# error; every other ```sql block must be followed by a plain ``` block, the
# output psql prints for it.  All blocks run in one psql session, as a
# reader would type them, in a database of their own, from the repository's
# root (the setup's \i examples/... paths).  Lines are compared without
# trailing blanks (psql pads its header lines; the README does not keep
# trailing blanks).  Fails on any difference, or when the section, the
# setup or at least 8 checked queries are missing.
#
#   test/tour.sh            check (test/suite runs it inside the throwaway cluster)
#   test/tour.sh --update   write the output psql printed into README.md
#                           (then read every changed line before committing)
#
# Runs against the server PGHOST/PGPORT/PGUSER point at.
set -euo pipefail
cd "$(dirname "$0")/.."
db="dealscope_tour_$$"
psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
python3 - "$db" "${1:-}" <<'PY'
import difflib, re, subprocess, sys

db, mode = sys.argv[1], sys.argv[2]
readme_path = 'README.md'
readme = open(readme_path).read()
start = readme.find('\n## A ten-minute tour\n')
if start < 0:
    sys.exit('README.md: no section "## A ten-minute tour"')
end = readme.find('\n## ', start + 1)
end = len(readme) if end < 0 else end

# fenced blocks of the section: (language, body start, body end) as offsets in readme
fence = re.compile(r'^```([a-z]*)\n(.*?)^```\n', re.S | re.M)
blocks = [(m.group(1), m.start(2), m.end(2), m.end()) for m in fence.finditer(readme, start, end)]
if not blocks or blocks[0][0] != 'sql' or 'CREATE EXTENSION' not in readme[blocks[0][1]:blocks[0][2]]:
    sys.exit('README.md: the tour does not start with its setup block (```sql with CREATE EXTENSION)')
setup = readme[blocks[0][1]:blocks[0][2]]
pairs = []   # (query text, output start, output end)
i = 1
while i < len(blocks):
    lang, b0, b1, after = blocks[i]
    if lang != 'sql':
        sys.exit('README.md: a ``` block of the tour follows no ```sql block: %r' % readme[b0:b1][:60])
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is None or nxt[0] != '' or readme[after:nxt[1] - 4].strip() != '':
        sys.exit('README.md: the tour query %r is not followed by its output block' % readme[b0:b1][:60])
    pairs.append((readme[b0:b1], nxt[1], nxt[2]))
    i += 2
if len(pairs) < 8:
    sys.exit('README.md: the tour has %d checked queries, at least 8 expected' % len(pairs))

marker = '== dealscope tour block %d =='
script = '\\set ON_ERROR_STOP 1\n' + setup + '\n'
for n, (q, _, _) in enumerate(pairs):
    script += '\\echo \'%s\'\n' % (marker % n) + q
run = subprocess.run(['psql', '-X', '-q', '-P', 'pager=off', '-d', db], input=script,
                     capture_output=True, text=True)
out = run.stdout + run.stderr
if run.returncode != 0:
    sys.exit('the tour failed (psql exit %d):\n%s' % (run.returncode, out[-3000:]))
parts = out.split('\n')
got = {}
cur = None
for line in parts:
    m = re.fullmatch(r'== dealscope tour block (\d+) ==', line)
    if m:
        cur = int(m.group(1)); got[cur] = []
    elif cur is not None:
        got[cur].append(line.rstrip())
if cur is None and pairs:
    sys.exit('the tour printed no block marker:\n' + out[-3000:])

def norm(lines):
    while lines and lines[-1] == '':
        lines = lines[:-1]
    return lines

bad = 0
new = readme
for n in reversed(range(len(pairs))):
    q, o0, o1 = pairs[n]
    want = norm([l.rstrip() for l in readme[o0:o1].split('\n')])
    have = norm(got.get(n, []))
    if want != have:
        bad += 1
        if mode != '--update':
            print('tour query %d differs from README.md:\n%s' % (n + 1, q))
            print('\n'.join(difflib.unified_diff(want, have, 'README.md', 'psql', lineterm='')))
        new = new[:o0] + '\n'.join(have) + '\n' + new[o1:]
if mode == '--update':
    if new != readme:
        open(readme_path, 'w').write(new)
    print('README.md: %d of %d tour outputs rewritten' % (bad, len(pairs)))
    sys.exit(0)
if bad:
    sys.exit('%d of %d tour queries differ from README.md (test/tour.sh --update rewrites them)' % (bad, len(pairs)))
print('the README tour: %d queries give the output shown' % len(pairs))
PY
