/// Set once by a task's cancellation handler, read by the thread doing the blocking work (and by C code, such as
/// libcurl's progress callback, through `pointer`).
public final class CancelFlag: @unchecked Sendable {
    /// An Int32 that C code reads; non-zero once set. Written once (0 to 1), so readers see 0 or 1.
    public let pointer: UnsafeMutablePointer<Int32>

    public init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit {
        pointer.deallocate()
    }

    public func set() { pointer.pointee = 1 }
    public var isSet: Bool { pointer.pointee != 0 }
}
