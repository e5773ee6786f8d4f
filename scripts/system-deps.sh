#!/usr/bin/env bash
# Installs the Debian packages a make target needs, and nothing when they are all present.
# Usage: scripts/system-deps.sh build|test
#
# build: the shared libraries WeasyPrint loads for the PDF digests (Pango, HarfBuzz, fontconfig,
#   GLib). They are checked as libraries, not as Debian packages, so that a machine that has them
#   under other package names (Netlify's Ubuntu build image, see docs/hosting.md) passes without
#   root. No font package: the digest fonts come from the npm registry (builder/fonts.py).
# test: the build's libraries plus poppler-utils and chromium, checked as packages.
# As root, missing packages are installed (`apt-get update` once); otherwise the script prints
# the command to run and fails.
set -euo pipefail

# soname → the Debian package that ships it
declare -A build_libs=(
  [libgobject-2.0.so.0]=libglib2.0-0
  [libpango-1.0.so.0]=libpango-1.0-0
  [libpangoft2-1.0.so.0]=libpangoft2-1.0-0
  [libharfbuzz.so.0]=libharfbuzz0b
  [libfontconfig.so.1]=libfontconfig1
)
# Optional: WeasyPrint subsets fonts faster with it, and with fontTools without it.
optional_pkgs=(libharfbuzz-subset0)
test_pkgs=(
  poppler-utils   # pdffonts/pdftoppm/pdftotext: the tests read digests back
  chromium        # real-browser tests, driven by Playwright
  openssl         # a throwaway CA and server certificate for the SMTP TLS tests
)

case "${1:-}" in
  build|test) ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
known_libs=$("$ldconfig_bin" -p 2>/dev/null || true)

missing=()
for lib in "${!build_libs[@]}"; do
  if ! grep -q "^[[:space:]]*$lib " <<<"$known_libs"; then
    missing+=("${build_libs[$lib]}")
  fi
done
if [ "$(id -u)" -eq 0 ] && command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${optional_pkgs[@]}"; do
    installed "$pkg" || missing+=("$pkg")
  done
fi
if [ "$1" = test ]; then
  for pkg in "${test_pkgs[@]}"; do
    installed "$pkg" || missing+=("$pkg")
  done
  # npm installs axe-core for the browser tests. Any npm will do, and a machine with Node.js from
  # elsewhere (NodeSource) cannot take Debian's npm package, so the command is what is checked.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
