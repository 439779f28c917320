import Hummingbird

/// The request context of every mock-api route: Hummingbird's core storage plus who is asking, which the
/// auth middleware sets on account routes before their handler runs.
struct MockRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The credential's holder, valid for `authorizedAccount` with the method's scope; nil outside account routes.
    var principal: Principal?
    /// The path's `:account_id`, once the credential has been checked against it.
    var authorizedAccount: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The path's account, which the credential may act on. Fails closed (401) on a route registered outside the
    /// account groups, so a handler can never act on an account nobody was checked for.
    var account: String {
        get throws {
            guard let authorizedAccount else { throw APIError.unauthenticated }
            return authorizedAccount
        }
    }

    /// The authorised account and the path's `:connector_id`: what every route under a connector starts with.
    var accountAndConnector: (account: String, connector: String) {
        get throws { (try account, try path("connector_id")) }
    }

    /// A path parameter that the route pattern guarantees.
    func path(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw APIError(status: .notFound, code: ErrorCode.unknownRoute, message: "missing path parameter \(name)")
        }
        return value
    }
}
