"""psycopg 3 (Debian's python3-psycopg) against dealscope: every query of
queries.sql in text and in binary mode, each value equal to psql's; the
result types of every query; binds of every custom type; the error for a
text value sent in binary format.  Run by test/clients.sh:
    /usr/bin/python3 test/clients/psycopg_test.py REFDIR
(connection from PGHOST, PGPORT, PGUSER, PGDATABASE).
"""
import sys

import psycopg
from psycopg import pq

from common import Tally, pg_text, queries, reference

FIRST_USER_OID = 16384          # OIDs below are PostgreSQL's built-in types


def main(refdir):
    t = Tally("psycopg %s" % psycopg.__version__)
    with psycopg.connect("", autocommit=True) as conn:
        conn.execute("SET datestyle = 'ISO, YMD'")
        for name, sql in queries():
            want = reference(refdir, name)
            for mode, binary in (("text", False), ("binary", True)):
                try:
                    cur = conn.cursor(binary=binary)
                    cur.execute(sql)
                    rows = [[pg_text(v) for v in row] for row in cur.fetchall()]
                except psycopg.Error as e:
                    t.fail(mode, name, "error: %s" % str(e).splitlines()[0])
                    continue
                t.compare(mode, name, rows, want)
                if binary:
                    for col in cur.description:
                        t.check("types", "%s.%s has type OID %d, not a built-in type"
                                % (name, col.name, col.type_code), col.type_code < FIRST_USER_OID)
        binds(conn, t)
        text_in_binary(conn, t)
    t.finish()


def one(conn, sql, params, binary=False):
    cur = conn.cursor(binary=binary)
    cur.execute(sql, params)
    return [pg_text(v) for v in cur.fetchone()]


def binds(conn, t):
    """Every custom type bound as a Python str: %s (sent as unknown) and %b
    (sent as text, binary format), into the model's tables and into the
    reporting schema's filters and functions, without search_path."""
    for ph in ("%s", "%b"):
        mode = "binds " + ph
        try:
            with conn.transaction(force_rollback=True):
                conn.execute(
                    "INSERT INTO dealscope.revenue_flow (seller, channel, amount, currency, period)"
                    " VALUES ('bind-test', %s, 5.00, 'USD', '[2026-01-01,2026-01-02)')" % ph,
                    ["gcp/europe-west4/vertex"])
                conn.execute("UPDATE dealscope.revenue_flow SET channel = %s WHERE seller = 'bind-test'" % ph,
                             ["oci/eu-frankfurt-1"])
                conn.execute(
                    "INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, scope, valid, rate)"
                    " VALUES ('bind-test', 'msft-openai-2026', 'revenue_share', 'x', 'y', %s, '[2026-01-01,)', %s)"
                    % (ph, ph), ["aws, !aws/us-gov-*", "{[2026-01-01,2027-01-01) 20%->0%}"])
                conn.execute(
                    "INSERT INTO dealscope.placement_event (workload_id, kind, at, on_date)"
                    " VALUES ('chatgpt', 'launch', %s, '2026-01-01')" % ph, ["aws/us-east-1/bedrock"])
                got = one(conn, "SELECT (SELECT channel::text FROM dealscope.revenue_flow WHERE seller = 'bind-test'),"
                                " (SELECT scope::text || ' | ' || rate::text FROM dealscope.clause WHERE id = 'bind-test'),"
                                " (SELECT at::text FROM dealscope.placement_event WHERE at IS NOT NULL AND workload_id = 'chatgpt')",
                          [])
                t.check(mode, "INSERT/UPDATE of endpoint, endpoint_set, rate_schedule bound as str",
                        got == ["oci/eu-frankfurt-1", "aws, !aws/us-gov-* | {[2026-01-01,2027-01-01) 20%->0%}",
                                "aws/us-east-1/bedrock"], repr(got))
        except psycopg.Error as e:
            t.check(mode, "INSERT/UPDATE of endpoint, endpoint_set, rate_schedule bound as str", False,
                    str(e).splitlines()[0])
        checks = [
            ("filter on reporting.revenue_flow.channel",
             "SELECT count(*)::text, min(channel) FROM dealscope_reporting.revenue_flow WHERE channel = %s" % ph,
             ["azure/eastus"], None),
            ("filter on reporting.clause.scope and kind",
             "SELECT string_agg(id, ',' ORDER BY id) FROM dealscope_reporting.clause WHERE scope = %s AND kind = %s" % (ph, ph),
             ["azure", "exclusivity"], ["excl-azure,licence-msft"]),
            ("reporting.placement_check with bound workload, endpoint and date",
             "SELECT verdict, eligible_from FROM dealscope_reporting.placement_check(%s, %s, %s)" % (ph, ph, ph),
             ["agents-enterprise", "aws/us-east-1", __import__("datetime").date(2026, 6, 3)], None),
            ("reporting.placement_matrix with bound candidates",
             "SELECT count(*)::text FROM dealscope_reporting.placement_matrix(%s, %s)" % (ph, ph),
             [__import__("datetime").date(2026, 6, 3), ["aws/us-east-1", "azure/eastus"]], None),
        ]
        for what, sql, params, expect in checks:
            try:
                got = one(conn, sql, params)
                ref = expect
                if ref is None:   # the same query with literals, through the text protocol
                    lit = conn.cursor()
                    lit.execute(sql.replace(ph, "%s"), params)
                    ref = [pg_text(v) for v in lit.fetchone()]
                t.check(mode, what, got == ref and got[0] not in (None, "0"), "%r, expected %r" % (got, ref))
            except psycopg.Error as e:
                t.check(mode, what, False, str(e).splitlines()[0])


def text_in_binary(conn, t):
    """A text value sent in binary format for a custom type: a hint that says so."""
    for typ, value in (("endpoint", b"aws/us-east-1"), ("endpoint_set", b"aws, azure"), ("rate_schedule", b"20%")):
        res = conn.pgconn.exec_params(b"SELECT $1::dealscope." + typ.encode() + b"::text", [value], [0], [1])
        hint = (res.error_field(pq.DiagnosticField.MESSAGE_HINT) or b"").decode()
        msg = (res.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or b"").decode()
        t.check("text-in-binary", "%s sent as text in binary format: hint %r (message %r)" % (typ, hint, msg),
                res.status == pq.ExecStatus.FATAL_ERROR and "looks like text sent in binary format" in hint)
        # the driver's own binary form of the value round-trips
        cur = conn.cursor(binary=True)
        cur.execute("SELECT %s::dealscope." + typ, [value.decode()])
        raw = cur.fetchone()[0]
        if isinstance(raw, (bytes, bytearray, memoryview)):
            res = conn.pgconn.exec_params(b"SELECT $1::dealscope." + typ.encode() + b"::text", [bytes(raw)], [0], [1])
            t.check("text-in-binary", "%s binary form round-trips" % typ,
                    res.status == pq.ExecStatus.TUPLES_OK, (res.error_message or b"").decode())


if __name__ == "__main__":
    main(sys.argv[1])
