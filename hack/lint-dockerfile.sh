#!/usr/bin/env bash
# Lint the Dockerfile and .dockerignore without a Docker engine or hadolint (not
# packaged in Debian): BuildKit's own parser reads the Dockerfile and the tests
# in test/integration/dockerfile_test.go assert multi-stage, every pulled image
# (bases, COPY --from, the # syntax= frontend) pinned by @sha256 digest,
# `go mod download` before `COPY . .`, CGO_ENABLED=0, the -X main.version
# stamp, a non-root USER, no HEALTHCHECK, and what the build context sends.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go test -count=1 -run '^(TestDockerfile|TestDockerignore)$' ./test/integration/ "$@"
