package live

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/internal/informers"
	"github.com/podlens/podlens/internal/podindex"
	"github.com/podlens/podlens/internal/teststore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

func TestPublisher(t *testing.T) {
	t.Parallel()
	t.Run("workers turn queued keys into pushes to the views that show them", func(t *testing.T) {
		t.Parallel()
		store := newFakeStore(testPods()...)
		state := teststore.NewState(true, informers.SyncStatus{Connected: true})
		hub := NewHub(16)
		q := workqueue.NewTypedDelayingQueue[cache.ObjectName]()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		pub := NewPublisher(log, store, q, state, hub, testMetrics(), Site{}, func() time.Time { return testNow },
			PublisherConfig{FlushEvery: time.Millisecond, StatusEvery: time.Hour, RefreshEvery: time.Hour})
		for _, p := range store.Pods("") {
			q.Add(podKey(p.Namespace, p.Name))
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { pub.Run(ctx) })
		defer func() {
			cancel()
			wg.Wait()
		}()

		// Wait until the workers have diagnosed the three pods.
		deadline := time.After(5 * time.Second)
		for len(pub.List(podindex.Query{All: true, PageSize: 10}).Rows) < 3 {
			select {
			case <-deadline:
				t.Fatal("workers did not process the queued pods")
			case <-time.After(5 * time.Millisecond):
			}
		}
		sub, err := pub.Join(View{Kind: KindPods, List: podindex.Query{All: true, Namespaces: []string{"data"}, PageSize: 100}, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if snap := <-sub.C(); !strings.Contains(string(snap), "pod-data_db-0") { // the table body comes first
			t.Fatalf("snapshot lacks db-0: %.200q", snap)
		}
		<-sub.C() // the rest of the snapshot

		store.Put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.7.7.7" }))
		q.Add(podKey("data", "db-0"))
		select {
		case msg := <-sub.C():
			if !strings.Contains(string(msg), "10.7.7.7") {
				t.Fatalf("push = %.300q, want the new IP", msg)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no push after the pod changed")
		}
		sub.Close()
	})
	t.Run("one pod's change pushes its row alone, and the periodic refresh moves the other rows' ages", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		store, pub := env.store, env.pub
		sub, err := pub.Join(View{Kind: KindPods, List: podindex.Query{All: true, PageSize: 100}, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		pub.flush(false) // the first diagnoses
		drain(sub)

		env.clock.Step(5 * time.Minute) // every AGE goes from 60m to 65m
		store.Put(pod("data", "db-0", func(p *corev1.Pod) { p.Status.PodIP = "10.7.7.7" }))
		pub.sync(podKey("data", "db-0"))
		pub.flush(false)
		msg := drain(sub)
		if !strings.Contains(msg, `id="pod-data_db-0"`) || !strings.Contains(msg, "10.7.7.7") {
			t.Errorf("push = %.400q, want db-0's row with its new IP", msg)
		}
		if strings.Contains(msg, `id="pod-shop_web-1"`) || strings.Contains(msg, `id="pod-shop_cart-1"`) {
			t.Errorf("push = %.800q, want no row of an unchanged pod", msg)
		}

		pub.flush(true)
		msg = drain(sub)
		if !strings.Contains(msg, `id="pod-shop_web-1"`) || !strings.Contains(msg, "65m") {
			t.Errorf("refresh = %.800q, want web-1's row with AGE 65m", msg)
		}
	})
	t.Run("an unschedulable pod goes from Info to Warning to Critical with the clock alone", func(t *testing.T) {
		t.Parallel()
		created := testNow.Add(-20 * time.Second)
		queued := pod("shop", "queued", func(p *corev1.Pod) {
			p.CreationTimestamp = metav1.NewTime(created)
			p.Spec.NodeName = ""
			p.Status = corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{
				Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
				Message: "0/3 nodes are available: 3 Insufficient cpu.", LastTransitionTime: metav1.NewTime(created)}}}
		})
		env := newTestEnv(t, newFakeStore(pod("shop", "web-1"), queued))
		key := podKey("shop", "queued")
		if e, _ := env.pub.Entry(key); e.Diagnosis().Severity != diagnose.Info {
			t.Fatalf("at first: severity %v, want info", e.Diagnosis().Severity)
		}
		sub, err := env.pub.Join(View{Kind: KindPods, List: podindex.Query{All: true, PageSize: 100}, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		env.pub.flush(false) // the first diagnoses
		drain(sub)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { env.pub.Run(ctx) })
		defer func() {
			cancel()
			wg.Wait()
		}()

		// Nothing in the store changes from here on: only the clock moves,
		// to the thresholds the catalog documents (1 and 5 minutes).
		for _, step := range []struct {
			at  time.Time
			sev diagnose.Severity
		}{
			{created.Add(time.Minute), diagnose.Warning},
			{created.Add(5 * time.Minute), diagnose.Critical},
		} {
			env.clock.SetTime(step.at)
			want := `data-severity="` + step.sev.String() + `"`
			var pushed strings.Builder
			err := wait.PollUntilContextTimeout(ctx, 5*time.Millisecond, 10*time.Second, true, func(context.Context) (bool, error) {
				// The queue's timer may be armed only after SetTime: a step
				// of zero fires what is due without moving the clock.
				env.clock.Step(0)
				for len(sub.C()) > 0 {
					pushed.Write(<-sub.C())
				}
				e, _ := env.pub.Entry(key)
				return e.Diagnosis().Severity == step.sev && strings.Contains(pushed.String(), want), nil
			})
			if err != nil {
				e, _ := env.pub.Entry(key)
				t.Fatalf("at created+%v: severity %v and push %.400q, want %v pushed: %v", step.at.Sub(created), e.Diagnosis().Severity, pushed.String(), step.sev, err)
			}
			if !strings.Contains(pushed.String(), `id="pod-shop_queued"`) {
				t.Errorf("at created+%v: push %.400q lacks the row of shop/queued", step.at.Sub(created), pushed.String())
			}
		}
	})
	t.Run("a status change is pushed to every view", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, err := env.pub.Join(View{Kind: KindPod, Pod: podKey("shop", "web-1"), Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		<-sub.C()
		env.state.Set(true, informers.SyncStatus{Connected: false, StaleSince: testNow})
		env.pub.flush(false)
		select {
		case msg := <-sub.C():
			if !strings.Contains(string(msg), "data is stale since") || !strings.Contains(string(msg), `id="cache-status"`) {
				t.Fatalf("push = %.300q, want the stale notice", msg)
			}
		default:
			t.Fatal("no push after the cache went stale")
		}
	})
	t.Run("a pod turning critical is announced in the live region, once", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, err := env.pub.Join(View{Kind: KindPods, List: podindex.Query{PageSize: 100}, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		drain(sub)
		env.store.Put(pod("shop", "web-1", terminated("Error", "boom")))
		env.pub.sync(podKey("shop", "web-1"))
		env.pub.flush(false)
		msg := drain(sub)
		if !strings.Contains(msg, `<div hx-swap-oob="innerHTML:#announce"><p>new critical problem: shop/web-1 — `) {
			t.Errorf("push = %.800q, want an announcement of web-1", msg)
		}
		// Two at once: a healthy pod turning critical and a new pod critical from the start.
		env.store.Put(pod("data", "db-0", terminated("OOMKilled", "")))
		env.store.Put(pod("shop", "api-9", terminated("OOMKilled", ""), func(p *corev1.Pod) { p.CreationTimestamp = metav1.NewTime(testNow) }))
		env.pub.sync(podKey("data", "db-0"))
		env.pub.sync(podKey("shop", "api-9"))
		env.pub.flush(false)
		msg = drain(sub)
		if n := strings.Count(msg, "#announce"); n != 1 {
			t.Errorf("push with two new critical pods = %.1200q: %d announcements, want one with both", msg, n)
		}
		if !strings.Contains(msg, "<p>new critical problem: data/db-0 — ") || !strings.Contains(msg, "<p>new critical problem: shop/api-9 — ") {
			t.Errorf("push = %.1200q, want db-0 and api-9 announced", msg)
		}
		env.pub.sync(podKey("shop", "web-1")) // still critical: nothing new to say
		env.pub.flush(false)
		if msg := drain(sub); strings.Contains(msg, "#announce") {
			t.Errorf("second push = %.300q, want no announcement", msg)
		}
	})
	t.Run("a re-diagnosis that finds the same, later, keeps the entry and pushes nothing", func(t *testing.T) {
		t.Parallel()
		// Two pods whose texts carry ages: a restart 6s ago ("restarted 6s
		// ago" in the title) and a crash loop with a BackOff event 30s ago
		// ("(last 30s ago)" in the evidence).
		restarted := func(p *corev1.Pod) {
			cs := &p.Status.ContainerStatuses[0]
			cs.RestartCount = 1
			cs.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error",
				StartedAt: metav1.NewTime(testNow.Add(-time.Minute)), FinishedAt: metav1.NewTime(testNow.Add(-6 * time.Second))}}
		}
		store := newFakeStore(append(testPods(), pod("shop", "api-1", restarted))...)
		store.SetEvents("shop-cart-1", []*corev1.Event{{
			ObjectMeta:     metav1.ObjectMeta{Namespace: "shop", Name: "cart-1.backoff"},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "cart-1", UID: "shop-cart-1", FieldPath: "spec.containers{app}"},
			Type:           corev1.EventTypeWarning, Reason: "BackOff", Message: "Back-off restarting failed container app", Count: 12,
			FirstTimestamp: metav1.NewTime(testNow.Add(-10 * time.Minute)), LastTimestamp: metav1.NewTime(testNow.Add(-30 * time.Second)),
		}})
		env := newTestEnv(t, store)
		var subs []*Subscription
		for _, v := range []View{
			{Kind: KindPods, List: podindex.Query{All: true, PageSize: 100}, Lang: "en"},
			{Kind: KindPod, Pod: podKey("shop", "api-1"), Lang: "en"},
			{Kind: KindPod, Pod: podKey("shop", "cart-1"), Lang: "en"},
		} {
			sub, err := env.pub.Join(v)
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			subs = append(subs, sub)
		}
		env.pub.flush(false)
		if snap := drain(subs[1]); !strings.Contains(snap, "restarted 6s ago") {
			t.Fatalf("api-1's page = %.600q, want its title with the age of the restart", snap)
		}
		if snap := drain(subs[2]); !strings.Contains(snap, "event Warning/BackOff ×12 (last 30s ago)") {
			t.Fatalf("cart-1's page = %.600q, want the BackOff event with its age", snap)
		}
		drain(subs[0])

		// Ten seconds later, with no threshold crossed (the restart counts
		// for 30 minutes), the ager used to re-diagnose every pod.
		env.clock.Step(10 * time.Second)
		for _, key := range []cache.ObjectName{podKey("shop", "api-1"), podKey("shop", "cart-1")} {
			before, _ := env.pub.Entry(key)
			if !before.Diagnosis().RecheckAt.IsZero() && !env.clock.Now().Before(before.Diagnosis().RecheckAt) {
				t.Fatalf("%v: RecheckAt %v has passed", key, before.Diagnosis().RecheckAt)
			}
			env.pub.sync(key)
			if after, _ := env.pub.Entry(key); after != before {
				t.Errorf("%v: the entry was replaced although the pod and its verdict did not change", key)
			}
		}
		env.pub.flush(false)
		for i, sub := range subs {
			if msg := drain(sub); msg != "" {
				t.Errorf("view %d: push = %.300q, want none", i, msg)
			}
		}
		// The periodic refresh re-renders (it does not re-diagnose): the ages move.
		env.pub.flush(true)
		if msg := drain(subs[1]); !strings.Contains(msg, "restarted 16s ago") {
			t.Errorf("api-1's page after the refresh = %.600q, want the restart 16s ago", msg)
		}

		before, _ := env.pub.Entry(podKey("shop", "cart-1"))
		env.store.Put(pod("shop", "cart-1", terminated("OOMKilled", "")))
		env.pub.sync(podKey("shop", "cart-1"))
		if after, _ := env.pub.Entry(podKey("shop", "cart-1")); after == before {
			t.Error("the entry was kept although the pod changed")
		}
	})
	t.Run("views without viewers are forgotten", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, newFakeStore(testPods()...))
		sub, _ := env.pub.Join(View{Kind: KindPods, List: podindex.Query{All: true, PageSize: 100}, Lang: "en"})
		sub.Close()
		env.pub.flush(true)
		env.pub.viewsMu.Lock()
		n := len(env.pub.views)
		env.pub.viewsMu.Unlock()
		if n != 0 {
			t.Fatalf("views = %d, want 0", n)
		}
	})
}
