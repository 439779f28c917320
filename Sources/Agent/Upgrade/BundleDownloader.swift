import ConnectorAPI
import Crypto
import Foundation

/// Downloads an upgrade bundle to a file (not into memory) with a deadline and hashes it with SHA-256.
struct BundleDownloader: Sendable {
    /// Why a bundle was not had: `code` for callers that act on the kind, `description` for people.
    struct Failure: Error, CustomStringConvertible {
        enum Code: Equatable {
            /// No answer, or a broken or oversized one (`HTTPFailure`'s code).
            case transfer(HTTPFailure.Code)
            /// The server answered with this status instead of 200.
            case status(Int)
            /// The bundle's SHA-256 is not the one the offer names.
            case checksumMismatch
            /// The downloaded file cannot be read back.
            case unreadable
        }

        var code: Code
        var description: String
    }

    /// Sent only to URLs under the API base, so the token never goes to another host.
    let apiBase: String
    let token: String
    let timeout: Double
    let http: HTTPClient

    /// Largest bundle accepted (the agent's own binary is about 110 MB): a larger body ends the download.
    static let maximumBundleBytes = 512 << 20

    /// Writes the body of `url` to `path` (0600); its SHA-256 (lowercase hex) and size. A stop (task
    /// cancellation) abandons the download within 100 ms and removes the partial file.
    func download(_ url: String, to path: String) async throws -> (sha256: String, bytes: Int) {
        var headers: [(name: String, value: String)] = []
        if url.hasPrefix(apiBase + "/") { headers.append(("Authorization", "Bearer \(token)")) }
        let status: Int
        do {
            status = try await http.download(
                HTTPRequest(method: "GET", url: url, headers: headers, timeout: timeout), to: path,
                limit: Self.maximumBundleBytes)
        } catch let error as HTTPFailure {
            throw Failure(
                code: .transfer(error.code),
                description: "download of \(TextRules.printable(url, limit: 400)) failed: \(error)")
        }
        guard status == 200 else {
            unlink(path)
            throw Failure(
                code: .status(status),
                description: "download of \(TextRules.printable(url, limit: 400)): HTTP \(status)")
        }
        return try Self.sha256(of: path)
    }

    /// SHA-256 of a file, read in 64 KiB chunks.
    static func sha256(of path: String) throws -> (sha256: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(code: .unreadable, description: "cannot read \(path)")
        }
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
