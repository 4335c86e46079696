"""psqlODBC (Debian's odbc-postgresql, "PostgreSQL Unicode") through pyodbc
(python3-pyodbc) against dealscope: every query of queries.sql through the
simple protocol (UseServerSidePrepare=0) and through the extended protocol
(UseServerSidePrepare=1; psqlODBC reads results in text format only), each
value equal to psql's; SQLColumns of the reporting schema (type names,
REMARKS); binds of every custom type as SQL_WVARCHAR parameters.  Run by
test/clients.sh:
    /usr/bin/python3 test/clients/odbc_test.py REFDIR
(connection from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
"""
import os
import sys

import pyodbc

from common import Tally, pg_text, queries, reference


def connect(extra):
    host = os.environ.get("PGHOST", "localhost")
    if host.startswith("/"):
        host = "localhost"
    cs = ("DRIVER={PostgreSQL Unicode};SERVER=%s;PORT=%s;DATABASE=%s;UID=%s;PWD=%s;BoolsAsChar=0;%s"
          % (host, os.environ.get("PGPORT", "5432"), os.environ["PGDATABASE"], os.environ.get("PGUSER", "postgres"),
             os.environ.get("PGPASSWORD", ""), extra))
    conn = pyodbc.connect(cs, autocommit=True)
    conn.execute("SET datestyle = 'ISO, YMD'")
    return conn


def main(refdir):
    t = Tally("psqlODBC")
    for mode, extra in (("simple", "UseServerSidePrepare=0"), ("extended", "UseServerSidePrepare=1")):
        conn = connect(extra)
        if mode == "simple":
            t.driver = "psqlODBC %s" % conn.getinfo(pyodbc.SQL_DRIVER_VER)
        for name, sql in queries():
            want = reference(refdir, name)
            try:
                cur = conn.cursor()
                cur.execute(sql)
                rows = [[pg_text(v) for v in row] for row in cur.fetchall()]
            except pyodbc.Error as e:
                t.fail(mode, name, "error: %s" % e)
                continue
            t.compare(mode, name, rows, want)
        if mode == "extended":
            metadata(conn, t)
            binds(conn, t)
        conn.close()
    t.finish()


def metadata(conn, t):
    """SQLColumns: every column of the reporting schema has a standard type.
    psqlODBC 13.02 returns REMARKS '' for every column, commented or not (its
    SQLColumns does not read pg_description): counted, not required."""
    builtin = {r[0] for r in conn.cursor().execute("SELECT typname::text FROM pg_type WHERE oid < 16384").fetchall()}
    views = set()
    remarks = 0
    for c in conn.cursor().columns(schema="dealscope_reporting").fetchall():
        views.add(c.table_name)
        col = "%s.%s" % (c.table_name, c.column_name)
        t.check("metadata", "SQLColumns %s TYPE_NAME %s" % (col, c.type_name), c.type_name in builtin, "not a built-in type")
        remarks += bool(c.remarks and c.remarks.strip())
    t.check("metadata", "SQLColumns found the 12 views (%s)" % sorted(views), len(views) == 12)
    print("psqlODBC SQLColumns: %d columns of dealscope_reporting, %d with REMARKS (the driver returns none)"
          % (t.modes["metadata"][1] - 1, remarks))


def binds(conn, t):
    """Every custom type bound as a Python str (SQL_WVARCHAR), no search_path."""
    mode = "binds"
    what = "INSERT/UPDATE of endpoint, endpoint_set, rate_schedule"
    conn.autocommit = False
    try:
        cur = conn.cursor()
        cur.execute("INSERT INTO dealscope.revenue_flow (seller, channel, amount, currency, period)"
                    " VALUES ('bind-test', ?, 5.00, 'USD', '[2026-01-01,2026-01-02)')", "gcp/europe-west4/vertex")
        cur.execute("UPDATE dealscope.revenue_flow SET channel = ? WHERE seller = 'bind-test'", "oci/eu-frankfurt-1")
        cur.execute("INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, scope, valid, rate)"
                    " VALUES ('bind-test', 'msft-openai-2026', 'revenue_share', 'x', 'y', ?, '[2026-01-01,)', ?)",
                    "aws, !aws/us-gov-*", "{[2026-01-01,2027-01-01) 20%->0%}")
        cur.execute("INSERT INTO dealscope.placement_event (workload_id, kind, at, on_date)"
                    " VALUES ('chatgpt', 'launch', ?, '2026-01-01')", "aws/us-east-1/bedrock")
        got = cur.execute(
            "SELECT (SELECT channel::text FROM dealscope.revenue_flow WHERE seller = 'bind-test')"
            " || ' | ' || (SELECT scope::text || ' | ' || rate::text FROM dealscope.clause WHERE id = 'bind-test')"
            " || ' | ' || (SELECT at::text FROM dealscope.placement_event WHERE workload_id = 'chatgpt' AND at IS NOT NULL)"
        ).fetchone()[0]
        t.check(mode, what, got == "oci/eu-frankfurt-1 | aws, !aws/us-gov-* | {[2026-01-01,2027-01-01) 20%->0%} | aws/us-east-1/bedrock",
                repr(got))
    except pyodbc.Error as e:
        t.check(mode, what, False, str(e))
    finally:
        conn.rollback()
        conn.autocommit = True
    import datetime
    cases = [
        ("filter on reporting.revenue_flow.channel",
         "SELECT count(*) FROM dealscope_reporting.revenue_flow WHERE channel = ?", ["azure/eastus"], "24"),
        ("filter on reporting.clause.rate",
         "SELECT string_agg(id, ',' ORDER BY id) FROM dealscope_reporting.clause WHERE rate = ?", ["12.5%"], "rs-bedrock"),
        ("reporting.placement_check",
         "SELECT verdict || ' ' || eligible_from FROM dealscope_reporting.placement_check(?, ?, ?)",
         ["agents-enterprise", "aws/us-east-1", datetime.date(2026, 6, 3)], "conditional 2026-06-15"),
        ("reporting.placement_summary with a text[] literal bound as text",
         "SELECT string_agg(workload_id || ' ' || allowed, ',' ORDER BY workload_id)"
         " FROM dealscope_reporting.placement_summary(?, CAST(? AS text[]))",
         [datetime.date(2026, 6, 3), "{aws/us-east-1,azure/eastus}"],
         "agents-enterprise 1,api-gpt-5 2,chatgpt 2,eu-assistant 0"),
    ]
    for what, sql, params, expect in cases:
        try:
            got = pg_text(conn.cursor().execute(sql, *params).fetchone()[0])
            t.check(mode, what, got == expect, "%r, expected %r" % (got, expect))
        except pyodbc.Error as e:
            t.check(mode, what, False, str(e))


if __name__ == "__main__":
    main(sys.argv[1])
