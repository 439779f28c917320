import Hummingbird

/// Makes everything a Magic Cloud Networking route throws, auth failures included, leave in that family's
/// documented error shape (`MCNError`), and anything that is not an APIError a 500 with a documented code.
struct MCNErrorMiddleware: RouterMiddleware {
    typealias Context = MockRequestContext
    /// The family's documentation page; nil: the catalog syncs'.
    let documentationURL: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch var error as APIError {
            if error.mcn == nil { error.mcn = MCNError.derive(error) }
            if error.mcn?.documentationURL == nil { error.mcn?.documentationURL = documentationURL }
            throw error
        } catch {
            // Should not happen: every failure path throws APIError. Log the type, not the request.
            context.logger.error("unexpected error", metadata: ["error": "\(type(of: error))"])
            throw APIError(
                status: .internalServerError, code: ErrorCode.mcnInternalError,
                message: "internal error (\(type(of: error))); this is a bug in the mock", mcn: MCNErrorDetail(documentationURL: documentationURL)
            )
        }
    }
}
