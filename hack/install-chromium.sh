#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing.
# The browser tests never pass without a browser: they fail with a message
# pointing here.
set -euo pipefail
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: Chromium is missing; run: sudo apt-get install -y chromium fonts-noto-cjk" >&2
  exit 1
fi
echo "install-chromium: installing Debian packages chromium and fonts-noto-cjk" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
