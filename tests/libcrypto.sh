# Sourced by tests/run: SQLCipher links the system's libcrypto on desktops, servers and CI
# (Cargo.toml), so its headers must be here: Debian's libssl-dev, installed when missing.

if ! dpkg -s libssl-dev >/dev/null 2>&1 && [ ! -f /usr/include/openssl/evp.h ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "tests/run: installing libssl-dev (Debian) for SQLCipher's crypto" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q libssl-dev >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q libssl-dev >/dev/null; } \
      || { echo "tests/run: installing libssl-dev failed" >&2; return 1; }
  else
    echo "tests/run: OpenSSL's headers (Debian: libssl-dev) are missing and cannot be installed here (needs apt-get as root)" >&2
    return 1
  fi
fi
