# Sourced by tests/run: a real PostgreSQL server for the hub's PostgreSQL tests.
# Installs Debian's postgresql package when it is missing (quick when present), makes one
# throwaway cluster in a temp dir on 127.0.0.1 for the whole run (fsync off: nothing in it
# outlives the run), exports SUHBAT_PG_BIN and SUHBAT_TEST_PG_URL (each test makes its own
# database there), and stops and removes it when the run ends. Without PostgreSQL the
# tests say so loudly and skip, except in CI (CI set), where they fail.

suhbat_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(suhbat_pg_bin)" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "tests/run: installing PostgreSQL (Debian package postgresql)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; } || true
fi

SUHBAT_PG_BIN="$(suhbat_pg_bin)"
if [ -n "$SUHBAT_PG_BIN" ] && [ -x "$SUHBAT_PG_BIN/initdb" ]; then
  export SUHBAT_PG_BIN
  SUHBAT_PG_DIR="$(mktemp -d /tmp/suhbat-pg-run.XXXXXX)"
  suhbat_pg_as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$SUHBAT_PG_DIR"
    suhbat_pg_as=(runuser -u postgres --)
  fi
  SUHBAT_PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  (cd / && "${suhbat_pg_as[@]}" "$SUHBAT_PG_BIN/initdb" -D "$SUHBAT_PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null)
  (cd / && "${suhbat_pg_as[@]}" "$SUHBAT_PG_BIN/pg_ctl" -D "$SUHBAT_PG_DIR/data" -l "$SUHBAT_PG_DIR/server.log" -w -t 60 \
    -o "-k $SUHBAT_PG_DIR -p $SUHBAT_PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" start >/dev/null)
  suhbat_pg_stop() {
    (cd / && "${suhbat_pg_as[@]}" "$SUHBAT_PG_BIN/pg_ctl" -D "$SUHBAT_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$SUHBAT_PG_DIR"
  }
  trap suhbat_pg_stop EXIT
  export SUHBAT_TEST_PG_URL="postgres://postgres@127.0.0.1:$SUHBAT_PG_PORT/postgres"
  echo "tests/run: PostgreSQL $("$SUHBAT_PG_BIN/postgres" --version | awk '{print $3}') for the hub tests at 127.0.0.1:$SUHBAT_PG_PORT" >&2
else
  echo "tests/run: !!!!!!!! PostgreSQL is not available: the hub's PostgreSQL tests will be SKIPPED (they fail in CI) !!!!!!!!" >&2
fi
