import Foundation
import Hummingbird

/// Guards every route under `/accounts/:account_id`: 401 without known credentials, 403 for another account's
/// credential or a read credential on anything but GET. Sets the context's principal and account for the handler.
struct AccountAuthMiddleware: RouterMiddleware {
    typealias Context = MockRequestContext
    let store: MockStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let accountID = try context.path("account_id")
        let principal = try await authenticate(request)
        guard principal.accountID == accountID else {
            throw APIError(
                status: .forbidden, code: ErrorCode.forbidden,
                message: "this credential is not valid for account '\(accountID)'"
            )
        }
        if Self.scope(of: request.method) == .write, principal.scope != .write {
            throw APIError(
                status: .forbidden, code: ErrorCode.forbidden,
                message: "this credential has '\(Scope.read.permissionName)' only; \(request.method) needs '\(Scope.write.permissionName)'"
            )
        }
        var context = context
        context.principal = principal
        context.authorizedAccount = accountID
        return try await next(request, context)
    }

    /// Reads need "Magic WAN Read"; every method that changes something (POST included) needs "Magic WAN Write".
    static func scope(of method: HTTPRequest.Method) -> Scope {
        method == .get || method == .head ? .read : .write
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
        let email = request.header("x-auth-email")
        let key = request.header("x-auth-key")
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
