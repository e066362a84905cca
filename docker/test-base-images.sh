#!/usr/bin/env bash
# Makes the two base images docker/Dockerfile needs, from Debian packages, for machines that cannot pull
# images from a registry (CI here; the image test, docker/src/test/.../ImageIT):
#   localhost/sae-atlas-base/build:bookworm     Debian 12 (minbase) + OpenJDK 17 JDK + Maven   (BUILD_IMAGE)
#   localhost/sae-atlas-base/runtime:bookworm   Debian 12 (minbase) + OpenJDK 17 JRE           (RUNTIME_IMAGE)
# with debootstrap (the Debian mirror apt uses by default; DEBIAN_MIRROR overrides) and `podman import`.
# The root file systems are cached as tarballs in $ATLAS_IMAGE_CACHE (default ~/.cache/sae-atlas/images), so only
# the first run downloads (about 30 s each here); later runs import the tarballs (a few seconds each).
# Needs root, debootstrap and podman.
set -euo pipefail
cache=${ATLAS_IMAGE_CACHE:-$HOME/.cache/sae-atlas/images}
mkdir -p "$cache/debs"
cache=$(cd "$cache" && pwd)   # debootstrap wants an absolute --cache-dir

make_base() {
  local name=$1 packages=$2 tarball="$cache/$1-bookworm.tar"
  if [ ! -s "$tarball" ]; then
    local work
    work=$(mktemp -d "$cache/$name.XXXXXX")
    echo "debootstrap: Debian bookworm minbase + $packages ..."
    local started=$SECONDS
    if ! debootstrap --variant=minbase --include="$packages" --cache-dir="$cache/debs" \
        bookworm "$work/root" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"} > "$work.log" 2>&1; then
      tail -n 20 "$work.log" >&2
      rm -rf "$work"
      echo "debootstrap failed (log: $work.log)" >&2
      return 1
    fi
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
    tar -C "$work/root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$work" "$work.log"
    echo "debootstrap: $name done in $((SECONDS - started)) s"
  fi
  podman import --quiet "$tarball" "localhost/sae-atlas-base/$name:bookworm" > /dev/null
  echo "imported localhost/sae-atlas-base/$name:bookworm"
}

make_base runtime openjdk-17-jre-headless
make_base build openjdk-17-jdk-headless,maven
rm -rf "$cache/debs"   # the tarballs are the cache; the downloaded packages are not needed again
