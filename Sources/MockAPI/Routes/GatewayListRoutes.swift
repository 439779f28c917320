import ConnectorAPI
import Foundation
import Hummingbird

/// The read side of Zero Trust lists, where ZERO_TRUST_LIST catalog syncs write: the real Gateway paths
/// `/accounts/:account_id/gateway/lists[/:list_id[/items]]`, read-only here (our addition to this mock).
struct GatewayListRoutes {
    let services: Services

    static let defaultPerPage = 100
    static let maxPerPage = 1000

    func register(on accounts: AccountRouter) {
        accounts.group("gateway/lists")
            .get(use: list)
            .get(":list_id", use: get)
            .get(":list_id/items", use: items)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        return try JSONResponse.ok(try await services.store.writer.read { db in try GatewayListStore.list(db: db, account: account) })
    }

    private func get(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("list_id"))
        return try JSONResponse.ok(try await services.store.writer.read { db in try GatewayListStore.require(db: db, account: account, id: id) })
    }

    /// `?page` (from 1) and `?per_page` (1-1000, default 100); `result_info` as the v4 paginated lists have it.
    private func items(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("list_id"))
        let page = try Self.integer(request, "page", default: 1, range: 1...1_000_000)
        let perPage = try Self.integer(request, "per_page", default: Self.defaultPerPage, range: 1...Self.maxPerPage)
        let (list, items) = try await services.store.writer.read { db in
            let list = try GatewayListStore.require(db: db, account: account, id: id)
            return (list, try GatewayListStore.items(db: db, id: id, page: page, perPage: perPage))
        }
        let body = ItemsPage(result: items, resultInfo: .init(page: page, perPage: perPage, count: items.count, totalCount: list.count))
        return JSONResponse.make(ByteBuffer(bytes: try JSONResponse.encoder.encode(body)), status: .ok)
    }

    private static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.query(name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private struct ItemsPage: Encodable {
        struct Info: Encodable {
            let page: Int
            let perPage: Int
            let count: Int
            let totalCount: Int

            enum CodingKeys: String, CodingKey {
                case page, count
                case perPage = "per_page"
                case totalCount = "total_count"
            }
        }

        let errors: [APIMessage] = []
        let messages: [APIMessage] = []
        let result: [GatewayListItem]
        let resultInfo: Info
        let success = true

        enum CodingKeys: String, CodingKey {
            case errors, messages, result, success
            case resultInfo = "result_info"
        }
    }
}
