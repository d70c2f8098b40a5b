// libFuzzer target (d): a secret in a command's output, in a random form, cut at random points.
//
// The bytes choose a secret (from characters that shells and tools quote: quotes, a backslash,
// `$`, `%`, spaces, non-ASCII letters, combining marks, emoji), surrounding output, the form the
// secret takes in it (as given, single-quoted as `bash -x` writes it, backslash-escaped as
// `printf %q` writes it, JSON-escaped, percent-encoded; possibly followed by a combining mark, a
// variation selector or an emoji modifier, and possibly repeated) and where the output is cut
// into the pieces a command's pipe delivers. The pieces go through `CheckRunner`, as a command's
// output does (its streaming masker), with a runner that plays them back. Neither what is shown
// while the command runs nor the output kept afterwards may hold any form of the secret: a
// finding is reported as a crash.
import Foundation
import FuzzDriver
import RunbookCore
import RunbookEngine

/// Plays back output in the pieces it was given.
struct Playback: ProcessRunner {
  let pieces: [String]
  func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult {
    for piece in pieces { output(piece) }
    return ProcessResult(status: 0, outputTail: pieces.joined(), outputBytes: pieces.joined().utf8.count)
  }
}

/// Collects what the runner shows.
final class Shown: @unchecked Sendable {
  private let lock = NSLock()
  private var text = ""
  func append(_ s: String) { lock.withLock { text += s } }
  var value: String { lock.withLock { text } }
}

/// Reads choices from the fuzzer's bytes (zeros once they run out).
struct Choices {
  var bytes: [UInt8]
  var at = 0
  mutating func next() -> Int {
    defer { at += 1 }
    return at < bytes.count ? Int(bytes[at]) : 0
  }
  var exhausted: Bool { at >= bytes.count }
}

let alphabet: [String] = [
  "a", "b", "Z", "0", "7", "'", "\"", "\\", "$", "%", " ", "-", "_", ".", "~", "/", "=", "+", "&", "#", "é",
  "ß",
  "日", "😀", "e\u{301}", "\u{200D}", "!", "?", "*", "(", ")", "[", "]", "{", "}", ":", ";", ",", "<", ">", "|",
  "`",
]

/// The forms of a secret that runbook promises to mask (docs/security.md), written here on their
/// own as the oracle.
func forms(of secret: String) -> [String] {
  let single = secret.replacingOccurrences(of: "'", with: "'\\''")
  var backslashed = ""
  for (offset, c) in secret.enumerated() {
    if " !\"$&'()*,;<>?[\\]^`{|}".contains(c) || (offset == 0 && (c == "#" || c == "~")) {
      backslashed += "\\"
    }
    backslashed.append(c)
  }
  let json = secret.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  var percent = ""
  for byte in secret.utf8 {
    let isUnreserved =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    percent += isUnreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
  }
  return [secret, single, backslashed, json, percent]
}

/// True when `needle`'s bytes occur in `haystack`'s bytes.
func containsBytes(_ haystack: String, _ needle: String) -> Bool {
  let h = Array(haystack.utf8)
  let n = Array(needle.utf8)
  guard !n.isEmpty, h.count >= n.count else { return false }
  for i in 0...(h.count - n.count) where h[i] == n[0] {
    if h[i..<(i + n.count)].elementsEqual(n) { return true }
  }
  return false
}

let check: CodeBlock = {
  let runbook = RunbookCompiler().compile(
    "## S\n\n1. Do:\n\n   ```sh {check}\n   true\n   ```\n", file: "f.md")
  return runbook.allSteps[0].codeBlocks[0]
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMasker(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  var c = Choices(bytes: start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
  // The secret: 3 to 24 characters (shorter ones are not masked, by design).
  var secret = ""
  for _ in 0..<(3 + c.next() % 22) { secret += alphabet[c.next() % alphabet.count] }
  guard secret.count >= 3 else { return 0 }
  // The output: random text around one to three occurrences of a form of the secret.
  let all = forms(of: secret)
  var output = ""
  for _ in 0..<(1 + c.next() % 3) {
    for _ in 0..<(c.next() % 12) { output += alphabet[c.next() % alphabet.count] }
    if c.next() % 5 == 0 { output += "\n" }
    output += all[c.next() % all.count]
    output += ["", "", "\u{301}", "\u{FE0F}", "\u{1F3FB}", "\n", " "][c.next() % 7]
  }
  for _ in 0..<(c.next() % 12) { output += alphabet[c.next() % alphabet.count] }
  // Cut it into pieces at random scalar boundaries (a pipe delivers whole scalars: the runner
  // decodes UTF-8 before it hands output on).
  let scalars = Array(output.unicodeScalars)
  var pieces: [String] = []
  var from = 0
  while from < scalars.count {
    let length = c.exhausted ? scalars.count - from : min(scalars.count - from, 1 + c.next() % 9)
    var piece = String.UnicodeScalarView()
    piece.append(contentsOf: scalars[from..<(from + length)])
    pieces.append(String(piece))
    from += length
  }
  let shown = Shown()
  let outcome = CheckRunner(runner: Playback(pieces: pieces), clock: SystemClock(), secrets: [secret])
    .run(PreparedCommand(check, values: [:], inputs: []), output: { shown.append($0) })
  for form in all where containsBytes(shown.value, form) || containsBytes(outcome.result.outputTail, form) {
    fatalError(
      "secret \(secret.debugDescription) shown as \(form.debugDescription) in pieces \(pieces.debugDescription): "
        + shown.value.debugDescription)
  }
  return 0
}

@_cdecl("FuzzMasker_main")
public func fuzzMaskerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt
{
  runFuzzer(argc, argv, fuzzMasker)
}
