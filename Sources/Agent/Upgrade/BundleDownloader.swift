import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads an upgrade bundle to a file (not into memory) with a deadline and hashes it with SHA-256.
struct BundleDownloader: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sent only to URLs under the API base, so the token never goes to another host.
    let apiBase: String
    let token: String
    let timeout: Double

    /// Writes the body of `url` to `path`; its SHA-256 (lowercase hex) and size.
    func download(_ url: String, to path: String) async throws -> (sha256: String, bytes: Int) {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw Failure(description: "bundle URL \(url) is not http(s)")
        }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        if url.hasPrefix(apiBase + "/") { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        // The completion handler must move the file before it returns: URLSession deletes it afterwards. A stop
        // (task cancellation) abandons the download at once rather than waiting for the timeout; a completion
        // after that keeps nothing (see APIClient.data(for:) on why the URLSession task is not cancelled).
        let pending = PendingDownload()
        let status: Int = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard pending.wait(continuation) else { return }
                session.downloadTask(with: request) { location, response, error in
                    guard pending.isWaiting else { return }
                    if let error {
                        pending.finish(.failure(Failure(description: "download of \(url) failed: \(error.localizedDescription)")))
                        return
                    }
                    guard let location, let http = response as? HTTPURLResponse else {
                        pending.finish(.failure(Failure(description: "download of \(url): no HTTP response")))
                        return
                    }
                    unlink(path)
                    do {
                        try FileManager.default.moveItem(atPath: location.path, toPath: path)
                        chmod(path, 0o600)
                        pending.finish(.success(http.statusCode))
                    } catch {
                        pending.finish(.failure(Failure(description: "cannot keep the download of \(url): \(error.localizedDescription)")))
                    }
                }.resume()
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()))
        }
        guard status == 200 else {
            unlink(path)
            throw Failure(description: "download of \(url): HTTP \(status)")
        }
        return try Self.sha256(of: path)
    }

    /// SHA-256 of a file, read in 64 KiB chunks.
    static func sha256(of path: String) throws -> (sha256: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += chunk.count
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), total)
    }
}

/// The continuation of one download: resumed once, by its completion or by cancellation.
private final class PendingDownload: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Int, any Error>?
    private var cancelled = false

    func wait(_ continuation: CheckedContinuation<Int, any Error>) -> Bool {
        let alreadyCancelled = lock.withLock {
            if !cancelled { self.continuation = continuation }
            return cancelled
        }
        if alreadyCancelled { continuation.resume(throwing: CancellationError()) }
        return !alreadyCancelled
    }

    /// False once cancelled or finished: the completion then keeps nothing.
    var isWaiting: Bool { lock.withLock { continuation != nil } }

    func finish(_ result: Result<Int, any Error>) {
        let continuation = lock.withLock {
            if case .failure(let error) = result, error is CancellationError { cancelled = true }
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(with: result)
    }
}
