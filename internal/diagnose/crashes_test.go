package diagnose

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

const backoffMsg = "back-off 2m40s restarting failed container=app pod=cart-7d9_shop(uid-cart)"

func TestCrashes(t *testing.T) {
	runContainerCases(t, []ccase{
		{
			name:   "a healthy running pod has no findings",
			in:     podWith(),
			checks: []check{noFindings()},
		},
		{
			name: "CrashLoopBackOff carries the last exit code, its meaning, run time and back-off in one finding",
			in: podWith(waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 7),
				lastTerminated("app", "Error", 1, 3*time.Second, 40*time.Second, "panic: missing DATABASE_URL"),
				event("Warning", "BackOff", "app", "Back-off restarting failed container app in pod cart-7d9_shop(uid-cart)", 31, 14*time.Minute, 20*time.Second)),
			checks: []check{
				onlyCodes(CodeCrashLoopBackOff), hasSeverity(CodeCrashLoopBackOff, Critical),
				titleContains(CodeCrashLoopBackOff, English, `Container "app" keeps crashing: exit code 1, restart count 7`),
				titleContains(CodeCrashLoopBackOff, Chinese, "退出码 1，已重启 7 次"),
				explContains(CodeCrashLoopBackOff, English, "generic application error"),
				explContains(CodeCrashLoopBackOff, English, "after running for 3s"),
				explContains(CodeCrashLoopBackOff, English, "now 2m40s"),
				explContains(CodeCrashLoopBackOff, Chinese, "通用应用错误"),
				evidenceContains(CodeCrashLoopBackOff, "status.containerStatuses[app].lastState.terminated.exitCode", "1"),
				evidenceContains(CodeCrashLoopBackOff, "status.containerStatuses[app].lastState.terminated.message", "missing DATABASE_URL"),
				evidenceContains(CodeCrashLoopBackOff, "status.containerStatuses[app].restartCount", "7"),
				evidenceContains(CodeCrashLoopBackOff, "event Warning/BackOff ×31 (last 20s ago)", "Back-off restarting"),
				commandContains(CodeCrashLoopBackOff, "kubectl logs -n shop cart-7d9 -c app --previous"),
				sinceIs(CodeCrashLoopBackOff, cnow.Add(-14*time.Minute)),
			},
		},
		{
			name:   "a crash loop with no recorded last state still explains the back-off",
			in:     podWith(waiting("app", "CrashLoopBackOff", "back-off 10s restarting failed container=app pod=cart-7d9_shop(uid-cart)"), restarts("app", 1)),
			checks: []check{hasSeverity(CodeCrashLoopBackOff, Critical), explContains(CodeCrashLoopBackOff, English, "now 10s")},
		},
		{
			name: "a crash loop whose last run was OOMKilled is reported once, as OOMKilled with the memory limit",
			in: podWith(memLimit("app", "256Mi"), waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 4),
				lastTerminated("app", "OOMKilled", 137, 2*time.Minute, time.Minute, "")),
			checks: []check{
				onlyCodes(CodeOOMKilled), hasSeverity(CodeOOMKilled, Critical),
				titleContains(CodeOOMKilled, English, "memory limit of 256Mi"),
				titleContains(CodeOOMKilled, Chinese, "内存限制 256Mi"),
				evidenceContains(CodeOOMKilled, "spec.containers[app].resources.limits.memory", "256Mi"),
				evidenceContains(CodeOOMKilled, "lastState.terminated.reason", "OOMKilled"),
				commandContains(CodeOOMKilled, "kubectl top pod -n shop cart-7d9 --containers"),
			},
		},
		{
			name: "an OOM kill without a memory limit says there is none and points at the node",
			in: podWith(memoryEmptyDir("cache"), waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 2),
				lastTerminated("app", "OOMKilled", 137, 10*time.Minute, time.Minute, "")),
			checks: []check{
				titleContains(CodeOOMKilled, English, "has no memory limit"),
				evidenceContains(CodeOOMKilled, "resources.limits.memory", "none"),
				actionContains(CodeOOMKilled, English, `"cache" is a memory-backed emptyDir`),
				commandContains(CodeOOMKilled, "kubectl describe node node-1"),
			},
		},
		{
			name: "a container running again after a recent OOM kill is a Warning",
			in: podWith(memLimit("app", "1Gi"), running("app", 5*time.Minute, true), restarts("app", 1),
				lastTerminated("app", "OOMKilled", 137, time.Hour, 5*time.Minute, "")),
			checks: []check{onlyCodes(CodeOOMKilled), hasSeverity(CodeOOMKilled, Warning)},
		},
		{
			name: "an old restart is forgotten",
			in: podWith(running("app", 2*time.Hour, true), restarts("app", 1),
				lastTerminated("app", "Error", 1, time.Hour, 2*time.Hour, "")),
			checks: []check{noFindings()},
		},
		{
			name: "a recent restart of a running container is Info",
			in: podWith(running("app", 3*time.Minute, true), restarts("app", 2),
				lastTerminated("app", "Error", 2, 4*time.Minute, 3*time.Minute, "")),
			checks: []check{hasSeverity(CodeContainerRestarted, Info), titleContains(CodeContainerRestarted, English, "restarted 3m ago (restart count 2)"),
				explContains(CodeContainerRestarted, English, "invalid command-line usage")},
		},
		{
			name: "exit 137 with reason Error and no probe events suggests probes, grace period and eviction",
			in: podWith(waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 3),
				lastTerminated("app", "Error", 137, 30*time.Second, time.Minute, "")),
			checks: []check{hasCode(CodeCrashLoopBackOff), actionContains(CodeCrashLoopBackOff, English, "Killing events"),
				explContains(CodeCrashLoopBackOff, English, "SIGKILL")},
		},
		{
			name: "exit 139 is a segmentation fault",
			in: podWith(waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 3),
				lastTerminated("app", "Error", 139, time.Second, time.Minute, "")),
			checks: []check{explContains(CodeCrashLoopBackOff, English, "SIGSEGV"), explContains(CodeCrashLoopBackOff, Chinese, "段错误")},
		},
		{
			name: "an exit status of 129 is named as signal 1",
			in: podWith(waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 3),
				lastTerminated("app", "Error", 129, time.Second, time.Minute, "")),
			checks: []check{explContains(CodeCrashLoopBackOff, English, "killed by signal 1 (SIGHUP)")},
		},
		{
			name: "a crash loop of exit 0 in a restartPolicy Always pod suggests a Job",
			in: podWith(waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 5),
				lastTerminated("app", "Completed", 0, 2*time.Second, time.Minute, "")),
			checks: []check{hasSeverity(CodeCrashLoopBackOff, Critical), titleContains(CodeCrashLoopBackOff, English, "exits with code 0"),
				actionContains(CodeCrashLoopBackOff, English, "Job")},
		},
		{
			name: "a container that just exited 0 in a restartPolicy Always pod is a Warning",
			in:   podWith(terminated("app", "Completed", 0, 5*time.Second, 2*time.Second)),
			checks: []check{onlyCodes(CodeContainerCompleted), hasSeverity(CodeContainerCompleted, Warning),
				evidenceContains(CodeContainerCompleted, "spec.restartPolicy", "Always")},
		},
		{
			name: "a failed Job pod reports its non-zero exit",
			in: podWith(restartPolicy(corev1.RestartPolicyNever), phase(corev1.PodFailed),
				terminated("app", "Error", 2, 10*time.Second, 5*time.Minute)),
			checks: []check{onlyCodes(CodeContainerFailed), hasSeverity(CodeContainerFailed, Warning),
				titleContains(CodeContainerFailed, English, "exited with code 2"), commandContains(CodeContainerFailed, "kubectl logs -n shop cart-7d9 -c app"),
				evidenceContains(CodeContainerFailed, "status.phase", "Failed")},
		},
		{
			name: "a succeeded Job pod is healthy",
			in: podWith(restartPolicy(corev1.RestartPolicyNever), phase(corev1.PodSucceeded),
				terminated("app", "Completed", 0, 10*time.Second, 5*time.Minute)),
			checks: []check{noFindings()},
		},
		{
			name: "a sidecar's non-zero exit in a succeeded pod is at most Info",
			in: podWith(restartPolicy(corev1.RestartPolicyNever), phase(corev1.PodSucceeded),
				terminated("app", "Completed", 0, 10*time.Second, 5*time.Minute),
				terminated("istio-proxy", "Error", 143, 10*time.Second, 5*time.Minute)),
			checks: []check{onlyCodes(CodeContainerFailed), hasSeverity(CodeContainerFailed, Info), forContainer(CodeContainerFailed, "istio-proxy")},
		},
		{
			name: "an evicted pod's terminated containers are left to the pod-level rule",
			in: podWith(phase(corev1.PodFailed), func(in *PodInput) { in.Pod.Status.Reason = "Evicted" },
				terminated("app", "Error", 137, time.Hour, time.Minute)),
			checks: []check{noFindings()},
		},
		{
			name:   "a pod being deleted is left to the terminating rule",
			in:     podWith(deleting(), terminated("app", "Error", 143, time.Hour, time.Second)),
			checks: []check{noFindings()},
		},
		{
			name: "ContainerStatusUnknown explains the synthetic 137",
			in: podWith(running("app", time.Minute, true), restarts("app", 1),
				func(in *PodInput) {
					status(in, "app").LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
						Reason: "ContainerStatusUnknown", ExitCode: 137, FinishedAt: cago(2 * time.Minute),
						Message: "The container could not be located when the pod was deleted.  The container used to be Running"}}
				}),
			checks: []check{onlyCodes(CodeContainerStatusUnknown), hasSeverity(CodeContainerStatusUnknown, Warning),
				explContains(CodeContainerStatusUnknown, English, "synthetic exit code 137"), commandContains(CodeContainerStatusUnknown, "kubectl describe node node-1")},
		},
	})
}

func TestStartErrors(t *testing.T) {
	runContainerCases(t, []ccase{
		{
			name: "a missing Secret key is named and cross-checked against the env reference",
			in: podWith(envSecretKey("app", "DB_PASSWORD", "db-credentials", "password"),
				waiting("app", "CreateContainerConfigError", "couldn't find key password in Secret shop/db-credentials"),
				event("Warning", "Failed", "app", "Error: couldn't find key password in Secret shop/db-credentials", 12, 6*time.Minute, 10*time.Second)),
			checks: []check{
				onlyCodes(CodeCreateContainerConfigError), hasSeverity(CodeCreateContainerConfigError, Critical),
				titleContains(CodeCreateContainerConfigError, English, `key "password" missing from Secret "db-credentials"`),
				titleContains(CodeCreateContainerConfigError, Chinese, `Secret "db-credentials" 中缺少键 "password"`),
				evidenceContains(CodeCreateContainerConfigError, "spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef", "name=db-credentials key=password"),
				evidenceContains(CodeCreateContainerConfigError, "event Warning/Failed ×12", "Error: couldn't find key"),
				commandContains(CodeCreateContainerConfigError, "kubectl describe secret -n shop db-credentials"),
				sinceIs(CodeCreateContainerConfigError, cnow.Add(-6*time.Minute)),
			},
		},
		{
			name: "a missing ConfigMap (older message) is found in envFrom and in the volumes",
			in: podWith(envFromConfigMap("app", "cart-config"), volumeConfigMap("config", "cart-config"),
				waiting("app", "CreateContainerConfigError", `configmap "cart-config" not found`)),
			checks: []check{
				titleContains(CodeCreateContainerConfigError, English, `ConfigMap "cart-config" not found`),
				evidenceContains(CodeCreateContainerConfigError, "spec.containers[app].envFrom[0].configMapRef", "name=cart-config"),
				evidenceContains(CodeCreateContainerConfigError, "spec.volumes[config].configMap", "name=cart-config"),
				actionContains(CodeCreateContainerConfigError, English, `Create ConfigMap "cart-config" in namespace shop`),
				actionContains(CodeCreateContainerConfigError, Chinese, `在命名空间 shop 中创建 ConfigMap "cart-config"`),
				commandContains(CodeCreateContainerConfigError, "kubectl get configmap -n shop cart-config"),
			},
		},
		{
			name: "runAsNonRoot with a root image is explained with the security context",
			in:   podWith(runAsNonRoot(), waiting("app", "CreateContainerConfigError", `container has runAsNonRoot and image will run as root (pod: "cart-7d9_shop(uid-cart)", container: app)`)),
			checks: []check{titleContains(CodeCreateContainerConfigError, English, "runAsNonRoot is set but the image runs as root"),
				evidenceContains(CodeCreateContainerConfigError, "spec.securityContext.runAsNonRoot", "true"),
				actionContains(CodeCreateContainerConfigError, English, "numeric securityContext.runAsUser")},
		},
		{
			name:   "runAsNonRoot with a named image user quotes the user",
			in:     podWith(runAsNonRoot(), waiting("app", "CreateContainerConfigError", `container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: "cart-7d9_shop(uid-cart)", container: app)`)),
			checks: []check{titleContains(CodeCreateContainerConfigError, English, `image user "nginx" is not numeric`)},
		},
		{
			name: "RunContainerError for a missing executable is Critical and quotes the command and StartError",
			in: podWith(command("app", "/app/serve"), waiting("app", "RunContainerError", `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/serve": stat /app/serve: no such file or directory: unknown`),
				restarts("app", 2), lastTerminated("app", "StartError", 128, 0, time.Minute, `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/serve": stat /app/serve: no such file or directory: unknown`)),
			checks: []check{onlyCodes(CodeRunContainerError), hasSeverity(CodeRunContainerError, Critical),
				titleContains(CodeRunContainerError, English, "no such file or directory"),
				evidenceContains(CodeRunContainerError, "spec.containers[app].command", `["/app/serve"]`),
				evidenceContains(CodeRunContainerError, "lastState.terminated.exitCode", "128")},
		},
		{
			name: "a crash loop of StartError is a RunContainerError about the executable",
			in: podWith(waiting("app", "CrashLoopBackOff", backoffMsg), restarts("app", 6),
				lastTerminated("app", "StartError", 128, 0, time.Minute, `exec: "serve": executable file not found in $PATH: unknown`)),
			checks: []check{onlyCodes(CodeRunContainerError), titleContains(CodeRunContainerError, English, "executable not found")},
		},
		{
			name:   "exec format error is a wrong architecture",
			in:     podWith(waiting("app", "RunContainerError", "exec /app/serve: exec format error")),
			checks: []check{titleContains(CodeRunContainerError, English, "another architecture")},
		},
		{
			name:   "permission denied",
			in:     podWith(waiting("app", "RunContainerError", `exec: "/entrypoint.sh": permission denied: unknown`)),
			checks: []check{titleContains(CodeRunContainerError, English, "permission denied")},
		},
		{
			name:   "a reserved container name is a slow runtime: Info at first",
			in:     podWith(podStartedAgo(time.Minute), waiting("app", "CreateContainerError", `failed to reserve container name "app_cart-7d9_shop_uid-cart_0": name "app_cart-7d9_shop_uid-cart_0" is reserved for "4f2a"`)),
			checks: []check{hasSeverity(CodeCreateContainerError, Info), titleContains(CodeCreateContainerError, English, "still holds the container name")},
		},
		{
			name: "a reserved container name that persists is a Warning",
			in: podWith(podStartedAgo(20*time.Minute), waiting("app", "CreateContainerError", `failed to reserve container name "app_cart": name "app_cart" is reserved for "4f2a"`),
				event("Warning", "Failed", "app", `Error: failed to reserve container name "app_cart": name "app_cart" is reserved for "4f2a"`, 9, 15*time.Minute, time.Minute)),
			checks: []check{hasSeverity(CodeCreateContainerError, Warning)},
		},
		{
			name: "PostStartHookError quotes the hook and its events",
			in: podWith(postStartExec("app", "/bin/sh", "-c", "curl -f localhost:8080/warm"), waiting("app", "PostStartHookError", "command '/bin/sh -c curl -f localhost:8080/warm' exited with 7: "),
				event("Warning", "FailedPostStartHook", "app", "PostStartHook failed", 3, 5*time.Minute, time.Minute),
				event("Normal", "Killing", "app", "FailedPostStartHook", 3, 5*time.Minute, time.Minute)),
			checks: []check{onlyCodes(CodePostStartHookError), hasSeverity(CodePostStartHookError, Critical),
				evidenceContains(CodePostStartHookError, "spec.containers[app].lifecycle.postStart", `exec ["/bin/sh", "-c", "curl -f localhost:8080/warm"]`),
				evidenceContains(CodePostStartHookError, "event Warning/FailedPostStartHook", "PostStartHook failed"),
				evidenceContains(CodePostStartHookError, "event Normal/Killing", "FailedPostStartHook")},
		},
		{
			name:   "the m.internalLifecycle.PreStartContainer alias is a PreStartHookError",
			in:     podWith(waiting("app", "m.internalLifecycle.PreStartContainer", "failed to register container with topology manager")),
			checks: []check{onlyCodes(CodePreStartHookError), explContains(CodePreStartHookError, English, "not your postStart or preStop hook")},
		},
		{
			name:   "PreCreateHookError is the internal pre-create hook",
			in:     podWith(waiting("app", "PreCreateHookError", "Internal PreCreateContainer hook failed: cpuset")),
			checks: []check{onlyCodes(CodePreCreateHookError)},
		},
		{
			name: "an unknown waiting reason is quoted verbatim",
			in:   podWith(waiting("app", "SomethingNew", "the runtime is confused")),
			checks: []check{hasSeverity(CodeContainerWaiting, Warning), titleContains(CodeContainerWaiting, English, "SomethingNew"),
				evidenceContains(CodeContainerWaiting, "state.waiting.message", "the runtime is confused")},
		},
	})
}

func TestInitContainers(t *testing.T) {
	runContainerCases(t, []ccase{
		{
			name: "a crash-looping init container names itself, its exit code and its logs command",
			in: podWith(phaseP(), initCtr("migrate", false), waiting("migrate", "CrashLoopBackOff", "back-off 1m20s restarting failed container=migrate pod=cart-7d9_shop(uid-cart)"),
				restarts("migrate", 4), lastTerminated("migrate", "Error", 1, 2*time.Second, time.Minute, ""), waiting("app", "PodInitializing", "")),
			checks: []check{onlyCodes(CodeInitContainerFailed), hasSeverity(CodeInitContainerFailed, Critical), forContainer(CodeInitContainerFailed, "migrate"),
				titleContains(CodeInitContainerFailed, English, `Init container "migrate" fails with exit code 1, so the pod cannot start`),
				titleContains(CodeInitContainerFailed, Chinese, "Pod 无法启动"),
				evidenceContains(CodeInitContainerFailed, "status.initContainerStatuses[migrate].lastState.terminated.exitCode", "1"),
				commandContains(CodeInitContainerFailed, "kubectl logs -n shop cart-7d9 -c migrate --previous")},
		},
		{
			name: "an init container that failed in a restartPolicy Never pod is Critical",
			in: podWith(phase(corev1.PodFailed), restartPolicy(corev1.RestartPolicyNever), initCtr("migrate", false),
				terminated("migrate", "Error", 3, 5*time.Second, time.Minute), waiting("app", "PodInitializing", "")),
			checks: []check{onlyCodes(CodeInitContainerFailed), titleContains(CodeInitContainerFailed, English, "exit code 3")},
		},
		{
			name: "only the first unfinished init container is explained",
			in: podWith(phaseP(), initCtr("wait-db", false), initCtr("migrate", false),
				running("wait-db", 20*time.Minute, false), waiting("migrate", "PodInitializing", ""), waiting("app", "PodInitializing", "")),
			checks: []check{onlyCodes(CodeInitContainerRunning), hasSeverity(CodeInitContainerRunning, Warning), forContainer(CodeInitContainerRunning, "wait-db"),
				titleContains(CodeInitContainerRunning, English, "running for 20m"), evidenceContains(CodeInitContainerRunning, "spec.initContainers[wait-db].command", "/bin/migrate up")},
		},
		{
			name:   "an init container running for a minute is fine",
			in:     podWith(phaseP(), initCtr("wait-db", false), running("wait-db", time.Minute, false), waiting("app", "PodInitializing", "")),
			checks: []check{noFindings()},
		},
		{
			name: "a crash-looping sidecar is a CrashLoopBackOff, not an init failure",
			in: podWith(initCtr("proxy", true), waiting("proxy", "CrashLoopBackOff", backoffMsg), restarts("proxy", 3),
				lastTerminated("proxy", "Error", 1, time.Second, time.Minute, "")),
			checks: []check{onlyCodes(CodeCrashLoopBackOff), forContainer(CodeCrashLoopBackOff, "proxy"),
				evidenceContains(CodeCrashLoopBackOff, "status.initContainerStatuses[proxy].restartCount", "3")},
		},
	})
}

func TestCreating(t *testing.T) {
	runContainerCases(t, []ccase{
		{
			name:   "a pod creating for 20 seconds is fine",
			in:     podWith(creatingPod("ContainerCreating", 20*time.Second)),
			checks: []check{noFindings()},
		},
		{
			name: "a CNI failure explains a stuck ContainerCreating",
			in: podWith(creatingPod("ContainerCreating", 6*time.Minute),
				event("Warning", "FailedCreatePodSandBox", "", `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "4f2a": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized`, 25, 6*time.Minute, 10*time.Second)),
			checks: []check{onlyCodes(CodeSandboxCreateFailed), hasSeverity(CodeSandboxCreateFailed, Warning), forContainer(CodeSandboxCreateFailed, ""),
				explContains(CodeSandboxCreateFailed, English, "CNI plugin failed"), actionContains(CodeSandboxCreateFailed, English, "calico"),
				evidenceContains(CodeSandboxCreateFailed, "status.containerStatuses[app].state.waiting.reason", "ContainerCreating"),
				commandContains(CodeSandboxCreateFailed, "kubectl describe node node-1")},
		},
		{
			name: "IP exhaustion is told apart from other CNI failures",
			in: podWith(creatingPod("ContainerCreating", 6*time.Minute),
				event("Warning", "FailedCreatePodSandBox", "", `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "x": plugin type="host-local" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254`, 5, 6*time.Minute, time.Minute)),
			checks: []check{explContains(CodeSandboxCreateFailed, English, "no free IP address")},
		},
		{
			name: "a missing pause image is told apart",
			in: podWith(creatingPod("ContainerCreating", 6*time.Minute),
				event("Warning", "FailedCreatePodSandBox", "", `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox image "registry.k8s.io/pause:3.9": failed to pull image "registry.k8s.io/pause:3.9": i/o timeout`, 5, 6*time.Minute, time.Minute)),
			checks: []check{explContains(CodeSandboxCreateFailed, English, "pause")},
		},
		{
			name: "a FailedMount of a missing Secret becomes Critical after the grace period",
			in: podWith(creatingPod("ContainerCreating", 10*time.Minute),
				event("Warning", "FailedMount", "", `MountVolume.SetUp failed for volume "tls" : secret "cart-tls" not found`, 14, 10*time.Minute, 30*time.Second)),
			checks: []check{onlyCodes(CodeVolumeMountFailed), hasSeverity(CodeVolumeMountFailed, Critical),
				titleContains(CodeVolumeMountFailed, English, `Volume "tls" cannot be mounted`), titleContains(CodeVolumeMountFailed, English, "10m"),
				actionContains(CodeVolumeMountFailed, English, "Create the missing Secret")},
		},
		{
			name: "a first FailedMount is Info",
			in: podWith(creatingPod("ContainerCreating", 40*time.Second),
				event("Warning", "FailedMount", "", `MountVolume.SetUp failed for volume "tls" : secret "cart-tls" not found`, 1, 30*time.Second, 30*time.Second)),
			checks: []check{hasSeverity(CodeVolumeMountFailed, Info)},
		},
		{
			name: "a Multi-Attach error is a volume attach failure",
			in: podWith(creatingPod("ContainerCreating", 8*time.Minute),
				event("Warning", "FailedAttachVolume", "", `Multi-Attach error for volume "pvc-1f2e" Volume is already exclusively attached to one node and can't be attached to another`, 1, 8*time.Minute, 8*time.Minute)),
			checks: []check{hasSeverity(CodeVolumeAttachFailed, Warning), titleContains(CodeVolumeAttachFailed, English, `"pvc-1f2e"`)},
		},
		{
			name: "NetworkNotReady (and its alias NetworkPluginNotReady) is a node network problem",
			in: podWith(creatingPod("ContainerCreating", 5*time.Minute),
				event("Warning", "NetworkPluginNotReady", "", `network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized`, 30, 5*time.Minute, 2*time.Second)),
			checks: []check{onlyCodes(CodePodNetworkNotReady), hasSeverity(CodePodNetworkNotReady, Warning), titleContains(CodePodNetworkNotReady, English, "node-1")},
		},
		{
			name: "PodInitializing for long with no events is stuck",
			in: podWith(initCtr("setup", false), creatingPod("PodInitializing", 15*time.Minute),
				func(in *PodInput) {
					in.Pod.Status.InitContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}}
				}),
			checks: []check{onlyCodes(CodeContainerCreatingStuck), hasSeverity(CodeContainerCreatingStuck, Warning),
				evidenceContains(CodeContainerCreatingStuck, "status.initContainerStatuses[setup].state.waiting.reason", "PodInitializing")},
		},
		{
			name: "an unscheduled pod is not creating",
			in: podWith(creatingPod("ContainerCreating", 15*time.Minute), func(in *PodInput) {
				in.Pod.Spec.NodeName = ""
				in.Pod.Status.ContainerStatuses = nil
			}),
			checks: []check{noFindings()},
		},
	})
}
