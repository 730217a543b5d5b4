// Package teststore is the in-memory cluster of the unit tests: a Store that
// serves pods, events and nodes as the informers' cache does, a cache State
// whose answers a test sets, and the pod builders the tests share. Nothing
// in the binary imports it.
package teststore

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/podlens/podlens/internal/informers"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
)

// Now is the fixed clock of every test.
var Now = time.Date(2026, 3, 14, 14, 3, 12, 0, time.UTC)

// Store is an in-memory informers.Store; safe for concurrent use.
type Store struct {
	mu     sync.Mutex
	pods   map[cache.ObjectName]*corev1.Pod
	events map[types.UID][]*corev1.Event
	nodes  []*corev1.Node // nil: nodes forbidden
}

var _ informers.Store = (*Store)(nil)

func NewStore(pods ...*corev1.Pod) *Store {
	s := &Store{pods: map[cache.ObjectName]*corev1.Pod{}, events: map[types.UID][]*corev1.Event{}}
	for _, p := range pods {
		s.Put(p)
	}
	return s
}

func (s *Store) Put(p *corev1.Pod) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pods[cache.ObjectName{Namespace: p.Namespace, Name: p.Name}] = p
}

func (s *Store) Remove(ns, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pods, cache.ObjectName{Namespace: ns, Name: name})
}

func (s *Store) Pods(namespace string) []*corev1.Pod {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*corev1.Pod
	for _, p := range s.pods {
		if namespace == "" || p.Namespace == namespace {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *corev1.Pod) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return out
}

func (s *Store) Pod(namespace, name string) (*corev1.Pod, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pods[cache.ObjectName{Namespace: namespace, Name: name}]
	return p, ok
}

func (s *Store) EventsFor(pod *corev1.Pod) []*corev1.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events[pod.UID]
}

// SetNodes replaces the nodes (nil: nodes forbidden).
func (s *Store) SetNodes(nodes ...*corev1.Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nodes = nodes
}

func (s *Store) Node(name string) *corev1.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func (s *Store) Nodes() []*corev1.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nodes
}

func (s *Store) PodsOnNode(name string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range s.Pods("") {
		if p.Spec.NodeName == name {
			out = append(out, p)
		}
	}
	return out
}

// State is a cache state (Synced, Status) with answers a test sets.
type State struct {
	mu     sync.Mutex
	synced bool
	status informers.SyncStatus
}

func (f *State) Synced() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.synced
}

func (f *State) Status() informers.SyncStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

func (f *State) Set(synced bool, st informers.SyncStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.synced, f.status = synced, st
}

// Pod builds a healthy running pod on node-1, created an hour before Now, changed by opts.
func Pod(ns, name string, opts ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(ns + "-" + name),
			CreationTimestamp: metav1.NewTime(Now.Add(-time.Hour)), Labels: map[string]string{"app": name}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "app", Image: "registry.example/" + name + ":1"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1",
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// terminated sets the container's last state to a termination with message.
func Terminated(reason, message string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.ContainerStatuses[0].Ready = false
		p.Status.ContainerStatuses[0].RestartCount = 5
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container"}}
		p.Status.ContainerStatuses[0].LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: reason, Message: message}}
	}
}

// SetEvents replaces the events kept about the object with uid.
func (s *Store) SetEvents(uid types.UID, events []*corev1.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events[uid] = events
}

// NewState returns a State answering synced and status.
func NewState(synced bool, status informers.SyncStatus) *State {
	return &State{synced: synced, status: status}
}

// Node builds a node that has been Ready for a day, changed by opts.
func Node(name string, opts ...func(*corev1.Node)) *corev1.Node {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(Now.Add(-24 * time.Hour))},
		Status: corev1.NodeStatus{
			NodeInfo: corev1.NodeSystemInfo{KubeletVersion: "v1.37.2"},
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
				LastHeartbeatTime: metav1.NewTime(Now.Add(-10 * time.Second)), LastTransitionTime: metav1.NewTime(Now.Add(-24 * time.Hour))}},
		},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

// OnNode binds a pod to a node.
func OnNode(name string) func(*corev1.Pod) { return func(p *corev1.Pod) { p.Spec.NodeName = name } }
