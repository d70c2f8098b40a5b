import Foundation
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct JournalLockTests {
  @Test func secondOpenIsRefusedWhileTheFirstHoldsTheLock() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 1)
    let first = try Journal.open(at: path, lock: JournalFixture.lock("alice", pid: 4242, host: "laptop"))

    var thrown: StoreError?
    do {
      _ = try Journal.open(at: path, lock: JournalFixture.lock("bob", pid: 77, host: "desk"))
    } catch {
      thrown = error
    }
    #expect(thrown?.kind == .inUse(JournalFixture.lock("alice", pid: 4242, host: "laptop")))
    #expect(
      thrown?.description == "\(path) is in use by alice (pid 4242 on laptop) since 2026-11-28T10:15:30Z")
    #expect(
      JournalFixture.kind {
        _ = try Journal.create(at: path + "2", header: JournalFixture.header(), lock: JournalFixture.lock())
      } == nil)

    first.close()
    let second = try Journal.open(at: path, lock: JournalFixture.lock("bob", pid: 77, host: "desk"))
    #expect(second.events.count == 1)
    second.close()
  }

  @Test func readDoesNotNeedTheLock() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 1)
    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    defer { journal.close() }
    #expect(try Journal.read(at: path).events.count == 1)
    #expect(Journal.verify(at: path).ok)
  }

  @Test func lockLeftByAKilledProcessDoesNotBlock() throws {
    let dir = JournalFixture.directory()
    defer { JournalFixture.remove(dir) }
    let path = try JournalFixture.makeState(in: dir, events: 1)
    let lockPath = path + ".runbook-lock"
    let stale = JournalFixture.lock("bob", pid: 99, host: "ghost")
    let info = try JournalCoding.makeEncoder().encode(stale)
    JournalFixture.write([UInt8](info), to: lockPath)

    // The shell locks the file on fd 9, then becomes `sleep` (same pid), which keeps the lock.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/bin/sh")
    holder.arguments = ["-c", #"exec 9>>"$1" && flock -x 9 && echo locked && exec sleep 60"#, "sh", lockPath]
    let output = Pipe()
    holder.standardOutput = output
    try holder.run()
    let ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    #expect(ready == "locked\n")

    var thrown: StoreError?
    do {
      _ = try Journal.open(at: path, lock: JournalFixture.lock())
    } catch {
      thrown = error
    }
    #expect(thrown?.kind == .inUse(stale))

    kill(holder.processIdentifier, SIGKILL)
    holder.waitUntilExit()
    #expect(holder.terminationReason == .uncaughtSignal)

    let journal = try Journal.open(at: path, lock: JournalFixture.lock())
    #expect(journal.events.count == 1)
    journal.close()
    let written = try JournalCoding.makeDecoder().decode(
      LockInfo.self, from: Data(JournalFixture.bytes(lockPath)))
    #expect(written == JournalFixture.lock())
  }
}
