// Package live fans rendered view fragments out to the websocket viewers
// who follow each view, without ever letting a slow viewer slow the others.
//
// A [Hub] keeps one bounded queue per viewer ([Subscription]), grouped by
// topic: one topic per distinct view (the same filters, language and kept
// parameters), so a change is rendered once per view, not once per viewer.
// Publish never blocks; a viewer whose queue is full is disconnected (close
// code 1008) and reconnects to a fresh snapshot, so nothing is lost but
// time. Messages are shared between viewers and never modified once queued.
//
// Locking: the server takes its locks in the order viewsMu → entriesMu →
// Hub.mu (the publisher's open views, then its index, then the hub), never
// the other way round. Hub.mu is innermost: the hub calls out to nothing
// while holding it. Sends to and closes of a viewer's channel happen only
// under Hub.mu and only while the viewer is registered, so a send never
// races a close.
package live
