import RunbookMarkdown
import Testing

@testable import RunbookCore

/// The judgement calls of the recognisers that infer steps, one sentence at a time.
@Suite struct StepRecognizerTests {
  func code(_ info: String, _ text: String) -> MarkdownCodeBlock {
    MarkdownCodeBlock(
      info: info, text: text, fence: "```", closed: true, range: SourceRange(line: 1, column: 1))
  }

  @Test(arguments: [
    ("Generate the CA configuration file, certificate, and private key:", "bash", "openssl genrsa\n", true),
    ("Then we inspect its expiration date.", "shell", "openssl x509 -noout\n", true),
    ("Switch back to the previous terminal and stop the port forwarding:", "text", "^C\n", true),
    ("For the following command, replace the $DAEMONPOD variable.", "console", "oc logs -f x\n", true),
    ("Pay close attention to any log output starting with E:", "", "oc logs x\n", true),
    ("Results:", "txt", "ca.crt ca.key\n", false),
    ("You should see something similar to the following output:", "text", "NAME=Debian\n", false),
    ("The output should contain the notAfter field.", "shell", "notAfter=Aug 6\n", false),
    ("When a pivot is occurring the following will be logged.", "console", "I1126 17:15:38 rebase\n", false),
    ("Here is an example ServiceMonitor.", "yaml", "kind: ServiceMonitor\n", false),
    ("The results of running the above command … with the following command:", "bash", "ls -1 *.crt\n", true),
  ])
  func leadIn(_ sentence: String, _ language: String, _ text: String, _ isStep: Bool) {
    #expect(LeadInRecognizer.isStep(leadIn: sentence, code: code(language, text)) == isStep)
  }

  @Test func numbersWrittenInTextAreReadAsGuidesWriteThem() {
    let at = SourceLocation(line: 1, column: 1)
    for (text, number) in [
      ("1. Verify the operator", 1), ("Step 2: Restart", 2), ("step 3 - Clean up", 3), ("4) Save", 4),
    ] {
      #expect(NumberedText.split([.text(text, at)])?.number == number, "\(text)")
    }
    for text in ["1.5 is required", "2024 was a year", "Step 2", "3.", "Stepping 1. out"] {
      #expect(NumberedText.split([.text(text, at)]) == nil, "\(text)")
    }
    let bold = NumberedText.split([.strong([.text("5.", at)], at), .text(" ", at), .text("Restart", at)])
    #expect(bold?.number == 5 && bold?.title.plainText == "Restart")
  }

  @Test func aNumberedListWinsOverLeadInsInItsSection() {
    let runbook = RunbookCompiler().compile(
      """
      ## Certificates

      Extract the certificate:

      ```shell
      oc extract secret/x
      ```

      1. Check the logs.
      2. Check the operator.
      """, file: "t.md")
    let section = runbook.sections[0]
    #expect(section.steps.map(\.number) == ["1", "2"])
    #expect(section.steps.allSatisfy { $0.origin == .numberedList })
    #expect(section.intro.count == 2)  // the lead-in and its command: shown before step 1
  }
}
