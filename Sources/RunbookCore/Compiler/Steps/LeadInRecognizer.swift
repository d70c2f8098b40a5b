import Foundation
import RunbookMarkdown

/// A lead-in followed by a code block (`Generate the CA key:` then a `bash` block), the way
/// operations runbooks and tutorials write a procedure. The lead-in is a paragraph, or a single
/// bullet right before the code; a command right under a heading has the heading as its
/// lead-in. Runme reads fenced blocks the same way.
///
/// Not every sentence before a code block asks for something: "You should see the following
/// output:" before a `text` block shows a result. A lead-in is a step when it mentions a command
/// ("run the following command") or the block starts with a command (`oc get pods`, `$ …`);
/// otherwise, when it does not describe output ("output", "result", "looks like", "should
/// see"…) and either the block is in a shell language or the lead-in reads as an instruction
/// (a sentence starts with a verb such as Create, Check, Copy, Run).
struct LeadInRecognizer: StepRecognizer {
  func proposals(in nodes: [Node], level: StepLevel) -> [StepProposal] {
    guard level == .section else { return [] }
    var out: [StepProposal] = []
    if case .block(.codeBlock(let code))? = nodes.first,
      CodeKind(code) == .command || Self.startsWithCommand(code)
    {
      out.append(StepProposal(range: 0..<1, kind: .leadIn))
    }
    var index = out.isEmpty ? 0 : 1
    while index + 1 < nodes.count {
      guard case .block(.codeBlock(let code)) = nodes[index + 1], let text = Self.leadInText(nodes[index]),
        Self.isStep(leadIn: text, code: code)
      else {
        index += 1
        continue
      }
      out.append(StepProposal(range: index..<index + 2, kind: .leadIn))
      index += 2
    }
    return out
  }

  /// The text of a node that can lead in: a paragraph, or a bullet list of one item.
  static func leadInText(_ node: Node) -> String? {
    switch node {
    case .block(.paragraph(let inlines, _)):
      return inlines.plainText
    case .block(.list(let list)) where !list.ordered && list.items.count == 1 && list.items[0].task == nil:
      guard case .paragraph(let inlines, _)? = list.items[0].blocks.first,
        !list.items[0].blocks.contains(where: { if case .codeBlock = $0 { true } else { false } })
      else { return nil }
      return inlines.plainText
    default:
      return nil
    }
  }

  static func isStep(leadIn text: String, code: MarkdownCodeBlock) -> Bool {
    let lower = text.lowercased()
    if Self.commandWords.contains(where: { lower.contains($0) }) || startsWithCommand(code) { return true }
    if Self.outputWords.contains(where: { lower.contains($0) }) { return false }
    return CodeKind(code) == .command || startsWithInstruction(text)
  }

  /// Words that name a command to run.
  static let commandWords = [
    "following command", "this command", "run the following", "execute the following", "run:", "run it:",
  ]
  /// Words that introduce what a command prints, not something to do.
  static let outputWords = [
    "output", "result", "should see", "should look", "looks like", "look like", "will be logged", "is logged",
    "will log", "should contain", "should return", "will return", "similar to the following",
    "as shown in the following", "the following example",
  ]

  /// Verbs an instruction starts with.
  static let verbs: Set<String> = [
    "add", "apply", "append", "assign", "attach", "build", "change", "check", "choose", "clean", "click",
    "clone",
    "configure", "confirm", "connect", "copy", "create", "define", "delete", "deploy", "disable", "download",
    "edit", "enable", "ensure", "enter", "execute", "export", "extract", "fetch", "fill", "find", "forward",
    "gather", "generate", "get", "go", "grant", "inspect", "install", "investigate", "launch", "list", "log",
    "login", "make", "modify", "mount", "move", "navigate", "open", "paste", "print", "pull", "push", "query",
    "reboot", "record", "remove", "rename", "replace", "restart", "restore", "retrieve", "review", "run",
    "save", "scale", "select", "set", "sign", "ssh", "start", "stop", "switch", "take", "test", "type",
    "uninstall", "update", "upgrade", "upload", "use", "validate", "verify", "view", "visit", "wait",
  ]

  /// True when a sentence of the text starts with an instruction verb, also after "Then",
  /// "Now", "Next", "First" or "Finally", or after a leading clause ("If you use Helm, run …",
  /// "To check it, open …").
  static func startsWithInstruction(_ text: String) -> Bool {
    let sentences = text.split(whereSeparator: { $0 == "." || $0 == "!" || $0 == "?" || $0 == "\n" })
    for sentence in sentences {
      var clauses = [Substring(sentence)]
      if let comma = sentence.firstIndex(of: ","),
        let first = sentence.split(separator: " ").first?.lowercased(),
        ["if", "to", "when", "once", "in", "after", "before", "on", "for", "from"].contains(first)
      {
        clauses.append(sentence[sentence.index(after: comma)...])
      }
      for clause in clauses {
        var words = clause.split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }
        while let first = words.first,
          ["then", "now", "next", "first", "finally", "also", "please"].contains(first)
        {
          words.removeFirst()
        }
        if let first = words.first, verbs.contains(first) { return true }
      }
    }
    return false
  }

  /// Programs a command line commonly starts with.
  static let programs: Set<String> = [
    "oc", "kubectl", "helm", "docker", "docker-compose", "podman", "git", "curl", "wget", "ssh", "scp",
    "sudo",
    "cd", "ls", "cat", "echo", "export", "systemctl", "journalctl", "etcdctl", "openssl", "apt", "apt-get",
    "yum",
    "dnf", "brew", "npm", "npx", "yarn", "pip", "pip3", "python", "python3", "aws", "gcloud", "az",
    "terraform",
    "make", "mkdir", "cp", "mv", "rm", "chmod", "chown", "tar", "sed", "grep", "awk", "rpm-ostree",
    "envsubst",
    "kubeadm", "minikube", "microk8s", "eksctl", "psql", "mysql", "mongosh", "redis-cli", "rsync", "dig",
    "nslookup", "appsmithctl", "podman-compose", "crictl", "ctr", "virtctl", "tkn", "argocd", "vault",
  ]

  /// True when a code block holds a command: a line starts with a `$ ` prompt, or its first
  /// line starts with a program a command line commonly starts with (`oc get co network`).
  static func startsWithCommand(_ code: MarkdownCodeBlock) -> Bool {
    let lines = code.text.split(separator: "\n").map { $0.drop { $0 == " " || $0 == "\t" } }
    if lines.contains(where: { $0.hasPrefix("$ ") }) { return true }
    guard let first = lines.first(where: { !$0.isEmpty }), let word = first.split(separator: " ").first else {
      return false
    }
    return programs.contains(String(word))
  }

  /// What a code block holds, by its language and, for console transcripts, its prompts.
  enum CodeKind: Equatable {
    case command, output, other

    static let shells: Set<String> = [
      "sh", "bash", "shell", "zsh", "fish", "ksh", "powershell", "pwsh", "ps1", "cmd", "bat", "batch",
    ]
    static let transcripts: Set<String> = ["console", "shell-session", "shellsession", "terminal"]
    static let outputs: Set<String> = ["", "text", "txt", "plain", "plaintext", "output", "log", "logs"]

    init(_ code: MarkdownCodeBlock) {
      let language = code.info.split(separator: " ").first.map { $0.lowercased() } ?? ""
      if Self.shells.contains(language) {
        self = .command
      } else if Self.transcripts.contains(language) {
        let prompted = code.text.split(separator: "\n").contains { line in
          let t = line.drop { $0 == " " }
          return t.hasPrefix("$ ") || t.hasPrefix("# ") || t.hasPrefix("% ") || t.hasPrefix("> ")
        }
        self = prompted ? .command : .output
      } else if Self.outputs.contains(language) {
        self = .output
      } else {
        self = .other
      }
    }
  }
}
