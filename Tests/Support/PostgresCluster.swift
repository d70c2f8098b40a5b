import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A scratch PostgreSQL cluster for tests: `initdb` in a temporary folder, started on a free
/// port on 127.0.0.1, stopped and removed when the test process ends (a watchdog process does
/// it even when the tests crash). As root, PostgreSQL runs as the `postgres` user
/// (`su postgres -c`), since it refuses to run as root; otherwise as the current user.
///
/// Tests that need one use ``shared`` (started once per test process) and a database of their
/// own (``createDatabase(_:)``); a test that restarts the server starts a private cluster.
public final class PostgresCluster: Sendable {
  public let port: Int
  /// The cluster's data folder.
  public let dataDirectory: String
  private let binaries: String

  /// Where PostgreSQL's programs are (`/usr/lib/postgresql/<version>/bin`, 15 preferred), or nil.
  public static let binaries: String? = {
    let root = "/usr/lib/postgresql"
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted {
      ($0 == "15" ? 1_000 : Int($0) ?? 0) > ($1 == "15" ? 1_000 : Int($1) ?? 0)
    }
    return versions.map { "\(root)/\($0)/bin" }.first {
      FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl")
    }
  }()

  /// True when PostgreSQL is installed, so the database tests can run.
  public static var isAvailable: Bool { binaries != nil }

  /// Why the database tests are skipped.
  public static let skipReason =
    "PostgreSQL is not installed; install it (apt-get install postgresql, or scripts/bootstrap --tests) to run the database tests"

  /// The cluster shared by this test process, started on first use; nil when it could not start
  /// (the reason is printed).
  public static let shared: PostgresCluster? = {
    do {
      return try start()
    } catch {
      FileHandle.standardError.write(Data("PostgresCluster: \(error)\n".utf8))
      return nil
    }
  }()

  /// Starts a new cluster. `durable` keeps PostgreSQL's fsync on (off by default: tests stop the
  /// server cleanly, and fsync only protects against the machine crashing).
  public static func start(durable: Bool = false) throws -> PostgresCluster {
    // The free port is found by binding it and letting it go: another test's server can take it
    // before PostgreSQL binds it, so a start that fails is tried again on another port.
    var attempt = 1
    while true {
      do {
        return try startOnce(durable: durable)
      } catch {
        guard attempt < 3, binaries != nil else { throw error }
        attempt += 1
      }
    }
  }

  private static func startOnce(durable: Bool) throws -> PostgresCluster {
    guard let binaries else { throw Failure(skipReason) }
    let folder = Paths.temporaryDirectory("runbook-pg").path
    let data = folder + "/data"
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    chmod(folder, 0o755)
    chmod(data, 0o700)
    if getuid() == 0 {
      guard let user = getpwnam("postgres") else {
        throw Failure("there is no postgres user to run PostgreSQL as")
      }
      chown(data, user.pointee.pw_uid, user.pointee.pw_gid)
    }
    let cluster = PostgresCluster(port: try freePort(), dataDirectory: data, binaries: binaries)
    try cluster.asServerUser(
      "\(binaries)/initdb -D \(data) -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8")
    // In postgresql.auto.conf (which initdb leaves empty), so a restart keeps them.
    var settings = """
      port = \(cluster.port)
      unix_socket_directories = '\(data)'
      listen_addresses = '127.0.0.1'
      max_connections = 300
      shared_buffers = '64MB'

      """
    if !durable { settings += "fsync = off\n" }
    let auto = data + "/postgresql.auto.conf"
    let existing = (try? String(contentsOfFile: auto, encoding: .utf8)) ?? ""
    try (existing + settings).write(toFile: auto, atomically: false, encoding: .utf8)
    try cluster.startAgain()
    cluster.watch(folder: folder)
    return cluster
  }

  private init(port: Int, dataDirectory: String, binaries: String) {
    self.port = port
    self.dataDirectory = dataDirectory
    self.binaries = binaries
  }

  /// The URL of `database` for user postgres (trust authentication: no password).
  public func url(_ database: String = "postgres") -> String {
    "postgres://postgres@127.0.0.1:\(port)/\(database)"
  }

  /// A new empty database named `<prefix>_<random>`, owned by `owner` when given; returns its name.
  public func createDatabase(_ prefix: String = "t", owner: String? = nil) throws -> String {
    let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    _ = try psql("CREATE DATABASE \(name)" + (owner.map { " OWNER \($0)" } ?? ""))
    return name
  }

  /// A login role that must give `password` over TCP (SCRAM), whatever other users do.
  public func addPasswordUser(_ name: String, password: String) throws {
    try psql("CREATE ROLE \(name) LOGIN PASSWORD '\(password)'")
    let hba = dataDirectory + "/pg_hba.conf"
    let existing = try String(contentsOfFile: hba, encoding: .utf8)
    try ("host all \(name) 127.0.0.1/32 scram-sha-256\n" + existing).write(
      toFile: hba, atomically: false, encoding: .utf8)
    try psql("SELECT pg_reload_conf()")
  }

  /// Runs SQL with psql and returns its unaligned output.
  @discardableResult
  public func psql(_ sql: String, database: String = "postgres") throws -> String {
    try Self.run(
      "\(binaries)/psql",
      [
        "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)",
        "-U", "postgres", "-d", database, "-c", sql,
      ])
  }

  /// Stops the server: `fast` (clients are disconnected, a clean shutdown) or `immediate` (a crash).
  public func stop(immediate: Bool = false) throws {
    try pgctl("-m \(immediate ? "immediate" : "fast") -w stop")
  }

  /// Starts the server again after ``stop(immediate:)``.
  public func startAgain() throws {
    try pgctl("-l \(dataDirectory)/server.log -w start")
  }

  // MARK: - Helpers

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  private func pgctl(_ arguments: String) throws {
    try asServerUser("\(binaries)/pg_ctl -D \(dataDirectory) \(arguments)")
  }

  /// Runs a shell command line as the user PostgreSQL runs as.
  private func asServerUser(_ command: String) throws {
    if getuid() == 0 {
      try Self.run("/bin/su", ["postgres", "-s", "/bin/sh", "-c", command])
    } else {
      try Self.run("/bin/sh", ["-c", command])
    }
  }

  /// Stops the cluster and removes its folder once this process has ended, however it ends.
  private func watch(folder: String) {
    let stop =
      getuid() == 0
      ? "su postgres -s /bin/sh -c '\(binaries)/pg_ctl -D \(dataDirectory) -m immediate stop'"
      : "\(binaries)/pg_ctl -D \(dataDirectory) -m immediate stop"
    let script =
      "while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done; \(stop) >/dev/null 2>&1; rm -rf \(folder)"
    let watchdog = Process()
    watchdog.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
    watchdog.arguments = ["/bin/sh", "-c", script]
    watchdog.standardInput = FileHandle.nullDevice
    watchdog.standardOutput = FileHandle.nullDevice
    watchdog.standardError = FileHandle.nullDevice
    try? watchdog.run()
  }

  /// Runs a program and returns what it printed. Started with `posix_spawn` and reaped with
  /// `waitpid`, its output through a file: Foundation's `Process` never saw `su` end once
  /// `pg_ctl start` had left the server running (waitUntilExit hung on the zombie).
  @discardableResult
  private static func run(_ program: String, _ arguments: [String]) throws -> String {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString).out")
      .path
    defer { unlink(log) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
    guard spawned == 0 else {
      throw Failure("cannot start \(program): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      guard errno == EINTR else { throw Failure("cannot wait for \(program)") }
    }
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    // WIFEXITED and WEXITSTATUS, which Swift does not import.
    guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
      throw Failure("\(program) \(arguments.joined(separator: " ")) failed: \(text)")
    }
    return text
  }

  /// A TCP port nobody listens on right now.
  private static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure("cannot open a socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw Failure("cannot bind a socket") }
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw Failure("cannot name a socket") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
