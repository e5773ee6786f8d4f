#!/usr/bin/env bash
# Installs the Debian packages a make target needs, and nothing when they are all present.
# Usage: scripts/system-deps.sh build|test
# As root it runs `apt-get update` once and `apt-get install`; otherwise it prints the command
# to run and fails, so that a build never goes ahead without, say, the CJK font.
set -euo pipefail

build_pkgs=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint's text layout (PDF digests)
  fonts-noto-cjk                                          # Chinese glyphs in PDF digests
)
test_pkgs=(
  "${build_pkgs[@]}"
  poppler-utils   # pdffonts/pdftoppm: the tests read digests back
  chromium        # real-browser tests, driven by Playwright
  openssl         # a throwaway CA and server certificate for the SMTP TLS tests
)

case "${1:-}" in
  build) wanted=("${build_pkgs[@]}") ;;
  test) wanted=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# npm installs axe-core for the browser tests. Any npm will do, and a machine with Node.js from
# elsewhere (NodeSource) cannot take Debian's npm package, so the command is what is checked.
if [ "$1" = test ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
