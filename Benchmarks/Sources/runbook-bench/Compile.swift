import BenchCmark
import Foundation
import RunbookCore
import RunbookMarkdown

/// cmark-gfm's parse alone, in process, the way the product calls it: the same options and
/// extensions as `MarkdownParser`, then the tree is freed. Returns the node count so the work
/// cannot be optimised away. This is the baseline of the in-process rows.
func cmarkParse(_ text: String) -> Int {
  cmark_gfm_core_extensions_ensure_registered()
  let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8
  let parser = cmark_parser_new(options)!
  defer { cmark_parser_free(parser) }
  for name in ["table", "tasklist", "strikethrough", "autolink"] {
    if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
  }
  var text = text
  text.withUTF8 { bytes in
    bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
      cmark_parser_feed(parser, $0, bytes.count)
    }
  }
  let root = cmark_parser_finish(parser)!
  defer { cmark_node_free(root) }
  // Touch the tree as a consumer would at minimum: count its nodes.
  let iter = cmark_iter_new(root)!
  defer { cmark_iter_free(iter) }
  var nodes = 0
  while true {
    let e = cmark_iter_next(iter)
    if e == CMARK_EVENT_DONE { break }
    if e == CMARK_EVENT_ENTER { nodes += 1 }
  }
  return nodes
}

func readText(_ path: String) throws -> String {
  try String(contentsOfFile: path, encoding: .utf8)
}

/// `corpus DIR RUNS`: compile + lint of every guide in a folder, in process, vs cmark-gfm's parse
/// of each: separates the per-file work from process start-up in the whole-process numbers.
func corpusBenchmark(dir: String, label: String, runs: Int) throws -> [Samples] {
  var files: [String] = []
  let fm = FileManager.default
  if let walker = fm.enumerator(atPath: dir) {
    while let rel = walker.nextObject() as? String {
      if rel.hasSuffix(".md") || rel.hasSuffix(".mdx") { files.append(dir + "/" + rel) }
    }
  }
  files.sort()
  let texts = try files.map(readText)
  var parse = Samples(name: "cmark-parse/\(label)")
  var lint = Samples(name: "compile+lint/\(label)")
  var convert = Samples(name: "parse+convert/\(label)")
  var parallel = Samples(name: "compile+lint-all-cores/\(label)")
  for run in 0..<(runs + 1) {
    let p = time { for t in texts { blackHole(cmarkParse(t)) } }
    // cmark's parse and the conversion into Swift values, nothing of the compiler: the part of
    // a compile no design that starts from cmark's tree as Swift values can skip.
    let c = time { for t in texts { blackHole(MarkdownParser.parse(t)) } }
    // As `runbook lint` does it: one guide per core.
    let all = time {
      DispatchQueue.concurrentPerform(iterations: texts.count) { [files] i in
        blackHole(Linter().lint(RunbookCompiler().compile(texts[i], file: files[i])))
      }
    }
    let l = time {
      for (t, f) in zip(texts, files) { blackHole(Linter().lint(RunbookCompiler().compile(t, file: f))) }
    }
    if run > 0 {
      parse.seconds.append(p)
      lint.seconds.append(l)
      convert.seconds.append(c)
      parallel.seconds.append(all)
    }
  }
  return [parse, convert, lint, parallel]
}
