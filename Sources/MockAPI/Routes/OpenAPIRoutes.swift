import Hummingbird

/// `GET /client/v4/openapi.json`: the documented endpoints this mock serves plus its additions.
struct OpenAPIRoutes {
    func register(_ table: inout RouteTable<BasicRequestContext>) {
        table.on("\(apiBase)/openapi.json", .get) { _, _ in
            JSONResponse.make(ByteBuffer(string: OpenAPIDocument.json), status: .ok)
        }
    }
}
