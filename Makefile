# Podlens. The README's two commands are `make demo` and `make test`.
SHELL := bash
GO ?= go
LISTEN ?= 127.0.0.1:8080

.PHONY: demo run test unit test-deps check generate lint bench build fuzz

## demo: run the dashboard on the embedded demo cluster (http://127.0.0.1:8080)
demo:
	$(GO) run ./cmd/server --demo --listen $(LISTEN)

## run: run the dashboard against your current kubeconfig context
run:
	$(GO) run ./cmd/server --listen $(LISTEN)

## build: a static binary in bin/podlens
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/podlens ./cmd/server

## test: everything — set-up, static checks, unit, integration (real kube-apiserver + etcd) and browser (headless Chromium) tests
test: test-deps check
	KUBEBUILDER_ASSETS="$$(bash hack/k8s-binaries.sh)" $(GO) test -race -timeout 60m -count=1 ./...
	bash hack/fuzz.sh 10s

## unit: the fast inner loop — every test that needs neither the API server nor Chromium (all but test/)
unit:
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v /test/)

## test-deps: build kube-apiserver and etcd (cached) and install Chromium (Debian package) when missing
test-deps:
	bash hack/install-chromium.sh
	bash hack/k8s-binaries.sh >/dev/null

## check: vet, templ generate/fmt up to date
check:
	$(GO) vet ./...
	bash hack/check-generated.sh

## generate: regenerate templ code and the diagnosis catalog
generate:
	$(GO) tool templ generate
	$(GO) test ./internal/diagnose -run TestCatalogDoc -update

## fuzz: run every fuzz target briefly (FUZZTIME=30s to go longer)
fuzz:
	bash hack/fuzz.sh $${FUZZTIME:-10s}

## bench: the cluster-scale benchmark against a real API server (see docs/performance.md)
bench:
	KUBEBUILDER_ASSETS="$$(bash hack/k8s-binaries.sh)" $(GO) run ./hack/bench $(BENCHFLAGS)
