#!/bin/sh
# make fresh-check: the README's Quick start on a machine that has nothing
# yet. A minimal Debian 12 (debootstrap --variant=minbase bookworm) chroot,
# `make` the only package added, a git clone of HEAD (committed files only)
# in /root/quo-collectd, then `make demo` and `make check` there as root, as
# CI and a new user run them. Passes when both pass: the deps lists
# (tests/deps.sh) name every package a build step or a test needs.
#
#   sh tests/drivers/fresh-check.sh        (as root; make fresh-check)
#
# The minbase tree is built once from the mirror apt uses here and cached
# as a tarball in $FRESH_CACHE (default ~/.cache/quo-fresh); every run
# unpacks a new copy, so nothing an earlier run installed is there. Also:
# FRESH_MIRROR (the mirror), FRESH_WORK (where the chroot is unpacked,
# default /var/tmp), FRESH_KEEP=1 (keep the chroot), FRESH_STEPS (default
# "demo check"). Heavy (a few hundred MB of packages, every test):
# `nice -n 10`, and one at a time (a lock in $FRESH_CACHE refuses a second).
set -eu

SUITE=bookworm
ROOT=$(pwd)
CACHE=${FRESH_CACHE:-${HOME:-/root}/.cache/quo-fresh}
TARBALL=$CACHE/$SUITE-minbase.tar.gz
STEPS=${FRESH_STEPS:-demo check}
WORK=""
R=""

say() { echo "fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; exit 1; }
now() { date +%s; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
for c in debootstrap git chroot mount umount flock; do
  command -v "$c" >/dev/null || die "$c not found (sh tests/deps.sh fresh)"
done

mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock -n 9 || die "another fresh-check holds $CACHE/lock"

# The mirror apt already uses for the suite: deb822 sources first, then the
# one-line format.
mirror() {
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    # Stanzas are separated by blank lines; print the first URI of the
    # first stanza whose Suites has $SUITE itself (not -security).
    awk -v s="$SUITE" '
      function flush() { if (hit && uri != "") { print uri; done = 1; exit }
                         hit = 0; uri = "" }
      /^[ \t]*$/ { flush(); next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
      END { if (!done) flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
      awk -v s="$SUITE" '$1 == "deb" && $3 == s { print $2 }'
  done
}
MIRROR=${FRESH_MIRROR:-$(mirror | head -n 1)}
[ -n "$MIRROR" ] || die "no $SUITE mirror in /etc/apt/sources.list{,.d}: set FRESH_MIRROR"

# Everything under $R that is mounted, deepest first.
mounts_under() {
  awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts |
    sort -r
}
# Ends what still runs inside the chroot (a test's collectd after a
# failure), unmounts, and removes the tree only when nothing is mounted
# under it any more: rm must never reach the host's /proc, /sys or /dev.
cleanup() {
  rc=$?
  set +e
  if [ -n "$R" ] && [ -d "$R" ]; then
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && kill -9 "${p#/proc/}" 2>/dev/null
    done
    for m in $(mounts_under "$R"); do
      umount "$m" 2>/dev/null || umount -l "$m"
    done
    if [ -n "$(mounts_under "$R")" ]; then
      echo "fresh-check: still mounted under $R, not removed:" >&2
      mounts_under "$R" >&2
    elif [ -n "${FRESH_KEEP:-}" ]; then
      echo "fresh-check: kept $R"
    else
      rm -rf --one-file-system "$WORK"
    fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(now)
WORK=$(mktemp -d "${FRESH_WORK:-/var/tmp}/quo-fresh-XXXXXX")
R=$WORK/root
mkdir "$R"

# ---- the minbase tree: built once, then from the cache ---------------------
if [ ! -s "$TARBALL" ]; then
  say "debootstrap --variant=minbase $SUITE from $MIRROR (once; cached in $TARBALL)"
  debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 ||
    { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$R"/var/cache/apt/archives/*.deb
  [ -z "$(mounts_under "$R")" ] || die "debootstrap left mounts under $R"
  tar -C "$R" --numeric-owner -czf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  say "minbase tree built in $(($(now) - t0)) s"
else
  say "minbase tree from $TARBALL"
  tar -C "$R" --numeric-owner -xzf "$TARBALL"
fi

# ---- what a machine has: /proc, /sys, /dev, name resolution ----------------
# debootstrap writes no /etc/hosts; every installed Debian has one, with
# the machine's own name as the installer writes it (collectd without a
# Hostname option exits when its host name does not resolve).
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --rbind /dev "$R/dev"
mount --make-rslave "$R/dev"
cp -L /etc/resolv.conf "$R/etc/resolv.conf"
[ -e "$R/etc/hosts" ] ||
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$(uname -n)" > "$R/etc/hosts"

# ---- the tree: committed files only ----------------------------------------
rev=$(git -C "$ROOT" rev-parse HEAD)
[ -z "$(git -C "$ROOT" status --porcelain)" ] ||
  say "note: uncommitted changes in $ROOT are not tested, only HEAD"
git clone -q "$ROOT" "$R/root/quo-collectd"
git -C "$R/root/quo-collectd" checkout -q --detach "$rev"
say "testing $(git -C "$ROOT" log --oneline -1 "$rev")"

# Runs a command in the chroot as a login shell of root would have it.
in_chroot() {
  chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    sh -c "$1"
}

# ---- only make added ---------------------------------------------------------
t=$(now)
in_chroot 'export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update && apt-get -qq -y install --no-install-recommends make >/dev/null'
t_setup=$(($(now) - t0))
say "chroot ready, make installed, in $t_setup s ($(($(now) - t)) s for apt)"

# ---- the README's Quick start ------------------------------------------------
times=""
for step in $STEPS; do
  say "== make $step"
  t=$(now)
  rc=0
  in_chroot "cd /root/quo-collectd && make $step" || rc=$?
  d=$(($(now) - t))
  times="$times make $step ${d}s"
  [ $rc -eq 0 ] || die "make $step failed (exit $rc) after $d s in the fresh chroot"
  say "make $step passed in $d s"
done
say "passed: setup ${t_setup}s,$times; total $(($(now) - t0)) s"
