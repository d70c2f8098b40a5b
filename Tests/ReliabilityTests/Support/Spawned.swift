import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The built `runbook` started in the background, for tests that signal it while it runs or
/// give it a standard output that fails. Its output is collected as it comes; ``stop()`` (call it
/// in a `defer`) kills it if it is still running.
///
/// Started with posix_spawn rather than Foundation's `Process`, which learns that a child ended
/// from a socket the child inherits: a command that runbook started (and that outlives it, after
/// kill -9) inherits it too, and `Process` would wait for the command.
final class Spawned: @unchecked Sendable {
  let pid: pid_t
  private let lock = NSLock()
  private var out: [UInt8] = []
  private var err: [UInt8] = []
  private var status: Int32?
  private let input: Int32
  private let readers = DispatchGroup()

  /// Where standard output goes: a pipe the test reads, or a file descriptor it chose
  /// (`/dev/full`, a pipe whose reading end is closed).
  enum Output {
    case collected
    case descriptor(Int32)
  }

  /// Starts `runbook ARGS` in `directory` with `NO_COLOR=1`; standard input is a pipe the test
  /// writes to with ``send(_:)`` when `stdin`, else /dev/null.
  init(
    _ arguments: [String], directory: String, output: Output = .collected, stdin: Bool = false,
    environment: [String: String] = [:]
  ) throws {
    func pipe() -> (read: Int32, write: Int32) {
      var fds: [Int32] = [0, 0]
      _ = testPipe2(&fds, O_CLOEXEC)
      return (fds[0], fds[1])
    }
    let errPipe = pipe()
    let outPipe: (read: Int32, write: Int32)? = if case .collected = output { pipe() } else { nil }
    let inPipe: (read: Int32, write: Int32)? = stdin ? pipe() : nil
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let inPipe {
      posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    switch output {
    case .collected: posix_spawn_file_actions_adddup2(&actions, outPipe!.write, 1)
    case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, 1)
    }
    posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)
    _ = testAddChdir(&actions, directory)
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    let argv = [RunbookProcess.executable.path] + arguments
    let envp = env.map { "\($0.key)=\($0.value)" }
    var pid: pid_t = 0
    let result = withCStrings(argv) { argv in
      withCStrings(envp) { envp in posix_spawn(&pid, argv[0]!, &actions, nil, argv, envp) }
    }
    for fd in [errPipe.write, outPipe?.write, inPipe?.read].compactMap({ $0 }) { close(fd) }
    guard result == 0 else {
      for fd in [errPipe.read, outPipe?.read, inPipe?.write].compactMap({ $0 }) { close(fd) }
      throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
    }
    self.pid = pid
    input = inPipe?.write ?? -1
    for (fd, isError) in [(errPipe.read, true), (outPipe?.read, false)] {
      guard let fd else { continue }
      readers.enter()
      Thread { [self] in
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
          let n = read(fd, &buffer, buffer.count)
          if n < 0, errno == EINTR { continue }
          if n <= 0 { break }
          lock.withLock {
            if isError { err += buffer[..<n] } else { out += buffer[..<n] }
          }
        }
        close(fd)
        readers.leave()
      }.start()
    }
  }

  /// Writes `text` to the program's standard input.
  func send(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(input, $0.baseAddress, $0.count) }
  }

  var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
  var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

  func signal(_ signal: Int32) { kill(pid, signal) }

  /// Waits until `condition` holds, polling; false at the deadline.
  @discardableResult static func wait(
    seconds: TimeInterval, until condition: () -> Bool
  ) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      usleep(20_000)
    }
    return condition()
  }

  /// Reaps the program if it has ended; its exit status, or 128 + the signal that killed it.
  private func reap(blocking: Bool) -> Int32? {
    lock.withLock {
      if let status { return status }
      var raw: Int32 = 0
      guard waitpid(pid, &raw, blocking ? 0 : WNOHANG) == pid else { return nil }
      status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
      return status
    }
  }

  /// Waits for the program to end and returns its exit status (128 + the signal when a signal
  /// killed it); nil if it is still running after `seconds`. Output that its own children still
  /// hold open is not waited for.
  func exitStatus(within seconds: TimeInterval) -> Int32? {
    var status: Int32?
    let ended = Self.wait(seconds: seconds) {
      status = reap(blocking: false)
      return status != nil
    }
    guard ended else { return nil }
    _ = readers.wait(timeout: .now() + 2)
    return status
  }

  /// Kills the program if it still runs, and reaps it.
  func stop() {
    if input >= 0 { close(input) }
    if reap(blocking: false) == nil {
      kill(pid, SIGKILL)
      _ = reap(blocking: true)
    }
    _ = readers.wait(timeout: .now() + 5)
  }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
  var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
  pointers.append(nil)
  defer { for pointer in pointers { free(pointer) } }
  return body(pointers)
}

/// glibc's posix_spawn_file_actions_addchdir_np, which the Glibc module does not export.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func testAddChdir(
  _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>
) -> Int32

/// glibc's pipe2(2), which the Glibc module does not export.
@_silgen_name("pipe2")
func testPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// Process groups a test started commands in, killed when it ends whatever happened.
final class ProcessGroups: @unchecked Sendable {
  private var groups: [pid_t] = []

  /// Reads a process group id a command wrote to `file` (its shell's `$$`: commands run in their
  /// own group, led by the shell) and remembers it for ``killAll()``.
  func read(_ file: String) -> pid_t? {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8),
      let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    else { return nil }
    groups.append(pid)
    return pid
  }

  /// The processes of group `pgid` that are alive (zombies, which only wait to be reaped, do not
  /// count), read from /proc.
  static func members(_ pgid: pid_t) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name -> pid_t? in
      guard let pid = pid_t(name),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      // After "pid (comm) ": state, ppid, pgrp.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == pgid else { return nil }
      return pid
    }
  }

  func killAll() {
    for group in groups { kill(-group, SIGKILL) }
  }
}

/// The events of a state file, read with the engine's reader.
func journalEvents(_ state: String) throws -> [Event] {
  try Journal.read(at: state).events
}
