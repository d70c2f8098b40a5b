import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs programs with posix_spawn in their own process group, standard input from /dev/null
/// and standard output and error on one pipe (standard output on a pipe of its own when it is
/// captured into an input). On timeout the whole group gets SIGTERM, then
/// SIGKILL after ``killGrace``, so a command that ignores SIGTERM or leaves children behind
/// still ends. Only the output's tail is kept, so a command printing megabytes costs little.
public struct SystemProcessRunner: ProcessRunner {
  public static let tailLimit = 64 * 1024
  public static let killGrace: TimeInterval = 2
  /// How long output is still read after the command exits.
  public static let drainGrace: TimeInterval = 0.3

  public init() {}

  public func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult {
    let started = Date()
    var fds: [Int32] = [0, 0]
    // Close-on-exec, so a process started by another thread cannot inherit the write end and
    // keep the pipe open; dup2 in the child clears the flag on its stdout and stderr.
    guard systemPipe2(&fds, O_CLOEXEC) == 0 else {
      return ProcessResult(
        status: nil, launchError: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    let (readEnd, writeEnd) = (fds[0], fds[1])
    // A second pipe on descriptor 3, for a shell session's state.
    var stateFDs: [Int32] = [-1, -1]
    if request.readsDescriptor3, systemPipe2(&stateFDs, O_CLOEXEC) != 0 { stateFDs = [-1, -1] }
    defer { if stateFDs[0] >= 0 { close(stateFDs[0]) } }
    // A third pipe for standard output alone, when it is captured.
    var outFDs: [Int32] = [-1, -1]
    if request.capture != .none, systemPipe2(&outFDs, O_CLOEXEC) != 0 {
      close(readEnd)
      close(writeEnd)
      return ProcessResult(
        status: nil, launchError: "cannot create a pipe: \(String(cString: strerror(errno)))")
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outFDs[1] >= 0 ? outFDs[1] : writeEnd, 1)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
    posix_spawn_file_actions_addclose(&actions, writeEnd)
    posix_spawn_file_actions_addclose(&actions, readEnd)
    if outFDs[1] >= 0 {
      posix_spawn_file_actions_addclose(&actions, outFDs[1])
      posix_spawn_file_actions_addclose(&actions, outFDs[0])
    }
    if stateFDs[1] >= 0 {
      posix_spawn_file_actions_adddup2(&actions, stateFDs[1], 3)
      posix_spawn_file_actions_addclose(&actions, stateFDs[1])
      posix_spawn_file_actions_addclose(&actions, stateFDs[0])
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setpgroup(&attributes, 0)
    var defaultSignals = sigset_t()
    sigemptyset(&defaultSignals)
    for s in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaultSignals, s) }
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    var noMask = sigset_t()
    sigemptyset(&noMask)
    posix_spawnattr_setsigmask(&attributes, &noMask)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    var environment = ProcessInfo.processInfo.environment
    for (k, v) in request.environment { environment[k] = v }
    let envStrings = environment.map { "\($0.key)=\($0.value)" }
    var pid: pid_t = 0
    let spawnStatus = withCStrings(request.arguments) { argv in
      withCStrings(envStrings) { envp in
        posix_spawn(&pid, request.arguments[0], &actions, &attributes, argv, envp)
      }
    }
    close(writeEnd)
    if outFDs[1] >= 0 {
      close(outFDs[1])
      outFDs[1] = -1
    }
    if stateFDs[1] >= 0 {
      close(stateFDs[1])
      stateFDs[1] = -1
    }
    guard spawnStatus == 0 else {
      close(readEnd)
      if outFDs[0] >= 0 { close(outFDs[0]) }
      return ProcessResult(
        status: nil, duration: Date().timeIntervalSince(started),
        launchError: "cannot start \(request.arguments[0]): \(String(cString: strerror(spawnStatus)))")
    }

    var tail = [UInt8]()
    var total = 0
    var timedOut = false
    var cancelled = false
    var termSentAt: Date?
    let deadline = request.timeout.map { started.addingTimeInterval($0) }
    var buffer = [UInt8](repeating: 0, count: 16 * 1024)
    var decoder = StreamingUTF8()
    var open = true
    var status: Int32 = 0
    var exitedAt: Date?
    var written3 = [UInt8]()
    var captured = [UInt8]()
    var outDecoder = StreamingUTF8()
    var outOpen = outFDs[0] >= 0
    while open || outOpen {
      if stateFDs[0] >= 0 { readState(stateFDs[0], into: &written3) }
      var pfds: [pollfd] = []
      if open { pfds.append(pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)) }
      if outOpen { pfds.append(pollfd(fd: outFDs[0], events: Int16(POLLIN), revents: 0)) }
      var wait: Int32 = 200
      if let deadline, termSentAt == nil {
        wait = Int32(max(0, min(200, deadline.timeIntervalSinceNow * 1000)))
      }
      let ready = poll(&pfds, nfds_t(pfds.count), wait)
      if ready > 0 {
        for pfd in pfds where pfd.revents != 0 {
          let n = read(pfd.fd, &buffer, buffer.count)
          let isOut = pfd.fd == outFDs[0]
          if n > 0 {
            if isOut, captured.count < 1 << 20 { captured.append(contentsOf: buffer[0..<n]) }
            // Captured output of a secret is neither shown nor kept in the tail.
            if isOut, request.capture == .hidden { continue }
            total += n
            tail.append(contentsOf: buffer[0..<n])
            if tail.count > Self.tailLimit * 2 { tail.removeFirst(tail.count - Self.tailLimit) }
            output(isOut ? outDecoder.decode(buffer[0..<n]) : decoder.decode(buffer[0..<n]))
          } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
            if isOut { outOpen = false } else { open = false }
          }
        }
      }
      let now = Date()
      if termSentAt == nil, request.shouldCancel?() == true {
        cancelled = true
        kill(-pid, SIGTERM)
        termSentAt = now
      }
      if let deadline, now >= deadline, termSentAt == nil {
        timedOut = true
        kill(-pid, SIGTERM)
        termSentAt = now
      }
      if let sent = termSentAt, now.timeIntervalSince(sent) >= Self.killGrace {
        kill(-pid, SIGKILL)
        termSentAt = .distantFuture  // sent; keep reading until the pipe closes
      }
      // Once the command itself has exited, read what is left for a moment, but do not wait
      // for a background process it started (which may hold the pipe for ever).
      if exitedAt == nil, waitpid(pid, &status, WNOHANG) == pid { exitedAt = now }
      if let exitedAt, now.timeIntervalSince(exitedAt) > Self.drainGrace, ready <= 0 {
        open = false
        outOpen = false
      }
    }
    close(readEnd)
    if outFDs[0] >= 0 { close(outFDs[0]) }
    if stateFDs[0] >= 0 { readState(stateFDs[0], into: &written3, untilEnd: true) }
    let flushed = decoder.flush() + (request.capture == .shown ? outDecoder.flush() : "")
    if !flushed.isEmpty { output(flushed) }
    if exitedAt == nil {
      while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
    // Children that kept the pipe open are gone with the group, or are killed now.
    if timedOut || cancelled { kill(-pid, SIGKILL) }
    let exited = (status & 0x7F) == 0
    if tail.count > Self.tailLimit { tail.removeFirst(tail.count - Self.tailLimit) }
    var result = ProcessResult(
      status: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F, timedOut: timedOut,
      outputTail: String(decoding: tail, as: UTF8.self), outputBytes: total,
      duration: Date().timeIntervalSince(started))
    result.cancelled = cancelled
    if request.capture != .none { result.standardOutput = String(decoding: captured, as: UTF8.self) }
    if request.readsDescriptor3, !written3.isEmpty {
      result.written3 = String(decoding: written3, as: UTF8.self)
    }
    return result
  }

  /// Reads what is waiting on descriptor 3's pipe (without blocking), or everything until the
  /// writers close it or a moment passes (`untilEnd`), keeping at most 1 MiB.
  private func readState(_ fd: Int32, into bytes: inout [UInt8], untilEnd: Bool = false) {
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    let deadline = Date().addingTimeInterval(Self.drainGrace)
    while true {
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let wait: Int32 = untilEnd ? Int32(max(0, deadline.timeIntervalSinceNow * 1000)) : 0
      guard poll(&pfd, 1, wait) > 0 else { return }
      let n = read(fd, &chunk, chunk.count)
      if n > 0 {
        if bytes.count < 1 << 20 { bytes.append(contentsOf: chunk[0..<n]) }
      } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
        return
      }
    }
  }

  private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
  }
}

/// glibc's pipe2(2), which the Glibc module does not export (it is a _GNU_SOURCE declaration).
@_silgen_name("pipe2")
private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// Decodes UTF-8 that arrives in chunks, holding back a sequence cut at a chunk's end.
struct StreamingUTF8 {
  private var pending: [UInt8] = []

  mutating func decode(_ bytes: ArraySlice<UInt8>) -> String {
    pending.append(contentsOf: bytes)
    var cut = pending.count
    // Step back over an incomplete sequence at the end (at most 3 bytes).
    var i = pending.count - 1
    var back = 0
    while i >= 0, back < 4, pending[i] & 0xC0 == 0x80 {
      i -= 1
      back += 1
    }
    if i >= 0 {
      let lead = pending[i]
      let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
      if pending.count - i < needed { cut = i }
    }
    let text = String(decoding: pending[0..<cut], as: UTF8.self)
    pending.removeFirst(cut)
    return text
  }

  mutating func flush() -> String {
    defer { pending = [] }
    return String(decoding: pending, as: UTF8.self)
  }
}
