package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Payloads that run script if any cluster text reaches the HTML parser as
// markup. Anyone who can create a pod or an event controls these strings.
const (
	xssScript  = `<script>window.__pwned=1</script>`
	xssImg     = `<img src=x onerror="window.__pwned=1">`
	xssSVG     = `"><svg onload=window.__pwned=1>`
	xssIframe  = `'><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`
	xssBreak   = `</code></td></tr></table><script>alert(document.domain)</script>`
	xssJSURL   = `javascript:window.__pwned=1//`
	xssAllText = xssScript + " " + xssImg + " " + xssSVG + " " + xssIframe + " " + xssBreak + " " + xssJSURL
)

// cspDirectives parses a Content-Security-Policy header.
func cspDirectives(h string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(h, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

func TestHostileClusterTextIsInert(t *testing.T) {
	cluster := startCluster(t)
	c := cluster.Client
	const ns = "hostile"
	createNamespace(t, c, ns)
	createNode(t, c, "evil-node", nodeReady(corev1.ConditionFalse, "KubeletNotReady", xssSVG+" "+xssScript))

	crash := newPod(ns, "xss-crash", "evil-node", map[string]string{"app": "xss"}).
		with(func(p *corev1.Pod) {
			p.Annotations = map[string]string{"note": xssAllText, "kubernetes.io/description": xssImg}
		}).
		withStatus(func(p *corev1.Pod) {
			crashLoop("10.244.9.1", 9, 1, "Error", xssScript+" "+xssSVG)(p)
			p.Status.ContainerStatuses[0].State.Waiting.Message = xssImg
		}).create(t, c)
	createEvent(t, c, crash, corev1.EventTypeWarning, "BackOff", xssBreak+" "+xssIframe, 3)
	createEvent(t, c, crash, corev1.EventTypeWarning, xssSVG, xssJSURL, 1)
	newPod(ns, "xss-image", "evil-node", map[string]string{"app": "xss"}).
		with(image("registry.example/app:"+xssImg)).withStatus(imagePullBackOff).create(t, c)
	newPod(ns, "xss-pending", "", map[string]string{"app": "xss"}).
		withStatus(func(p *corev1.Pod) {
			unschedulable(p)
			p.Status.Conditions[0].Message = xssImg + " " + xssIframe
		}).create(t, c)
	newPod(ns, "xss-evicted", "evil-node", map[string]string{"app": "xss"}).
		withStatus(func(p *corev1.Pod) {
			evicted(p)
			p.Status.Message = xssJSURL + " " + xssScript
		}).create(t, c)

	p := startPodlens(t, cluster.Config)
	eventually(t, 30*time.Second, "hostile pods in the dashboard", func() error {
		if _, items := listPods(t, p.URL, url.Values{"namespace": {ns}}); len(items) != 4 {
			return errString("not all four pods listed yet")
		}
		return nil
	})

	pages := []string{
		"/?all=1&namespace=" + ns,
		"/?namespace=" + ns,
		"/pods/" + ns + "/xss-crash",
		"/pods/" + ns + "/xss-image",
		"/pods/" + ns + "/xss-pending",
		"/pods/" + ns + "/xss-evicted",
		"/nodes",
		"/nodes/evil-node",
	}

	t.Run("every page is served with a strict Content-Security-Policy", func(t *testing.T) {
		for _, path := range pages {
			resp, err := httpClient.Get(p.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s: status %d", path, resp.StatusCode)
			}
			h := resp.Header.Get("Content-Security-Policy")
			d := cspDirectives(h)
			script, ok := d["script-src"]
			if !ok {
				script, ok = d["default-src"]
			}
			if !ok {
				t.Errorf("GET %s: CSP %q restricts no scripts", path, h)
				continue
			}
			for _, src := range script {
				switch strings.ToLower(src) {
				case "'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:":
					t.Errorf("GET %s: script sources allow %s: %q", path, src, h)
				}
			}
			for _, src := range d["style-src"] {
				if strings.EqualFold(src, "'unsafe-inline'") {
					t.Errorf("GET %s: style-src allows 'unsafe-inline': %q", path, h)
				}
			}
			if got := d["object-src"]; len(got) != 1 || got[0] != "'none'" {
				t.Errorf("GET %s: object-src=%q, want 'none'", path, got)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options=%q, want nosniff", path, got)
			}
		}
	})

	b := newTab(t)
	for _, path := range pages {
		t.Run("no payload runs on "+path, func(t *testing.T) {
			b.open(t, p.URL+path)
			// Let live pushes arrive too: the websocket renders the same text.
			if strings.HasPrefix(path, "/pods/") || strings.HasPrefix(path, "/?") {
				b.waitLive(t)
			}
			b.checkUnharmed(t, path)
		})
	}

	t.Run("the payloads are shown as text", func(t *testing.T) {
		for _, tc := range []struct {
			path, selector, want string
		}{
			{"/pods/" + ns + "/xss-crash", `[data-testid="containers"]`, xssScript + " " + xssSVG},
			{"/pods/" + ns + "/xss-crash", `[data-testid="containers"]`, xssImg},
			{"/pods/" + ns + "/xss-crash", `[data-testid="events"]`, xssBreak + " " + xssIframe},
			{"/pods/" + ns + "/xss-crash", `[data-testid="events"]`, xssSVG},
			{"/pods/" + ns + "/xss-image", `[data-testid="containers"]`, "registry.example/app:" + xssImg},
			{"/pods/" + ns + "/xss-pending", `[data-testid="conditions"]`, xssImg + " " + xssIframe},
			{"/nodes/evil-node", `[data-testid="conditions"]`, xssSVG + " " + xssScript},
			{"/pods/" + ns + "/xss-evicted", `[data-testid="diagnosis"]`, xssJSURL + " " + xssScript},
			{"/pods/" + ns + "/xss-pending", `[data-testid="diagnosis"]`, xssImg + " " + xssIframe},
		} {
			b.open(t, p.URL+tc.path)
			if got := b.text(t, tc.selector); !strings.Contains(got, tc.want) {
				t.Errorf("%s %s does not show %q as text: %.600q", tc.path, tc.selector, tc.want, got)
			}
		}
		b.checkUnharmed(t, "after every page")
	})
}

type errString string

func (e errString) Error() string { return string(e) }
