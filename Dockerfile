# syntax=docker/dockerfile:1.26.0@sha256:ecfaec9ed6d810b56388c508f4121597bfbba70d41a6dfeee4d8cad5f295fc32
#
# Podlens: one static binary on a distroless, non-root base.
#
#   docker build --build-arg VERSION="$(git describe --tags --always)" -t ghcr.io/podlens/podlens:dev .
#
# A release is built on its git tag and pushed as ghcr.io/podlens/podlens:<tag>,
# the tag deploy/kustomization.yaml names.
#
# Every image the build pulls (the frontend above and both bases) is pinned by
# digest: a tag moves when its publisher rebuilds it, a digest names one image,
# so the same commit builds from the same bytes. The tag stays for readers and
# for Dependabot or Renovate, which bump tag and digest together. By hand:
#   docker buildx imagetools inspect golang:1.26.8   # "Digest:" of the index
#
# Linted without a Docker engine by hack/lint-dockerfile.sh (test/integration/dockerfile_test.go).

FROM golang:1.26.8@sha256:3c3e25a4da13fd0478eed2df1eb35a0e667094a7124d3993a6a1d30f71c17e79 AS build
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

FROM gcr.io/distroless/static:nonroot@sha256:e2e927ec666bae08560abb3c55d0659eceabb657f56b6782ab500a9fc7f555e3
COPY --from=build /out/podlens /podlens
# distroless's nonroot:nonroot, numeric so the kubelet can verify runAsNonRoot
# even when a manifest sets no runAsUser.
USER 65532:65532
EXPOSE 8080
# No HEALTHCHECK: Kubernetes ignores it and probes /healthz and /readyz over HTTP
# instead (deploy/deployment.yaml), and distroless has no shell or curl to run one.
ENTRYPOINT ["/podlens", "--listen=0.0.0.0:8080"]
