import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error, including the router's own 404 and the body-size limit, into the v4 error envelope.
struct EnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return JSONResponse.failure(error)
        } catch let error as HTTPError {
            return JSONResponse.failure(Self.translate(error, request: request))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return JSONResponse.failure(.bodyTooLarge)
        } catch let error as HTTPParserError {
            // The request broke off mid-body: the client went away or the idle timeout closed it. Not our bug.
            context.logger.debug("request ended early", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return JSONResponse.failure(.malformedJSON("the request ended before its body was complete"))
        } catch {
            // Should not happen: every failure path throws APIError. Log the type, not the request.
            context.logger.error("unexpected error", metadata: ["error": "\(type(of: error))", "path": "\(request.uri.path)"])
            return JSONResponse.failure(
                APIError(status: .internalServerError, code: ErrorCode.internalError, message: "internal error")
            )
        }
    }

    static func translate(_ error: HTTPError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            return APIError(
                status: .notFound, code: ErrorCode.unknownRoute,
                message: "no route for \(request.method) \(request.uri.path); see /client/v4/openapi.json"
            )
        case .contentTooLarge:
            return .bodyTooLarge
        default:
            return APIError(status: error.status, code: ErrorCode.invalidValue, message: error.body ?? error.status.reasonPhrase)
        }
    }
}

extension APIError {
    static let bodyTooLarge = APIError(
        status: .contentTooLarge, code: ErrorCode.bodyTooLarge, message: "request body is larger than the server's limit"
    )
}
