import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An https (or http) exchange through libcurl, which is loaded on first use (see ccurl.h for why).
enum CurlTransfer {
    /// Blocking. The body goes into the answer, or with `downloadFD` to that file (the answer's body is then
    /// empty); either way at most `limit` bytes of it, else `HTTPFailure.tooLarge`.
    ///
    /// libcurl writes the body into a pipe that `BoundedPipeReader` drains on a thread of its own: the shim has no
    /// size limit of its own, so this is where the bound is kept. Past the limit the reader discards what comes and
    /// raises the cancel flag, which the shim's progress callback turns into an abort.
    static func perform(_ request: HTTPRequest, caFile: String? = nil, limit: Int, downloadFD: Int32 = -1, cancelled: CancelFlag) throws -> HTTPAnswer {
        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        if request.body != nil, !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headerLines.append("Content-Type: application/json")
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw HTTPFailure("cannot create a pipe for the answer: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let reader = BoundedPipeReader(fd: ends[0], limit: limit, file: downloadFD, cancelled: cancelled)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            reader.run()
            finished.signal()
        }
        var error = [CChar](repeating: 0, count: 512)
        var answer = vc_curl_answer()
        let timeoutMS = max(1, Int(request.timeout * 1000))
        let body = request.body ?? Data()
        let status: Int32 = withCStrings(headerLines) { headers in
            body.withUnsafeBytes { raw in
                vc_curl_perform(
                    request.method, request.url, headers, headerLines.count,
                    request.body == nil ? nil : (raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)), body.count,
                    timeoutMS, caFile, ends[1], cancelled.pointer, &answer, &error, error.count
                )
            }
        }
        vc_curl_answer_free(&answer)
        close(ends[1])  // the reader sees the end of the body
        finished.wait()
        close(ends[0])
        if let failure = reader.failure { throw failure }
        if cancelled.isSet { throw CancellationError() }
        guard status == 0 else {
            throw HTTPFailure("\(request.method) \(request.url): \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        return HTTPAnswer(status: answer.status, body: reader.body)
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(bitPattern: 8)!) }
    }
}

/// Drains the read end of libcurl's body pipe into memory or a file, keeping at most `limit` bytes. Used by one
/// reader thread; `failure` and `body` are read only after that thread finished (the semaphore orders them).
final class BoundedPipeReader: @unchecked Sendable {
    private let fd: Int32
    private let file: Int32
    private let cancelled: CancelFlag
    private var bound: BodyLimit
    private(set) var body = Data()
    private(set) var failure: HTTPFailure?

    init(fd: Int32, limit: Int, file: Int32, cancelled: CancelFlag) {
        self.fd = fd
        self.file = file
        self.cancelled = cancelled
        bound = BodyLimit(limit)
    }

    /// Reads until libcurl's end closes; after a failure it keeps reading (and dropping) so libcurl never blocks.
    func run() {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            guard failure == nil else { continue }
            do {
                try bound.count(count)
                try chunk.withUnsafeBytes { try store(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            } catch let error as HTTPFailure {
                failure = error
                cancelled.set()
            } catch {
                failure = HTTPFailure("\(error)")
                cancelled.set()
            }
        }
    }

    private func store(_ piece: UnsafeRawBufferPointer) throws {
        guard file >= 0 else {
            body.append(contentsOf: piece)
            return
        }
        var offset = 0
        while offset < piece.count {
            let written = write(file, piece.baseAddress! + offset, piece.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw HTTPFailure("cannot write the download: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }
}
