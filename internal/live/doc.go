// Package live keeps the dashboard's live views: a snapshot of each open
// view and the differences since, rendered once per view and fanned out
// through the hub to every websocket viewer who follows it.
//
// The [Publisher] is the one place where the informers' cache, the rules,
// the read model and the templates meet. Its workers take pod keys from the
// cache's deduplicating queue, diagnose each pod once and keep the result
// in a podindex.Index (work on write); a flush then works out, per open
// [View], which rows, summaries, groups and bodies differ from what its
// viewers have, renders those fragments once and publishes them. Pages and
// the API read the same index through the publisher, and build their view
// values with the same builders ([RowsView], [PodDetailView],
// [NodeListView], …), so a first page and a later push never disagree.
//
// A [Hub] keeps one bounded queue per viewer ([Subscription]), grouped by
// topic: one topic per distinct view (the same filters, language and kept
// parameters, [View.Topic]), so a change is rendered once per view, not once
// per viewer. Publish never blocks; a viewer whose queue is full is
// disconnected (close code 1008) and reconnects to a fresh snapshot, so
// nothing is lost but time.
//
// Invariants:
//   - A viewer's snapshot and every push after it are queued under the same
//     lock (viewsMu), so no viewer applies an older push after a newer
//     snapshot.
//   - A diagnosis holds instants, never clock text: diagnosing an unchanged
//     pod later gives an equal value, and nothing is pushed. Ages move only
//     on the periodic refresh, which re-renders and never re-diagnoses.
//   - Messages are shared between viewers and never modified once queued.
//
// Locking: locks are taken in the order Publisher.viewsMu →
// Publisher.entriesMu → Hub.mu (the open views, then the index and its
// dirty set, then the hub), never the other way round. Hub.mu is innermost:
// the hub calls out to nothing while holding it. Sends to and closes of a
// viewer's channel happen only under Hub.mu and only while the viewer is
// registered, so a send never races a close.
package live
