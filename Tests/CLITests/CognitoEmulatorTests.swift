import Foundation
import RunbookCore
import RunbookEngine
import RunbookTestSupport
import Testing

/// The bundled runbook's AWS CLI path end to end (issue 21), against moto's emulated Cognito: the
/// commands create the user pool, its domain and the app client, their IDs and secret are
/// captured, and the checks run against what the emulator holds. The OIDC stub serves the
/// discovery document, which moto does not, for the pool the run created.
@Suite(.enabled(if: MotoServer.missing == nil, "\(MotoServer.missing ?? "")"), .serialized)
struct CognitoEmulatorTests {
  static let guide = Paths.packageRoot.appendingPathComponent("Runbooks/amazon-cognito-oidc.md").path
  static let state = ".runbook/amazon-cognito-oidc.state.jsonl"

  struct Emulated {
    var moto: MotoServer
    var stub: OIDCStub
    var dir: URL

    func stop() {
      stub.stop()
      moto.stop()
    }
  }

  func emulate() throws -> Emulated {
    let moto = try MotoServer()
    let stub = try OIDCStub(
      mode: .good, region: "us-east-1", poolID: "unused", domain: "unused", moto: moto.endpoint)
    return Emulated(moto: moto, stub: stub, dir: Paths.temporaryDirectory("cognito-emulator"))
  }

  /// The unattended CLI run: only the choice, Appsmith's URL and where the emulator and the stub
  /// listen are given.
  func runUnattended(_ e: Emulated) throws -> RunbookProcess.Result {
    try RunbookProcess.run(
      [
        "run", Self.guide, "--yes", "--non-interactive", "--set", "aws_setup=aws-cli", "--set",
        "appsmith_url=https://appsmith.example.com", "--set", "endpoint_url=\(e.moto.endpoint)", "--set",
        "discovery_base=\(e.stub.baseURL)",
      ], environment: MotoServer.environment, directory: e.dir)
  }

  @Test func theCLIPathCreatesThePoolDomainAndClientAndPassesEveryCheck() throws {
    let e = try emulate()
    defer { e.stop() }
    let result = try runUnattended(e)
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")

    // What the emulator now holds.
    let pool = try e.moto.aws([
      "cognito-idp", "list-user-pools", "--region", "us-east-1", "--max-results", "10", "--query",
      "UserPools[].Id", "--output", "text",
    ])
    #expect(pool.hasPrefix("us-east-1_") && !pool.contains(where: \.isWhitespace), "\(pool)")
    let domain = try e.moto.aws([
      "cognito-idp", "describe-user-pool", "--region", "us-east-1", "--user-pool-id", pool, "--query",
      "UserPool.Domain", "--output", "text",
    ])
    let client = try e.moto.aws([
      "cognito-idp", "list-user-pool-clients", "--region", "us-east-1", "--user-pool-id", pool, "--query",
      "UserPoolClients[].ClientId", "--output", "text",
    ])
    let described = try e.moto.aws([
      "cognito-idp", "describe-user-pool-client", "--region", "us-east-1", "--user-pool-id", pool,
      "--client-id", client, "--output", "json",
    ])
    let secret = try e.moto.aws([
      "cognito-idp", "describe-user-pool-client", "--region", "us-east-1", "--user-pool-id", pool,
      "--client-id", client, "--query", "UserPoolClient.ClientSecret", "--output", "text",
    ])
    #expect(domain.hasPrefix("appsmith-") && !client.isEmpty && secret.count > 8)
    // The client as the runbook asked for it.
    for expected in [
      "\"code\"", "\"openid\"", "\"email\"", "\"profile\"",
      "https://appsmith.example.com/login/oauth2/code/oidc",
      "\"AllowedOAuthFlowsUserPoolClient\": true",
    ] {
      #expect(described.contains(expected), "\(expected) in \(described)")
    }

    // Every check passed: region and pool, discovery document, key set.
    #expect(result.stdout.contains("User pool \(pool) is in region us-east-1"))
    #expect(result.stdout.contains("matches the issuer and all four endpoints"))
    #expect(result.stdout.contains("signing key(s) published"))

    // The captured values are answers in the journal; the secret is not there.
    let path = e.dir.appendingPathComponent(Self.state).path
    let events = try FileStore().read(RunID(path)).events
    func captured(_ id: String) -> Event? {
      events.first { $0.type == .input && $0.input == id && $0.index != nil }
    }
    #expect(captured("user_pool_id")?.value == pool)
    #expect(captured("cognito_domain")?.value == "\(domain).auth.us-east-1.amazoncognito.com")
    #expect(captured("client_id")?.value == client)
    let secretEvent = try #require(captured("client_secret"))
    #expect(secretEvent.secret == true && secretEvent.value == nil)
    let journal = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!journal.contains(secret))
    #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))

    // The report's table of Appsmith settings holds the emulator's IDs, and not the secret.
    let report = try RunbookProcess.run(["report", Self.state, "--runbook", Self.guide], directory: e.dir)
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("| Client ID | \(client) |"), "\(report.stdout)")
    #expect(
      report.stdout.contains(
        "| Authorization URL | https://\(domain).auth.us-east-1.amazoncognito.com/oauth2/authorize |"))
    #expect(
      report.stdout.contains(
        "| JWK Set URL | https://cognito-idp.us-east-1.amazonaws.com/\(pool)/.well-known/jwks.json |"))
    #expect(!report.stdout.contains(secret))
    let html = try RunbookProcess.run(
      ["report", Self.state, "--runbook", Self.guide, "--format", "html"], directory: e.dir)
    #expect(html.status == 0 && html.stdout.contains(client) && !html.stdout.contains(secret))
  }

  /// The domain step's command on a pool that already has a domain (run a second time after an
  /// interruption, or a pool given a domain in the console) keeps that domain instead of trying
  /// to create another, which Cognito refuses. The command is the bundled runbook's own, with
  /// the values given as a run gives them.
  @Test func theDomainCommandKeepsADomainThePoolHas() throws {
    let e = try emulate()
    defer { e.stop() }
    func newPool(_ name: String) throws -> String {
      try e.moto.aws([
        "cognito-idp", "create-user-pool", "--region", "us-east-1", "--pool-name", name, "--query",
        "UserPool.Id", "--output", "text",
      ])
    }
    let runbook = RunbookCompiler().compile(try GuideLoader.read(Self.guide), file: Self.guide)
    let step = try #require(runbook.allSteps.first { $0.id == "cli-create-domain" })
    let code = try #require(step.codeBlocks.first { $0.isCommand })
    func run(pool: String) throws -> (status: Int32, output: String) {
      let values = ["region": "us-east-1", "user_pool_id": pool]
      let script = ScriptSubstitution.substitute(
        code.runnableText, language: code.language, values: values, secrets: []
      ).script
      // As a run gives a command its values: in the environment, which the script refers to.
      var environment = MotoServer.environment
      for (id, value) in values { environment["RUNBOOK_INPUT_" + id.uppercased()] = value }
      environment["RUNBOOK_INPUT_ENDPOINT_URL"] = e.moto.endpoint
      let result = try RunbookProcess.run(
        program: URL(fileURLWithPath: "/bin/bash"), ["-c", script], environment: environment)
      return (result.status, result.stdout)
    }
    // A new pool gets its domain, and keeps it when the command runs again.
    let pool = try newPool("p")
    let expected =
      "appsmith-\(pool.split(separator: "_").last!.lowercased()).auth.us-east-1.amazoncognito.com\n"
    let created = try run(pool: pool)
    #expect(created.status == 0 && created.output == expected, "\(created)")
    let again = try run(pool: pool)
    #expect(again.status == 0 && again.output == expected, "\(again)")
    // A pool whose domain was chosen elsewhere keeps it.
    let other = try newPool("q")
    _ = try e.moto.aws([
      "cognito-idp", "create-user-pool-domain", "--region", "us-east-1", "--user-pool-id", other,
      "--domain", "my-login",
    ])
    let kept = try run(pool: other)
    #expect(kept.status == 0 && kept.output == "my-login.auth.us-east-1.amazoncognito.com\n", "\(kept)")
  }

  /// The admin changes the Region after the pool was created and does not create it again: the
  /// runbook's own check says the pool lives in another Region.
  @Test func aRegionChangedMidRunIsCaughtByTheCheck() throws {
    let e = try emulate()
    defer { e.stop() }
    let first = try runUnattended(e)
    #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
    let pool = try e.moto.aws([
      "cognito-idp", "list-user-pools", "--region", "us-east-1", "--max-results", "10", "--query",
      "UserPools[].Id", "--output", "text",
    ])
    let result = try RunbookProcess.runInTerminal(
      ["resume", Self.state, "--runbook", Self.guide, "--from", "cli-create-user-pool"],
      script: [
        ("help:", "c"), ("Change which one?", "region"), ("New value for AWS Region", "eu-west-2"),
        ("Run it?", "n"), ("[r]etry", "q"),
      ], directory: e.dir, environment: MotoServer.environment)
    #expect(result.status == 4, "\(result.stdout)")
    #expect(
      result.stdout.contains(
        "User pool id \(pool) belongs to region us-east-1, but the region input is eu-west-2: fix one of them"
      ),
      "\(result.stdout)")
    let events = try FileStore().read(RunID(e.dir.appendingPathComponent(Self.state).path)).events
    let changed = try #require(events.first { $0.type == .inputChanged })
    #expect(changed.input == "region" && changed.value == "eu-west-2" && changed.from == "us-east-1")
    #expect(events.last { $0.type == .check }?.passed == false)
    // Nothing new was created in the emulator: the admin chose not to run the command again.
    let pools = try e.moto.aws([
      "cognito-idp", "list-user-pools", "--region", "eu-west-2", "--max-results", "10", "--query",
      "UserPools[].Id", "--output", "text",
    ])
    #expect(pools.isEmpty || pools == "None")
  }
}
