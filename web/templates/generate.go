// Package templates renders the dashboard's HTML with templ. The same
// components render the first page load and the websocket pushes, so a pushed
// row is byte-for-byte what a reload would show.
//
// Components take plain view values built by cmd/server; they never read the
// cache, the clock or context values, so their output is deterministic.
package templates

//go:generate go tool templ generate
