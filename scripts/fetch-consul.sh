#!/usr/bin/env bash
# Prints the path of a Consul agent binary for resolver-consul's tests, fetching it when missing:
# Debian bullseye's consul package (bookworm has none), downloaded and unpacked into a cache folder
# without touching the system's apt state (../shared/PEERS.md). Override with CONSUL_BINARY.
set -euo pipefail
if [ -n "${CONSUL_BINARY:-}" ] && [ -x "$CONSUL_BINARY" ]; then
  echo "$CONSUL_BINARY"; exit 0
fi
if command -v consul >/dev/null 2>&1; then
  command -v consul; exit 0
fi
dir="${XDG_CACHE_HOME:-$HOME/.cache}/switchboard/consul"
bin="$dir/root/usr/bin/consul"
if [ -x "$bin" ]; then
  echo "$bin"; exit 0
fi
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/sources"
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror="${mirror:-http://deb.debian.org/debian}"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bullseye main" > "$dir/sources/bullseye.list"
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$dir/sources"
  -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o Debug::NoLocking=1)
deb=""
if apt-get "${apt_opts[@]}" -qq update >&2 && (cd "$dir" && apt-get "${apt_opts[@]}" -qq download consul >&2); then
  deb=$(ls "$dir"/consul_*.deb | head -1)
fi
if [ -z "$deb" ]; then
  # The same package, kept beside the project's shared notes for when the suite is gone.
  shared="$(cd "$(dirname "$0")/../.." && pwd)/shared/peers"
  deb=$(ls "$shared"/consul_*_amd64.deb 2>/dev/null | head -1 || true)
fi
if [ -z "$deb" ]; then
  echo "fetch-consul: no consul package from $mirror (bullseye) nor in ../shared/peers" >&2
  exit 1
fi
dpkg-deb -x "$deb" "$dir/root"
echo "$bin"
