#!/usr/bin/env bash
# `nginx -t` of deploy/nginx.conf (CI: .ci/run). The certificate paths are swapped for a
# throw-away self-signed pair so that the check runs on any machine.
set -euo pipefail
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=linli.example.org" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
sed -e "s#/etc/ssl/certs/ssl-cert-snakeoil.pem#$tmp/cert.pem#" \
  -e "s#/etc/ssl/private/ssl-cert-snakeoil.key#$tmp/key.pem#" nginx.conf >"$tmp/nginx.conf"
nginx -t -q -c "$tmp/nginx.conf" -p "$tmp"
echo "deploy/nginx.conf: syntax ok, test successful"
