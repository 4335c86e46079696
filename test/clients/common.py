"""Shared by the Python client tests (test/clients.sh): the query list, psql's
reference output, and the PostgreSQL text form of the values a driver returns.

A driver's value is turned back into the text PostgreSQL prints for it
(dates in ISO, numerics with their scale, arrays with array_out's quoting),
and that text must equal psql's, value by value.
"""
import datetime
import decimal
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def queries():
    """[(name, sql)] from queries.sql, in file order."""
    out = []
    with open(os.path.join(HERE, "queries.sql"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("--"):
                continue
            name, sql = line.split(": ", 1)
            out.append((name, sql))
    return out


_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "\\": "\\"}


def copy_field(s):
    """One field of COPY's text format: None for \\N, else the unescaped text."""
    if s == "\\N":
        return None
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append(_UNESCAPE.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def reference(refdir, name):
    """psql's rows of a query (COPY (query) TO STDOUT), as lists of text or
    None; None for a query psql could not answer."""
    path = os.path.join(refdir, name + ".copy")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return [[copy_field(x) for x in line.rstrip("\n").split("\t")] for line in f]


def _array_elem(v):
    if v is None:
        return "NULL"
    s = pg_text(v)
    if s == "" or s.upper() == "NULL" or any(c in s for c in '{}",\\ \t\n\r\v\f'):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def pg_text(v):
    """The text PostgreSQL's output function prints for a value a driver returned."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "{" + ",".join(_array_elem(x) for x in v) + "}"
    if isinstance(v, (bytes, bytearray, memoryview)):
        # what a driver hands back for a type it does not know, in binary
        return "<bytes %r>" % bytes(v)
    if hasattr(v, "lower") and hasattr(v, "bounds") and hasattr(v, "isempty"):   # psycopg Range
        if v.isempty:
            return "empty"
        lo = "" if v.lower is None else pg_text(v.lower)
        hi = "" if v.upper is None else pg_text(v.upper)
        return v.bounds[0] + lo + "," + hi + v.bounds[1]
    return str(v)


class Tally:
    """Counts of compared and differing values per driver and mode; prints a summary."""

    def __init__(self, driver):
        self.driver = driver
        self.modes = {}
        self.failures = []

    def compare(self, mode, name, got_rows, want_rows):
        m = self.modes.setdefault(mode, [0, 0, 0])     # queries, values, differing
        m[0] += 1
        if want_rows is None:
            self.fail(mode, name, "psql could not answer it")
            return
        if len(got_rows) != len(want_rows):
            self.fail(mode, name, "%d rows, psql has %d" % (len(got_rows), len(want_rows)))
        for r, (got, want) in enumerate(zip(got_rows, want_rows)):
            if len(got) != len(want):
                self.fail(mode, name, "row %d: %d columns, psql has %d" % (r + 1, len(got), len(want)))
                continue
            for c, (g, w) in enumerate(zip(got, want)):
                m[1] += 1
                if g != w:
                    m[2] += 1
                    self.fail(mode, name, "row %d column %d: %r, psql has %r" % (r + 1, c + 1, g, w), count=False)

    def fail(self, mode, name, what, count=True):
        if count:
            self.modes.setdefault(mode, [0, 0, 0])[2] += 1
        self.failures.append("%s %s %s: %s" % (self.driver, mode, name, what))

    def check(self, mode, what, ok, detail=""):
        """A check that is not a value comparison (metadata, binds, errors)."""
        m = self.modes.setdefault(mode, [0, 0, 0])
        m[1] += 1
        if not ok:
            m[2] += 1
            self.failures.append("%s %s: %s%s" % (self.driver, mode, what, (": " + detail) if detail else ""))

    def finish(self):
        shown = {}
        for f in self.failures:
            key = f.split(":")[0]
            shown[key] = shown.get(key, 0) + 1
            if shown[key] <= 3:
                print("  DIFF " + f)
            elif shown[key] == 4:
                print("  DIFF %s: ... (more below in the count)" % key)
        bad = 0
        for mode, (q, n, d) in self.modes.items():
            print("%s %s: %d queries, %d values compared, %d differing" % (self.driver, mode, q, n, d))
            bad += d
        sys.exit(1 if bad or self.failures else 0)
