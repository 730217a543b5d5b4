package templates_test

import (
	"context"
	"io"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/podlens/podlens/internal/diagnose"
	"github.com/podlens/podlens/web/templates"
)

// render renders c and parses it, as templ's testing guide does.
func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	r, w := io.Pipe()
	go func() {
		_ = c.Render(context.Background(), w)
		_ = w.Close()
	}()
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	return doc
}

// inTable wraps a row so the HTML parser keeps it (a bare <tr> is dropped).
func inTable(c templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if _, err := io.WriteString(w, "<table><tbody>"); err != nil {
			return err
		}
		if err := c.Render(ctx, w); err != nil {
			return err
		}
		_, err := io.WriteString(w, "</tbody></table>")
		return err
	})
}

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatalf("rendering: %v", err)
	}
	return b.String()
}

func page() templates.Page {
	return templates.Page{Root: "./", Title: "Pods", Lang: diagnose.English, Keep: url.Values{}, WS: "./ws?view=pods", Nav: "pods",
		Status: templates.Status{Synced: true, Connected: true}}
}

func row() templates.PodRow {
	return templates.PodRow{Namespace: "shop", Name: "cart-1", Ready: "0/1", Status: "CrashLoopBackOff", Restarts: "5 (2m ago)",
		Age: "1h", Node: "node-1", IP: "10.0.0.1", Severity: diagnose.Critical, Summary: "Container app keeps crashing",
		Href: "./pods/shop/cart-1", NodeHref: "./nodes/node-1"}
}

func TestPodRow(t *testing.T) {
	t.Parallel()
	t.Run("a row has its deterministic id, severity and cells", func(t *testing.T) {
		t.Parallel()
		doc := render(t, inTable(templates.PodRowView(page(), row(), false)))
		tr := doc.Find(`tr[data-testid="pod-row"]`)
		if id, _ := tr.Attr("id"); id != "pod-shop_cart-1" {
			t.Errorf("id = %q, want pod-shop_cart-1", id)
		}
		if sev, _ := tr.Attr("data-severity"); sev != "critical" {
			t.Errorf("data-severity = %q, want critical", sev)
		}
		if _, ok := tr.Attr("hx-swap-oob"); ok {
			t.Error("page row has hx-swap-oob")
		}
		if got := tr.Find(".badge").Text(); !strings.Contains(got, "critical") || !strings.Contains(got, "✖") {
			t.Errorf("badge = %q, want icon and text", got)
		}
		if got := tr.Find("td.why").Text(); got != "Container app keeps crashing" {
			t.Errorf("why = %q", got)
		}
	})
	t.Run("the pushed row swaps out of band", func(t *testing.T) {
		t.Parallel()
		doc := render(t, inTable(templates.PodRowView(page(), row(), true)))
		if v, _ := doc.Find("tr").Attr("hx-swap-oob"); v != "true" {
			t.Errorf("hx-swap-oob = %q, want true", v)
		}
	})
	t.Run("hostile names are escaped and ids sanitised", func(t *testing.T) {
		t.Parallel()
		r := row()
		r.Name = `x"><script>alert(1)</script>`
		r.Summary = `<img src=x onerror=alert(1)>`
		html := renderString(t, templates.PodRowView(page(), r, false))
		if strings.Contains(html, "<script>") || strings.Contains(html, "<img") {
			t.Fatalf("unescaped markup in %s", html)
		}
		if got := templates.RowID("shop", r.Name); strings.ContainsAny(got, `"<> `) {
			t.Errorf("RowID = %q, want it sanitised", got)
		}
	})
	t.Run("row ids tell every pod apart", func(t *testing.T) {
		t.Parallel()
		// Pairs that a joined or lossy id confuses: the namespace/name
		// boundary moved, or two characters an id cannot hold.
		for _, pair := range [][2][2]string{
			{{"a", "b-c"}, {"a-b", "c"}},
			{{"a", "b.c"}, {"a.b", "c"}},
			{{"a", "b_c"}, {"a", "b/c"}},
			{{"a", "b_c"}, {"a_b", "c"}},
			{{"a", "bZ5Fc"}, {"a", "b_c"}},
			{{"a", "é"}, {"a", "è"}},
		} {
			x, y := templates.RowID(pair[0][0], pair[0][1]), templates.RowID(pair[1][0], pair[1][1])
			if x == y {
				t.Errorf("pods %s/%s and %s/%s share the row id %s", pair[0][0], pair[0][1], pair[1][0], pair[1][1], x)
			}
			for _, id := range []string{x, y} {
				// htmx finds the target of an out-of-band swap by "#" +
				// CSS.escape(id); stay within characters that need no escape
				// anywhere but "." (valid in a pod name).
				if strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
					t.Errorf("row id %q holds a character outside [A-Za-z0-9._-]", id)
				}
			}
		}
		if got, want := templates.RowID("kube-system", "coredns-5d78c9869d-7xk2p"), "pod-kube-system_coredns-5d78c9869d-7xk2p"; got != want {
			t.Errorf("RowID = %q, want %q (readable for valid names)", got, want)
		}
	})
}

func TestPodPage(t *testing.T) {
	t.Parallel()
	hostile := "<script>alert('pwned')</script>"
	v := templates.PodDetail{
		Page: page(), Row: row(), Severity: diagnose.Critical,
		Findings: []templates.FindingView{{
			Code: "CrashLoopBackOff", Severity: diagnose.Critical, Container: "app", Title: "Container app keeps crashing",
			Evidence: []templates.EvidenceView{{Source: "lastState.terminated.message", Value: hostile}},
			Commands: []string{"kubectl logs -n shop cart-1 -c app --previous"},
		}},
		Containers: []templates.ContainerView{{Name: "app", Image: "shop/cart:1",
			LastState: templates.StateView{Kind: "Terminated", Reason: "Error", ExitCode: "1", Message: hostile}}},
		Events: []templates.EventView{{Type: "Warning", Reason: "BackOff", Age: "1m", Count: 12, From: "kubelet", Message: "Back-off restarting failed container"}},
	}
	html := renderString(t, templates.PodPage(v))
	doc := render(t, templates.PodPage(v))
	t.Run("a hostile termination message is rendered as text", func(t *testing.T) {
		if strings.Contains(html, hostile) {
			t.Fatal("termination message rendered as markup")
		}
		if got := doc.Find(`[data-testid="state-message"]`).Text(); got != hostile {
			t.Errorf("state message text = %q, want %q", got, hostile)
		}
		if got := doc.Find(`[data-testid="evidence"] code`).Text(); got != hostile {
			t.Errorf("evidence = %q, want the verbatim value", got)
		}
	})
	t.Run("the diagnosis comes first, with copyable commands", func(t *testing.T) {
		if doc.Find(`[data-testid="diagnosis"]`).Length() != 1 {
			t.Fatal("no diagnosis section")
		}
		if v, _ := doc.Find("button.copy").Attr("data-copy"); v != "kubectl logs -n shop cart-1 -c app --previous" {
			t.Errorf("copy button data-copy = %q", v)
		}
		if doc.Find(`[data-testid="event"]`).Length() != 1 {
			t.Error("events table lacks the event")
		}
	})
	t.Run("the page has no inline script or style", func(t *testing.T) {
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if _, ok := s.Attr("src"); !ok || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("inline script: %s", s.Text())
			}
		})
		if doc.Find("[style], style").Length() > 0 {
			t.Error("inline style present")
		}
	})
}

func TestLayout(t *testing.T) {
	t.Parallel()
	t.Run("embed mode drops the header and demo shows a banner", func(t *testing.T) {
		p := page()
		p.Embed, p.Demo = true, true
		doc := render(t, templates.PodListPage(templates.PodList{Page: p}))
		if doc.Find(`[data-testid="header"]`).Length() != 0 {
			t.Error("header present in embed mode")
		}
		if doc.Find(`[data-testid="demo-banner"]`).Length() != 1 {
			t.Error("no demo banner")
		}
		if doc.Find(`[data-testid="empty"]`).Length() != 1 {
			t.Error("empty list has no message")
		}
	})
	t.Run("stale data says since when", func(t *testing.T) {
		p := page()
		p.Status = templates.Status{Synced: true, StaleSince: "14:03:12"}
		doc := render(t, templates.PodListPage(templates.PodList{Page: p}))
		if got := doc.Find(`[data-testid="cache-status"]`).Text(); !strings.Contains(got, "data is stale since 14:03:12 — cluster unreachable") {
			t.Errorf("status = %q", got)
		}
	})
	t.Run("syncing shows progress rather than a blank page", func(t *testing.T) {
		p := page()
		p.Lang = diagnose.Chinese
		p.Status = templates.Status{Resources: []templates.ResourceProgress{{Name: "pods", Loaded: 120}, {Name: "nodes", Synced: true, Loaded: 3}}}
		doc := render(t, templates.PodListPage(templates.PodList{Page: p}))
		got := doc.Find(`[data-testid="cache-status"]`).Text()
		if !strings.Contains(got, "正在加载集群状态") || !strings.Contains(got, "120") {
			t.Errorf("status = %q", got)
		}
	})
	t.Run("links keep the presentation parameters", func(t *testing.T) {
		p := page()
		p.Keep = url.Values{"lang": {"zh-CN"}, "embed": {"1"}}
		if got, want := p.Link("nodes", nil), "./nodes?embed=1&lang=zh-CN"; got != want {
			t.Errorf("Link = %q, want %q", got, want)
		}
		if got, want := p.Switch("lang", "en"), "./?embed=1&lang=en"; got != want {
			t.Errorf("Switch = %q, want %q", got, want)
		}
	})
}

func TestGroupLabel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		g    templates.GroupView
		lang diagnose.Lang
		want string
	}{
		{"every pod of the owner affected says all", templates.GroupView{Count: 3, Total: 3, Kind: "deployment", Owner: "shop/cart"}, diagnose.English, "all 3 pods of deployment shop/cart"},
		{"some pods affected says how many of how many", templates.GroupView{Count: 2, Total: 3, Kind: "deployment", Owner: "shop/cart"}, diagnose.English, "2 of 3 pods of deployment shop/cart"},
		{"a single replica is the only pod", templates.GroupView{Count: 1, Total: 1, Kind: "statefulset", Owner: "data/db"}, diagnose.English, "the only pod of statefulset data/db"},
		{"a bare pod is named as a pod", templates.GroupView{Count: 1, Total: 1, Kind: "pod", Owner: "shop/x"}, diagnose.English, "pod shop/x"},
		{"every pod affected in Chinese", templates.GroupView{Count: 3, Total: 3, Kind: "deployment", Owner: "shop/cart"}, diagnose.Chinese, "deployment shop/cart 的全部 3 个 Pod"},
		{"some pods affected in Chinese", templates.GroupView{Count: 2, Total: 3, Kind: "deployment", Owner: "shop/cart"}, diagnose.Chinese, "deployment shop/cart 的 3 个 Pod 中有 2 个"},
		{"a bare pod in Chinese", templates.GroupView{Count: 1, Total: 1, Kind: "pod", Owner: "shop/x"}, diagnose.Chinese, "Pod shop/x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.g.Label(tt.lang); got != tt.want {
				t.Errorf("Label = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("the group list links the worded label", func(t *testing.T) {
		t.Parallel()
		doc := render(t, templates.Groups(page(), []templates.GroupView{{Severity: diagnose.Critical, Count: 3, Total: 3, Kind: "deployment",
			Owner: "shop/cart", Code: "ImagePullBackOff", Href: "./?owner=Deployment%2Fcart"}}, false))
		if got := doc.Find(`[data-testid="group"] a`).Text(); got != "all 3 pods of deployment shop/cart" {
			t.Errorf("group link = %q", got)
		}
	})
}

// TestLongClusterTexts checks that a page shows a bounded part of each text
// from the cluster, however long, and links to where it can be read whole:
// a megabyte event message froze the pod page.
func TestLongClusterTexts(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	huge := func(s string) string { return strings.Repeat(s, mib/len(s)) }
	r := row()
	r.Status, r.Summary = huge("S"), huge("Y")
	pod := templates.PodDetail{
		Page: page(), Row: r, Severity: diagnose.Critical,
		Findings: []templates.FindingView{{
			Code: "CrashLoopBackOff", Severity: diagnose.Critical, Container: "app", Title: huge("T"), Explanation: huge("X"),
			Evidence: []templates.EvidenceView{{Source: "lastState.terminated.message", Value: huge("V")}},
			Actions:  []string{huge("A")},
		}},
		Containers: []templates.ContainerView{{Name: "app", Image: huge("i"),
			State:     templates.StateView{Kind: "Waiting", Reason: huge("R"), Message: huge("W")},
			LastState: templates.StateView{Kind: "Terminated", Reason: "Error", ExitCode: "1", Message: huge("界")}}},
		Conditions: []templates.ConditionView{{Type: "Ready", Status: "False", Reason: huge("r"), Message: huge("C")}},
		Events:     []templates.EventView{{Type: "Warning", Reason: huge("E"), Age: "1m", Count: 1, From: huge("F"), Message: huge("M")}},
		Labels:     []templates.KV{{Key: "app", Value: huge("L")}},
	}
	pod.Page.Root = "../../"
	node := templates.NodeDetail{Page: page(), Row: templates.NodeRow{Name: "node-1", Taints: []string{huge("t")}},
		Findings:   pod.Findings,
		Conditions: pod.Conditions,
		Labels:     pod.Labels,
		Pods:       []templates.PodRow{r},
	}
	node.Page.Root = "../"
	for _, tc := range []struct {
		name  string
		c     templ.Component
		texts int
		// wholes are where the texts may be read entire, by how many link there.
		wholes map[string]int
	}{
		{"the pod page", templates.PodPage(pod), 15, map[string]int{"../../api/v1/pods/shop/cart-1": 15}},
		{"the pushed pod body", templates.PodBody(pod, true), 15, map[string]int{"../../api/v1/pods/shop/cart-1": 15}},
		{"the node page", templates.NodePage(node), 10, map[string]int{"../api/v1/nodes": 8, "../api/v1/pods/shop/cart-1": 2}},
		{"a row of the list", inTable(templates.PodRowView(page(), r, false)), 2, map[string]int{"./api/v1/pods/shop/cart-1": 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			html := renderString(t, tc.c)
			if limit := tc.texts*(2000*4+200) + 32<<10; len(html) > limit {
				t.Errorf("%s is %d bytes, want at most %d: %d texts of 2,000 characters and the chrome", tc.name, len(html), limit, tc.texts)
			}
			doc := render(t, tc.c)
			links := map[string]int{}
			doc.Find(`a[data-testid="whole-text"]`).Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				links[href]++
			})
			if !maps.Equal(links, tc.wholes) {
				t.Errorf("links to whole texts = %v, want %v", links, tc.wholes)
			}
			if !strings.Contains(html, "(1046576 more characters)") {
				t.Errorf("no text says how much is cut: %.300s", html)
			}
		})
	}
	t.Run("a cut falls between characters and counts characters", func(t *testing.T) {
		t.Parallel()
		doc := render(t, templates.PodPage(pod))
		got := doc.Find(`[data-testid="state-message"]`).Last().Text()
		if !strings.HasPrefix(got, strings.Repeat("界", 2000)+" …") || !strings.Contains(got, "(347525 more characters)") {
			t.Errorf("a cut message of 3-byte characters = %.60q…%q", got, got[max(0, len(got)-60):])
		}
	})
	t.Run("a short text is whole and links nowhere", func(t *testing.T) {
		t.Parallel()
		short := row()
		short.Summary = strings.Repeat("y", 2000)
		doc := render(t, inTable(templates.PodRowView(page(), short, false)))
		if got := doc.Find("td.why").Text(); got != short.Summary {
			t.Errorf("a 2,000-character summary is shown as %d characters", len(got))
		}
		if doc.Find(`[data-testid="whole-text"]`).Length() != 0 {
			t.Error("a short text links to the whole text")
		}
	})
}
