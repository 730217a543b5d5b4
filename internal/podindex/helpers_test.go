package podindex

import (
	"github.com/podlens/podlens/internal/teststore"
	"k8s.io/client-go/tools/cache"
)

// The instant and the pod builders shared by every unit-test package, so
// entries built here match the server's tests.
var (
	testNow    = teststore.Now
	pod        = teststore.Pod
	terminated = teststore.Terminated
)

// topGroups is the summary's group count the publisher asks for.
const topGroups = 20

func podKey(ns, name string) cache.ObjectName { return cache.ObjectName{Namespace: ns, Name: name} }
