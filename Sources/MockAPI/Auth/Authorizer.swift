import Foundation
import Hummingbird

/// Checks a request's credentials against the account in its path: 401 unknown or missing, 403 wrong
/// account or a read credential on a write.
struct Authorizer: Sendable {
    let store: MockStore

    /// The principal allowed to do `scope` on `accountID`, or an APIError.
    func authorize(_ request: Request, account accountID: String, scope: Scope) async throws -> Principal {
        let principal = try await authenticate(request)
        guard principal.accountID == accountID else {
            throw APIError(
                status: .forbidden, code: ErrorCode.forbidden,
                message: "this credential is not valid for account '\(accountID)'"
            )
        }
        if scope == .write, principal.scope != .write {
            throw APIError(
                status: .forbidden, code: ErrorCode.forbidden,
                message: "this credential has '\(Scope.read.permissionName)' only; \(request.method) needs '\(Scope.write.permissionName)'"
            )
        }
        return principal
    }

    /// A request header by its lower-case name (also for headers HTTPTypes has no constant for).
    static func header(_ request: Request, _ canonicalName: String) -> String? {
        request.headers.first { $0.name.canonicalName == canonicalName }?.value
    }

    private func authenticate(_ request: Request) async throws -> Principal {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError(
                    status: .unauthorized, code: ErrorCode.unauthenticated,
                    message: "Authorization header must be 'Bearer <token>'"
                )
            }
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            guard let principal = try await store.principal(token: token) else { throw APIError.unknownCredentials }
            return principal
        }
        let email = Self.header(request, "x-auth-email")
        let key = Self.header(request, "x-auth-key")
        switch (email, key) {
        case (let email?, let key?):
            guard let principal = try await store.principal(email: email, key: key) else { throw APIError.unknownCredentials }
            return principal
        case (nil, nil):
            throw APIError.unauthenticated
        default:
            throw APIError(
                status: .unauthorized, code: ErrorCode.unauthenticated,
                message: "X-Auth-Email and X-Auth-Key must be sent together"
            )
        }
    }
}
