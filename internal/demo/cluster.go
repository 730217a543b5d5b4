package demo

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// objectKey names a pod the simulation keeps changing.
type objectKey struct{ namespace, name string }

// simState is what the simulation changes on each step.
type simState struct {
	cartCrash   objectKey // CrashLoopBackOff, exit 1
	apiOOM      objectKey // OOMKilled, limit 256Mi
	checkout    objectKey // ImagePullBackOff, not found
	fraud       objectKey // ImagePullBackOff, unauthorized
	recommender objectKey // readiness probe failing
	ledger      objectKey // CreateContainerConfigError; deleted and recreated
	ledgerOwner owner

	frontendOwner owner       // the ReplicaSet new frontend pods come from
	frontend      []objectKey // oldest first
	rollout       objectKey   // the frontend pod being rolled out, if any
	rolloutStage  int
}

// Images used by the demo workloads.
const (
	imgFrontend    = "ghcr.io/acme/shop-frontend:3.12.0"
	imgCart        = "ghcr.io/acme/shop-cart:1.9.4"
	imgCheckout    = "registry.acme.dev/shop/checkout:v2.4.1-rc1" // does not exist
	imgRecommender = "ghcr.io/acme/recommender:0.31.2"
	imgRedis       = "docker.io/library/redis:7.4.2"
	imgPaymentsAPI = "ghcr.io/acme-payments/payments-api:5.2.0"
	imgFraud       = "ghcr.io/acme-payments/fraud-scorer:1.8.0" // private, no pull secret
	imgLedger      = "ghcr.io/acme-payments/ledger:2.0.3"
	imgMigrate     = "ghcr.io/acme-payments/ledger-migrate:3.2.0"
	imgWorker      = "ghcr.io/acme-payments/payments-worker:5.2.0"
	imgPostgres    = "docker.io/library/postgres:16.6"
	imgKafka       = "docker.io/bitnami/kafka:3.9.0"
	imgETL         = "ghcr.io/acme/etl-worker:2025.11.3"
	imgReport      = "ghcr.io/acme/nightly-report:1.2.0"
	imgTrainer     = "nvcr.io/nvidia/pytorch:25.01-py3"
	imgKubeProxy   = "registry.k8s.io/kube-proxy:v1.35.2"
	imgExporter    = "quay.io/prometheus/node-exporter:v1.9.0"
	imgCoreDNS     = "registry.k8s.io/coredns/coredns:v1.12.0"
	imgMetrics     = "registry.k8s.io/metrics-server/metrics-server:v0.7.2"
	imgDevPlugin   = "nvcr.io/nvidia/k8s-device-plugin:v0.17.0"
)

// build returns the initial objects: nodes, pods and events at time now.
func (c *Cluster) build(now time.Time) []runtime.Object {
	var objs []runtime.Object
	for _, n := range nodeNames {
		objs = append(objs, c.node(n, now))
	}
	add := func(p *corev1.Pod) *corev1.Pod {
		objs = append(objs, p)
		return p
	}
	started := func(ago time.Duration) time.Time { return now.Add(-ago) }

	// A healthy pod created `age` ago on node, running since then.
	healthy := func(ns string, o owner, ordinal int, node string, age time.Duration, cts ...corev1.Container) *corev1.Pod {
		p := c.newPod(ns, o, ordinal, started(age), cts...)
		c.bind(p, node, started(age))
		c.makeRunning(p, started(age-8*time.Second))
		return add(p)
	}

	// kube-system: DaemonSets on every node, cluster add-ons.
	kubeProxy := c.daemonSet("kube-proxy", "6d4b9c7f8")
	exporter := c.daemonSet("node-exporter", "85f7c6d94b")
	for _, n := range nodeNames {
		kp := container("kube-proxy", imgKubeProxy, 0, quantities("100m", "64Mi"), nil)
		p := healthy("kube-system", kubeProxy, 0, n, 41*24*time.Hour, kp)
		ne := container("node-exporter", imgExporter, 9100, quantities("50m", "32Mi"), quantities("", "64Mi"))
		q := healthy("kube-system", exporter, 0, n, 6*24*time.Hour, ne)
		if n == worker3 {
			// The node lifecycle controller marks pods on a NotReady node not ready.
			for _, p := range []*corev1.Pod{p, q} {
				markNodeNotReady(p, started(25*time.Minute))
				c.record(&objs, ev{obj: podRef(p, ""), typ: corev1.EventTypeWarning, reason: "NodeNotReady",
					message: "Node is not ready", component: "node-controller", first: started(25 * time.Minute)})
			}
		}
	}
	coredns := c.replicaSet("coredns", "668d6bf9bc")
	for i, n := range []string{worker1, worker2} {
		healthy("kube-system", coredns, i, n, 41*24*time.Hour, container("coredns", imgCoreDNS, 8181, quantities("100m", "70Mi"), quantities("", "170Mi")))
	}
	healthy("kube-system", c.replicaSet("metrics-server", "5dd7b49d79"), 0, worker2, 20*24*time.Hour,
		container("metrics-server", imgMetrics, 10250, quantities("100m", "200Mi"), nil))
	devPlugin := healthy("kube-system", c.daemonSet("nvidia-device-plugin-daemonset", "7b9c5d5f6"), 0, gpu1, 12*24*time.Hour,
		container("nvidia-device-plugin-ctr", imgDevPlugin, 0, nil, nil))
	devPlugin.Spec.Tolerations = append(devPlugin.Spec.Tolerations, corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", Effect: corev1.TaintEffectNoSchedule})

	// Node events.
	c.record(&objs, ev{obj: nodeRef(worker3), typ: corev1.EventTypeNormal, reason: "NodeNotReady",
		message: "Node worker-3 status is now: NodeNotReady", component: "node-controller", first: started(25 * time.Minute)})
	c.record(&objs, ev{obj: nodeRef(worker4), typ: corev1.EventTypeNormal, reason: "NodeHasDiskPressure",
		message: "Node worker-4 status is now: NodeHasDiskPressure", component: "kubelet", host: worker4, first: started(40 * time.Minute)})
	c.record(&objs, ev{obj: nodeRef(worker4), typ: corev1.EventTypeWarning, reason: "EvictionThresholdMet",
		message: "Attempting to reclaim ephemeral-storage", component: "kubelet", host: worker4, count: 3,
		first: started(40 * time.Minute), last: started(12 * time.Minute)})
	c.record(&objs, ev{obj: nodeRef(worker4), typ: corev1.EventTypeWarning, reason: "FreeDiskSpaceFailed",
		message:   "Failed to garbage collect required amount of images. Attempted to free 9663676416 bytes, but only found 1395863552 bytes eligible to free.",
		component: "kubelet", host: worker4, count: 8, first: started(38 * time.Minute), last: started(3 * time.Minute)})

	// shop
	frontendOld := c.replicaSet("frontend", "7c9d8f6b5d")
	c.state.frontendOwner = c.replicaSet("frontend", "5f8b9c4d7")
	for i, n := range []string{worker1, worker2, worker1} {
		ct := container("frontend", imgFrontend, 8080, quantities("200m", "256Mi"), quantities("", "512Mi"))
		ct.Env = []corev1.EnvVar{{Name: "CART_URL", Value: "http://cart.shop.svc:8080"}, {Name: "LOG_LEVEL", Value: "info"}}
		p := healthy("shop", frontendOld, i, n, 3*24*time.Hour+time.Duration(i)*time.Minute, ct)
		c.state.frontend = append(c.state.frontend, objectKey{p.Namespace, p.Name})
	}
	cart := c.replicaSet("cart", "6f7d9c8b4")
	cartCt := func() corev1.Container {
		ct := container("cart", imgCart, 8080, quantities("100m", "128Mi"), quantities("", "256Mi"))
		ct.TerminationMessagePolicy = corev1.TerminationMessageFallbackToLogsOnError
		ct.Env = []corev1.EnvVar{{Name: "REDIS_ADDR", Value: "redis.shop.svc:6379"}}
		return ct
	}
	healthy("shop", cart, 0, worker2, 2*24*time.Hour, cartCt())
	crash := add(c.crashLooping(&objs, "shop", cart, worker1, started(47*time.Minute), now, cartCt(), 6, "Error", 1, cartCrashMessage))
	c.state.cartCrash = objectKey{crash.Namespace, crash.Name}

	checkoutPod := c.newPod("shop", c.replicaSet("checkout", "84d5b7c9f"), 0, started(22*time.Minute),
		container("checkout", imgCheckout, 8080, quantities("250m", "256Mi"), quantities("", "512Mi")))
	checkout := add(c.imagePullFailing(&objs, checkoutPod, worker2, now, pullNotFound(imgCheckout), 6))
	c.state.checkout = objectKey{checkout.Namespace, checkout.Name}

	rec := c.newPod("shop", c.replicaSet("recommender", "59c8d7b6f4"), 0, started(95*time.Minute),
		container("recommender", imgRecommender, 8080, quantities("500m", "1Gi"), quantities("", "1Gi")))
	c.bind(rec, worker1, started(95*time.Minute))
	c.makeRunning(rec, started(94*time.Minute))
	rec.Status.ContainerStatuses[0].Ready = false
	setConditions(rec, started(94*time.Minute), true, []string{"recommender"}, "ContainersNotReady")
	add(rec)
	c.record(&objs, ev{obj: podRef(rec, "recommender"), typ: corev1.EventTypeWarning, reason: "Unhealthy",
		message: "Readiness probe failed: HTTP probe failed with statuscode: 503", component: "kubelet", host: worker1,
		count: 561, first: started(94 * time.Minute), last: started(7 * time.Second)})
	c.state.recommender = objectKey{rec.Namespace, rec.Name}

	redis := c.statefulSet("redis", "6b8f7d9c5")
	healthy("shop", redis, 0, worker2, 9*24*time.Hour, container("redis", imgRedis, 6379, quantities("100m", "256Mi"), quantities("", "256Mi")))

	// payments
	api := c.replicaSet("payments-api", "7b6c9d8f5")
	apiCt := func() corev1.Container {
		ct := container("payments-api", imgPaymentsAPI, 8443, quantities("250m", "256Mi"), quantities("1", "256Mi"))
		ct.Env = []corev1.EnvVar{{Name: "JAVA_TOOL_OPTIONS", Value: "-Xmx384m"}}
		return ct
	}
	healthy("payments", api, 0, worker1, 26*time.Hour, apiCt())
	oom := add(c.crashLooping(&objs, "payments", api, worker2, started(26*time.Hour), now, apiCt(), 4, "OOMKilled", 137, ""))
	c.state.apiOOM = objectKey{oom.Namespace, oom.Name}

	fraudCt := container("fraud-scorer", imgFraud, 8080, quantities("500m", "512Mi"), quantities("", "1Gi"))
	fraudPod := c.newPod("payments", c.replicaSet("fraud-scorer", "d4c7b8f69"), 0, started(9*time.Minute), fraudCt)
	fraudPod.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "ghcr-pull"}}
	fraud := add(c.imagePullFailing(&objs, fraudPod, worker1, now, pullUnauthorized(imgFraud), 4))
	c.record(&objs, ev{obj: podRef(fraud, ""), typ: corev1.EventTypeWarning, reason: "FailedToRetrieveImagePullSecret",
		message:   "Unable to retrieve some image pull secrets (ghcr-pull); attempting to pull the image may not succeed.",
		component: "kubelet", host: worker1, count: 12, first: started(9 * time.Minute), last: started(40 * time.Second)})
	c.state.fraud = objectKey{fraud.Namespace, fraud.Name}

	c.state.ledgerOwner = c.replicaSet("ledger", "6c5f8d7b9")
	ledger := add(c.configError(&objs, c.state.ledgerOwner, started(35*time.Minute), now, 41))
	c.state.ledger = objectKey{ledger.Namespace, ledger.Name}

	add(c.initFailing(&objs, now))

	// data
	pg := c.statefulSet("postgres", "7d5c9b8f6")
	for i, n := range []string{worker1, worker2} {
		ct := container("postgres", imgPostgres, 5432, quantities("500m", "1Gi"), quantities("", "2Gi"))
		ct.Env = []corev1.EnvVar{{Name: "PGDATA", Value: "/var/lib/postgresql/data/pgdata"},
			{Name: "POSTGRES_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "postgres"}, Key: "password"}}}}
		healthy("data", pg, i, n, 14*24*time.Hour, ct)
	}
	kafka := c.statefulSet("kafka", "5b9c7d6f8")
	kafkaCt := func() corev1.Container {
		return container("kafka", imgKafka, 9092, quantities("3", "6Gi"), quantities("", "6Gi"))
	}
	for i, n := range []string{worker1, worker2} {
		healthy("data", kafka, i, n, 14*24*time.Hour, kafkaCt())
	}
	add(c.unschedulable(&objs, kafka, kafkaCt(), now))

	etl := c.replicaSet("etl-worker", "9f6d8c7b5")
	etlCt := func() corev1.Container {
		return container("etl", imgETL, 0, quantities("500m", "1Gi"), quantities("", "2Gi"))
	}
	add(c.evicted(&objs, etl, etlCt(), now))
	healthy("data", etl, 1, worker1, 31*time.Minute, etlCt())

	add(c.completedJob(&objs, now))

	trainerCt := container("trainer", imgTrainer, 0, quantities("4", "16Gi"), quantities("", "16Gi"))
	trainerCt.Resources.Limits["nvidia.com/gpu"] = quantityOne()
	trainerCt.Resources.Requests["nvidia.com/gpu"] = quantityOne()
	trainer := healthy("data", c.replicaSet("ml-trainer", "85b6f7c9d"), 0, gpu1, 5*time.Hour, trainerCt)
	trainer.Spec.Tolerations = append(trainer.Spec.Tolerations, corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", Effect: corev1.TaintEffectNoSchedule})
	trainer.Spec.NodeSelector = map[string]string{"nvidia.com/gpu.present": "true"}

	return objs
}

func markNodeNotReady(p *corev1.Pod, at time.Time) {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodReady {
			p.Status.Conditions[i].Status = corev1.ConditionFalse
			p.Status.Conditions[i].Reason = ""
			p.Status.Conditions[i].Message = ""
			p.Status.Conditions[i].LastTransitionTime = ts(at)
		}
	}
}

const cartCrashMessage = `Error: connect ECONNREFUSED 10.96.45.12:6379
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {
  errno: -111,
  code: 'ECONNREFUSED',
  syscall: 'connect',
  address: '10.96.45.12',
  port: 6379
}`

// pullNotFound is containerd's error for a tag that does not exist (containerd's
// core/remotes/docker/resolver.go, wrapped by its CRI image service PullImage).
func pullNotFound(img string) string {
	return fmt.Sprintf(`rpc error: code = NotFound desc = failed to pull and unpack image "%[1]s": failed to resolve reference "%[1]s": %[1]s: not found`, img)
}

// pullUnauthorized is containerd's error for a private image without credentials
// (containerd's core/remotes/docker/authorizer.go, as the kubelet reports it).
func pullUnauthorized(img string) string {
	return fmt.Sprintf(`rpc error: code = Unknown desc = failed to pull and unpack image "%[1]s": failed to resolve reference "%[1]s": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%%3Aacme-payments%%2Ffraud-scorer%%3Apull&service=ghcr.io: 401 Unauthorized`, img)
}
