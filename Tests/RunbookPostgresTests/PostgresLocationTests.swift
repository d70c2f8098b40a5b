import Foundation
import RunbookPostgres
import RunbookTestSupport
import Testing

/// Reading `postgres://` URLs and finding the password, without a server.
@Suite struct PostgresLocationTests {
  func location(_ url: String, _ environment: [String: String] = [:]) throws -> PostgresLocation {
    try PostgresLocation(url: url, environment: environment, loginName: "alice")
  }

  @Test func readsEveryPartAndNeverShowsThePassword() throws {
    let l = try location("postgres://bob:s3cr%40t@db.example.com:6543/team?sslmode=require&connect_timeout=3")
    #expect(l.host == "db.example.com")
    #expect(l.port == 6543)
    #expect(l.user == "bob")
    #expect(l.database == "team")
    #expect(l.sslMode == .require)
    #expect(l.connectTimeout == 3)
    #expect(l.passwordSource == .url)
    #expect(l.description == "postgres://bob@db.example.com:6543/team")
    #expect(l.server == "db.example.com:6543")
    #expect(!"\(l)".contains("s3cr"))
    #expect(l.redact("auth failed for s3cr@t and s3cr%40t") == "auth failed for •••••• and ••••••")
  }

  @Test func defaultsAreLibpqs() throws {
    let l = try location("postgres:///runbook")
    #expect(l.socketDirectory == "/var/run/postgresql")
    #expect(l.port == 5432)
    #expect(l.user == "alice")
    #expect(l.database == "runbook")
    #expect(l.sslMode == .prefer)
    #expect(l.passwordSource == nil)
    let socket = try location("postgresql://carol@/ops?host=/tmp/pg&port=5433")
    #expect(socket.socketDirectory == "/tmp/pg")
    #expect(socket.server == "/tmp/pg/.s.PGSQL.5433")
    #expect(try location("postgres://dave@h").database == "dave")
  }

  @Test func passwordFromTheEnvironmentThenThePasswordFile() throws {
    let folder = Paths.temporaryDirectory("pgpass")
    let file = folder.appendingPathComponent("pgpass").path
    try "# team\nother:*:*:*:nope\ndb.example.com:5432:team:bob:from\\:file\n*:*:*:*:fallback\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    chmod(file, 0o600)
    let env = ["PGPASSFILE": file]
    #expect(try location("postgres://bob@db.example.com/team", env).passwordSource == .passwordFile(file))
    let url = try location(
      "postgres://bob:fromurl@db.example.com/team", env.merging(["PGPASSWORD": "e"]) { a, _ in a })
    #expect(url.passwordSource == .url)
    #expect(
      try location("postgres://bob@db.example.com/team", ["PGPASSWORD": "e"]).passwordSource == .environment)
    #expect(url.redact("x fromurl y") == "x •••••• y")
    // A file others can read is ignored, as libpq does.
    chmod(file, 0o644)
    #expect(try location("postgres://bob@db.example.com/team", env).passwordSource == nil)
  }

  @Test func badURLsSayWhatToFixWithoutThePassword() {
    for (url, words) in [
      ("mysql://bob:pw@h/db", "not a postgres:// URL"),
      ("postgres://bob:pw@h:99999/db", "not a port number"),
      ("postgres://bob:pw@h/db?sslmode=maybe", "sslmode=maybe"),
      ("postgres://bob:pw@h/db?options=x", "unknown parameter options"),
    ] {
      #expect {
        try location(url)
      } throws: { error in
        let text = "\(error)"
        return text.contains(words) && !text.contains(":pw@")
      }
    }
  }
}
