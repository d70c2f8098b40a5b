// The start-up floor of a Swift program that links Foundation, as runbook does: it only touches
// Foundation so the library is loaded and initialised.
import Foundation

if ProcessInfo.processInfo.arguments.count > 99 { print("unreachable") }
