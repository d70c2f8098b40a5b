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
  fileprivate let decoder = JournalCoding.makeDecoder()

  init(path: String) { self.path = path }

  func parse(_ bytes: [UInt8]) throws(Failure) -> Parsed {
    var events: [Event] = []
    // Headroom: with exactly enough room, the first append after opening a long journal copies
    // every event into a new buffer, a cost that grows with the history.
    let lines = bytes.withUnsafeBytes { raw in
      var count = 0
      var start = 0
      while start < raw.count, let found = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) {
        count += 1
        start = raw.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
      }
      return count
    }
    events.reserveCapacity(lines + max(64, lines / 4))
    var checker = Checker(parser: self)
    var reader = LineReader()
    let checked: Result<Int, Failure> = bytes.withUnsafeBytes { raw in
      do throws(Failure) {
        return .success(
          try Self.forEachLine(in: raw, final: true) { text, terminated throws(Failure) in
            try checker.check(reader.read(text, terminated: terminated)) { events.append($0) }
          })
      } catch {
        return .failure(error)
      }
    }
    _ = try checked.get()
    let header = try checker.finish()
    return Parsed(
      header: header, events: events, goodLength: checker.goodLength, chainHead: checker.chainHead,
      tail: checker.tail)
  }

  /// Reads the state file open at `fd` from its start in pieces of `chunk` bytes and checks it
  /// like ``parse(_:)``, handing each event to `each` instead of keeping them: memory does not
  /// grow with the journal. Returns what ``parse(_:)`` does, without the events.
  ///
  /// Reading, hashing and decoding lines (two thirds of the work) go ahead on a thread of their
  /// own, a few pieces at most; the checks and `each` follow in order on the caller's.
  func fold(_ fd: Int32, chunk: Int = 1 << 16, _ each: (Event) -> Void) throws(Failure) -> Parsed {
    let pieces = PieceQueue()
    let readAhead = Prefetch { Self.read(fd, chunk: chunk, into: pieces) }
    defer {
      pieces.stop()
      _ = readAhead.value
    }
    var checker = Checker(parser: self)
    reading: while true {
      switch pieces.next() {
      case .lines(let lines):
        // Through the buffer: each line is read in place, where `for line in lines` copies it
        // out (a retain and a release of every string of its event).
        try lines.withUnsafeBufferPointer { (lines) throws(Failure) in
          for index in lines.indices { try checker.check(lines[index], each) }
        }
      case .unreadable(let message):
        throw fail(.unreadable(path, message), nil, checker.events)
      case .end:
        break reading
      }
    }
    let header = try checker.finish()
    return Parsed(
      header: header, events: [], goodLength: checker.goodLength, chainHead: checker.chainHead,
      tail: checker.tail)
  }

  /// Reads the file open at `fd` into `pieces`, line by line, until its end, an error, or until
  /// the reader stops.
  private static func read(_ fd: Int32, chunk: Int, into pieces: PieceQueue) {
    var reader = LineReader()
    // One buffer, reused: a piece is read after what is left of the last one (a line cut in
    // two), and the buffer grows only for a line longer than itself. A small buffer stays in
    // the cache; one the size of the journal cost page faults and copies.
    var buffer = [UInt8](repeating: 0, count: max(1, chunk))
    var kept = 0
    var offset = 0
    while true {
      if kept == buffer.count { buffer += repeatElement(0, count: buffer.count) }
      let n = buffer.withUnsafeMutableBytes {
        pread(fd, $0.baseAddress! + kept, $0.count - kept, off_t(offset))
      }
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else {
        _ = pieces.put(.unreadable(POSIXFile.Errno(errno).message))
        return
      }
      offset += n
      let filled = kept + n
      var lines: [ReadLine] = []
      let used = buffer.withUnsafeBytes { raw in
        Self.forEachLine(in: UnsafeRawBufferPointer(rebasing: raw[..<filled]), final: n == 0) {
          text, terminated in
          lines.append(reader.read(text, terminated: terminated))
        }
      }
      kept = filled - used
      if kept > 0 {
        buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + used, kept) }
      }
      guard pieces.put(.lines(lines)), n > 0 else { break }
    }
    _ = pieces.put(.end)
  }

  /// Calls `body` with each line of `bytes` (without its newline) and whether a newline ended
  /// it; the unterminated rest too when `final`. Returns how many bytes it used: the rest
  /// belongs to a line that continues.
  private static func forEachLine<E: Error>(
    in bytes: UnsafeRawBufferPointer, final: Bool,
    _ body: (UnsafeBufferPointer<UInt8>, Bool) throws(E) -> Void
  ) throws(E) -> Int {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
    var start = 0
    while start < bytes.count {
      guard let found = memchr(base + start, 0x0A, bytes.count - start) else { break }
      let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      try body(UnsafeBufferPointer(start: base + start, count: newline - start), true)
      start = newline + 1
    }
    if final, start < bytes.count {
      try body(UnsafeBufferPointer(start: base + start, count: bytes.count - start), false)
      start = bytes.count
    }
    return start
  }

  /// A line read and decoded but not yet checked: what can be done without the lines before it.
  struct ReadLine: Sendable {
    var length: Int
    var terminated: Bool
    /// The event, when the line is one (never for line 1, the header, or an unterminated line).
    var event: Event?
    /// The line's bytes, kept only when they are not an event.
    var bytes: [UInt8]
    var sha256: String
  }

  /// Numbers, decodes and hashes lines one after the other.
  struct LineReader {
    private var number = 0
    private let decoder = JournalCoding.makeDecoder()

    mutating func read(_ text: UnsafeBufferPointer<UInt8>, terminated: Bool) -> ReadLine {
      number += 1
      let event =
        number > 1 && terminated
        ? EventDecoder.decode(text) ?? (try? decoder.decode(Event.self, from: Data(buffer: text))) : nil
      return ReadLine(
        length: text.count, terminated: terminated, event: event, bytes: event == nil ? Array(text) : [],
        sha256: JournalCoding.sha256(UnsafeRawBufferPointer(text)))
    }
  }

  /// Pieces of a journal read ahead by one thread for another: at most `capacity` wait, so
  /// memory does not grow with the journal.
  final class PieceQueue: @unchecked Sendable {
    enum Piece: Sendable {
      case lines([ReadLine])
      case unreadable(String)
      case end
    }

    private let condition = NSCondition()
    private let capacity = 4
    /// Guarded by `condition`.
    private var waiting: [Piece] = []
    private var stopped = false

    /// Waits for room; false when the reader has stopped (nothing more is wanted).
    func put(_ piece: Piece) -> Bool {
      condition.lock()
      defer { condition.unlock() }
      while waiting.count >= capacity && !stopped { condition.wait() }
      guard !stopped else { return false }
      waiting.append(piece)
      condition.broadcast()
      return true
    }

    /// Waits for the next piece.
    func next() -> Piece {
      condition.lock()
      defer { condition.unlock() }
      while waiting.isEmpty { condition.wait() }
      let piece = waiting.removeFirst()
      condition.broadcast()
      return piece
    }

    /// Nothing more is wanted: a waiting or later `put` returns false.
    func stop() {
      condition.lock()
      stopped = true
      waiting.removeAll()
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Checks lines one after the other: the header, then events whose sequence numbers and
  /// hashes must follow on. A line that is not an event is a torn or garbled last line only if
  /// nothing follows it; otherwise the file is damaged there.
  struct Checker {
    let parser: JournalParser
    var header: JournalHeader?
    /// Events checked so far.
    var events = 0
    var chainHead = ""
    /// Bytes up to and including the newline of the last good line.
    var goodLength = 0
    var tail: Tail?
    /// Lines seen so far, and the bytes they took.
    private var lineCount = 0
    private var consumed = 0
    /// A complete line that is not an event: fine only if it is the last one.
    private var garbled: (line: Int, bytes: [UInt8])?

    init(parser: JournalParser) { self.parser = parser }

    mutating func check(_ line: ReadLine, _ each: (Event) -> Void) throws(Failure) {
      lineCount += 1
      let number = lineCount
      consumed += line.length + (line.terminated ? 1 : 0)
      guard header != nil else {
        header = try parser.header(line.bytes, terminated: line.terminated)
        chainHead = line.sha256
        goodLength = consumed
        return
      }
      if let garbled {
        throw parser.fail(
          .damaged(parser.path, line: garbled.line), "line \(garbled.line) is not a valid event", events)
      }
      guard let event = line.event else {
        if line.terminated {
          garbled = (number, line.bytes + [0x0A])
        } else {
          tail = Tail(line: number, bytes: ArraySlice(line.bytes), torn: true)
        }
        return
      }
      let expected = events + 1
      guard event.seq == expected else {
        throw parser.fail(
          .damaged(parser.path, line: number),
          "line \(number) has seq \(event.seq) where \(expected) was expected "
            + "(a line was removed, added or reordered)", events)
      }
      guard event.prev == chainHead else {
        throw parser.fail(
          .damaged(parser.path, line: number - 1),
          "line \(number - 1) was altered (line \(number) records a different hash)", max(0, events - 1))
      }
      events += 1
      chainHead = line.sha256
      goodLength = consumed
      each(event)
    }

    /// The header, once every line has been seen; a garbled last line becomes the tail.
    mutating func finish() throws(Failure) -> JournalHeader {
      guard let header else { throw parser.fail(.notAStateFile(parser.path), nil, 0) }
      if let garbled { tail = Tail(line: garbled.line, bytes: ArraySlice(garbled.bytes), torn: false) }
      return header
    }
  }

  /// The header line `data` (without its newline), checked: format, version, fields.
  func header(_ line: [UInt8], terminated: Bool) throws(Failure) -> JournalHeader {
    try header(Data(line), terminated: terminated)
  }

  private func header(_ data: Data, terminated: Bool) throws(Failure) -> JournalHeader {
    guard let probe = try? decoder.decode(Probe.self, from: data), probe.format == JournalHeader.formatName
    else { throw fail(.notAStateFile(path), nil, 0) }
    if let version = probe.version, version > JournalHeader.currentVersion {
      throw fail(.newerVersion(path, version: version), nil, 0)
    }
    guard terminated, probe.version == JournalHeader.currentVersion,
      let header = try? decoder.decode(JournalHeader.self, from: data)
    else { throw fail(.damaged(path, line: 1), "line 1 is not a valid header", 0) }
    return header
  }

  fileprivate func fail(_ error: StoreError, _ problem: String?, _ checked: Int) -> Failure {
    Failure(error: error, problem: problem, checkedEvents: checked)
  }
}
