import NIOCore
import NIOPosix
import PostgresNIO

#if canImport(Glibc)
  import Glibc
#endif

/// Why a database call failed, sorted into what a store reacts to: the server cannot be reached
/// (retry later), the server said no (with its SQLSTATE), or something else. ``reason`` is a
/// short phrase without the password.
struct PostgresFailure: Error, CustomStringConvertible {
  enum Kind: Equatable {
    /// Connecting failed or the connection broke: the server is down, restarting, or the
    /// network is away. Trying again later may work.
    case unreachable
    /// The server refused the statement, with this SQLSTATE.
    case server(String)
    /// Reconnecting found the run's lock held by someone else (named).
    case lockTaken(String)
    /// Another writer's event sits at the sequence number being appended.
    case forked
    case other
  }

  var kind: Kind
  var reason: String

  var description: String { reason }

  /// True when waiting and reconnecting may help.
  var isTransient: Bool {
    switch kind {
    case .unreachable: return true
    case .server(let state):
      // connection exceptions; admin, crash and startup shutdowns; too many connections;
      // serialization failures and deadlocks.
      return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "40001", "40P01"].contains(state)
    case .lockTaken, .forked, .other: return false
    }
  }

  var sqlState: String? {
    if case .server(let state) = kind { return state }
    return nil
  }

  static let uniqueViolation = "23505"
  static let undefinedTable = "42P01"

  /// Sorts any error from postgres-nio or NIO. Only the server's message and the system's
  /// error names are kept: PSQLError's full text can hold the query and its values.
  init(_ error: any Error) {
    if let failure = error as? PostgresFailure {
      self = failure
      return
    }
    if let psql = error as? PSQLError {
      switch psql.code {
      case .server:
        let state = psql.serverInfo?[.sqlState] ?? "?????"
        let message = psql.serverInfo?[.message] ?? "the server refused the request"
        self.init(kind: .server(state), reason: message)
      case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
        self.init(kind: .unreachable, reason: psql.underlying.map(Self.phrase) ?? "the connection was closed")
      case .sslUnsupported:
        self.init(kind: .other, reason: "the server does not support TLS (sslmode=require)")
      case .authMechanismRequiresPassword:
        self.init(kind: .other, reason: "the server asks for a password and none was given")
      default:
        self.init(kind: .other, reason: psql.underlying.map(Self.phrase) ?? "\(psql.code)")
      }
      return
    }
    if error is ChannelError || error is IOError || error is NIOConnectionError {
      self.init(kind: .unreachable, reason: Self.phrase(error))
      return
    }
    self.init(kind: .other, reason: Self.phrase(error))
  }

  init(kind: Kind, reason: String) {
    self.kind = kind
    self.reason = reason
  }

  /// A short phrase for a network error: `connection refused`, `timed out`.
  private static func phrase(_ error: any Error) -> String {
    if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
    if let connection = error as? NIOConnectionError {
      if let first = connection.connectionErrors.first { return phrase(first.error) }
      if connection.dnsAError != nil || connection.dnsAAAAError != nil {
        return "the host name does not resolve"
      }
      return "cannot connect"
    }
    if let channel = error as? ChannelError {
      switch channel {
      case .connectTimeout: return "timed out"
      case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed:
        return "the connection was closed"
      default: return "the connection failed"
      }
    }
    if let psql = error as? PSQLError { return Self(psql).reason }
    return "\(type(of: error))"
  }
}
