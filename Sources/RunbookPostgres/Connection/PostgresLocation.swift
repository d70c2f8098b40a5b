import Foundation

/// Where a PostgreSQL store is: a `postgres://` URL read the way libpq reads it, with the
/// password taken from the URL, `PGPASSWORD` or the password file, in that order. The password
/// is kept out of ``description`` and every message (``redact(_:)``).
public struct PostgresLocation: Sendable, CustomStringConvertible {
  /// How the connection uses TLS (`sslmode=`): libpq's names.
  public enum SSLMode: String, Sendable {
    /// Plain TCP only.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    case prefer
    /// TLS or nothing, without checking the certificate.
    case require
    /// TLS with the certificate checked against the system's roots and the host name.
    case verifyFull = "verify-full"
  }

  /// Where the password came from, for messages (never the password itself).
  public enum PasswordSource: Sendable, Equatable {
    case url, environment
    case passwordFile(String)
  }

  /// A URL that cannot be used: one line saying what to fix.
  public struct Invalid: Error, CustomStringConvertible {
    public var description: String
  }

  public var host: String
  public var port: Int
  /// A folder holding the server's Unix socket (`?host=/var/run/postgresql`), used instead of TCP.
  public var socketDirectory: String?
  public var user: String
  public var database: String
  public var sslMode: SSLMode
  /// Seconds to wait for a connection (`connect_timeout=`, default 10).
  public var connectTimeout: Int
  public private(set) var passwordSource: PasswordSource?
  /// Internal so that no other module can print it.
  internal private(set) var password: String?

  /// Reads `url` (`postgres://` or `postgresql://`). Missing parts take libpq's defaults: the
  /// Unix socket in `/var/run/postgresql`, port 5432, the login name as the user and the user
  /// as the database.
  public init(url: String, environment: [String: String], loginName: String) throws(Invalid) {
    guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
      let parts = URLComponents(string: url)
    else {
      throw Invalid(
        description: "\(Self.maskingPassword(in: url)) is not a postgres:// URL; "
          + "write postgres://USER@HOST:PORT/DATABASE")
    }
    var query: [String: String] = [:]
    for item in parts.queryItems ?? [] { query[item.name] = item.value ?? "" }
    let known: Set<String> = [
      "host", "port", "user", "dbname", "sslmode", "connect_timeout", "application_name",
    ]
    if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
      throw Invalid(
        description: "\(Self.maskingPassword(in: url)): unknown parameter \(unknown); "
          + "runbook reads host, port, user, dbname, sslmode and connect_timeout")
    }
    let hostParameter = query["host"] ?? parts.host.flatMap { $0.isEmpty ? nil : $0 }
    if let hostParameter, hostParameter.hasPrefix("/") {
      socketDirectory = hostParameter
      host = "localhost"
    } else if let hostParameter {
      host = hostParameter
      socketDirectory = nil
    } else {
      socketDirectory = "/var/run/postgresql"
      host = "localhost"
    }
    if let text = query["port"] ?? parts.port.map(String.init) {
      guard let number = Int(text), (1...65535).contains(number) else {
        throw Invalid(description: "\(Self.maskingPassword(in: url)): port \(text) is not a port number")
      }
      port = number
    } else {
      port = 5432
    }
    user = query["user"] ?? parts.user.flatMap { $0.isEmpty ? nil : $0 } ?? loginName
    let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
    database = query["dbname"] ?? (path.isEmpty ? user : path)
    let mode = query["sslmode"] ?? "prefer"
    switch mode {
    case "disable", "allow": sslMode = .disable
    case "prefer": sslMode = .prefer
    case "require", "verify-ca": sslMode = .require
    case "verify-full": sslMode = .verifyFull
    default:
      throw Invalid(
        description: "\(Self.maskingPassword(in: url)): sslmode=\(mode) is not one of disable, prefer, "
          + "require, verify-full")
    }
    connectTimeout = Int(query["connect_timeout"] ?? "") ?? 10
    if let password = parts.password {
      self.password = password
      passwordSource = .url
    } else if let password = environment["PGPASSWORD"] {
      self.password = password
      passwordSource = .environment
    } else {
      let file =
        environment["PGPASSFILE"]
        ?? (environment["HOME"].map { $0 + "/.pgpass" })
      if let file,
        let found = PasswordFile(path: file)?.password(
          host: socketDirectory == nil ? host : "localhost", port: port, database: database, user: user)
      {
        password = found
        passwordSource = .passwordFile(file)
      }
    }
  }

  /// The URL without its password, e.g. `postgres://alice@db.example.com:5432/runbook`: the
  /// only form shown to people.
  public var description: String {
    let where_ =
      socketDirectory.map { "localhost:\(port)/\(database)?host=\($0)" }
      ?? "\(hostForURL):\(port)/\(database)"
    return "postgres://\(user)@\(where_)"
  }

  /// Host and port as messages name them (`db.example.com:5432`, or the socket folder).
  public var server: String {
    socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } ?? "\(host):\(port)"
  }

  private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

  /// `text` with every occurrence of the password replaced by `••••••`: for messages built
  /// from the server's or the network library's words.
  public func redact(_ text: String) -> String {
    guard let password, password.count >= 1 else { return text }
    var out = text.replacingOccurrences(of: password, with: "••••••")
    if let encoded = password.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed),
      encoded != password
    {
      out = out.replacingOccurrences(of: encoded, with: "••••••")
    }
    return out
  }

  /// A `postgres://` URL as typed, with whatever sits between `user:` and `@` masked: for
  /// messages about URLs that could not be read.
  public static func maskingPassword(in url: String) -> String {
    guard let scheme = url.range(of: "://"),
      let at = url[scheme.upperBound...].firstIndex(of: "@")
    else { return url }
    let credentials = url[scheme.upperBound..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":••••••" + String(url[at...])
  }
}
