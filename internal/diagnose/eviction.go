package diagnose

import (
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Eviction message patterns: pkg/kubelet/eviction/helpers.go,
// evictionMessage ("The node was low on resource: …", "Threshold quantity: …,
// available: …", "Container … was using …, request is …"), in its current
// and older wording.
var (
	evictLowOn     = regexp.MustCompile(`low on resource: \[?([^.\]]+)\]?\.`)
	evictThreshold = regexp.MustCompile(`Threshold quantity: ([^,\s]+), available: (\S+?)\.(?:\s|$)`)
	// newer: "Container app was using 1Gi, request is 512Mi, has larger consumption of memory."
	evictContainerNew = regexp.MustCompile(`Container (\S+) was using (\S+), request is (\S+), has larger consumption of (\S+?)\.(?:\s|$)`)
	// older: "Container app was using 1Gi, which exceeds its request of 512Mi."
	evictContainerOld = regexp.MustCompile(`Container (\S+) was using (\S+), which exceeds its request of (\S+?)\.(?:\s|$)`)
	evictCondition    = regexp.MustCompile(`node had condition: \[?([^\].]+)\]?`)
	evictLocalStorage = regexp.MustCompile(`(?i)emptydir volume|local ephemeral storage limit|ephemeral local storage usage`)
	sysctlForbidden   = regexp.MustCompile(`forbidden sysctl: "([^"]+)"`)
)

// evictionUser is one container named in an eviction message.
type evictionUser struct {
	name, usage, request string
}

// evictionFinding explains status.reason=Evicted (or a DisruptionTarget
// condition carrying an eviction message), naming the pressure and the
// container that used the most of it.
func evictionFinding(in PodInput, base Finding) Finding {
	pod := in.Pod
	node := pod.Spec.NodeName
	msg := pod.Status.Message
	for _, e := range base.Evidence {
		if strings.HasSuffix(e.Source, ".message") && msg == "" {
			msg = e.Value
		}
	}
	f := base
	f.Code, f.Severity = CodeEvicted, Warning
	f.Evidence = append(f.Evidence, eventsEvidence(in.Events, "Evicted")...)
	cleanup := T(msgEvictedCleanup, podWord(pod), namespaceWord(pod))

	if evictLocalStorage.MatchString(msg) {
		f.Title = T(msgEvictedLocalTitle)
		f.Explanation = T(msgEvictedLocalExpl, strings.TrimSpace(msg))
		f.Actions = []Text{T(msgEvictedLocalAction), cleanup}
		return f
	}

	res := ""
	if m := evictLowOn.FindStringSubmatch(msg); m != nil {
		res = strings.TrimSpace(m[1])
	} else if m := evictCondition.FindStringSubmatch(msg); m != nil {
		res = strings.TrimSpace(m[1])
	}
	if res == "" {
		res = "?"
	}
	if m := evictThreshold.FindStringSubmatch(msg); m != nil {
		f.Evidence = append(f.Evidence, Evidence{Source: "status.message threshold", Value: "threshold " + m[1] + ", available " + m[2]})
	}
	users := evictionUsers(msg)
	for _, u := range users {
		f.Evidence = append(f.Evidence, Evidence{Source: "status.message container " + u.name, Value: "using " + u.usage + ", request " + u.request})
	}
	if cond := pressureCondition(res); in.Node != nil && cond != "" {
		if c := nodeCondition(in.Node, cond); c != nil {
			f.Evidence = append(f.Evidence, Evidence{Source: "node/" + node + " status.conditions[" + string(cond) + "]", Value: string(c.Status) + " " + c.Reason})
		}
	}
	f.Title = T(msgEvictedTitle, res)
	f.Explanation = T(msgEvictedExpl, res)
	if top, ok := topEvictionUser(users); ok {
		f.Actions = append(f.Actions, T(msgEvictedContainer, top.name, top.usage, top.request, res))
	}
	if node != "" {
		f.Actions = append(f.Actions, T(msgEvictedNode, res, nodeWord(node)))
		f.Commands = append(f.Commands, cmdDescribeNode(node))
	}
	f.Actions = append(f.Actions, cleanup)
	return f
}

// evictionUsers parses the per-container sentences of an eviction message, in
// either format.
func evictionUsers(msg string) []evictionUser {
	var out []evictionUser
	for _, m := range evictContainerNew.FindAllStringSubmatch(msg, -1) {
		out = append(out, evictionUser{name: m[1], usage: m[2], request: m[3]})
	}
	for _, m := range evictContainerOld.FindAllStringSubmatch(msg, -1) {
		out = append(out, evictionUser{name: m[1], usage: m[2], request: m[3]})
	}
	return out
}

// topEvictionUser is the container that used the most (by parsed quantity;
// the first one when quantities cannot be parsed).
func topEvictionUser(users []evictionUser) (evictionUser, bool) {
	if len(users) == 0 {
		return evictionUser{}, false
	}
	best := users[0]
	bestQ, bestOK := resource.ParseQuantity(best.usage)
	for _, u := range users[1:] {
		q, err := resource.ParseQuantity(u.usage)
		if err != nil {
			continue
		}
		if bestOK != nil || q.Cmp(bestQ) > 0 {
			best, bestQ, bestOK = u, q, nil
		}
	}
	return best, true
}

// pressureCondition maps an eviction signal's resource to the node condition
// it raises.
func pressureCondition(res string) corev1.NodeConditionType {
	switch strings.ToLower(res) {
	case "memory", "memorypressure":
		return corev1.NodeMemoryPressure
	case "ephemeral-storage", "nodefs", "imagefs", "diskpressure":
		return corev1.NodeDiskPressure
	case "pids", "pid", "pidpressure":
		return corev1.NodePIDPressure
	}
	return ""
}

// sysctlName extracts the sysctl from a SysctlForbidden message.
func sysctlName(msg string) string {
	if m := sysctlForbidden.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}
