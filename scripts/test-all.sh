#!/usr/bin/env bash
# Runs the whole test suite. Installs the one peer that only a Debian package provides (dnsmasq,
# for resolver-dns) when it is missing; everything else comes from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

# dnsmasq lives in /usr/sbin, which is not on every PATH.
if ! command -v dnsmasq >/dev/null 2>&1 && [ ! -x /usr/sbin/dnsmasq ]; then
  echo "installing dnsmasq-base (the resolver-dns tests run a real DNS server on loopback)"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dnsmasq-base >/dev/null
fi

exec mvn -B -ntp verify "$@"
