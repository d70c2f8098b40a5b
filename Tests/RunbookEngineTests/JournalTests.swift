import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

/// Shared values and file helpers for the journal tests.
enum JournalFixture {
  static let date = JournalDateFormat.parse("2026-11-28T10:15:30.123Z")!

  static func directory() -> URL { Paths.temporaryDirectory("journal") }

  static func remove(_ directory: URL) {
    chmod(directory.path, 0o700)
    try? FileManager.default.removeItem(at: directory)
  }

  static func header() -> JournalHeader {
    JournalHeader(
      runbook: .init(
        path: "guides/deploy.md", id: "deploy", title: "Deploy", sha256: String(repeating: "ab", count: 32)),
      steps: [.init(id: "build", fingerprint: "f1"), .init(id: "ship", fingerprint: "f2")],
      created: date, operator: "alice")
  }

  static func lock(_ name: String = "alice", pid: Int = 4242, host: String = "laptop") -> LockInfo {
    LockInfo(operator: name, pid: pid, host: host, since: date)
  }

  static func event(_ n: Int) -> Event {
    Event(
      type: .input, at: date.addingTimeInterval(Double(n)), operator: "alice", input: "region",
      value: "eu-\(n)")
  }

  /// A new journal at `<directory>/state.jsonl` with `count` events, closed.
  static func makeState(in directory: URL, events count: Int) throws -> String {
    let path = directory.appendingPathComponent("state.jsonl").path
    let journal = try Journal.create(at: path, header: header(), lock: lock())
    for n in 0..<count { try journal.append(event(n)) }
    journal.close()
    return path
  }

  static func bytes(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path) ?? Data())
  }

  static func lines(_ path: String) -> [String] {
    String(decoding: bytes(path), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
  }

  static func write(_ bytes: [UInt8], to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
  }

  static func appendBytes(_ bytes: [UInt8], to path: String) {
    let handle = FileHandle(forWritingAtPath: path)!
    handle.seekToEndOfFile()
    handle.write(Data(bytes))
    try? handle.close()
  }

  static func sha256(_ line: String) -> String { JournalCoding.sha256(Array(line.utf8)) }

  static func kind(_ body: () throws -> Void) -> StoreError.Kind? {
    do {
      try body()
    } catch let error as StoreError {
      return error.kind
    } catch {
      return nil
    }
    return nil
  }
}

@Suite struct JournalTests {
  @Test func createAppendReadRoundTrip() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = dir.appendingPathComponent("state.jsonl").path
    let journal = try Journal.create(at: path, header: JournalFixture.header(), lock: JournalFixture.lock())
    let first = try journal.append(
      Event(type: .started, at: JournalFixture.date, operator: "alice", host: "laptop", pid: 7))
    let second = try journal.append(JournalFixture.event(1))
    journal.close()

    #expect(first.seq == 1)
    #expect(second.seq == 2)
    let lines = JournalFixture.lines(path)
    #expect(lines.count == 4 && lines[3].isEmpty)
    #expect(first.prev == JournalFixture.sha256(lines[0]))
    #expect(second.prev == JournalFixture.sha256(lines[1]))
    #expect(
      lines[1].hasPrefix(
        #"{"at":"2026-11-28T10:15:30.123Z","host":"laptop","operator":"alice","pid":7,"prev":""#))
    #expect(!lines[1].contains("value") && !lines[1].contains("step"))
    #expect(
      lines[0].hasPrefix(
        #"{"created":"2026-11-28T10:15:30.123Z","format":"runbook-state","operator":"alice","#))
    #expect(lines[0].contains(#""path":"guides/deploy.md""#))

    let contents = try Journal.read(at: path)
    #expect(contents.header == JournalFixture.header())
    #expect(contents.events == [first, second])
    #expect(contents.events[1].at == JournalFixture.date.addingTimeInterval(1))
    #expect(contents.warnings.isEmpty)
  }

  @Test func theHeaderIsReadFromTheFirstLineAlone() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 3)
    let store = FileStore(stateDirectory: dir.path)
    #expect(try store.header(of: RunID(path)) == JournalFixture.header())
    // A header longer than one piece of the read, with a broken event after it: only line 1 counts.
    var long = JournalFixture.header()
    long.steps = (0..<400).map { .init(id: "step-\($0)", fingerprint: String(repeating: "c", count: 64)) }
    let longPath = dir.appendingPathComponent("long.state.jsonl").path
    try Journal.create(at: longPath, header: long, lock: JournalFixture.lock()).close()
    JournalFixture.write(JournalFixture.bytes(longPath) + Array("not an event\n".utf8), to: longPath)
    #expect(JournalFixture.bytes(longPath).count > 4096 * 8)
    #expect(try store.header(of: RunID(longPath)) == long)
    // What cannot be a run says so as reading it would.
    let torn = dir.appendingPathComponent("torn.state.jsonl").path
    JournalFixture.write(Array(JournalFixture.bytes(path).prefix(40)), to: torn)
    #expect(JournalFixture.kind { _ = try store.header(of: RunID(torn)) } == .notAStateFile)
    let unfinished = dir.appendingPathComponent("unfinished.state.jsonl").path
    JournalFixture.write(Array(JournalFixture.lines(path)[0].utf8), to: unfinished)
    #expect(JournalFixture.kind { _ = try store.header(of: RunID(unfinished)) } == .damaged(line: 1))
    #expect(
      JournalFixture.kind { _ = try store.header(of: RunID(unfinished)) }
        == JournalFixture.kind { _ = try store.read(RunID(unfinished)) })
    let missing = dir.appendingPathComponent("missing.state.jsonl").path
    #expect(JournalFixture.kind { _ = try store.header(of: RunID(missing)) } == .notFound)
  }

  @Test func datesAreStoredAtMillisecondPrecision() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 0)
    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    let at = Date(timeIntervalSince1970: 1_795_860_930.123_456)
    let appended = try journal.append(Event(type: .note, at: at, operator: "alice", text: "hi"))
    journal.close()
    #expect(JournalDateFormat.timestamp(appended.at) == "2026-11-28T10:15:30.123Z")
    #expect(try Journal.read(at: path).events == [appended])
  }

  @Test func dateFormats() {
    let date = JournalFixture.date
    #expect(JournalDateFormat.timestamp(date) == "2026-11-28T10:15:30.123Z")
    #expect(JournalDateFormat.seconds(date) == "2026-11-28T10:15:30Z")
    #expect(JournalDateFormat.compact(date) == "20261128T101530Z")
    #expect(JournalDateFormat.parse("2026-11-28T10:15:30Z") == Date(timeIntervalSince1970: 1_795_860_930))
    #expect(JournalDateFormat.parse("2024-02-29T00:00:00.5Z") == Date(timeIntervalSince1970: 1_709_164_800.5))
    #expect(JournalDateFormat.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    #expect(JournalDateFormat.parse("2026-11-28T10:15:30+01:00") == nil)
    #expect(JournalDateFormat.parse("2026-02-30T10:15:30Z") == nil)
    #expect(JournalDateFormat.parse("2026-11-28T10:15:30.Z") == nil)
  }

  /// The journal's own date writer and reader agree with Foundation's ISO 8601 formatter on any
  /// date from 1583 to 9999, before and after 1970.
  @Test func datesMatchFoundationAndRoundTrip() {
    let foundation = ISO8601DateFormatter()
    foundation.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    var generator = SystemRandomNumberGenerator()
    // Early 1583 … 9999-12-31, in ms: before the Gregorian reform Foundation counts in the Julian
    // calendar, and the journal (like ISO 8601) in the proleptic Gregorian one.
    let bounds = (-12_219_292_800_000 + 86_400_000 * 80, 253_402_300_799_999)
    for _ in 0..<2_000 {
      let ms = Int.random(in: bounds.0...bounds.1, using: &generator)
      let date = Date(timeIntervalSince1970: Double(ms) / 1000)
      let written = JournalDateFormat.timestamp(date)
      #expect(written == foundation.string(from: date), "\(ms)")
      #expect(JournalDateFormat.parse(written) == JournalDateFormat.rounded(date), "\(written)")
    }
  }

  @Test func createdFileHasMode0600() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = dir.appendingPathComponent("new/sub/state.jsonl").path
    let journal = try Journal.create(at: path, header: JournalFixture.header(), lock: JournalFixture.lock())
    defer { journal.close() }
    let mode = { (p: String) in
      ((try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions]) as? Int) ?? -1
    }
    #expect(mode(path) == 0o600)
    #expect(mode(path + ".runbook-lock") == 0o600)
    #expect(mode(dir.appendingPathComponent("new/sub").path) == 0o700)
  }

  @Test func createRefusesAnExistingFile() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 1)
    let before = JournalFixture.bytes(path)
    let kind = JournalFixture.kind {
      _ = try Journal.create(at: path, header: JournalFixture.header(), lock: JournalFixture.lock())
    }
    #expect(kind == .alreadyExists)
    #expect(JournalFixture.bytes(path) == before)
  }

  @Test func appendsSurviveReopen() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 2)
    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    #expect(journal.events.count == 2)
    #expect(journal.recovered == nil)
    let third = try journal.append(JournalFixture.event(2))
    #expect(third.seq == 3)
    #expect(third.prev == JournalFixture.sha256(JournalFixture.lines(path)[2]))
    journal.close()
    let reopened = try Journal.open(at: path, lock: JournalFixture.lock())
    defer { reopened.close() }
    #expect(reopened.events.map(\.seq) == [1, 2, 3])
    #expect(reopened.events.last == third)
    #expect(reopened.chainHead == JournalFixture.sha256(JournalFixture.lines(path)[3]))
  }

  @Test("append works on a long journal", arguments: [10, 10_000])
  func appendToJournalOfSize(_ count: Int) throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 0)
    // Build the events directly: 10,000 fsynced appends would make the test slow.
    let encoder = JournalCoding.makeEncoder()
    var previous = JournalFixture.lines(path)[0]
    var text = ""
    for n in 1...count {
      var event = JournalFixture.event(n)
      event.seq = n
      event.prev = JournalFixture.sha256(previous)
      previous = String(decoding: JournalCoding.line(event, encoder: encoder)!, as: UTF8.self)
      text += previous + "\n"
    }
    JournalFixture.appendBytes(Array(text.utf8), to: path)

    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    #expect(journal.events.count == count)
    let next = try journal.append(JournalFixture.event(0))
    journal.close()
    #expect(next.seq == count + 1)
    #expect(next.prev == JournalFixture.sha256(previous))
    let result = Journal.verify(at: path)
    #expect(result.ok && result.events == count + 1)
  }

  @Test func failedWriteLeavesTheJournalUnchanged() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 2)
    let before = JournalFixture.bytes(path)
    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    defer { journal.close() }
    // Writes half of what is asked until little is left, then reports a full disk.
    journal.writer = { fd, buffer in
      if buffer.count >= 8 { return write(fd, buffer.baseAddress, buffer.count / 2) }
      errno = ENOSPC
      return -1
    }
    var thrown: StoreError?
    do {
      try journal.append(JournalFixture.event(3))
    } catch {
      thrown = error
    }
    #expect(thrown?.kind == .writeFailed)
    #expect(
      thrown?.description == "cannot write \(path): No space left on device; disk full? "
        + "The journal is unchanged; free space and resume")
    #expect(JournalFixture.bytes(path) == before)
    #expect(journal.events.count == 2)

    journal.writer = POSIXFile.systemWrite
    #expect(try journal.append(JournalFixture.event(3)).seq == 3)
    #expect(Journal.verify(at: path).ok)
  }

  @Test func appendAfterCloseFails() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 0)
    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    journal.close()
    #expect(JournalFixture.kind { try journal.append(JournalFixture.event(1)) } == .writeFailed)
  }
}
