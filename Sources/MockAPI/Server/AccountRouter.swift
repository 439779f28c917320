import Hummingbird

/// Where a route family registers: groups under `/client/v4/accounts/:account_id`, each behind the auth
/// middleware, so a handler runs only for a credential of the path's account with the method's scope and
/// reads that account from its context. A family names its paths relative to the account.
struct AccountRouter {
    static let path = RouterPath("\(apiBase)/accounts/:account_id")
    let router: Router<MockRequestContext>
    let auth: AccountAuthMiddleware

    /// Routes under `path` whose errors leave in the v4 envelope.
    func group(_ path: RouterPath) -> RouterGroup<MockRequestContext> {
        router.group(Self.path).add(middleware: auth).group(path)
    }

    /// Routes under `path` whose errors, auth failures included, leave as the Magic Cloud Networking error item
    /// of the family documented at `documentationURL` (nil: the catalog syncs').
    func mcnGroup(_ path: RouterPath, documentationURL: String? = nil) -> RouterGroup<MockRequestContext> {
        router.group(Self.path).add(middleware: MCNErrorMiddleware(documentationURL: documentationURL)).add(middleware: auth).group(path)
    }
}
