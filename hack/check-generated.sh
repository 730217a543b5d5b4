#!/usr/bin/env bash
# Fails when the committed templ output is not what the .templ sources generate,
# or when a .templ file is not formatted.
set -euo pipefail
go tool templ generate >/dev/null
go tool templ fmt -fail web/templates >/dev/null
if ! git diff --exit-code --stat -- '*_templ.go'; then
  echo "check-generated: *_templ.go are stale: run 'go tool templ generate' and commit" >&2
  exit 1
fi
if [ -n "$(git ls-files --others --exclude-standard -- '*_templ.go')" ]; then
  echo "check-generated: generated files not committed:" >&2
  git ls-files --others --exclude-standard -- '*_templ.go' >&2
  exit 1
fi
