import Foundation
import RunbookTestSupport
import Testing

/// Issue 16's "done when": two chapters of Kubernetes the Hard Way, read in place from the shared
/// corpus (their text is not ours to copy), run unattended with `--run-shell-blocks` in a scratch
/// directory: one shell session per run carries the `certs` array of one block into the loop of
/// the next, and the `export ENCRYPTION_KEY=…` of one block into `envsubst` in the next.
@Suite struct CorpusShellTests {
  static var chapters: URL? {
    Paths.corpus?.appendingPathComponent("kubernetes-the-hard-way")
  }

  /// What the tutorial's repository provides beside the chapters, made minimal here:
  /// - `ca.conf`: an OpenSSL configuration with the default `[req]` section for the CA (chapter
  ///   04's `openssl req -x509 -config ca.conf`) and one section per certificate the chapter's
  ///   loop asks for with `-section NAME`, each with just a common name;
  /// - `configs/encryption-config.yaml`: the template chapter 06 fills with `envsubst`, with the
  ///   `${ENCRYPTION_KEY}` it expects;
  /// - `bin/ssh` and `bin/scp`: the chapters copy the results to the cluster's machines, which a
  ///   test does not have; these stand-ins record their arguments in `remote.log` and succeed.
  func scratch() throws -> URL {
    let dir = Paths.temporaryDirectory("kthw")
    let names = [
      "admin", "node-0", "node-1", "kube-proxy", "kube-scheduler", "kube-controller-manager",
      "kube-api-server", "service-accounts",
    ]
    var conf = """
      [req]
      distinguished_name = req_dn
      prompt = no
      x509_extensions = ca_x509

      [req_dn]
      CN = Test CA

      [ca_x509]
      basicConstraints = critical, CA:TRUE
      keyUsage = critical, keyCertSign, cRLSign

      """
    for name in names {
      conf += "\n[\(name)]\ndistinguished_name = \(name)_dn\nprompt = no\n\n[\(name)_dn]\nCN = \(name)\n"
    }
    try conf.write(to: dir.appendingPathComponent("ca.conf"), atomically: true, encoding: .utf8)
    let configs = dir.appendingPathComponent("configs")
    try FileManager.default.createDirectory(at: configs, withIntermediateDirectories: true)
    try """
    kind: EncryptionConfiguration
    apiVersion: apiserver.config.k8s.io/v1
    resources:
      - resources:
          - secrets
        providers:
          - aescbc:
              keys:
                - name: key1
                  secret: ${ENCRYPTION_KEY}
          - identity: {}

    """.write(to: configs.appendingPathComponent("encryption-config.yaml"), atomically: true, encoding: .utf8)
    let bin = dir.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    for program in ["ssh", "scp"] {
      let path = bin.appendingPathComponent(program)
      try "#!/bin/sh\necho \"\(program) $*\" >> \"\(dir.path)/remote.log\"\n".write(
        to: path, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
    }
    return dir
  }

  static func has(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
  }

  @Test(.enabled(if: chapters != nil && has("openssl") && has("envsubst")))
  func certificatesAndEncryptionConfigInOneSessionEach() throws {
    let chapters = try #require(Self.chapters)
    let dir = try scratch()
    let path = "\(dir.path)/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

    let certificates = try RunbookProcess.run(
      [
        "run", chapters.appendingPathComponent("04-certificate-authority.md").path, "--yes",
        "--run-shell-blocks",
      ],
      environment: ["PATH": path], directory: dir)
    #expect(certificates.status == 0, "\(certificates.stdout)\(certificates.stderr)")
    for name in [
      "ca", "admin", "node-0", "node-1", "kube-proxy", "kube-scheduler", "kube-controller-manager",
      "kube-api-server", "service-accounts",
    ] {
      for ext in ["crt", "key"] {
        #expect(
          FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(name).\(ext)").path),
          "\(name).\(ext) is missing")
      }
    }
    // The certificates are signed by the CA the first block made.
    let verify = Process()
    verify.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    verify.arguments = ["openssl", "verify", "-CAfile", "ca.crt", "admin.crt"]
    verify.currentDirectoryURL = dir
    verify.standardOutput = FileHandle.nullDevice
    try verify.run()
    verify.waitUntilExit()
    #expect(verify.terminationStatus == 0)
    // The copy steps ran, through the stand-ins, with the loop's variables filled in.
    let remote = (try? String(contentsOf: dir.appendingPathComponent("remote.log"), encoding: .utf8)) ?? ""
    #expect(remote.contains("scp node-1.crt root@node-1:/var/lib/kubelet/kubelet.crt"), "\(remote)")

    let encryption = try RunbookProcess.run(
      [
        "run", chapters.appendingPathComponent("06-data-encryption-keys.md").path, "--yes",
        "--run-shell-blocks",
      ],
      environment: ["PATH": path], directory: dir)
    #expect(encryption.status == 0, "\(encryption.stdout)\(encryption.stderr)")
    let config = try String(contentsOf: dir.appendingPathComponent("encryption-config.yaml"), encoding: .utf8)
    let secret = config.split(separator: "\n").first { $0.contains("secret:") }.map {
      $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
    }
    #expect((secret ?? "").count >= 40, "\(config)")
    #expect(Data(base64Encoded: secret ?? "")?.count == 32, "\(config)")
    // The key itself is never written to the state: only that the block set ENCRYPTION_KEY.
    let states = try FileManager.default.contentsOfDirectory(
      atPath: dir.appendingPathComponent(".runbook").path)
    let journal = try states.filter { $0.hasSuffix(".jsonl") }.map {
      try String(contentsOf: dir.appendingPathComponent(".runbook/\($0)"), encoding: .utf8)
    }.joined()
    #expect(journal.contains("\"variables\":[\"ENCRYPTION_KEY\"]"))
    #expect(!journal.contains(secret ?? "no secret"))
  }
}
