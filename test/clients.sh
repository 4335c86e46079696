#!/bin/bash
# Client tests with the drivers BI tools use (Debian's packages, installed by
# test/deps): pgJDBC (libpostgresql-jdbc-java, Java 17), psycopg 3
# (python3-psycopg) and psqlODBC (odbc-postgresql, through python3-pyodbc).
# Every query of test/clients/queries.sql (every question, every view and
# function of the reporting schema) is read with each driver in each of its
# modes (text and binary; psqlODBC has only text, through the simple and the
# extended protocol), and each value must equal psql's text output of the
# same query (COPY (query) TO STDOUT).  Also: the result types (built-in
# only), JDBC and ODBC metadata (type names, REMARKS), binds of every custom
# type, the hint for a text value sent in binary format.
#
# Runs inside a throwaway cluster (PGHOST, PGPORT, PGUSER set; see test/run);
# standalone: pg_virtualenv -t -v 15 -o extension_destdir=DIR test/clients.sh
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
db="dealscope_clients_$$"
work=$(mktemp -d /tmp/dealscope-clients.XXXXXX)
chmod 755 "$work"
cleanup() { dropdb --if-exists "$db" >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "test/clients.sh: FAIL: $*"; exit 1; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc)
export PGOPTIONS="-c datestyle=ISO,YMD -c timezone=UTC"
# Debian's python3-psycopg and python3-pyodbc are for the system python
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
JAR=/usr/share/java/postgresql.jar
for need in "$PY" "$JAR" java javac; do
    command -v "$need" >/dev/null 2>&1 || [ -e "$need" ] || fail "$need is missing (test/deps installs it)"
done
"$PY" -c 'import psycopg, pyodbc' 2>/dev/null || fail "python3-psycopg or python3-pyodbc is missing (test/deps installs them)"

createdb "$db" || fail "createdb"
export PGDATABASE=$db
"${PSQL[@]}" -c "CREATE EXTENSION dealscope" -f examples/msft_openai.sql -f examples/msft_openai_revenue.sql \
    -f test/clients/setup.sql > "$work/load.log" 2>&1 || { cat "$work/load.log"; fail "loading the example deal"; }

# psql's text output of every query, the reference
mkdir "$work/ref"
n=0
while IFS= read -r line; do
    case "$line" in ''|--*) continue ;; esac
    name=${line%%: *}; sql=${line#*: }
    # a query that fails gives no reference file: every driver reports it
    "${PSQL[@]}" -c "COPY ($sql) TO STDOUT" > "$work/ref/$name.copy" 2> "$work/ref/$name.err" \
        && n=$((n + 1)) || { echo "psql: $name: $(head -1 "$work/ref/$name.err")"; rm -f "$work/ref/$name.copy"; }
done < test/clients/queries.sql
echo "test/clients.sh: $n queries answered by psql"

rc=0
t0=$(date +%s)
"$PY" test/clients/psycopg_test.py "$work/ref" || rc=1
t1=$(date +%s)
"$PY" test/clients/odbc_test.py "$work/ref" || rc=1
t2=$(date +%s)
mkdir "$work/classes"
if javac -d "$work/classes" -cp "$JAR" test/clients/JdbcTest.java 2> "$work/javac.log"; then
    java -cp "$work/classes:$JAR" JdbcTest "$work/ref" "$repo/test/clients/queries.sql" || rc=1
else
    cat "$work/javac.log"; rc=1
fi
t3=$(date +%s)
echo "test/clients.sh: psycopg $((t1 - t0)) s, psqlODBC $((t2 - t1)) s, pgJDBC $((t3 - t2)) s"
exit $rc
