#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a cache folder,
# once per machine, and prints the folder (use it as KUBEBUILDER_ASSETS).
#
# No binary can be downloaded on our build machines (setup-envtest cannot reach
# its bucket), but both programs build from Go modules like any Go program.
# The throwaway build modules live outside the product's go.mod so Podlens
# never depends on k8s.io/kubernetes.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.37.2}"
STAGING_VERSION="v0${K8S_VERSION#v1}"   # v1.37.2 -> v0.37.2
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE="${PODLENS_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/podlens/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}}"

log() { printf 'k8s-binaries: %s\n' "$*" >&2; }

build_apiserver() {
  local dir
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  local staging=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
    cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api
    cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms
    kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics
    mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller streaming)
  {
    echo "module apiserverbuild"
    echo "go 1.26"
    echo "require k8s.io/kubernetes ${K8S_VERSION}"
    echo "replace ("
    for m in "${staging[@]}"; do echo "  k8s.io/$m => k8s.io/$m ${STAGING_VERSION}"; done
    echo ")"
  } >"$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >"$dir/tools.go"
  log "building kube-apiserver ${K8S_VERSION} (about 10 minutes the first time)"
  (cd "$dir" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 && \
    CGO_ENABLED=0 go build -o "$CACHE/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$CACHE/kube-apiserver.tmp" "$CACHE/kube-apiserver"
}

build_etcd() {
  local dir
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  printf 'module etcdbuild\ngo 1.26\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$dir/tools.go"
  log "building etcd ${ETCD_VERSION} (about 3 minutes the first time)"
  (cd "$dir" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 && \
    CGO_ENABLED=0 go build -o "$CACHE/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$CACHE/etcd.tmp" "$CACHE/etcd"
}

mkdir -p "$CACHE"
[ -x "$CACHE/etcd" ] || build_etcd
[ -x "$CACHE/kube-apiserver" ] || build_apiserver
echo "$CACHE"
