import Hummingbird

/// Counts every request and its latency by the route pattern it matched (read after routing; the pattern, not the
/// raw path, so ids never become label values). Installed outermost, so it sees the final status of errors too.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MockAPIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(
                route: context.endpointPath, method: request.method.rawValue, status: response.status.code, duration: .now - start
            )
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(route: context.endpointPath, method: request.method.rawValue, status: status, duration: .now - start)
            throw error
        }
    }
}
