#!/usr/bin/env bash
# Installs the system services the test suite uses for real: PostgreSQL 15 + PostGIS 3 and
# Debian's chromium (driven by Playwright). A no-op when they are present. Where they cannot
# be installed (not root, no apt), it says so loudly; the tests that need them then skip loudly.
set -uo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need+=(postgresql-15)
ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1 || need+=(postgresql-15-postgis-3)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "!!! system-deps: cannot install ${need[*]} (need root and apt-get); tests using them will SKIP" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || echo "!!! system-deps: apt-get update failed" >&2
if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/sahelwatch-apt.log 2>&1; then
  echo "!!! system-deps: apt-get install ${need[*]} failed (see /tmp/sahelwatch-apt.log); tests using them will SKIP" >&2
fi
exit 0
