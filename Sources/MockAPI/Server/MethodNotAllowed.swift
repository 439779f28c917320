import Hummingbird

extension Router where Context == MockRequestContext {
    /// Answers 405 with `Allow` for every method a known path does not serve (TRACE and CONNECT too), before any
    /// authentication, as the real API does. Call it once every route is registered.
    func answerMethodNotAllowed() {
        let served = Dictionary(grouping: routes, by: \.path.description)
        // QUERY (the safe method with a body, an IETF draft) too: schemathesis checks that it is 405 like the others.
        let all: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options, .trace, .connect] + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for routes in served.values {
            let allowed = all.filter { method in routes.contains { $0.method == method } }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in all where !allowed.contains(method) {
                on(routes[0].path, method: method) { request, _ -> Response in
                    throw APIError(
                        status: .methodNotAllowed, code: ErrorCode.methodNotAllowed,
                        message: "method \(request.method) is not allowed on \(request.uri.path); allowed: \(allow)",
                        headers: [.allow: allow]
                    )
                }
            }
        }
    }
}
