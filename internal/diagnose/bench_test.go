package diagnose

import "testing"

// BenchmarkPod diagnoses a typical failing pod: a CrashLoopBackOff with its
// events, the most common thing the dashboard sees on every pod update.
func BenchmarkPod(b *testing.B) {
	in := loadFixture(b, "crashloop-exit1.yaml")
	b.ReportAllocs()
	for b.Loop() {
		_ = Pod(in, fixtureNow)
	}
}

// BenchmarkPodHealthy is the common case: nothing to say.
func BenchmarkPodHealthy(b *testing.B) {
	in := loadFixture(b, "healthy.yaml")
	b.ReportAllocs()
	for b.Loop() {
		_ = Pod(in, fixtureNow)
	}
}

// BenchmarkPodImagePull is a pull failure classified through its events.
func BenchmarkPodImagePull(b *testing.B) {
	in := loadFixture(b, "imagepullbackoff-notfound.yaml")
	b.ReportAllocs()
	for b.Loop() {
		_ = Pod(in, fixtureNow)
	}
}

// BenchmarkClassifyPullError measures the pullTable walk.
func BenchmarkClassifyPullError(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = classifyPullError(authPull)
	}
}

// BenchmarkContainerRules is BenchmarkPod's pod through the container rules
// only, to tell their cost from the pod-level rules'.
func BenchmarkContainerRules(b *testing.B) {
	in := loadFixture(b, "crashloop-exit1.yaml")
	b.ReportAllocs()
	for b.Loop() {
		_ = containerDiagnosis(in, fixtureNow)
	}
}
