import Hummingbird

/// Collects routes, installs them on a Router, and answers 405 (with `Allow`) for a known path and wrong method.
struct RouteTable<Context: RequestContext> {
    typealias Handler = @Sendable (Request, Context) async throws -> Response
    private var routes: [(path: String, method: HTTPRequest.Method, handler: Handler)] = []

    mutating func on(_ path: String, _ method: HTTPRequest.Method, _ handler: @escaping Handler) {
        routes.append((path, method, handler))
    }

    /// Every path and method served (not the 405 answers), for checking openapi.json against.
    var served: [(path: String, method: HTTPRequest.Method)] { routes.map { ($0.path, $0.method) } }

    func install(on router: Router<Context>) {
        var methodsByPath: [String: [HTTPRequest.Method]] = [:]
        var order: [String] = []
        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handler)
            if methodsByPath[route.path] == nil { order.append(route.path) }
            methodsByPath[route.path, default: []].append(route.method)
        }
        // QUERY (the safe method with a body, an IETF draft) too: schemathesis checks that it is 405 like the others.
        let all: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options, .trace, .connect] + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for path in order {
            let allowed = methodsByPath[path]!
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in all where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
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
