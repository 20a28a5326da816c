#!/usr/bin/env bash
# Runs the whole test suite. Installs the peers that only a Debian package provides when they are
# missing: dnsmasq (a real DNS server, for resolver-dns) and python3-grpcio (C-core, the second gRPC
# implementation the interop cases run against); everything else comes from Maven Central, but the
# Consul agent, which resolver-consul's tests fetch themselves (scripts/fetch-consul.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# dnsmasq lives in /usr/sbin, which is not on every PATH.
if ! command -v dnsmasq >/dev/null 2>&1 && [ ! -x /usr/sbin/dnsmasq ]; then
  missing+=(dnsmasq-base)
fi
# Debian's interpreter: a python3 first on PATH may be another one that does not see Debian's packages.
if ! /usr/bin/python3 -c 'import grpc' >/dev/null 2>&1; then
  missing+=(python3-grpcio)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (real peers of the tests: a DNS server, a C-core gRPC server)"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

exec mvn -B -ntp verify "$@"
