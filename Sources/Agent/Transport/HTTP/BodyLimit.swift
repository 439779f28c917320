/// The most bytes an answer's body may have: what the client keeps in memory is bounded by it, and so is a
/// download to a file. A body past the limit fails the exchange with `HTTPFailure.tooLarge`.
struct BodyLimit {
    let bytes: Int
    private(set) var received = 0

    init(_ bytes: Int) {
        self.bytes = bytes
    }

    /// Checks a length announced before the body (Content-Length, a chunk size) without reading anything.
    func checkAnnounced(_ length: Int) throws {
        if length > bytes - received {
            throw received == 0
                ? HTTPFailure.tooLarge(bytes: length, limit: bytes) : HTTPFailure.tooLarge(bytes: nil, limit: bytes)
        }
    }

    /// Counts `count` more bytes of body; throws once the total passes the limit.
    mutating func count(_ count: Int) throws {
        guard count <= bytes - received else { throw HTTPFailure.tooLarge(bytes: nil, limit: bytes) }
        received += count
    }
}

extension HTTPFailure {
    /// "answer body of N bytes exceeds the M-byte limit"; without N when the length was not announced.
    static func tooLarge(bytes: Int?, limit: Int) -> HTTPFailure {
        if let bytes { return HTTPFailure(.tooLarge, "answer body of \(bytes) bytes exceeds the \(limit)-byte limit") }
        return HTTPFailure(.tooLarge, "answer body exceeds the \(limit)-byte limit (more than \(limit) bytes arrived)")
    }
}
