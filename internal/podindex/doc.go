// Package podindex is the read model of diagnosed pods: every pod's last
// diagnosis kept in the shapes pages, the API and live views ask for, so a
// query costs what it shows rather than the size of the cluster.
//
// An [Entry] is made once per change of a pod ("work on write") and never
// modified after it is stored in an [Index]; a change replaces it. The index
// keeps one btree per severity in namespace and name order, a summary per
// namespace (merged with diagnose.Merge for wider scopes, recomputed only
// after a change in that namespace), and the pods of each node. [Index.List]
// answers a [Query] by walking only the trees and ranges it needs.
//
// A [Query] is a pod list's filters, sorting and paging, shared by the page,
// the websocket view and the JSON API; [ParseQuery] reads it from URL
// parameters and [Query.Values] writes it back in a canonical order, so a
// link or a view key reproduces a view exactly. Parsing never fails as a
// whole: each bad parameter is a [QueryError] safe to show the user.
//
// Locking: the index does not lock its trees. Its owner (the live views'
// publisher) guards it with one RWMutex — writers exclusively to swap an
// entry, readers shared. The only lock inside is the summaries' cache lock,
// taken by readers under that shared lock and held by nothing else, so it
// is innermost. The server's order is viewsMu → entriesMu → Hub.mu; the
// index sits at entriesMu and never calls out while holding a lock.
package podindex
