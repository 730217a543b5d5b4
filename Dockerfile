# syntax=docker/dockerfile:1
#
# Podlens: one static binary on a distroless, non-root base.
#
#   docker build --build-arg VERSION="$(git describe --tags --always)" -t ghcr.io/podlens/podlens:dev .
#
# Linted without a Docker engine by hack/lint-dockerfile.sh (test/integration/dockerfile_test.go).

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, in their own layer: editing the source does not invalidate it,
# so rebuilds skip the download.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Declared after the download so a new version does not bust that layer.
ARG VERSION=dev
# CGO_ENABLED=0: a static binary for distroless/static (no libc). -trimpath keeps
# build paths out of the binary; -s -w drops the symbol table and DWARF;
# -X stamps the version shown by --version and in the User-Agent.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/podlens ./cmd/server

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/podlens /podlens
# distroless's nonroot:nonroot, numeric so the kubelet can verify runAsNonRoot
# even when a manifest sets no runAsUser.
USER 65532:65532
EXPOSE 8080
# No HEALTHCHECK: Kubernetes ignores it and probes /healthz and /readyz over HTTP
# instead (deploy/deployment.yaml), and distroless has no shell or curl to run one.
ENTRYPOINT ["/podlens", "--listen=0.0.0.0:8080"]
