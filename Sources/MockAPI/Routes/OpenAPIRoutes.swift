import Hummingbird

/// `GET /client/v4/openapi.json`: the documented endpoints this mock serves plus its additions.
struct OpenAPIRoutes {
    /// Public: no account, no credential.
    func register(on router: Router<MockRequestContext>) {
        router.get("\(apiBase)/openapi.json") { _, _ in
            JSONResponse.make(ByteBuffer(string: OpenAPIDocument.json), status: .ok)
        }
    }
}
