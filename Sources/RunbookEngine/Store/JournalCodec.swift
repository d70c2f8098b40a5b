import Foundation

/// The state file's line format for stores outside this module: the header and event lines
/// exactly as ``Journal`` writes them (sorted keys, millisecond UTC times, the hash chain), and
/// the checks ``Journal`` makes when it reads them. A store that keeps these lines keeps the
/// same journal, so `verify`, `status` and the report read it the same way.
public struct JournalCodec {
  private let encoder = JournalCoding.makeEncoder()

  public init() {}

  /// The header as stored (its time rounded to the millisecond) and its line, without the
  /// newline; nil if it cannot be encoded.
  public func headerLine(_ header: JournalHeader) -> (header: JournalHeader, line: [UInt8])? {
    var header = header
    header.created = JournalDateFormat.rounded(header.created)
    return JournalCoding.line(header, encoder: encoder).map { (header, $0) }
  }

  /// The event as appended after `seq - 1` events whose last line hashes to `prev`, and its
  /// line without the newline; nil if it cannot be encoded.
  public func eventLine(_ event: Event, seq: Int, prev: String) -> (event: Event, line: [UInt8])? {
    JournalCoding.chain(event, seq: seq, prev: prev, encoder: encoder).map { ($0.0, $0.1) }
  }

  /// Lowercase hex SHA-256 of a line's bytes (without its newline): the next event's `prev`.
  public static func sha256(_ line: [UInt8]) -> String { JournalCoding.sha256(line) }

  /// A journal read from the bytes of a state file.
  public struct Parsed: Sendable {
    public var contents: JournalContents
    /// The SHA-256 of the last good line.
    public var chainHead: String
    /// The bytes up to and including the newline of the last good line; less than the whole
    /// when the last line is torn or garbled (then ``JournalContents/warnings`` says so).
    public var goodLength: Int
  }

  /// Reads the bytes of a state file (`name` is how errors name the run) with the checks of
  /// ``Journal/read(at:)``: format, version, sequence numbers and hash chain.
  public static func parse(_ bytes: [UInt8], name: String) throws(StoreError) -> Parsed {
    do throws(JournalParser.Failure) {
      let parsed = try JournalParser(path: name).parse(bytes)
      return Parsed(
        contents: JournalContents(
          header: parsed.header, events: parsed.events, warnings: parsed.tail.map { [$0.warning] } ?? []),
        chainHead: parsed.chainHead, goodLength: parsed.goodLength)
    } catch {
      throw error.error
    }
  }

  /// Reads a header line (without its newline) with the checks of ``Journal/header(at:)``.
  public static func header(_ line: [UInt8], name: String) throws(StoreError) -> JournalHeader {
    do throws(JournalParser.Failure) {
      return try JournalParser(path: name).header(line, terminated: true)
    } catch {
      throw error.error
    }
  }

  /// Checks the bytes of a state file like ``Journal/verify(at:)``, naming lines the same way.
  public static func verify(_ bytes: [UInt8], name: String) -> VerifyResult {
    do throws(JournalParser.Failure) {
      let parsed = try JournalParser(path: name).parse(bytes)
      return VerifyResult(
        ok: true, chainHead: parsed.chainHead, events: parsed.events.count,
        warnings: parsed.tail.map { [$0.warning] } ?? [])
    } catch {
      return VerifyResult(
        ok: false, chainHead: nil, events: error.checkedEvents,
        problem: error.problem ?? error.error.description)
    }
  }
}
