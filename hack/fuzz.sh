#!/usr/bin/env bash
# Runs every fuzz target (func FuzzXxx) in the module for a short time each.
set -euo pipefail
time=${1:-10s}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for f in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)\(' "$dir"/*_test.go 2>/dev/null | sed -E 's/func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort -u); do
    echo "fuzz: $pkg $f ($time)"
    go test -run '^$' -fuzz "^$f\$" -fuzztime "$time" "$pkg"
  done
done
