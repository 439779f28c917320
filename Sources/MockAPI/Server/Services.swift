import Hummingbird

/// What every route needs: storage, the authorizer, the bounded body reader and the resource catalog.
struct Services: Sendable {
    let store: MockStore
    let auth: Authorizer
    let body: RequestBodyReader
    let ingest: IngestBatcher
    /// The `--catalog` file's resources, the start of every account's catalog.
    let catalog: ResourceCatalog

    init(store: MockStore, maxBodyBytes: Int, catalog: ResourceCatalog = .empty) {
        self.store = store
        self.catalog = catalog
        self.ingest = IngestBatcher(writer: store.writer, tally: store.ingestTally)
        self.auth = Authorizer(store: store)
        self.body = RequestBodyReader(maxBytes: maxBodyBytes)
    }
}

/// Where every API path starts.
let apiBase = "/client/v4"

extension RequestContext {
    /// A path parameter that the route pattern guarantees.
    func path(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw APIError(status: .notFound, code: ErrorCode.unknownRoute, message: "missing path parameter \(name)")
        }
        return value
    }
}
