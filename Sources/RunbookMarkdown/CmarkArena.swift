internal import CCmarkGFM

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A bump allocator for one cmark parse. Every node, buffer and string cmark allocates while it
/// parses a piece, and while the piece is converted, comes from a few large chunks; the
/// tree is then released all at once with the chunks instead of node by node. With the system
/// allocator, `calloc` and `free` were two thirds of cmark's instructions on small guides
/// (docs/performance.md, fix 26).
///
/// cmark-gfm ships an arena allocator of its own, but it keeps its chunks in one process-wide
/// global, so two guides parsed at once (`lint` uses every core) would share and free each
/// other's chunks. This one belongs to a single parse. cmark's allocator callbacks take no
/// context, so ``withArena(sizedFor:_:)`` installs the arena on the calling thread (a
/// thread-specific key) for exactly the duration of the parse and conversion, which run on
/// that one thread.
///
/// Each allocation is preceded by its size, so `realloc` can copy; growing the most recent
/// allocation (cmark's string buffers) extends it in place. `free` does nothing. A chunk is
/// zeroed a slice at a time just ahead of the allocations (`calloc` must return zeros), so a
/// chunk larger than the parse needs costs nothing but address space.
struct CmarkArena {
  /// The allocator's bookkeeping, kept in malloc'd memory so the C callbacks reach it through
  /// a plain pointer (no reference counting, no exclusivity checks per allocation).
  struct State {
    /// The next free byte of the current chunk, and the chunk's end.
    var cursor: UnsafeMutableRawPointer
    var limit: UnsafeMutableRawPointer
    /// The end of the zeroed part of the current chunk: from `cursor` to here is all zeros.
    var zeroed: UnsafeMutableRawPointer
    /// The most recent allocation of the current chunk: `realloc` grows it in place.
    var last: UnsafeMutableRawPointer?
    /// The most recently allocated chunk; each chunk's first word holds the one before it.
    var chunks: UnsafeMutableRawPointer?
    var nextChunkSize: Int
    /// The callbacks handed to cmark, which keeps this address in every node.
    var mem: cmark_mem
  }

  /// Bytes before each chunk's first allocation (the link to the previous chunk), and before
  /// each allocation (its size).
  static let chunkHeader = 16
  static let sizeHeader = 8
  /// Chunk sizes grow by doubling up to this.
  static let largestChunk = 4 << 20
  /// How far ahead of the allocations a chunk is zeroed at a time.
  static let zeroingSlice = 16 << 10

  /// Runs `body` with an arena installed on this thread, and releases everything allocated
  /// from it afterwards. `body` gets the allocator to hand to `cmark_parser_new_with_mem`;
  /// nothing cmark allocated with it may be used after `body` returns.
  static func withArena<Result>(
    sizedFor inputBytes: Int, _ body: (UnsafeMutablePointer<cmark_mem>) throws -> Result
  ) rethrows -> Result {
    try withState(sizedFor: inputBytes) { state in
      let mem = (UnsafeMutableRawPointer(state) + MemoryLayout<State>.offset(of: \State.mem)!)
        .assumingMemoryBound(to: cmark_mem.self)
      return try body(mem)
    }
  }

  /// ``withArena(sizedFor:_:)``'s work, giving `body` the arena itself.
  static func withState<Result>(
    sizedFor inputBytes: Int, _ body: (UnsafeMutablePointer<State>) throws -> Result
  ) rethrows -> Result {
    // A parse allocates about 21 times its text (measured on 533 guides); the first chunk is
    // sized to hold a small guide's whole parse.
    let first = min(max(inputBytes * 24, 32 << 10), largestChunk)
    let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
    let chunk = newChunk(first, after: nil)
    state.initialize(
      to: State(
        cursor: chunk + chunkHeader, limit: chunk + first, zeroed: chunk + chunkHeader, last: nil,
        chunks: chunk,
        nextChunkSize: min(first * 2, largestChunk),
        mem: cmark_mem(calloc: arenaCalloc, realloc: arenaRealloc, free: arenaFree)))
    let previous = pthread_getspecific(currentArenaKey)
    pthread_setspecific(currentArenaKey, UnsafeRawPointer(state))
    defer {
      pthread_setspecific(currentArenaKey, previous)
      var chunk = state.pointee.chunks
      while let current = chunk {
        chunk = current.load(as: UnsafeMutableRawPointer?.self)
        free(current)
      }
      state.deinitialize(count: 1)
      state.deallocate()
    }
    return try body(state)
  }

  /// A chunk of `size` bytes, not zeroed, whose first word links to `previous`.
  static func newChunk(_ size: Int, after previous: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
    guard let chunk = malloc(size) else { outOfMemory() }
    chunk.storeBytes(of: previous, as: UnsafeMutableRawPointer?.self)
    return chunk
  }

  static func outOfMemory() -> Never {
    fail("runbook: out of memory while parsing Markdown\n")
  }

  /// Writes `message` to standard error and aborts, as cmark's own allocator does when memory
  /// runs out (the callbacks cannot report an error to cmark).
  static func fail(_ message: StaticString) -> Never {
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    abort()
  }

  /// `bytes` rounded up to whole words, plus the size word.
  @inline(__always)
  static func footprint(_ bytes: Int) -> Int {
    (bytes + sizeHeader + 7) & ~7
  }

  /// `bytes` bytes from the arena, word-aligned, zeroed unless `zeroing` is false (a block
  /// that `realloc` fills).
  static func allocate(
    _ state: UnsafeMutablePointer<State>, _ bytes: Int, zeroing: Bool = true
  ) -> UnsafeMutableRawPointer {
    let needed = footprint(bytes)
    if needed > state.pointee.limit - state.pointee.cursor {
      if needed + chunkHeader > state.pointee.nextChunkSize / 4 {
        // A large buffer gets a chunk of its own; the current chunk stays in use.
        let chunk = newChunk(needed + chunkHeader, after: state.pointee.chunks)
        state.pointee.chunks = chunk
        let block = chunk + chunkHeader
        block.storeBytes(of: bytes, as: Int.self)
        if zeroing { (block + sizeHeader).initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
        return block + sizeHeader
      }
      let size = state.pointee.nextChunkSize
      let chunk = newChunk(size, after: state.pointee.chunks)
      state.pointee.chunks = chunk
      state.pointee.cursor = chunk + chunkHeader
      state.pointee.zeroed = chunk + chunkHeader
      state.pointee.limit = chunk + size
      state.pointee.nextChunkSize = min(size * 2, largestChunk)
    }
    let block = state.pointee.cursor
    let end = block + needed
    if end > state.pointee.zeroed { zero(state, through: end) }
    block.storeBytes(of: bytes, as: Int.self)
    state.pointee.cursor = end
    let payload = block + sizeHeader
    state.pointee.last = payload
    return payload
  }

  /// Zeroes the current chunk from the end of its zeroed part through at least `end`.
  static func zero(_ state: UnsafeMutablePointer<State>, through end: UnsafeMutableRawPointer) {
    let start = state.pointee.zeroed
    let stop = min(max(end, start + zeroingSlice), state.pointee.limit)
    start.initializeMemory(as: UInt8.self, repeating: 0, count: stop - start)
    state.pointee.zeroed = stop
  }

  /// `pointer`'s contents in a block of `bytes`: the same block when it is large enough or is
  /// the last allocation and the chunk has room, else a copy. Bytes past the old contents are
  /// not zeroed, as `realloc` promises nothing about them.
  static func reallocate(
    _ state: UnsafeMutablePointer<State>, _ pointer: UnsafeMutableRawPointer, _ bytes: Int
  ) -> UnsafeMutableRawPointer {
    let old = pointer.load(fromByteOffset: -sizeHeader, as: Int.self)
    if bytes <= old { return pointer }
    if pointer == state.pointee.last {
      let end = pointer - sizeHeader + footprint(bytes)
      if end <= state.pointee.limit {
        (pointer - sizeHeader).storeBytes(of: bytes, as: Int.self)
        state.pointee.cursor = end
        // The block's new bytes may not be zero: the zeroed part starts after it.
        if end > state.pointee.zeroed { state.pointee.zeroed = end }
        return pointer
      }
    }
    let copy = allocate(state, bytes, zeroing: false)
    copy.copyMemory(from: pointer, byteCount: old)
    return copy
  }
}

/// The thread's current arena, set only inside ``CmarkArena/withArena(sizedFor:_:)``. The key
/// is created once per process; no arena outlives the call that installed it.
private let currentArenaKey: pthread_key_t = {
  var key = pthread_key_t()
  guard pthread_key_create(&key, nil) == 0 else { CmarkArena.outOfMemory() }
  return key
}()

@inline(__always)
private func currentArena() -> UnsafeMutablePointer<CmarkArena.State> {
  guard let state = pthread_getspecific(currentArenaKey) else {
    // cmark called back outside a parse: a programming error, never a silent corruption.
    CmarkArena.fail("runbook: cmark allocated outside a parse\n")
  }
  return state.assumingMemoryBound(to: CmarkArena.State.self)
}

private func arenaCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
  let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
  if overflow || bytes > Int.max / 2 { CmarkArena.outOfMemory() }
  return CmarkArena.allocate(currentArena(), bytes)
}

private func arenaRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
  if size > Int.max / 2 { CmarkArena.outOfMemory() }
  guard let pointer else { return CmarkArena.allocate(currentArena(), size) }
  return CmarkArena.reallocate(currentArena(), pointer, size)
}

private func arenaFree(_ pointer: UnsafeMutableRawPointer?) {}
