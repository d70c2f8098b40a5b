import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One PostgreSQL connection used from an ordinary thread: the only place that waits on
/// postgres-nio's futures (`.wait()`), so the stores above it stay synchronous like the engine.
/// Never call it from an event-loop thread (NIO traps when a loop waits on itself).
///
/// Every statement has a deadline: a connection that neither answers nor fails (a network that
/// drops packets) is closed after ``statementTimeout`` and the call fails as unreachable.
final class BlockingConnection: Sendable {
  let connection: PostgresConnection
  /// The server's process for this connection, for `pg_locks` and `pg_terminate_backend`.
  let backendPID: Int32
  private let logger: Logger
  private let statementTimeout: TimeAmount

  private init(
    connection: PostgresConnection, backendPID: Int32, logger: Logger, statementTimeout: TimeAmount
  ) {
    self.connection = connection
    self.backendPID = backendPID
    self.logger = logger
    self.statementTimeout = statementTimeout
  }

  /// Connects and authenticates. The server is asked to probe an idle client every few seconds
  /// (TCP keepalives), so a client that vanished without closing its connection (a machine
  /// that lost power) releases its locks within half a minute.
  static func connect(
    to location: PostgresLocation, statementTimeout: TimeAmount = .seconds(30)
  ) throws(PostgresFailure) -> BlockingConnection {
    // postgres-nio logs nothing we show; the password must never reach a log.
    let logger = Logger(label: "runbook.postgres") { _ in SwiftLogNoOpLogHandler() }
    var configuration: PostgresConnection.Configuration
    if let socket = location.socketDirectory {
      configuration = .init(
        unixSocketPath: socket + "/.s.PGSQL.\(location.port)", username: location.user,
        password: location.password, database: location.database)
    } else {
      let tls: PostgresConnection.Configuration.TLS
      do {
        switch location.sslMode {
        case .disable: tls = .disable
        case .prefer, .require:
          var client = TLSConfiguration.makeClientConfiguration()
          client.certificateVerification = .none
          let context = try NIOSSLContext(configuration: client)
          tls = location.sslMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
          tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
      } catch {
        throw PostgresFailure(kind: .other, reason: "cannot set up TLS")
      }
      configuration = .init(
        host: location.host, port: location.port, username: location.user, password: location.password,
        database: location.database, tls: tls)
    }
    configuration.options.connectTimeout = .seconds(Int64(max(1, location.connectTimeout)))
    configuration.options.additionalStartupParameters = [
      ("application_name", "runbook"), ("tcp_keepalives_idle", "10"), ("tcp_keepalives_interval", "5"),
      ("tcp_keepalives_count", "3"),
    ]
    let loop = MultiThreadedEventLoopGroup.singleton.any()
    do {
      let connection = try PostgresConnection.connect(
        on: loop, configuration: configuration, id: 1, logger: logger
      ).wait()
      let opened = BlockingConnection(
        connection: connection, backendPID: 0, logger: logger, statementTimeout: statementTimeout)
      let pid = try opened.query("SELECT pg_backend_pid()").first?.decode(Int32.self) ?? 0
      return BlockingConnection(
        connection: connection, backendPID: pid, logger: logger, statementTimeout: statementTimeout)
    } catch {
      throw PostgresFailure(error)
    }
  }

  var isClosed: Bool { connection.isClosed }

  /// Runs one statement and returns its rows.
  @discardableResult
  func query(_ query: PostgresQuery) throws(PostgresFailure) -> [PostgresRow] {
    try run(query).rows
  }

  /// Runs one statement; `rows` in the metadata is the number of rows inserted, updated or
  /// selected.
  func run(_ query: PostgresQuery) throws(PostgresFailure) -> PostgresQueryResult {
    let connection = self.connection
    let timeout = connection.eventLoop.scheduleTask(in: statementTimeout) {
      let _: EventLoopFuture<Void> = connection.close()
    }
    defer { timeout.cancel() }
    do {
      return try connection.query(query, logger: logger).wait()
    } catch {
      throw PostgresFailure(error)
    }
  }

  /// Closes the connection (ending its session and releasing its advisory locks) and waits.
  func close() {
    try? connection.close().wait()
  }
}
