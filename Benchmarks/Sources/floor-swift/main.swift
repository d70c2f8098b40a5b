// The start-up floor of a Swift program on this machine: it does nothing. scripts/bench times
// it next to cmark-gfm to show how much of a whole-process ratio is the language runtime's.
