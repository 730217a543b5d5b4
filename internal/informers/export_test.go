package informers

// MakeValidUTF8 exposes makeValidUTF8 to the package's external tests.
var MakeValidUTF8 = makeValidUTF8

// RedactArgs exposes redactArgs to the package's external tests.
var RedactArgs = redactArgs
