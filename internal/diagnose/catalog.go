package diagnose

// CodeInfo documents one finding code for the catalog users read
// (docs/diagnoses.md, generated from these entries).
type CodeInfo struct {
	Code Code
	// Severity is the code's usual severity (a transient state may start lower).
	Severity Severity
	// Meaning says what the code means, in both languages.
	Meaning Message
	// Trigger says what in the cluster raises it, in both languages.
	Trigger Message
	// Example is a verbatim example of the decisive evidence.
	Example string
}

// Catalog lists every code Pod and Node can return, in display order.
func Catalog() []CodeInfo {
	all := make([]CodeInfo, 0, len(containerCodes)+len(podCodes))
	all = append(all, containerCodes...)
	return append(all, podCodes...)
}
