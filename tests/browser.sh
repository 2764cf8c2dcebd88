# Sourced by tests/run: a real browser for the console's browser tests (hub/tests/console.rs).
# Installs Debian's chromium and chromium-driver when they are missing (quick when present;
# about a minute the first time). The tests drive chromium headless through chromedriver's
# WebDriver API and fail, saying so, when either is missing.

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "tests/run: installing chromium and chromium-driver (Debian) for the console's browser tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; } \
      || { echo "tests/run: installing chromium and chromium-driver failed" >&2; return 1; }
  else
    echo "tests/run: chromium and chromium-driver are missing and cannot be installed here (needs apt-get as root)" >&2
    return 1
  fi
fi
