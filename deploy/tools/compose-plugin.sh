#!/usr/bin/env bash
# Prints a DOCKER_CONFIG folder whose cli-plugins/ holds Docker Compose v2, so that
# `DOCKER_CONFIG=<it> docker compose config` can validate docker-compose.yml without a Docker engine.
# Uses the machine's own plugin when `docker compose` already works; otherwise builds Compose from its
# Go module once (a few minutes) into the engine cache. `go install` refuses this module because its
# go.mod carries exclude directives, hence download-then-build.
set -euo pipefail
version="${COMPOSE_VERSION:-v2.40.3}"
if docker compose version >/dev/null 2>&1; then
  echo "${DOCKER_CONFIG:-$HOME/.docker}"
  exit 0
fi
if [ "$(id -u)" = 0 ]; then cache="${AKHBAR_CACHE:-/var/cache/akhbar}"; else cache="${AKHBAR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/akhbar}"; fi
config="$cache/docker-config-$version"
plugin="$config/cli-plugins/docker-compose"
if [ ! -x "$plugin" ]; then
  command -v go >/dev/null || { echo "Go is needed to build the docker compose plugin" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
  export GOPATH="$work/gopath" GOFLAGS=-mod=mod
  src="$(go mod download -json "github.com/docker/compose/v2@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  mkdir -p "$config/cli-plugins"
  (cd "$work/src" && go build -trimpath -o "$plugin.partial" ./cmd) >&2
  mv "$plugin.partial" "$plugin"
fi
echo "$config"
