import Crypto
import Foundation
import Synchronization

/// Signed-in dashboard browsers: a random session id (the HttpOnly cookie) maps to the account and scope of the API
/// token it was exchanged for. The token itself is never kept; sessions live in memory and expire.
final class DashboardSessions: Sendable {
    struct Session: Sendable {
        let principal: Principal
        let expires: Double
    }

    static let cookieName = "vc_session"
    static let lifetime = 8 * 3600.0
    /// Bounds memory whatever a client does: the oldest sessions go first.
    static let maxSessions = 10_000

    private let sessions = Mutex<[String: Session]>([:])

    /// A new session id for `principal`.
    func open(_ principal: Principal, now: Double = Date().timeIntervalSince1970) -> String {
        let id = Self.randomID()
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions[oldest.key] = nil
            }
            sessions[id] = Session(principal: principal, expires: now + Self.lifetime)
        }
        return id
    }

    func principal(_ id: String, now: Double = Date().timeIntervalSince1970) -> Principal? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > now else {
                sessions[id] = nil
                return nil
            }
            return session.principal
        }
    }

    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    private static func randomID() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }
}
