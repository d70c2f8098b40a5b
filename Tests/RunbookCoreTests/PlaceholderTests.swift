import Testing

@testable import RunbookCore

@Suite struct PlaceholderTests {
  @Test(arguments: [
    ("user-pool-Id", "user_pool_id"), ("YOUR_LICENSE_KEY", "your_license_key"),
    ("database name", "database_name"), ("your_user-pool_domain", "your_user_pool_domain"),
    ("--region--", "region"), ("Clé d'accès", "clé_d_accès"),
  ])
  func normalisesIDs(name: String, id: String) {
    #expect(Placeholder.normalize(name) == id)
  }

  @Test func findsPlaceholdersAndSkipsHTMLAndShell() {
    let text =
      "x=<region> <br/> <div> <dd> List<String> cat <<EOF a < b > c <https://x> <a@b> <EntityDescriptor> <X509Certificate> <none> <Region>"
    #expect(Placeholder.scan(text).map(\.id) == ["region", "region"])
  }

  @Test func reportsLineAndByteColumn() {
    let found = Placeholder.scan("one\n  é <two>\n")
    #expect(found.count == 1)
    #expect(found[0].line == 1 && found[0].utf8Column == 5)
  }

  @Test func substitutesKnownAndKeepsUnknown() {
    let out = Placeholder.substitute("--region <region> --pool <pool>") {
      $0.id == "region" ? "'eu-west-1'" : nil
    }
    #expect(out == "--region 'eu-west-1' --pool <pool>")
  }

  /// The byte scan used for ASCII text must find exactly what the `Character` scan finds: same
  /// names, ids, offsets, lines and columns, on text built to hit every rule's edge.
  @Test func asciiScanAgreesWithCharacterScan() {
    var generator = SplitMix(seed: 2026)
    let pieces = [
      "<", ">", "<<", "_", "-", ".", " ", "\n", "\t", "a", "Z", "0", "9", "x", "Id", "br", "div", "none",
      "EntityDescriptor", "X509", "/", "@", "=", "List", String(repeating: "n", count: 79), "pool-id",
      "<region>", "DIV", "Br", "NONE", "Null", "aB", "X1y",
    ]
    var checked = 0
    for _ in 0..<20_000 {
      var text = ""
      for _ in 0..<Int(generator.next() % 24) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
      guard let fast = Placeholder.scanASCII(text) else {
        Issue.record("ASCII text refused: \(text.debugDescription)")
        return
      }
      #expect(fast == Placeholder.scanCharacters(text), "\(text.debugDescription)")
      checked += fast.count
    }
    #expect(checked > 1_000)  // the generator does produce placeholders
    #expect(Placeholder.scanASCII("caf\u{E9} <x>") == nil)
    #expect(Placeholder.scanASCII("a\r\n<x>") == nil)
  }
}
