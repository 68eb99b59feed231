import Dispatch

/// Runs `body(range)` over `count` items split into `workers` contiguous blocks, in parallel.
///
/// Block boundaries depend only on `count` and `workers`, and each block is processed in
/// order, so any computation that writes disjoint outputs per item is deterministic.
/// The body receives raw pointers through `SharedPointer`, which the caller promises are
/// written at disjoint places only.
public func forEachBlock(count: Int, workers: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let workers = max(1, min(workers, count))
    if workers == 1 {
        if count > 0 { body(0..<count) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        body((count * worker / workers)..<(count * (worker + 1) / workers))
    }
}

/// A pointer handed to parallel blocks that read it, or write disjoint parts of it.
public struct SharedPointer<Pointee>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Pointee>
    public init(_ base: UnsafeMutablePointer<Pointee>) { self.base = base }
    public init(_ base: UnsafePointer<Pointee>) { self.base = UnsafeMutablePointer(mutating: base) }
}
