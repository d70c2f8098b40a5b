import Foundation
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct JournalValidationTests {
  private func error(_ body: () throws -> Void) -> StoreError? {
    do {
      try body()
    } catch let error as StoreError {
      return error
    } catch {
      return nil
    }
    return nil
  }

  @Test func missingFile() {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = dir.appendingPathComponent("none.jsonl").path
    #expect(error { _ = try Journal.read(at: path) }?.kind == .notFound)
    #expect(error { _ = try Journal.open(at: path, lock: JournalFixture.lock()) }?.kind == .notFound)
    #expect(!FileManager.default.fileExists(atPath: path + ".runbook-lock"))
  }

  @Test func emptyFileIsNotAStateFile() {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = dir.appendingPathComponent("state.jsonl").path
    JournalFixture.write([], to: path)
    let thrown = error { _ = try Journal.open(at: path, lock: JournalFixture.lock()) }
    #expect(thrown?.kind == .notAStateFile)
    #expect(thrown?.description == "\(path) is not a runbook state file")
    #expect(JournalFixture.bytes(path).isEmpty)
  }

  @Test(arguments: ["# Deploy\n\nSome markdown.\n", "[1, 2]\n", #"{"format":"other","version":1}"# + "\n"])
  func otherFilesAreNotStateFiles(_ text: String) {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = dir.appendingPathComponent("state.jsonl").path
    JournalFixture.write(Array(text.utf8), to: path)
    #expect(error { _ = try Journal.read(at: path) }?.kind == .notAStateFile)
    #expect(error { _ = try Journal.open(at: path, lock: JournalFixture.lock()) }?.kind == .notAStateFile)
    #expect(JournalFixture.bytes(path) == Array(text.utf8))
  }

  @Test func newerVersionIsRefused() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 1)
    var lines = JournalFixture.lines(path)
    lines[0] = lines[0].replacingOccurrences(of: #""version":1"#, with: #""version":2"#)
    JournalFixture.write(Array(lines.joined(separator: "\n").utf8), to: path)
    let thrown = error { _ = try Journal.open(at: path, lock: JournalFixture.lock()) }
    #expect(thrown?.kind == .newerVersion(2))
    #expect(
      thrown?.description == "\(path) was written by a newer runbook (state version 2); upgrade runbook")
  }

  @Test func symlinkIsRefused() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let real = try JournalFixture.makeState(in: dir, events: 1)
    let link = dir.appendingPathComponent("link.jsonl").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
    let thrown = error { _ = try Journal.open(at: link, lock: JournalFixture.lock()) }
    #expect(thrown?.kind == .symlink)
    #expect(thrown?.description == "\(link) is a symbolic link; give the real path of the state file")
    #expect(error { _ = try Journal.read(at: link) }?.kind == .symlink)
    #expect(
      error {
        _ = try Journal.create(at: link, header: JournalFixture.header(), lock: JournalFixture.lock())
      }?
      .kind == .symlink)
  }

  @Test func directoryIsRefused() {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    #expect(error { _ = try Journal.open(at: dir.path, lock: JournalFixture.lock()) }?.kind == .notAStateFile)
    #expect(error { _ = try Journal.read(at: dir.path) }?.kind == .notAStateFile)
  }

  // Root ignores directory permissions, so this only runs as an ordinary user;
  // `createInUnwritableProcDirectory` covers the same path for root.
  @Test(.enabled(if: getuid() != 0, "root ignores directory permissions"))
  func createInReadOnlyDirectory() {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    chmod(dir.path, 0o500)
    let path = dir.appendingPathComponent("state.jsonl").path
    let thrown = error {
      _ = try Journal.create(at: path, header: JournalFixture.header(), lock: JournalFixture.lock())
    }
    #expect(thrown?.kind == .notWritable)
    #expect(
      thrown?.description == "cannot create \(path): directory not writable; choose another with --state")
  }

  @Test func createInUnwritableProcDirectory() {
    let path = "/proc/self/runbook-state.jsonl"
    let thrown = error {
      _ = try Journal.create(at: path, header: JournalFixture.header(), lock: JournalFixture.lock())
    }
    #expect(thrown?.kind == .notWritable)
    #expect(
      thrown?.description == "cannot create \(path): directory not writable; choose another with --state")
  }
}
