#!/bin/sh
# Publish a built site to the web server as a new release, sending and storing only what changed.
#
#   deploy/publish.sh [--keep N] [--release NAME] SITE_DIR DEST
#
# DEST is the folder the web server serves through its `current` symlink, as `host:path`
# (over ssh; the ssh command is $PUBLISH_SSH, default `ssh`) or a local path (a path with a
# colon before its first slash reads as host:path: write ./a:b for a local one). In DEST:
#
#   releases/<NAME>/   one complete site per night (NAME: the UTC time, 20261202T033000Z)
#   current            symlink to releases/<NAME>, the site readers see
#
# 1. The new release is copied with `rsync -a --delete --link-dest=<current release>` into
#    releases/.incoming: files unchanged since the current release are hard links to it
#    (nothing sent, no disk used), so only what changed crosses the network and is stored.
#    "Unchanged" is rsync's quick check: same size and modification time, to the nanosecond
#    (--modify-window=-1; rsync 3.1.3 or later on both sides). Snapshots the build
#    carries over keep their times; files it writes again with the same bytes (assets/, the
#    home pages) get a new time, so they are stored again (delta-sent: few bytes). rsync
#    links only files whose times match, even with --checksum, so only the build keeping
#    those files' times would save that.
# 2. Only when the copy is complete is it renamed to releases/<NAME>, and `current` is
#    switched by rename(2) (`ln -sfn` to current.new, then `mv -T`): at every instant
#    `current` names a complete release, the old one or the new one.
# 3. The newest N releases are kept (default 14; never the one `current` names): rolling
#    back is `ln -sfn releases/<older> current.new && mv -T current.new current` in DEST.
#
# Exit codes: 0 published; 1 the copy or a command on the server failed (`current` is as it
# was); 2 usage error or SITE_DIR is not a built site (nothing is sent).
# SITE_DIR is read through a trailing slash, so it may be a symlink to the built site.
set -eu

KEEP_DEFAULT=14
INCOMING=.incoming

die() { echo "publish.sh: $1" >&2; exit "${2:-2}"; }

# --- on the web server: run in DEST, locally or through `ssh host sh -s -- --server ...` -------

# Print the absolute path of the release `current` names (empty: the first release), after
# clearing a copy left by an interrupted run: each copy starts from a fresh folder, so it never
# changes a file that a kept release shares through a hard link.
server_prepare() {
  root=$1 release=$2
  mkdir -p "$root/releases" || die "cannot create $root/releases on the web server" 1
  cd "$root"
  [ ! -e "releases/$release" ] || die "release $root/releases/$release already exists: nothing was changed" 2
  if [ -e current ] && [ ! -L current ]; then
    die "$root/current is not a symlink: move that site into $root/releases/ and point a current symlink at it" 2
  fi
  rm -rf "releases/$INCOMING"
  if [ -L current ]; then
    [ -d current ] || die "$root/current points at $(readlink current), which does not exist: point it at a release" 2
    (cd current && pwd -P)
  fi
}

# The copy in releases/.incoming is complete: name it, switch `current` to it, prune.
server_finish() {
  root=$1 release=$2 keep=$3
  cd "$root"
  mv "releases/$INCOMING" "releases/$release"
  sync  # the new release is on disk before `current` names it, should the server lose power
  ln -sfn "releases/$release" current.new
  mv -T current.new current
  prune "$keep" || echo "publish.sh: warning: pruning $root/releases failed; the new release is published" >&2
}

# Keep the newest $1 releases by name (the names are UTC times), and always the current one.
prune() {
  serving=$(basename "$(readlink current)")
  set -- "$1" releases/*
  excess=$(($# - 1 - $1))
  shift
  for old in "$@"; do
    [ "$excess" -gt 0 ] || break
    excess=$((excess - 1))
    [ "${old#releases/}" = "$serving" ] || rm -rf -- "$old"
  done
}

export LC_ALL=C  # glob order = byte order of the names = time order
if [ "${1-}" = --server ]; then
  shift
  action=$1
  shift
  "server_$action" "$@"
  exit 0
fi

# --- on the build machine -----------------------------------------------------------------------

usage() { die "usage: publish.sh [--keep N] [--release NAME] SITE_DIR DEST   (DEST: host:path or a local folder)" 2; }

keep=$KEEP_DEFAULT
release=$(date -u +%Y%m%dT%H%M%SZ)
while [ $# -gt 0 ]; do
  case $1 in
    --keep) [ $# -ge 2 ] || usage; keep=$2; shift 2 ;;
    --release) [ $# -ge 2 ] || usage; release=$2; shift 2 ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
site=$1 dest=$2

case $keep in ''|*[!0-9]*|0) die "--keep wants a whole number of releases, 1 or more, not '$keep'" ;; esac
case $release in ''|.*|*[!A-Za-z0-9._-]*) die "--release wants letters, digits, '.', '_' or '-', not starting with '.', not '$release'" ;; esac
[ -d "$site" ] || die "$site does not exist: build the site first (python build.py --out $site); nothing was published"
[ -f "$site/manifest.json" ] || die "$site/manifest.json is missing: $site is not a site the build published (a failed or refused build publishes nothing); nothing was published"

case $dest in
  [!/]*:*) case ${dest%%:*} in */*) host="" root=$dest ;; *) host=${dest%%:*} root=${dest#*:} ;; esac ;;
  *) host="" root=$dest ;;
esac
[ -n "$root" ] || die "DEST $dest names no folder"
case $root in *\'*) die "DEST $dest: a folder name with a single quote is not supported" ;; esac
ssh_command=${PUBLISH_SSH:-ssh}

# Run server_$1 in DEST in a shell of its own (so that `set -e` holds there): here, or on the
# web server, fed this very script.
on_server() {
  if [ -z "$host" ]; then
    sh "$0" --server "$1" "$root" "$release" "$keep"
  else
    # shellcheck disable=SC2086  # $ssh_command may carry options
    $ssh_command "$host" "sh -s -- --server $1 '$root' '$release' '$keep'" < "$0"
  fi
}

# A refusal on the server (exit 2) has said why; anything else (ssh, a full disk) is a failure.
server_failed() {
  [ "$1" -eq 2 ] && exit 2
  die "$2 failed (exit $1, see above): current is as it was" 1
}

status=0
serving=$(on_server prepare) || status=$?
[ "$status" -eq 0 ] || server_failed "$status" "preparing $dest"
link_dest=""
[ -z "$serving" ] || link_dest="--link-dest=$serving"
target="$root/releases/$INCOMING/"
[ -z "$host" ] || target="$host:$target"

echo "publish.sh: copying $site into $dest/releases/$release${serving:+, unchanged files linked to $serving}"
# shellcheck disable=SC2086  # $link_dest is one word or none
rsync -a --delete --modify-window=-1 --stats -e "$ssh_command" $link_dest "$site/" "$target" || status=$?
[ "$status" -eq 0 ] || die "copying to $dest failed (rsync exit $status): current is as it was${serving:+ ($serving)}; the partial copy is removed by the next run" 1

on_server finish || server_failed $? "switching $dest/current to releases/$release"
echo "publish.sh: $dest/current -> releases/$release (the newest $keep releases are kept)"
