package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// nodeEnv is a server with two nodes: web-1 and db-0 on node-1, cart-1 on node-2.
func nodeEnv(t *testing.T) *testEnv {
	t.Helper()
	store := newFakeStore(pod("shop", "web-1"), pod("data", "db-0"), pod("shop", "cart-1", onNode("node-2")))
	store.SetNodes(node("node-1"), node("node-2"))
	return newTestEnv(t, store)
}

func TestNodePagesConnectToTheirViews(t *testing.T) {
	t.Parallel()
	t.Run("the nodes page and a node page connect to their live views", func(t *testing.T) {
		t.Parallel()
		env := nodeEnv(t)
		for _, c := range []check{hasAttr("body", "ws-connect", "./ws?view=nodes"), hasElement(`#node-list #node-node-1`)} {
			if err := c(env.get("/nodes")); err != nil {
				t.Error(err)
			}
		}
		for _, c := range []check{hasAttr("body", "ws-connect", "../ws?name=node-1&view=node"), hasElement(`#node-detail`)} {
			if err := c(env.get("/nodes/node-1")); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("a node view over the websocket needs the node's name", func(t *testing.T) {
		t.Parallel()
		base := setupWS(t, nodeEnv(t))
		_, resp, err := websocket.DefaultDialer.Dial(base+"/ws?view=node", nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("dial: err=%v resp=%v, want 400", err, resp)
		}
		c, _, err := websocket.DefaultDialer.Dial(base+"/ws?view=nodes", nil)
		if err != nil {
			t.Fatalf("dial view=nodes: %v", err)
		}
		defer c.Close()
		if snap := readMessage(t, c); !strings.Contains(snap, `id="node-list"`) {
			t.Errorf("view=nodes snapshot = %.300q, want the node table", snap)
		}
	})
}
