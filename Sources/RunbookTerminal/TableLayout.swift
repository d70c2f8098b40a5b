/// Column widths for a table that must fit a width.
enum TableLayout {
  /// The narrowest a shrunk column gets.
  static let minimumColumnWidth = 2

  /// Natural widths when they fit. Otherwise columns narrower than an even share keep their
  /// width, and the others shrink in proportion to their natural widths.
  static func fit(_ natural: [Int], into available: Int) -> [Int] {
    guard natural.reduce(0, +) > available, !natural.isEmpty else { return natural }
    var widths = natural
    var remaining = max(available, minimumColumnWidth * natural.count)
    var flexible = Array(natural.indices)
    while !flexible.isEmpty {
      let share = remaining / flexible.count
      let narrow = flexible.filter { natural[$0] <= share }
      if narrow.isEmpty { break }
      for column in narrow { remaining -= natural[column] }
      flexible.removeAll { narrow.contains($0) }
    }
    guard !flexible.isEmpty else { return widths }
    let total = flexible.reduce(0) { $0 + natural[$1] }
    var given = 0
    for column in flexible {
      widths[column] = max(minimumColumnWidth, natural[column] * remaining / total)
      given += widths[column]
    }
    // Hand out what rounding down left over, widest natural first.
    var spare = remaining - given
    for column in flexible.sorted(by: { natural[$0] > natural[$1] }) where spare > 0 {
      widths[column] += 1
      spare -= 1
    }
    return widths
  }
}
