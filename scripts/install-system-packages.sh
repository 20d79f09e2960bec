#!/bin/sh
# Debian packages the tests need: chromium (browser tests, driven by playwright with this
# executable, never a downloaded browser) and the Noto CJK fonts (Chinese without boxes).
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
