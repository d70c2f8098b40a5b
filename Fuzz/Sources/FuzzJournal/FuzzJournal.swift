// libFuzzer target (c): any bytes as a state file.
//
// The bytes are written to a file in a private temporary directory (under /dev/shm when it
// exists, so fsync costs nothing), which is then read (`Journal.read`), verified
// (`Journal.verify`) and opened for appending (`Journal.open`, which sets a torn last line
// aside and truncates it). Whatever the bytes, each must return or throw a JournalError with a
// one-line description naming the file: a crash, trap or hang is a bug.
import Foundation
import FuzzDriver
import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

private let directory: String = {
  let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
  let path = base + "/runbook-fuzz-journal-\(getpid())"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}()
private let statePath = directory + "/state.jsonl"
private let lockInfo = LockInfo(
  operator: "fuzz", pid: Int(getpid()), host: "fuzz", since: Date(timeIntervalSince1970: 0))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = start.map { Data(bytes: $0, count: count) } ?? Data()
  // Start from an empty directory: no state, no lock, no set-aside files from the last input.
  if let leftovers = try? FileManager.default.contentsOfDirectory(atPath: directory) {
    for name in leftovers { unlink(directory + "/" + name) }
  }
  guard FileManager.default.createFile(atPath: statePath, contents: data) else { return 0 }
  do {
    let contents = try Journal.read(at: statePath)
    _ = contents.events.count
  } catch {
    expectOneLine(error.description, naming: statePath)
  }
  let verified = Journal.verify(at: statePath)
  if let problem = verified.problem { expectOneLine(problem) }
  for warning in verified.warnings { expectOneLine(warning) }
  do {
    let journal = try Journal.open(at: statePath, lock: lockInfo)
    // What was loaded must still verify after a torn tail was set aside.
    let again = Journal.verify(at: statePath)
    if !again.ok || again.events != journal.events.count || again.chainHead != journal.chainHead {
      fatalError("open left a state that does not verify: \(again)")
    }
    journal.close()
  } catch {
    expectOneLine(error.description, naming: statePath)
  }
  return 0
}

/// Every message for the admin is one line (and an error's names the file).
private func expectOneLine(_ message: String, naming path: String? = nil) {
  if message.contains("\n") { fatalError("message is not one line: \(message.debugDescription)") }
  if let path, !message.contains(path) { fatalError("message does not name \(path): \(message)") }
}

@_cdecl("FuzzJournal_main")
public func fuzzJournalMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt
{
  runFuzzer(argc, argv, fuzzJournal)
}
