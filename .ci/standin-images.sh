#!/usr/bin/env bash
# Makes the three local stand-in base images that ../shared/tools/verify-dockerfile.sh builds our Dockerfile
# against, before that tool runs; it skips its own image step for images that exist.
#
# Why: the tool makes each image from a tar with "./", "./usr/" and "./usr/bin/" twice (the Debian root,
# then the .NET or npm files appended with `tar -r`). Podman 4.3 on Debian 12 refuses such a layer:
#   "processing tar file(): duplicates of file paths not supported"
# Here the same files are staged in one folder first, so every path is in the tar once. Same content,
# same settings as the tool's stand-ins; the tool itself stays unchanged.
set -euo pipefail

W=${VERIFY_WORK:-/var/tmp/verify-dockerfile}
R=$W/rootfs
mkdir -p "$W"

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap uidmap slirp4netns >/dev/null
fi

if [ ! -x "$R/bin/sh" ]; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g,curl bookworm "$R" "$MIRROR" >"$W/debootstrap.log" 2>&1
  chroot "$R" sh -c 'groupadd -g 1654 app && useradd -u 1654 -g 1654 -m -s /bin/false app'
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/*
fi

ENVS=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true'
      --change 'ENV APP_UID=1654' --change 'ENV DOTNET_NOLOGO=1' --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1')

# import IMAGE STAGE [podman import options…]: one tar of the staged folder, each path once.
import() {
  local image=$1 stage=$2
  shift 2
  tar --numeric-owner -C "$stage" -c . | podman import -q "$@" - "$image" >/dev/null
  rm -rf "$stage"
}

# stage NAME: a copy of the Debian root to add files to.
stage() {
  local dir=$W/stage-$1
  rm -rf "$dir"
  cp -a "$R" "$dir"
  echo "$dir"
}

if ! podman image exists mcr.microsoft.com/dotnet/aspnet:10.0; then
  S=$(stage aspnet)
  mkdir -p "$S/usr/share/dotnet"
  cp -a /usr/share/dotnet/{dotnet,host,shared} "$S/usr/share/dotnet/"
  ln -sf /usr/share/dotnet/dotnet "$S/usr/bin/dotnet"
  import mcr.microsoft.com/dotnet/aspnet:10.0 "$S" "${ENVS[@]}" --change 'ENV ASPNETCORE_HTTP_PORTS=8080'
fi

if ! podman image exists mcr.microsoft.com/dotnet/sdk:10.0; then
  S=$(stage sdk)
  mkdir -p "$S/usr/share"
  cp -a /usr/share/dotnet "$S/usr/share/"
  ln -sf /usr/share/dotnet/dotnet "$S/usr/bin/dotnet"
  import mcr.microsoft.com/dotnet/sdk:10.0 "$S" "${ENVS[@]}"
fi

if ! podman image exists docker.io/library/node:20-bookworm-slim; then
  S=$(stage node)
  mkdir -p "$S/usr/lib/node_modules"
  cp -a /usr/bin/node /usr/bin/npm /usr/bin/npx "$S/usr/bin/"
  cp -a /usr/lib/node_modules/npm "$S/usr/lib/node_modules/"
  import docker.io/library/node:20-bookworm-slim "$S" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt"
fi
echo "stand-in base images ready"
