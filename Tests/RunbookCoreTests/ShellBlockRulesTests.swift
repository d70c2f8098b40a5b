import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// How the compiler reads shell blocks (issue 16): which are offered to run, which `$VARIABLES`
/// the reader must supply, and that output is never scanned.
@Suite struct ShellBlockRulesTests {
  func blocks(_ guide: String) -> [CodeBlock] {
    RunbookCompiler().compile(guide, file: "t.md").allCodeBlocks
  }

  func block(_ info: String, _ body: String) throws -> CodeBlock {
    try #require(blocks("## S\n\n1. Do:\n\n   ```\(info)\n   \(body)\n   ```\n").first)
  }

  @Test(arguments: [
    ("sh", "echo hi", true), ("bash", "echo hi", true), ("shell", "ls", true), ("zsh", "ls", true),
    ("console", "$ oc get nodes", true), ("shell-session", "$ oc get nodes", true),
    ("yaml", "a: b", false), ("json", "{\"a\": 1}", false), ("promql", "sum(rate(x[5m]))", false),
    ("text", "echo hi", false), ("log", "echo hi", false), ("output", "echo hi", false),
    ("sh {norun}", "rm -rf /tmp/x", false), ("sh {check}", "true", false), ("python", "print(1)", false),
    ("console", "no prompt, only output", false),
    ("", "kubectl get pods -A", true), ("", "./install.sh --yes", true), ("", "FOO=bar make", true),
    ("", "apiVersion: v1", false), ("", "{\"key\": 1}", false),
    ("", "sum(rate(http_requests_total[5m]))", false),
    ("", "2024-01-01T00:00:00Z ERROR something broke", false), ("", "- item", false),
    ("", "Some prose that happens to be in a block", false),
  ])
  func whichBlocksAreOffered(_ c: (String, String, Bool)) throws {
    let code = try block(c.0, c.1)
    #expect(code.isOfferedShellBlock == c.2, "```\(c.0) \(c.1)")
    #expect(code.runs(offeringShellBlocks: false) == false || code.isCommand)
  }

  @Test func runForcesAndNorunRefuses() throws {
    #expect(try block("yaml {run}", "a: b").runs(offeringShellBlocks: false))
    #expect(try block("sh {norun}", "ls").runs(offeringShellBlocks: true) == false)
    #expect(try block("sh", "ls").runs(offeringShellBlocks: true))
    #expect(try block("sh", "ls").runs(offeringShellBlocks: false) == false)
  }

  @Test func variablesReadAndSet() {
    let scan = ShellVariables(
      """
      export A=1 B
      C+=x; arr[2]=y
      read -r -p 'Name? ' NAME OTHER
      for host in a b; do echo "$host $D ${E:-x} ${#F[@]}"; done
      echo '$NOT_READ' "$G" # $COMMENT
      cat <<'EOF'
      $QUOTED_HEREDOC
      EOF
      cat <<EOF
      $UNQUOTED_HEREDOC
      EOF
      mapfile -t lines < file
      echo $1 $? $@ $$
      """)
    #expect(scan.sets == ["A", "C", "arr", "NAME", "OTHER", "host", "lines"])
    #expect(scan.reads.map(\.name) == ["host", "D", "E", "F", "G", "UNQUOTED_HEREDOC"])
    #expect(!scan.opaque)
    #expect(ShellVariables("source ./env.sh").opaque)
  }

  @Test func variablesNothingSetsBecomeInputsAndOthersDoNot() throws {
    let guide = """
      ## Fix

      1. Set the namespace:

         ```sh
         export NS=openshift-monitoring
         ```

      2. Look at the node that fired the alert:

         ```console
         $ oc debug node/$NODE -n $NS -- chroot /host journalctl -u ${UNIT}
         <output line with $NOT_A_VARIABLE and <a placeholder>>
         ```

      3. As home: `$HOME`

         ```sh
         ls "$HOME" "$PWD" $RUNBOOK_INPUT_X "$LATER"
         ```

      4. Too late:

         ```sh
         LATER=1
         ```
      """
    let runbook = RunbookCompiler().compile(guide, file: "t.md")
    let node = try #require(runbook.input("node"))
    #expect(node.variable == "NODE")
    #expect(node.label == "NODE (Look at the node that fired the alert)")
    #expect(node.firstUsedIn == runbook.allSteps[1].id)
    #expect(runbook.input("unit")?.variable == "UNIT")
    for absent in ["ns", "home", "pwd", "not_a_variable", "a_placeholder", "later", "runbook_input_x"] {
      #expect(runbook.input(absent) == nil, "\(absent) should not be an input")
    }
    let lint = Linter().lint(runbook).filter { $0.code == "unset-variable" }
    #expect(lint.count == 1)
    #expect(lint.first?.message.contains("`$LATER` is read here but only set by a later block") == true)
  }

  @Test func outputIsNeverScannedForPlaceholders() throws {
    let guide = """
      ## Look

      1. List:

         ```console
         $ kubectl get pods -n <namespace>
         NAME        STATUS
         <pod-name>  Running
         ```

      2. The log says:

         ```log
         error: <resource name> not found
         ```

      3. Also text:

         ```text
         <something else>
         ```
      """
    let runbook = RunbookCompiler().compile(guide, file: "t.md")
    #expect(runbook.inputs.map(\.id) == ["namespace"])
    #expect(runbook.allSteps[0].usedPlaceholders == ["namespace"])
  }

  /// A shell block written with `$ ` prompts (as TargetDown.md does) runs its commands, not the
  /// `$`; its `#` lines stay comments and its other lines are the expected output. A shell
  /// block without such a line runs as written, comments and all.
  @Test func shellBlocksWithPromptsRunTheirCommands() throws {
    let prompted = try blocks(
      """
      ## S

      1. Look:

         ```shell
         # NAMESPACE='<value of namespace label from alert>'

         $ oc -n $NAMESPACE logs -l 'app=x' | \\
         grep 'Failed'
         level=error msg="Failed to determine"
         $ oc get pods
         ```
      """
    ).first.map { $0 }
    let code = try #require(prompted)
    #expect(code.isTranscript)
    #expect(code.runnableText == "oc -n $NAMESPACE logs -l 'app=x' | \\\ngrep 'Failed'\noc get pods")
    #expect(code.expectedOutput == "level=error msg=\"Failed to determine\"")
    let runbook = RunbookCompiler().compile(
      "## S\n\n1. Look:\n\n   ```shell\n   # NAMESPACE='<namespace>'\n   $ oc -n $NAMESPACE get pods\n   ```\n",
      file: "t.md")
    #expect(runbook.input("namespace")?.variable == "NAMESPACE", "the variable the command reads is asked")
    // `show` says how the block is read.
    #expect(
      RunbookOutline.render(runbook).contains(
        "· code: shell, 2 line(s); a transcript: its prompted lines run\n"))

    let script = try block("bash", "# list them\n   ls -l $HOME")
    #expect(!script.isTranscript)
    #expect(script.runnableText.hasPrefix("# list them\nls -l $HOME"))
    let root = try block("console", "# systemctl restart x\n   $ echo done")
    #expect(root.runnableText == "systemctl restart x\necho done", "in a console block `# ` is a root prompt")
  }

  /// The OpenShift runbooks of the shared corpus: the variables a reader supplies become
  /// inputs; those a block sets before they are read do not.
  @Test(.enabled(if: Paths.corpus != nil))
  func openshiftRunbooks() throws {
    let folder = try #require(Paths.corpus).appendingPathComponent("openshift-runbooks")
    func compile(_ name: String) throws -> Runbook {
      let path = folder.appendingPathComponent(name).path
      return RunbookCompiler().compile(try GuideLoader.read(path), file: path)
    }
    let degraded = try compile("ClusterOperatorDegraded.md")
    #expect(degraded.input("clusteroperator")?.variable == "CLUSTEROPERATOR")
    let target = try compile("TargetDown.md")
    #expect(target.input("namespace")?.variable == "NAMESPACE")
    // Set by the block that reads it (`NAMESPACE='<namespace label from alert>'`): the
    // placeholder is the input, the variable is not.
    let filling = try compile("KubePersistentVolumeFillingUp.md")
    #expect(filling.input("namespace") == nil)
    #expect(filling.input("pvc_name") == nil)
    #expect(filling.inputs.contains { $0.id == "namespace_label_from_alert" })
  }
}
