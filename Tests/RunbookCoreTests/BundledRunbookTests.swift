import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// The bundled runbook reads as it always has: its steps and their numbers, its four
/// preconditions, and no inferred step.
@Suite struct BundledRunbookTests {
  @Test func stepsAndPreconditionsAreUnchanged() throws {
    let path = Paths.packageRoot.appendingPathComponent("Runbooks/amazon-cognito-oidc.md").path
    let runbook = RunbookCompiler().compile(try GuideLoader.read(path), file: path)
    let numbers = runbook.allSteps.map(\.number)
    #expect(
      numbers == [
        "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "3", "4", "5",
        "6",
        // The AWS CLI alternative (issue 21) replaces steps 2 to 6 and numbers its steps as the
        // console steps they stand for; the console's numbers are unchanged.
        "2", "3", "4",
        "7", "8", "9", "9.1", "9.2", "1", "2",
      ])
    #expect(
      runbook.allSteps.filter { $0.id.hasPrefix("cli-") }.map(\.id) == [
        "cli-create-user-pool", "cli-create-domain", "cli-create-client",
      ])
    #expect(
      runbook.preconditions.map(\.title) == [
        "Self-hosted Appsmith, business edition", "Superuser account", "AWS account",
        "HTTPS on a custom domain",
      ])
    #expect(runbook.allSteps.allSatisfy { !$0.origin.isInferred })
    #expect(runbook.pages.map(\.id) == [Page.introID, "before-you-begin"])
  }
}
