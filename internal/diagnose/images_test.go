package diagnose

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

const (
	notFoundPull = `rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/cart:1.5": failed to resolve reference "registry.example.com/shop/cart:1.5": registry.example.com/shop/cart:1.5: not found`
	authPull     = `rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/acme/private:2": failed to resolve reference "docker.io/acme/private:2": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
	dnsPull      = `rpc error: code = Unknown desc = failed to pull and unpack image "registry.internal/app:1": failed to resolve reference "registry.internal/app:1": failed to do request: Head "https://registry.internal/v2/app/manifests/1": dial tcp: lookup registry.internal on 10.0.0.10:53: no such host`
)

func TestImages(t *testing.T) {
	runContainerCases(t, []ccase{
		{
			name: "ImagePullBackOff walks back to the Failed event and says the tag does not exist",
			in: podWith(podStartedAgo(10*time.Minute), image("app", "registry.example.com/shop/cart:1.5"),
				waiting("app", "ImagePullBackOff", `Back-off pulling image "registry.example.com/shop/cart:1.5"`),
				event("Warning", "Failed", "app", `Failed to pull image "registry.example.com/shop/cart:1.5": `+notFoundPull, 4, 9*time.Minute, 2*time.Minute),
				event("Warning", "Failed", "app", "Error: ErrImagePull", 4, 9*time.Minute, 2*time.Minute),
				event("Normal", "BackOff", "app", `Back-off pulling image "registry.example.com/shop/cart:1.5"`, 30, 9*time.Minute, 10*time.Second)),
			checks: []check{
				onlyCodes(CodeImagePullBackOff), hasSeverity(CodeImagePullBackOff, Critical), forContainer(CodeImagePullBackOff, "app"),
				titleContains(CodeImagePullBackOff, English, `image "registry.example.com/shop/cart:1.5" not found`),
				titleContains(CodeImagePullBackOff, Chinese, "不存在"),
				evidenceContains(CodeImagePullBackOff, "event Warning/Failed ×4 (last 2m ago)", "not found"),
				evidenceContains(CodeImagePullBackOff, "spec.containers[app].image", "cart:1.5"),
				evidenceContains(CodeImagePullBackOff, "status.containerStatuses[app].state.waiting.reason", "ImagePullBackOff"),
				commandContains(CodeImagePullBackOff, "kubectl describe pod -n shop cart-7d9"),
				sinceIs(CodeImagePullBackOff, cnow.Add(-9*time.Minute)),
			},
		},
		{
			name: "an unauthorized pull names the pod's imagePullSecrets and the missing-secret event",
			in: podWith(image("app", "docker.io/acme/private:2"), pullSecrets("regcred"),
				waiting("app", "ErrImagePull", authPull),
				event("Warning", "FailedToRetrieveImagePullSecret", "", `Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.`, 3, 5*time.Minute, time.Minute)),
			checks: []check{
				hasSeverity(CodeImagePullBackOff, Critical),
				titleContains(CodeImagePullBackOff, English, "not authorized"),
				evidenceContains(CodeImagePullBackOff, "spec.imagePullSecrets", "regcred"),
				evidenceContains(CodeImagePullBackOff, "FailedToRetrieveImagePullSecret", "Unable to retrieve some image pull secrets"),
				actionContains(CodeImagePullBackOff, English, "imagePullSecrets regcred"),
				actionContains(CodeImagePullBackOff, Chinese, "regcred"),
				commandContains(CodeImagePullBackOff, "kubectl describe secret -n shop regcred"),
				commandContains(CodeImagePullBackOff, "kubectl get serviceaccount -n shop default -o yaml"),
			},
		},
		{
			name: "an unauthorized pull without imagePullSecrets says there are none",
			in:   podWith(image("app", "docker.io/acme/private:2"), waiting("app", "ErrImagePull", authPull)),
			checks: []check{
				evidenceContains(CodeImagePullBackOff, "spec.imagePullSecrets", "[]"),
				actionContains(CodeImagePullBackOff, English, "has no imagePullSecrets"),
			},
		},
		{
			name: "a first DNS failure during start is Info and says how long it lasted",
			in: podWith(podStartedAgo(40*time.Second), waiting("app", "ErrImagePull", dnsPull),
				event("Warning", "Failed", "app", `Failed to pull image "registry.internal/app:1": `+dnsPull, 1, 30*time.Second, 30*time.Second)),
			checks: []check{
				hasSeverity(CodeImagePullBackOff, Info),
				titleContains(CodeImagePullBackOff, English, "DNS"),
				explContains(CodeImagePullBackOff, English, "for 30s"),
				commandContains(CodeImagePullBackOff, "kubectl debug node/node-1 -it --image=busybox"),
			},
		},
		{
			name: "a DNS failure that lasts past the grace period becomes a Warning",
			in: podWith(waiting("app", "ImagePullBackOff", `Back-off pulling image "registry.internal/app:1"`),
				event("Warning", "Failed", "app", `Failed to pull image "registry.internal/app:1": `+dnsPull, 7, 12*time.Minute, time.Minute)),
			checks: []check{hasSeverity(CodeImagePullBackOff, Warning), explContains(CodeImagePullBackOff, English, "for 12m")},
		},
		{
			name: "RegistryUnavailable without a recognisable message is a network problem",
			in: podWith(podStartedAgo(5*time.Minute),
				waiting("app", "RegistryUnavailable", "image pull failed for registry.example.com/shop/cart:1.4 because the registry is unavailable")),
			checks: []check{hasSeverity(CodeImagePullBackOff, Warning), titleContains(CodeImagePullBackOff, English, "unreachable")},
		},
		{
			name: "SignatureValidationFailed is Critical",
			in: podWith(waiting("app", "SignatureValidationFailed",
				"image pull failed for registry.example.com/shop/cart:1.4 because the signature validation failed: Source image rejected: none of the signatures were accepted")),
			checks: []check{hasSeverity(CodeImagePullBackOff, Critical), titleContains(CodeImagePullBackOff, English, "signature")},
		},
		{
			name: "the image of an init container is explained for that container",
			in: podWith(phaseP(), initCtr("migrate", false),
				waiting("migrate", "ErrImagePull", notFoundPull), waiting("app", "PodInitializing", "")),
			checks: []check{onlyCodes(CodeImagePullBackOff), forContainer(CodeImagePullBackOff, "migrate"),
				evidenceContains(CodeImagePullBackOff, "status.initContainerStatuses[migrate].state.waiting.message", "not found")},
		},
		{
			name: "InvalidImageName quotes the InspectFailed event",
			in: podWith(image("app", "registry.example.com/Shop/Cart:"), waiting("app", "InvalidImageName", `Failed to apply default image tag "registry.example.com/Shop/Cart:": couldn't parse image name "registry.example.com/Shop/Cart:": invalid reference format`),
				event("Warning", "InspectFailed", "app", `Failed to apply default image tag "registry.example.com/Shop/Cart:": couldn't parse image name "registry.example.com/Shop/Cart:": invalid reference format`, 5, 3*time.Minute, time.Minute)),
			checks: []check{onlyCodes(CodeInvalidImageName), hasSeverity(CodeInvalidImageName, Critical),
				evidenceContains(CodeInvalidImageName, "event Warning/InspectFailed", "invalid reference format"),
				titleContains(CodeInvalidImageName, Chinese, "镜像名称")},
		},
		{
			name: "ErrImageNeverPull names the pull policy",
			in:   podWith(pullPolicy("app", corev1.PullNever), waiting("app", "ErrImageNeverPull", `Container image "registry.example.com/shop/cart:1.4" is not present with pull policy of Never`)),
			checks: []check{hasSeverity(CodeErrImageNeverPull, Critical), evidenceContains(CodeErrImageNeverPull, "imagePullPolicy", "Never"),
				actionContains(CodeErrImageNeverPull, English, "kind load")},
		},
		{
			name:   "ImageInspectError is a runtime problem, a Warning",
			in:     podWith(waiting("app", "ImageInspectError", `Failed to inspect image "registry.example.com/shop/cart:1.4": rpc error: code = Unknown desc = failed to stat`)),
			checks: []check{hasSeverity(CodeImageInspectError, Warning), commandContains(CodeImageInspectError, "kubectl debug node/node-1")},
		},
		{
			name: "a pull that has run for 7 minutes is a Warning about a slow pull",
			in: podWith(creatingPod("ContainerCreating", 8*time.Minute),
				event("Normal", "Scheduled", "", "Successfully assigned shop/cart-7d9 to node-1", 1, 8*time.Minute, 8*time.Minute),
				event("Normal", "Pulling", "app", `Pulling image "registry.example.com/shop/cart:1.4"`, 1, 7*time.Minute, 7*time.Minute)),
			checks: []check{onlyCodes(CodeImagePullSlow), hasSeverity(CodeImagePullSlow, Warning),
				titleContains(CodeImagePullSlow, English, `"registry.example.com/shop/cart:1.4" has been pulling for 7m`)},
		},
		{
			name: "a pull followed by Pulled is not slow",
			in: podWith(creatingPod("ContainerCreating", 30*time.Second),
				event("Normal", "Pulling", "app", `Pulling image "registry.example.com/shop/cart:1.4"`, 1, 20*time.Second, 20*time.Second),
				event("Normal", "Pulled", "app", `Successfully pulled image "registry.example.com/shop/cart:1.4" in 1.2s (1.2s including waiting). Image size: 1234 bytes.`, 1, 18*time.Second, 18*time.Second)),
			checks: []check{noFindings()},
		},
	})
}

func phaseP() opt { return phase(corev1.PodPending) }

func TestClassifyPullError(t *testing.T) {
	t.Parallel()
	// Texts of containerd, Docker and CRI-O, as the kubelet quotes them.
	cases := []struct {
		msg  string
		want pullClass
	}{
		{notFoundPull, pullNotFound},
		{"Error response from daemon: manifest for x:tag not found: manifest unknown: manifest unknown", pullNotFound},
		{"reading manifest tag in docker.io/library/x: manifest unknown", pullNotFound},
		{"rpc error: code = NotFound desc = failed to pull and unpack image \"x\": no match for platform in manifest: not found", pullPlatform},
		{authPull, pullAuth},
		{"failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized", pullAuth},
		{"no basic auth credentials", pullAuth},
		{"toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading", pullRateLimit},
		{"unexpected status code 429 Too Many Requests", pullRateLimit},
		{dnsPull, pullDNS},
		{"dial tcp: lookup registry.example.com: server misbehaving", pullDNS},
		{"dial tcp 1.2.3.4:443: i/o timeout", pullNetwork},
		{"net/http: TLS handshake timeout", pullNetwork},
		{"dial tcp 10.1.1.1:5000: connect: connection refused", pullNetwork},
		{"RegistryUnavailable: pinging container registry: connection reset by peer", pullNetwork},
		{"x509: certificate signed by unknown authority", pullTLS},
		{"tls: failed to verify certificate: x509: certificate has expired or is not yet valid", pullTLS},
		{"http: server gave HTTP response to HTTPS client", pullTLS},
		{"failed to extract layer sha256:abc: write /var/lib/containerd/x: no space left on device", pullDisk},
		{"SignatureValidationFailed: Source image rejected: A signature was required, but no signature exists", pullSignature},
		{"invalid reference format: repository name must be lowercase", pullInvalid},
		{"something else entirely", pullUnknown},
		{"", pullUnknown},
	}
	for _, tc := range cases {
		if got := classifyPullError(tc.msg); got != tc.want {
			t.Errorf("classifyPullError(%q) = %v, want %v", tc.msg, got, tc.want)
		}
	}
}
