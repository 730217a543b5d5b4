package diagnose

import "time"

// containerCodes documents the codes of the container rules.
var containerCodes []CodeInfo

func initContainerRule(in PodInput, now time.Time) []Finding { return nil }
func containerRule(in PodInput, now time.Time) []Finding     { return nil }
func probeRule(in PodInput, now time.Time) []Finding         { return nil }
