import Foundation
import Testing

@testable import RunbookMarkdown

/// cmark allocates from a per-parse arena (``CmarkArena``) for texts up to
/// ``MarkdownParser/arenaLimit``, and from the system above it. The allocator must never show:
/// the same text gives the same document either way.
@Suite struct ArenaParseTests {
  /// The text parsed whole, once with cmark on the arena and once on the system allocator.
  func both(_ text: String) -> (arena: MarkdownDocument, system: MarkdownDocument) {
    var text = text
    return text.withUTF8 { bytes in
      (
        MarkdownParser.parse(bytes: bytes, lineOffset: 0, chunkSize: Int.max / 4, arenaLimit: Int.max),
        MarkdownParser.parse(bytes: bytes, lineOffset: 0, chunkSize: Int.max / 4, arenaLimit: -1)
      )
    }
  }

  @Test(arguments: ChunkedParseTests.tricky + ["", "\n", "x", "# only a heading"])
  func trickyDocumentsParseTheSame(_ text: String) {
    let (arena, system) = both(text)
    #expect(arena == system)
  }

  @Test func fixturesAndCorpusParseTheSame() throws {
    let guides = try TestGuides.all()
    for (name, text) in guides {
      let (arena, system) = both(text)
      #expect(arena == system, "\(name)")
    }
    #expect(guides.count > 50)
  }

  /// A document that makes the arena grow chunk after chunk, hand out buffers larger than a
  /// quarter of a chunk (a long code block, a long paragraph line), and grow cmark's string
  /// buffers in place and by copying across chunk ends.
  @Test func largeAndGrowingAllocationsParseTheSame() {
    var text = "# Big\n\n"
    for i in 0..<2_000 {
      text +=
        "\(i + 1). Step \(i) with `code`, **bold**, [a link](https://example.com/\(i)) and www.x\(i).org\n"
      if i % 97 == 0 {
        text += "\n   | a | b |\n   |---|---|\n   | \(i) | <x> |\n\n"
      }
    }
    // Blocks whose text grows line by line past the end of a chunk, so cmark's buffers are
    // copied to new chunks with their contents, and whose lines are long.
    text += "\n```sh\n" + (0..<20_000).map { "echo line \($0) of a long script\n" }.joined() + "```\n\n"
    text += (0..<20_000).map { "word \($0) of a paragraph" }.joined(separator: "\n") + "\n\n"
    text += String(repeating: "word ", count: 100_000) + "\n\n"
    text += (0..<500).map { "> quote \($0)\n>\n> - item\n" }.joined() + "\n"
    #expect(text.utf8.count > 2 * MarkdownParser.arenaLimit)
    let (arena, system) = both(text)
    #expect(arena == system)
    #expect(arena.blocks.count > 5)
  }
}

/// The allocator itself, driven the way cmark drives it: many small blocks, a few large ones,
/// and buffers grown again and again, some while they are the last block and some after others.
@Suite struct CmarkArenaTests {
  @Test func blocksAreZeroedAlignedSeparateAndKeepTheirContentsWhenGrown() {
    CmarkArena.withState(sizedFor: 0) { state in
      var blocks: [(pointer: UnsafeMutableRawPointer, size: Int, fill: UInt8)] = []
      var seed: UInt64 = 7
      func random(below n: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(seed >> 33) % n
      }
      func holds(_ block: (pointer: UnsafeMutableRawPointer, size: Int, fill: UInt8)) -> Bool {
        (0..<block.size).allSatisfy { block.pointer.load(fromByteOffset: $0, as: UInt8.self) == block.fill }
      }
      for step in 0..<2_000 {
        let fill = UInt8(truncatingIfNeeded: step % 251 + 1)
        if blocks.isEmpty || random(below: 3) > 0 {
          // Mostly node-sized, sometimes larger than a quarter of a chunk.
          let size = random(below: 20) == 0 ? 9_000 + random(below: 50_000) : random(below: 300)
          let pointer = CmarkArena.allocate(state, size)
          #expect(Int(bitPattern: pointer) % 8 == 0)
          #expect((0..<size).allSatisfy { pointer.load(fromByteOffset: $0, as: UInt8.self) == 0 })
          pointer.initializeMemory(as: UInt8.self, repeating: fill, count: size)
          blocks.append((pointer, size, fill))
        } else {
          // Grow the last block (in place when it fits) or an older one (a copy).
          let index = random(below: 2) == 0 ? blocks.count - 1 : random(below: blocks.count)
          let old = blocks[index]
          let size = old.size + random(below: 3) * random(below: 5_000)
          let pointer = CmarkArena.reallocate(state, old.pointer, size)
          #expect(holds((pointer, old.size, old.fill)), "step \(step): contents kept")
          pointer.initializeMemory(as: UInt8.self, repeating: fill, count: size)
          blocks[index] = (pointer, size, fill)
        }
      }
      // No block was handed out twice or overwritten by another.
      #expect(blocks.allSatisfy(holds))
    }
  }
}
