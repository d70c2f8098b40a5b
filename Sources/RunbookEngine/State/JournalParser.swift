import Foundation

/// Splits a state file's bytes into its header and events, checking the format, the sequence
/// numbers and the hash chain. Only the last line may be bad without the file being damaged.
struct JournalParser {
  /// A state file that checked out.
  struct Parsed {
    var header: JournalHeader
    var events: [Event]
    /// Bytes up to and including the newline of the last good line.
    var goodLength: Int
    /// SHA-256 of the last good line.
    var chainHead: String
    var tail: Tail?
  }

  /// A last line that is not an event: torn (no newline) or garbled.
  struct Tail {
    var line: Int
    var bytes: ArraySlice<UInt8>
    var torn: Bool

    var warning: String {
      "line \(line) is \(torn ? "incomplete" : "not a valid event") (a crash mid-write?); "
        + "it was ignored, and resuming the run sets it aside"
    }
  }

  /// Why the file was refused, with a sentence for `verify`.
  struct Failure: Error {
    var error: StoreError
    var problem: String?
    var checkedEvents: Int
  }

  private struct Probe: Decodable {
    var format: String?
    var version: Int?
  }

  let path: String
  private let decoder = JournalCoding.makeDecoder()

  init(path: String) { self.path = path }

  func parse(_ bytes: [UInt8]) throws(Failure) -> Parsed {
    var lines: [(range: Range<Int>, terminated: Bool)] = []
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var start = 0
      while start < buffer.count {
        if let found = memchr(base + start, 0x0A, buffer.count - start) {
          let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
          lines.append((start..<newline, true))
          start = newline + 1
        } else {
          lines.append((start..<buffer.count, false))
          start = buffer.count
        }
      }
    }
    guard let first = lines.first else {
      throw fail(.notAStateFile(path), nil, 0)
    }

    let headerBytes = bytes[first.range]
    guard let probe = try? decoder.decode(Probe.self, from: Data(headerBytes)),
      probe.format == JournalHeader.formatName
    else { throw fail(.notAStateFile(path), nil, 0) }
    if let version = probe.version, version > JournalHeader.currentVersion {
      throw fail(.newerVersion(path, version: version), nil, 0)
    }
    guard first.terminated, probe.version == JournalHeader.currentVersion,
      let header = try? decoder.decode(JournalHeader.self, from: Data(headerBytes))
    else { throw fail(.damaged(path, line: 1), "line 1 is not a valid header", 0) }

    let count = lines.count - 1
    var events: [Event] = []
    // Headroom: with exactly enough room, the first append after opening a long journal copies
    // every event into a new buffer, a cost that grows with the history.
    events.reserveCapacity(count + max(64, lines.count / 4))
    var chainHead = JournalCoding.sha256(headerBytes)
    var goodLength = first.range.upperBound + 1
    for k in 0..<count {
      let line = lines[k + 1]
      let number = k + 2
      let text = bytes[line.range]
      guard line.terminated, let event = try? decoder.decode(Event.self, from: Data(text)) else {
        if k == count - 1 {
          let tail = Tail(line: number, bytes: bytes[goodLength...], torn: !line.terminated)
          return Parsed(
            header: header, events: events, goodLength: goodLength, chainHead: chainHead, tail: tail)
        }
        throw fail(.damaged(path, line: number), "line \(number) is not a valid event", events.count)
      }
      let expected = events.count + 1
      guard event.seq == expected else {
        throw fail(
          .damaged(path, line: number),
          "line \(number) has seq \(event.seq) where \(expected) was expected "
            + "(a line was removed, added or reordered)", events.count)
      }
      guard event.prev == chainHead else {
        throw fail(
          .damaged(path, line: number - 1),
          "line \(number - 1) was altered (line \(number) records a different hash)",
          max(0, events.count - 1))
      }
      events.append(event)
      chainHead = JournalCoding.sha256(text)
      goodLength = line.range.upperBound + 1
    }
    return Parsed(header: header, events: events, goodLength: goodLength, chainHead: chainHead, tail: nil)
  }

  private func fail(_ error: StoreError, _ problem: String?, _ checked: Int) -> Failure {
    Failure(error: error, problem: problem, checkedEvents: checked)
  }
}
