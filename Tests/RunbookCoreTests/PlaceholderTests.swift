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
}
