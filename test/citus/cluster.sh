# A coordinator and two workers on 127.0.0.1, each a throwaway PostgreSQL 15
# cluster with shared_preload_libraries = 'citus' and the C edition
# installed privately (extension_destdir).  Sourced by test/citus/run and
# test/bench/run --citus:
#
#   citus_cluster_start WORK INST [postgresql.conf line ...]
#       initdb and start the three nodes under WORK (which must exist),
#       CREATE EXTENSION citus on each, register coordinator and workers;
#       returns non-zero (after printing why) when any step fails.  Sets
#       citus_ports (coordinator, worker1, worker2) and citus_sock.
#   citus_psql PORT [psql options ...]    psql as postgres to database postgres
#   citus_cluster_stop                    stop the nodes (immediately)
#
# The clusters run as postgres when we are root (initdb refuses root).
# shellcheck shell=bash
if [ "$(id -u)" -eq 0 ]; then citus_as_owner() { runuser -u postgres -- "$@"; }; citus_owner=postgres
else citus_as_owner() { "$@"; }; citus_owner=$(id -un); fi
citus_bin=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)
citus_nodes=(coordinator worker1 worker2)
citus_ports=()
citus_work=
citus_sock=

citus_psql() {
    local p=$1; shift
    psql -X -q -h "$citus_sock" -p "$p" -U postgres -v ON_ERROR_STOP=1 "$@" postgres
}

citus_cluster_stop() {
    local n
    [ -n "$citus_work" ] || return 0
    for n in "${citus_nodes[@]}"; do
        [ -f "$citus_work/$n/postmaster.pid" ] &&
            citus_as_owner "$citus_bin/pg_ctl" -D "$citus_work/$n" -m immediate stop >/dev/null 2>&1
    done
    return 0
}

citus_cluster_start() {
    local work=$1 inst=$2 i d p line
    shift 2
    citus_work=$work
    citus_sock="$work/sock"
    # three free TCP ports on 127.0.0.1 (the nodes connect to one another by TCP)
    read -r -a citus_ports < <(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
    mkdir -p "$citus_sock"
    chown "$citus_owner" "$citus_sock" "$work"
    for i in 0 1 2; do
        d="$work/${citus_nodes[$i]}"
        citus_as_owner "$citus_bin/initdb" -D "$d" -A trust -U postgres --no-sync > "$work/initdb-$i.log" 2>&1 ||
            { cat "$work/initdb-$i.log"; return 1; }
        {
            echo "port = ${citus_ports[$i]}"
            echo "listen_addresses = '127.0.0.1'"
            echo "unix_socket_directories = '$citus_sock'"
            echo "shared_preload_libraries = 'citus'"
            echo "extension_destdir = '$inst'"
            echo "max_connections = 100"
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            for line in "$@"; do echo "$line"; done
        } >> "$d/postgresql.conf"
        citus_as_owner "$citus_bin/pg_ctl" -D "$d" -l "$d/server.log" -w start > /dev/null 2>&1 ||
            { tail -20 "$d/server.log"; return 1; }
    done
    for p in "${citus_ports[@]}"; do
        citus_psql "$p" -c "CREATE EXTENSION citus" > /dev/null || return 1
    done
    line=$(citus_psql "${citus_ports[0]}" -At <<SQL | tail -1
SELECT citus_set_coordinator_host('127.0.0.1', ${citus_ports[0]});
SELECT citus_add_node('127.0.0.1', ${citus_ports[1]});
SELECT citus_add_node('127.0.0.1', ${citus_ports[2]});
SELECT count(*) FROM citus_get_active_worker_nodes();
SQL
)
    [ "$line" = 2 ] || { echo "the coordinator sees ${line:-no} active workers, not 2"; return 1; }
}
