#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the PostgreSQL tests (sourced by test.sh).
#
#   start_test_postgres DIR   # a new cluster in DIR on a free port; exports BLAZOROS_TEST_POSTGRES
#   stop_test_postgres        # stops it (fast shutdown); DIR is left to the caller
#
# Uses Debian's server binaries (/usr/lib/postgresql/<version>/bin). initdb and postgres refuse to run as root, so as
# root the cluster belongs to the `postgres` user that Debian's package creates. Trust authentication, loopback only:
# the server lives as long as the test run and holds nothing but test databases.

TEST_POSTGRES_BIN="" TEST_POSTGRES_DATA=""

postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_cluster_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nothing listens on (bash's /dev/tcp: no python or netcat on a bare machine).
free_port() {
  local port
  for port in $(shuf -i 20000-60999 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_test_postgres() {
  local root=$1 port
  TEST_POSTGRES_BIN=$(postgres_bin_dir) || { echo "no PostgreSQL server binaries (apt-get install postgresql)"; return 1; }
  TEST_POSTGRES_DATA="$root/cluster"
  mkdir -p "$TEST_POSTGRES_DATA"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$root"; fi
  as_cluster_owner "$TEST_POSTGRES_BIN/initdb" -D "$TEST_POSTGRES_DATA" -U postgres -A trust -E UTF8 --no-sync >"$root/initdb.log" 2>&1 \
    || { cat "$root/initdb.log"; return 1; }
  port=$(free_port)
  # fsync off: a crash loses only test databases, and it saves most of the migration time.
  as_cluster_owner "$TEST_POSTGRES_BIN/pg_ctl" -D "$TEST_POSTGRES_DATA" -l "$root/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $TEST_POSTGRES_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start \
    >/dev/null || { cat "$root/server.log"; return 1; }
  export BLAZOROS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$TEST_POSTGRES_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data: $TEST_POSTGRES_DATA)"
}

stop_test_postgres() {
  if [ -n "$TEST_POSTGRES_DATA" ] && [ -f "$TEST_POSTGRES_DATA/postmaster.pid" ]; then
    as_cluster_owner "$TEST_POSTGRES_BIN/pg_ctl" -D "$TEST_POSTGRES_DATA" -m fast -w stop >/dev/null || true
  fi
}
