import Foundation

/// SplitMix64: small, fast and the same on every platform, so a seed always gives the same files.
struct PRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// 0..<n
  mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + int(r.count) }
  mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
  mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
}

/// Writes guides that look like real setup guides: front matter with inputs, sections,
/// numbered steps with nested and lettered sub-steps, tables, admonitions and alerts, code
/// blocks (some `{run}`/`{check}`), images, bullets, task lists, step pins and, in `.mdx`
/// files, Docusaurus `<Tabs>`.
struct GuideGenerator {
  var rng: PRNG

  static let products = [
    "Appsmith", "Keycloak", "GitLab", "Grafana", "Vault", "Nextcloud", "Jenkins", "PostgreSQL",
    "Redis", "Kafka", "Nginx", "Traefik", "OpenSearch", "MinIO", "Harbor", "ArgoCD", "Okta",
    "Azure AD", "Amazon Cognito", "Google Workspace", "Auth0", "OneLogin", "Kubernetes", "etcd",
  ]
  static let verbs = [
    "Open", "Select", "Choose", "Enter", "Copy", "Paste", "Click", "Create", "Configure", "Enable",
    "Disable", "Restart", "Verify", "Check", "Download", "Upload", "Add", "Remove", "Save", "Note",
  ]
  static let objects = [
    "the admin console", "**Settings > Authentication**", "the **Client ID** field", "the user pool",
    "an app client", "the redirect URL", "a new API token", "the TLS certificate", "the DNS record",
    "**Save changes**", "the service account", "the `values.yaml` file", "the instance",
    "the environment variables", "the firewall rule", "**Identity providers**", "the load balancer",
    "the backup bucket", "the database user", "the signing key", "the cluster role binding",
  ]
  static let words =
    ("the a to of and in for is on with that this you your it as be are from or by can at not "
    + "when will an if use must before after each then so all its only one more new set up "
    + "user users admin server instance cluster service account access token key secret "
    + "certificate domain host port network storage volume backup restore configuration "
    + "setting value field page button menu option provider identity login sign session "
    + "request response endpoint address region zone node pod container image release version").split(
      separator: " "
    ).map(String.init)
  static let headings = [
    "Before you begin", "Prerequisites", "Create the user pool", "Configure the app client",
    "Set up the domain", "Install the agent", "Configure TLS", "Back up the data",
    "Restore from a backup", "Upgrade the instance", "Verify the installation", "Troubleshooting",
    "Rotate the credentials", "Connect the database", "Configure single sign-on", "Clean up",
    "Add users", "Set up monitoring", "Configure the proxy", "Next steps", "Enable audit logs",
  ]
  static let inputNames = [
    "region", "user_pool_id", "client_id", "client_secret", "domain", "admin_email", "db_host",
    "db_port", "db_name", "db_password", "namespace", "cluster_name", "api_token", "bucket_name",
    "release_version", "instance_url", "tenant_id", "issuer_url", "smtp_host", "replicas",
  ]
  static let admonitions = ["note", "tip", "info", "caution", "warning", "danger", "important"]
  static let alerts = ["[!NOTE]", "[!TIP]", "[!IMPORTANT]", "[!WARNING]", "[!CAUTION]"]
  static let commands = [
    "kubectl get pods -n <namespace>", "curl -fsS https://<domain>/health",
    "aws cognito-idp describe-user-pool --user-pool-id <user_pool_id> --region <region>",
    "systemctl restart nginx", "docker compose pull && docker compose up -d",
    "psql -h <db_host> -p <db_port> -U admin -d <db_name> -c 'select 1'",
    "helm upgrade --install app ./chart -n <namespace> --set replicas=<replicas>",
    "openssl s_client -connect <domain>:443 -servername <domain> </dev/null",
    "vault kv get secret/app", "journalctl -u app --since '10 min ago' --no-pager",
    "tar czf backup-$(date +%F).tgz /var/lib/app", "etcdctl endpoint health --cluster",
  ]

  init(seed: UInt64) { rng = PRNG(seed: seed) }

  // MARK: - Pieces

  mutating func sentence(_ min: Int = 6, _ max: Int = 18, plain: Bool = false) -> String {
    var parts: [String] = []
    for i in 0..<rng.int(min...max) {
      var w = rng.pick(Self.words)
      switch plain ? 99 : rng.int(40) {
      case 0: w = "**\(w)**"
      case 1: w = "`\(w)`"
      case 2: w = "*\(w)*"
      case 3: w = "[\(w)](https://docs.example.com/\(w))"
      default: break
      }
      parts.append(i == 0 ? w.prefix(1).uppercased() + w.dropFirst() : w)
    }
    return parts.joined(separator: " ") + "."
  }

  mutating func paragraph(indent: String = "", sentences: ClosedRange<Int> = 1...4) -> String {
    var lines: [String] = []
    var line = ""
    for _ in 0..<rng.int(sentences) {
      line += (line.isEmpty ? "" : " ") + sentence()
      if line.count > 70 {
        lines.append(indent + line)
        line = ""
      }
    }
    if !line.isEmpty { lines.append(indent + line) }
    return lines.joined(separator: "\n") + "\n"
  }

  mutating func stepTitle(_ inputs: [String]) -> String {
    var t = "\(rng.pick(Self.verbs)) \(rng.pick(Self.objects))"
    if !inputs.isEmpty, rng.chance(0.15) { t += " and enter `<\(rng.pick(inputs))>`" }
    if rng.chance(0.3) { t += " in \(rng.pick(Self.products))" }
    return t + (rng.chance(0.2) ? ":" : ".")
  }

  mutating func codeBlock(indent: String, inputs: [String]) -> String {
    let lang = rng.pick(["sh", "bash", "console", "yaml", "json", "shell", "text"])
    var info = lang
    switch rng.int(6) {
    case 0: info += " {run}"
    case 1: info += " {check timeout=30s}"
    case 2: info += " {check retries=3 interval=5s expect=\"ok|healthy\"}"
    default: break
    }
    var body: [String] = []
    if lang == "yaml" {
      body = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: app-config", "data:"]
      for _ in 0..<rng.int(2...8) {
        body.append("  \(rng.pick(Self.words))_\(rng.int(99)): \"\(rng.pick(Self.words))\"")
      }
    } else if lang == "json" {
      body = ["{"]
      for i in 0..<rng.int(2...6) { body.append("  \"\(rng.pick(Self.words))\": \(i),") }
      body.append("  \"end\": true")
      body.append("}")
    } else {
      for _ in 0..<rng.int(1...5) {
        var c = rng.pick(Self.commands)
        if inputs.isEmpty || rng.chance(0.3) {
          c = c.replacingOccurrences(of: "<", with: "").replacingOccurrences(of: ">", with: "")
        } else if rng.chance(0.9) {
          // Mostly the guide's declared inputs; now and then one it forgot to declare.
          for name in Self.inputNames where c.contains("<\(name)>") {
            c = c.replacingOccurrences(of: "<\(name)>", with: "<\(rng.pick(inputs))>")
          }
        }
        body.append(c)
      }
    }
    return indent + "```" + info + "\n" + body.map { indent + $0 }.joined(separator: "\n") + "\n" + indent
      + "```\n"
  }

  mutating func table(indent: String, inputs: [String]) -> String {
    let cols = rng.int(2...4)
    let headers = ["Field", "Value", "Notes", "Default", "Required"].prefix(cols)
    var out = indent + "| " + headers.joined(separator: " | ") + " |\n"
    out += indent + "|" + Array(repeating: "---", count: cols).joined(separator: "|") + "|\n"
    for _ in 0..<rng.int(2...7) {
      var cells: [String] = ["**\(rng.pick(Self.words).capitalized) \(rng.pick(Self.words))**"]
      for _ in 1..<cols {
        if !inputs.isEmpty, rng.chance(0.3) {
          cells.append("`<\(rng.pick(inputs))>`")
        } else {
          cells.append(
            rng.chance(0.5) ? "`\(rng.pick(Self.words))`" : "\(rng.pick(Self.words)) \(rng.pick(Self.words))")
        }
      }
      out += indent + "| " + cells.joined(separator: " | ") + " |\n"
    }
    return out
  }

  mutating func image(indent: String) -> String {
    let name = "\(rng.pick(Self.words))-\(rng.int(999)).png"
    if rng.chance(0.25) { return indent + "<img src=\"/img/\(name)\" alt=\"Screenshot\" width=\"600\" />\n" }
    return indent + "![\(rng.pick(Self.objects).replacingOccurrences(of: "*", with: ""))](/img/\(name))\n"
  }

  mutating func admonition(inputs: [String]) -> String {
    if rng.chance(0.3) {
      return "> \(rng.pick(Self.alerts))\n> " + sentence() + "\n> " + sentence() + "\n"
    }
    let kind = rng.pick(Self.admonitions)
    let title = rng.chance(0.4) ? " \(rng.pick(Self.headings))" : ""
    return ":::\(kind)\(title)\n" + paragraph(sentences: 1...3) + ":::\n"
  }

  /// One numbered step with what real guides put under it.
  mutating func step(
    number: Int, indent: String, depth: Int, inputs: [String], pin: Bool
  ) -> String {
    var out = ""
    if pin { out += indent + "<!-- step: \(rng.pick(Self.verbs).lowercased())-\(rng.int(99_999)) -->\n\n" }
    let marker = "\(number). "
    let inner = indent + String(repeating: " ", count: marker.count)
    out += indent + marker + stepTitle(inputs) + "\n"
    // Lettered sub-steps in the same paragraph.
    if rng.chance(0.08) {
      for l in ["a", "b", "c"].prefix(rng.int(2...3)) { out += inner + "\(l). \(stepTitle(inputs))\n" }
    }
    var extras = rng.int(0...3)
    while extras > 0 {
      extras -= 1
      out += "\n"
      switch rng.int(12) {
      case 0, 1: out += paragraph(indent: inner, sentences: 1...2)
      case 2, 3: out += codeBlock(indent: inner, inputs: inputs)
      case 4: out += image(indent: inner)
      case 5: out += table(indent: inner, inputs: inputs)
      case 6:
        for _ in 0..<rng.int(2...4) { out += inner + "- " + sentence(4, 10) + "\n" }
      case 7 where depth < 3:
        // Nested numbered sub-steps.
        for n in 1...rng.int(2...4) {
          out += step(number: n, indent: inner, depth: depth + 1, inputs: inputs, pin: false)
        }
      case 8:
        // Lettered sub-steps as their own paragraphs.
        for (i, l) in ["a", "b", "c", "d"].prefix(rng.int(2...4)).enumerated() {
          if i > 0 { out += "\n" }
          out += inner + "\(l). \(stepTitle(inputs))\n"
        }
      case 9: out += inner + ":::tip\n" + paragraph(indent: inner, sentences: 1...2) + inner + ":::\n"
      default: out += paragraph(indent: inner, sentences: 1...1)
      }
    }
    return out
  }

  mutating func steps(count: Int, start: Int = 1, inputs: [String]) -> String {
    var out = ""
    for i in 0..<count {
      if i > 0 { out += rng.chance(0.4) ? "\n" : "" }
      out += step(number: start + i, indent: "", depth: 0, inputs: inputs, pin: rng.chance(0.03))
    }
    return out
  }

  mutating func tabs(inputs: [String]) -> String {
    var out = "<Tabs>\n"
    for label in ["Linux", "macOS", "Windows"].prefix(rng.int(2...3)) {
      out += "<TabItem value=\"\(label.lowercased())\" label=\"\(label)\">\n\n"
      out += steps(count: rng.int(1...3), inputs: inputs)
      out += "\n</TabItem>\n"
    }
    return out + "</Tabs>\n"
  }

  /// One `##` section and, sometimes, a `###` under it.
  mutating func section(title: String, mdx: Bool, inputs: [String]) -> String {
    var out = "## \(title)\n\n"
    out += paragraph() + "\n"
    if rng.chance(0.3) { out += admonition(inputs: inputs) + "\n" }
    switch rng.int(10) {
    case 0:
      // Task list.
      for _ in 0..<rng.int(2...6) { out += "- [\(rng.chance(0.2) ? "x" : " ")] \(stepTitle(inputs))\n" }
    case 1:
      out += table(indent: "", inputs: inputs)
      out += "\n" + paragraph()
    case 2 where mdx:
      out += tabs(inputs: inputs)
    case 3:
      // A list broken by an image, continued.
      let first = rng.int(2...3)
      out += steps(count: first, inputs: inputs) + "\n" + image(indent: "") + "\n"
      out += steps(count: rng.int(1...3), start: first + 1, inputs: inputs)
    case 4:
      for _ in 0..<rng.int(3...6) { out += "- " + sentence(4, 12) + "\n" }
    default:
      out += steps(count: rng.int(2...8), inputs: inputs)
    }
    if rng.chance(0.3) { out += "\n" + paragraph(sentences: 1...2) }
    if rng.chance(0.2) {
      out += "\n### \(rng.pick(Self.headings))\n\n" + paragraph()
      out += "\n" + steps(count: rng.int(1...4), inputs: inputs)
    }
    return out + "\n"
  }

  mutating func frontMatter(title: String, id: String, inputs: [String]) -> String {
    var out = "---\ntitle: \(title)\nid: \(id)\ndescription: \(sentence(6, 12, plain: true))\n"
    if rng.chance(0.5) { out += "sidebar_position: \(rng.int(1...20))\n" }
    if !inputs.isEmpty {
      out += "inputs:\n"
      for name in inputs {
        switch rng.int(5) {
        case 0:
          out +=
            "  \(name): {label: \(name.replacingOccurrences(of: "_", with: " ").capitalized), secret: true}\n"
        case 1:
          out +=
            "  \(name): {label: \(name.replacingOccurrences(of: "_", with: " ").capitalized), example: x-\(rng.int(999))}\n"
        default:
          out += "  \(name):\n    label: \(name.replacingOccurrences(of: "_", with: " ").capitalized)\n"
          out += "    help: \(sentence(6, 14, plain: true))\n"
          out +=
            "    example: \(name == "db_port" || name == "replicas" ? "\(rng.int(1...9000))" : "example-\(rng.int(999))")\n"
          if name == "db_port" || name == "replicas" {
            out += "    type: number\n"
          } else {
            out += "    pattern: '^[a-z0-9-]+$'\n    message: Use lowercase letters, digits and hyphens.\n"
          }
        }
      }
    }
    return out + "---\n\n"
  }

  /// A whole guide of roughly `size` bytes.
  mutating func guide(index: Int, size: Int, mdx: Bool) -> String {
    let product = rng.pick(Self.products)
    let title = "\(rng.pick(Self.headings)) for \(product)"
    let inputs = Array(Self.inputNames.shuffled(using: &rng).prefix(rng.int(0...5)))
    var out = ""
    if rng.chance(0.7) { out += frontMatter(title: title, id: "guide-\(index)", inputs: inputs) }
    if mdx {
      out += "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n"
    }
    if rng.chance(0.8) { out += "# \(title)\n\n" }
    out += paragraph() + "\n"
    var n = 0
    while true {
      n += 1
      let heading =
        rng.chance(0.5) ? rng.pick(Self.headings) : "\(rng.pick(Self.verbs)) \(rng.pick(Self.words)) \(n)"
      let next = section(title: heading, mdx: mdx, inputs: inputs)
      // Stop at the section count that lands closest to the size asked for (at least one).
      let short = size - out.utf8.count
      if n > 1, out.utf8.count + next.utf8.count - size > short { break }
      out += next
      if out.utf8.count >= size { break }
    }
    return out
  }
}

/// Writes the corpus and the big guide into `dir`.
func generateGuides(into dir: String, seed: UInt64, count: Int, totalBytes: Int, bigBytes: Int) throws {
  let fm = FileManager.default
  let corpus = dir + "/corpus"
  try fm.createDirectory(atPath: corpus, withIntermediateDirectories: true)
  var sizer = PRNG(seed: seed ^ 0xC0FFEE)
  // Sizes skewed like real documentation: many short pages, a few long ones (log-uniform 0.8–16 KB),
  // then scaled to the requested total.
  var raw: [Double] = (0..<count).map { _ in
    exp(log(800.0) + Double(sizer.next() >> 11) / Double(1 << 53) * (log(16_000.0) - log(800.0)))
  }
  let scale = Double(totalBytes) / raw.reduce(0, +)
  raw = raw.map { $0 * scale }
  var written = 0
  for i in 0..<count {
    var gen = GuideGenerator(seed: seed &+ UInt64(i) &* 7919)
    let mdx = i % 5 == 4
    let text = gen.guide(index: i, size: Int(raw[i]), mdx: mdx)
    let number = String(i)
    let name =
      corpus + "/guide-" + String(repeating: "0", count: max(0, 3 - number.count)) + number
      + (mdx ? ".mdx" : ".md")
    try text.write(toFile: name, atomically: false, encoding: .utf8)
    written += text.utf8.count
  }
  var gen = GuideGenerator(seed: seed &+ 0xB16)
  let big = gen.guide(index: 9999, size: bigBytes, mdx: true)
  try big.write(toFile: dir + "/big.md", atomically: false, encoding: .utf8)
  print("corpus\t\(count) files\t\(written) bytes")
  print("big\t\(big.utf8.count) bytes")
}
