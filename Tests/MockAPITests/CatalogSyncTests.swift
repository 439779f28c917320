import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@testable import MockAPI

/// Catalog syncs against the router of a mock made with fixtures/catalog/example.json; a restart over a real socket.
@Suite("Catalog syncs")
struct CatalogSyncTests {
    static let vpcsAndVNets = "kind in ('aws_vpc','azurerm_virtual_network')"
    static let vpcAndVNetPrefixes = [
        "10.10.0.0/16", "10.20.0.0/16", "2600:1f18:4a3b:c600::/56", "10.30.0.0/16", "172.16.0.0/16", "172.17.0.0/16",
    ]
    static let empty = [String: String]()

    /// The paging block of a Zero Trust list's items.
    struct ResultInfo: Decodable {
        struct Info: Decodable {
            let totalCount: Int
            enum CodingKeys: String, CodingKey { case totalCount = "total_count" }
        }
        let resultInfo: Info
        enum CodingKeys: String, CodingKey { case resultInfo = "result_info" }
    }

    private func request(_ name: String, _ destination: String = "NONE", _ mode: String = "AUTO") -> CatalogSyncRequest
    {
        CatalogSyncRequest(destinationType: destination, name: name, updateMode: mode)
    }

    // MARK: - Operations

    @Test func createReadListUpdatePatchDelete() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let body = CatalogSyncRequest(
                destinationType: "NONE", name: "inventory", updateMode: "MANUAL", description: "all VPCs",
                policy: Self.vpcsAndVNets)
            let create = try await api.send(.post, CatalogPaths.syncs(), body: body)
            #expect(create.status == .created, "\(create.text)")
            let sync = try #require(try api.decode(CatalogSync.self, create).result)
            let id = sync.id
            #expect(UUID(uuidString: id) != nil, "ids are UUIDs")
            #expect(sync.destinationId == "00000000-0000-0000-0000-000000000000", "NONE has no destination")
            let keys = try api.resultKeys(create)
            for key in [
                "id", "name", "description", "policy", "destination_type", "destination_id", "update_mode",
                "last_user_update_at", "errors",
            ] {
                #expect(keys.contains(key), "\(key) is documented as always present: \(create.text)")
            }
            #expect(!keys.contains("last_successful_update_at"), "a MANUAL sync has not run yet")

            let list = try await api.send(.get, CatalogPaths.syncs())
            #expect(try list.status == .ok && (api.decode([CatalogSync].self, list).result?.map(\.id)) == [id])
            let read = try await api.send(.get, CatalogPaths.sync(id))
            #expect(try read.status == .ok && (api.decode(CatalogSync.self, read).result?.policy) == Self.vpcsAndVNets)

            let patchedResponse = try await api.send(
                .patch, CatalogPaths.sync(id), body: CatalogSyncRequest(description: "patched"))
            #expect(patchedResponse.status == .ok, "\(patchedResponse.text)")
            let patched = try api.decode(CatalogSync.self, patchedResponse).result
            #expect(patched?.description == "patched")
            #expect(patched?.policy == Self.vpcsAndVNets, "PATCH keeps what the body omits")
            #expect((patched?.lastUserUpdateAt ?? "") >= sync.lastUserUpdateAt)

            let putResponse = try await api.send(
                .put, CatalogPaths.sync(id),
                body: CatalogSyncRequest(name: "renamed", updateMode: "AUTO", policy: "kind == 'aws_vpc'")
            )
            #expect(putResponse.status == .ok, "\(putResponse.text)")
            let put = try api.decode(CatalogSync.self, putResponse).result
            #expect(put?.name == "renamed" && put?.updateMode == .auto)
            #expect(put?.description == "", "PUT replaces: an omitted description is emptied")
            #expect(put?.lastSuccessfulUpdateAt != nil, "switching to AUTO runs the sync")

            let deleted = try await api.send(.delete, CatalogPaths.sync(id))
            #expect(
                try deleted.status == .ok && (api.decode(CatalogSyncDeleted.self, deleted).result?.id) == id,
                "\(deleted.text)")
            expectMCNFailure(
                try await api.send(.get, CatalogPaths.sync(id)), status: .notFound, code: Code.notFound, mentions: id)
            #expect(try await api.get([CatalogSync].self, CatalogPaths.syncs()).result == [])
        }
    }

    @Test func refreshWritesTheMatchesToTheZeroTrustList() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let sync = try await api.createSync(name: "cloud networks", policy: Self.vpcsAndVNets)
            let id = sync.id
            let listID = sync.destinationId
            #expect(UUID(uuidString: listID) != nil && listID != "00000000-0000-0000-0000-000000000000")

            let listResponse = try await api.send(.get, CatalogPaths.list(listID))
            let list = try api.decode(GatewayList.self, listResponse).result
            #expect(listResponse.status == .ok && list?.type == "IP" && list?.count == 0, "\(listResponse.text)")
            #expect(list?.name == "Catalog Sync: cloud networks")
            #expect(try await api.listValues(listID).isEmpty, "MANUAL: nothing until a refresh")

            let refresh = try await api.send(.post, "\(CatalogPaths.sync(id))/refresh", body: Self.empty)
            #expect(try refresh.status == .ok && (api.decode(String.self, refresh).result) == id, "\(refresh.text)")
            #expect(try await api.listValues(listID) == Self.vpcAndVNetPrefixes)

            let items = try await api.send(.get, "\(CatalogPaths.list(listID))/items")
            #expect(
                try api.decode([GatewayListItem].self, items).result?.first?.description
                    == "aws_vpc prod-vpc (aws-vpc-prod)")
            #expect(
                try JSONDecoder().decode(ResultInfo.self, from: Data(buffer: items.body)).resultInfo.totalCount == 6)
            let page2 = try await api.get(
                [GatewayListItem].self, "\(CatalogPaths.list(listID))/items?page=2&per_page=4"
            ).result
            #expect(page2?.map(\.value) == Array(Self.vpcAndVNetPrefixes[4...]))

            let after = try #require(try await api.get(CatalogSync.self, CatalogPaths.sync(id)).result)
            #expect(after.lastSuccessfulUpdateAt != nil && after.lastAttemptedUpdateAt == after.lastSuccessfulUpdateAt)
            #expect(after.includesDiscoveriesUntil == "2026-11-23T08:00:00.000Z", "the file's discovered_until")
            #expect(after.errors.isEmpty)

            // A new policy replaces the entries on the next refresh.
            _ = try await api.send(
                .patch, CatalogPaths.sync(id), body: CatalogSyncRequest(policy: "kind == 'azurerm_virtual_machine'"))
            #expect(
                try await api.listValues(listID) == Self.vpcAndVNetPrefixes,
                "MANUAL: a policy change alone does not run it")
            _ = try await api.send(.post, "\(CatalogPaths.sync(id))/refresh", body: Self.empty)
            #expect(try await api.listValues(listID) == ["172.16.1.4", "172.17.1.5"])
            let lists = try await api.get([GatewayList].self, "/accounts/\(TestServer.account)/gateway/lists").result
            #expect(lists?.count == 1 && lists?.first?.count == 2)
            _ = try await api.send(.patch, CatalogPaths.sync(id), body: CatalogSyncRequest(name: "virtual machines"))
            #expect(
                try await api.get(GatewayList.self, CatalogPaths.list(listID)).result?.name
                    == "Catalog Sync: virtual machines", "the list follows a rename"
            )
        }
    }

    @Test func autoSyncsFollowCatalogChanges() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let auto = try await api.createSync(name: "instances", mode: "AUTO", policy: "kind == 'aws_instance'")
            let manual = try await api.createSync(
                name: "instances (manual)", mode: "MANUAL", policy: "kind == 'aws_instance'")
            let autoList = auto.destinationId
            let manualList = manual.destinationId
            let initial = ["10.10.1.15", "18.184.22.31", "10.10.2.20", "10.20.1.10"]
            #expect(try await api.listValues(autoList) == initial, "AUTO fills its list at creation")

            let resource = CatalogResource(
                id: "aws-i-new", kind: "aws_instance", name: "new-1", ips: ["10.10.1.99"], tags: ["env": "production"])
            let added = try await api.send(.post, CatalogPaths.resources(), body: resource)
            #expect(added.status == .ok, "\(added.text)")
            #expect(
                try await api.listValues(autoList) == initial + ["10.10.1.99"], "a new resource reaches the AUTO list")
            #expect(try await api.listValues(manualList).isEmpty, "MANUAL lists wait for a refresh")

            let removed = try await api.send(.delete, "\(CatalogPaths.resources())/aws-i-prod-db-1")
            #expect(removed.status == .ok, "\(removed.text)")
            #expect(try await api.listValues(autoList) == ["10.10.1.15", "18.184.22.31", "10.20.1.10", "10.10.1.99"])

            let replaced = try await api.send(
                .put, CatalogPaths.resources(),
                body: [CatalogResource(id: "only", kind: "aws_instance", ips: ["192.0.2.7"])])
            #expect(
                try replaced.status == .ok && (api.decode([CatalogResource].self, replaced).result?.count) == 1,
                "\(replaced.text)")
            #expect(try await api.listValues(autoList) == ["192.0.2.7"])
            let sync = try await api.get(CatalogSync.self, CatalogPaths.sync(auto.id)).result
            #expect((sync?.includesDiscoveriesUntil ?? "") > "2026-11-23", "stamped with the time it was added")
        }
    }

    @Test func magicSitesAndLANsAreInTheCatalog() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let sync = try await api.createSync(name: "lans", mode: "AUTO", policy: "kind == 'magic_lan'")
            let listID = sync.destinationId
            #expect(try await api.listValues(listID).isEmpty)

            let site = try await api.createSite(SiteTests.Body(name: "berlin"))
            let office = try await api.createLAN(site: site, lan(physport: 2, third: 1, name: "office"))
            #expect(try await api.listValues(listID) == ["10.0.1.0/24"], "a new LAN reaches the AUTO list")
            _ = try await api.createLAN(site: site, lan(physport: 3, third: 2, name: "lab"))
            #expect(try await api.listValues(listID) == ["10.0.1.0/24", "10.0.2.0/24"])

            let policy = "tags.site == 'berlin' || kind == 'magic_site'".addingPercentEncoding(
                withAllowedCharacters: .alphanumerics)!
            let catalogResponse = try await api.send(.get, "\(CatalogPaths.resources())?policy=\(policy)")
            #expect(catalogResponse.status == .ok, "\(catalogResponse.text)")
            let catalog = try api.decode([CatalogResource].self, catalogResponse).result
            #expect(catalog?.map(\.kind) == ["magic_site", "magic_lan", "magic_lan"])
            #expect(catalog?.first?.cidrs == ["10.0.1.0/24", "10.0.2.0/24"], "a site owns its LANs' prefixes")

            _ = try await api.send(.delete, "\(Paths.site(site))/lans/\(office)")
            #expect(try await api.listValues(listID) == ["10.0.2.0/24"], "a deleted LAN leaves the AUTO list")
            _ = try await api.send(.delete, Paths.site(site))
            #expect(try await api.listValues(listID).isEmpty)
            let derived = try await api.send(.delete, "\(CatalogPaths.resources())/magic_site:\(site)")
            expectMCNFailure(derived, status: .conflict, code: Code.conflict, mentions: "derived")
        }
    }

    @Test func deleteKeepsTheListUnlessAskedToDeleteIt() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let kept = try await api.createSync(name: "kept", mode: "AUTO", policy: Self.vpcsAndVNets)
            #expect(try await api.send(.delete, CatalogPaths.sync(kept.id)).status == .ok)
            let listResponse = try await api.send(.get, CatalogPaths.list(kept.destinationId))
            let list = try api.decode(GatewayList.self, listResponse).result
            #expect(
                listResponse.status == .ok && list?.count == 6,
                "the default keeps the list and its entries: \(listResponse.text)")
            #expect(list?.description.contains("no longer refreshed") == true)

            let gone = try await api.createSync(name: "gone", mode: "AUTO", policy: Self.vpcsAndVNets)
            #expect(try await api.send(.delete, "\(CatalogPaths.sync(gone.id))?delete_destination=true").status == .ok)
            #expect(try await api.send(.get, CatalogPaths.list(gone.destinationId)).status == .notFound)

            let other = try await api.createSync(name: "other", mode: "MANUAL")
            #expect(
                try await api.send(.delete, "\(CatalogPaths.sync(other.id))?delete_destination=false").status == .ok)
            #expect(try await api.send(.get, CatalogPaths.list(other.destinationId)).status == .ok)
        }
    }

    @Test func prebuiltPoliciesFilterByDestination() async throws {
        try await withRouter { api in
            // Decoding each as `PrebuiltPolicy` checks its four documented fields are there.
            let allResponse = try await api.send(
                .get, "\(CatalogPaths.syncs())/prebuilt-policies", token: TestServer.readToken)
            let all = try api.decode([PrebuiltPolicy].self, allResponse).result ?? []
            #expect(allResponse.status == .ok && all.count == PrebuiltPolicies.all.count, "\(allResponse.text)")
            let lists =
                try await api.get(
                    [PrebuiltPolicy].self, "\(CatalogPaths.syncs())/prebuilt-policies?destination_type=ZERO_TRUST_LIST"
                ).result ?? []
            #expect(lists.count < all.count && !lists.isEmpty)
            #expect(lists.allSatisfy { $0.applicableDestinations.contains(.zeroTrustList) })
            expectMCNFailure(
                try await api.send(.get, "\(CatalogPaths.syncs())/prebuilt-policies?destination_type=EMAIL"),
                status: .badRequest, code: Code.invalidQuery, mentions: "EMAIL", parameter: "destination_type"
            )
        }
    }

    // MARK: - Errors

    @Test func badRequestsAre400AndChangeNothing() async throws {
        try await withRouter { api in
            let id = try await api.createSync(name: "base").id
            expectMCNFailure(
                try await api.send(.post, CatalogPaths.syncs(), raw: Data("{".utf8)), status: .badRequest,
                code: Code.malformedJSON)
            expectMCNFailure(
                try await api.send(
                    .post, CatalogPaths.syncs(), body: CatalogSyncRequest(destinationType: "NONE", updateMode: "AUTO")),
                status: .badRequest, code: Code.missingField, mentions: "name", pointer: "/name"
            )
            // Wrong types no API type can hold.
            expectMCNFailure(
                try await api.send(
                    .post, CatalogPaths.syncs(),
                    raw: Data(#"{"name": 5, "destination_type": "NONE", "update_mode": "AUTO"}"#.utf8)),
                status: .badRequest, code: Code.wrongType, mentions: "name", pointer: "/name"
            )
            expectMCNFailure(
                try await api.send(.patch, CatalogPaths.sync(id), raw: Data(#"{"policy": ["kind"]}"#.utf8)),
                status: .badRequest, code: Code.wrongType,
                pointer: "/policy"
            )
            expectMCNFailure(
                try await api.send(.get, CatalogPaths.sync("not-a-uuid")), status: .badRequest, code: Code.invalidQuery,
                mentions: "UUID", parameter: "sync_id"
            )
            expectMCNFailure(
                try await api.send(.delete, "\(CatalogPaths.sync(id))?delete_destination=maybe"),
                status: .badRequest, code: Code.invalidQuery, mentions: "delete_destination",
                parameter: "delete_destination"
            )
            let after = try await api.get([CatalogSync].self, CatalogPaths.syncs()).result
            #expect(after?.count == 1 && after?.first?.name == "base" && after?.first?.policy == "")
        }
    }

    @Test func authFailuresUseTheDocumentedShape() async throws {
        try await withRouter { api in
            expectMCNFailure(
                try await api.send(.get, CatalogPaths.syncs(), token: nil), status: .unauthorized,
                code: Code.unauthenticated)
            let forbidden = try await api.send(.get, CatalogPaths.syncs(), token: TestServer.otherWriteToken)
            expectMCNFailure(forbidden, status: .forbidden, code: Code.forbidden, mentions: TestServer.account)
            let readOnly = try await api.send(
                .post, CatalogPaths.syncs(), token: TestServer.readToken, body: request("x"))
            expectMCNFailure(readOnly, status: .forbidden, code: Code.forbidden, mentions: "Magic WAN Write")
            #expect(try await api.get([CatalogSync].self, CatalogPaths.syncs()).result == [])
        }
    }

    @Test func unknownSyncsAre404() async throws {
        try await withRouter { api in
            let missing = UUID().uuidString.lowercased()
            for (method, suffix) in [
                (HTTPRequest.Method.get, ""), (.patch, ""), (.put, ""), (.delete, ""), (.post, "/refresh"),
            ] {
                let path = CatalogPaths.sync(missing) + suffix
                let response =
                    try await method == .get || method == .delete
                    ? api.send(method, path) : api.send(method, path, body: Self.empty)
                expectMCNFailure(response, status: .notFound, code: Code.notFound, mentions: missing)
            }
            expectFailure(
                try await api.send(.get, CatalogPaths.list(missing)), status: .notFound, code: Code.notFound,
                mentions: missing)
        }
    }

    @Test func duplicateNamesAre409() async throws {
        try await withRouter { api in
            _ = try await api.createSync(name: "taken")
            let second = try await api.createSync(name: "second")
            expectMCNFailure(
                try await api.send(.post, CatalogPaths.syncs(), body: request("taken")),
                status: .conflict, code: Code.conflict, mentions: "taken", pointer: "/name"
            )
            expectMCNFailure(
                try await api.send(.patch, CatalogPaths.sync(second.id), body: CatalogSyncRequest(name: " taken ")),
                status: .conflict, code: Code.conflict,
                mentions: "taken"
            )
            #expect(try await api.get(CatalogSync.self, CatalogPaths.sync(second.id)).result?.name == "second")
            let lists = try await api.send(.get, "/accounts/\(TestServer.account)/gateway/lists")
            #expect(
                try api.decode([GatewayList].self, lists).result?.count == 2,
                "a refused create provisions no list: \(lists.text)")
        }
    }

    @Test func invalidValuesAre422WithTheFieldOrPosition() async throws {
        try await withRouter { api in
            let id = try await api.createSync(name: "base", destination: "NONE", policy: "kind == 'aws_vpc'").id
            func with(_ change: (inout CatalogSyncRequest) -> Void) -> CatalogSyncRequest {
                var body = request("x")
                change(&body)
                return body
            }
            let syncs = CatalogPaths.syncs()
            expectMCNFailure(
                try await api.send(.post, syncs, body: with { $0.destinationType = "EMAIL_LIST" }),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "NONE, ZERO_TRUST_LIST",
                pointer: "/destination_type")
            expectMCNFailure(
                try await api.send(.post, syncs, body: with { $0.updateMode = "SOMETIMES" }),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "AUTO, MANUAL",
                pointer: "/update_mode")
            expectMCNFailure(
                try await api.send(.post, syncs, body: with { $0.name = "   " }), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "name")

            let parse = try await api.send(.post, syncs, body: with { $0.policy = "kind == 'aws_vpc' &&" })
            expectMCNFailure(
                parse, status: .unprocessableContent, code: Code.invalidPolicy, mentions: "at position 21",
                pointer: "/policy")
            #expect(try MCNFailure(parse).errors.first?.meta?.templateData?["position"] == "21")
            expectMCNFailure(
                try await api.send(.post, syncs, body: with { $0.policy = "kind == 'x' && colour == 'red'" }),
                status: .unprocessableContent, code: Code.invalidPolicy,
                mentions: "unknown attribute 'colour' at position 16")

            expectMCNFailure(
                try await api.send(
                    .patch, CatalogPaths.sync(id), body: CatalogSyncRequest(destinationType: "ZERO_TRUST_LIST")),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "cannot change",
                pointer: "/destination_type")
            #expect(
                try await api.send(.patch, CatalogPaths.sync(id), body: CatalogSyncRequest(destinationType: "NONE"))
                    .status == .ok, "repeating it is fine")
            expectMCNFailure(
                try await api.send(.put, CatalogPaths.sync(id), body: CatalogSyncRequest(policy: "tags.env = 'prod'")),
                status: .unprocessableContent, code: Code.invalidPolicy, mentions: "position 10")
            #expect(
                try await api.get(CatalogSync.self, CatalogPaths.sync(id)).result?.policy == "kind == 'aws_vpc'",
                "a refused update changes nothing")
            #expect(try await api.get([CatalogSync].self, syncs).result?.count == 1)

            let badFilter = try await api.send(.get, "\(CatalogPaths.resources())?policy=kind%20%3D%3D")
            expectMCNFailure(
                badFilter, status: .unprocessableContent, code: Code.invalidPolicy, mentions: "position",
                parameter: "policy")
            let badResource = try await api.send(
                .post, CatalogPaths.resources(),
                body: [CatalogResource(id: "r1", kind: "aws_vpc", cidrs: ["10.0.0.0/40"])])
            expectMCNFailure(
                badResource, status: .unprocessableContent, code: Code.invalidValue, mentions: "[0].cidrs[0]",
                pointer: "/0/cidrs/0")
        }
    }

    @Test func aRefreshThatDoesNotFitTheListIs422AndRecorded() async throws {
        try await withRouter { api in
            let sync = try await api.createSync(name: "instances", policy: "kind == 'aws_instance'")
            _ = try await api.send(
                .post, CatalogPaths.resources(),
                body: [CatalogResource(id: "one", kind: "aws_instance", ips: ["10.0.0.1"])])
            #expect(try await api.send(.post, "\(CatalogPaths.sync(sync.id))/refresh", body: Self.empty).status == .ok)

            let many = (0..<(GatewayListStore.maxItems + 1)).map {
                CatalogResource(id: "i-\($0)", kind: "aws_instance", ips: ["10.1.\($0 / 256).\($0 % 256)"])
            }
            #expect(try await api.send(.put, CatalogPaths.resources(), body: many).status == .ok)
            let refresh = try await api.send(.post, "\(CatalogPaths.sync(sync.id))/refresh", body: Self.empty)
            expectMCNFailure(
                refresh, status: .unprocessableContent, code: Code.destinationFull,
                mentions: "\(GatewayListStore.maxItems + 1) addresses")
            #expect(try await api.listValues(sync.destinationId) == ["10.0.0.1"], "the list keeps its previous entries")
            let after = try #require(try await api.get(CatalogSync.self, CatalogPaths.sync(sync.id)).result)
            #expect(after.errors["destination"]?.code == Code.destinationFull)
            #expect(after.errors["destination"]?.documentationUrl != nil, "recorded in the documented item shape")
            #expect((after.lastAttemptedUpdateAt ?? "") > (after.lastSuccessfulUpdateAt ?? "~"))
        }
    }

    @Test func internalErrorsAre500InTheDocumentedShape() async throws {
        try await withRouter { api in
            let id = try await api.createSync(name: "will break").id
            // A stored document that no longer decodes stands in for a bug.
            try await api.server.store.writer.write { db in
                try db.execute(sql: "UPDATE catalog_syncs SET doc = '{\"id\": 1}' WHERE id = ?", arguments: [id])
            }
            expectMCNFailure(
                try await api.send(.get, CatalogPaths.sync(id)), status: .internalServerError,
                code: Code.mcnInternalError, mentions: "internal error")
        }
    }

    @Test func garbageNeverYields500OrChangesAnything() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let sync = try await api.createSync(name: "steady", mode: "AUTO", policy: "kind == 'aws_vpc'")
            let id = sync.id
            let syncBodies =
                GarbageInputTests.bodies + [
                    #"{"name": "x", "destination_type": "NONE", "update_mode": "AUTO", "policy": "\u0000"}"#,
                    #"{"name": "x", "destination_type": "NONE", "update_mode": "AUTO", "policy": "kind == '🙂' && 🙂"}"#,
                    #"{"name": "x", "destination_type": "NONE", "update_mode": "AUTO", "policy": "\#(String(repeating: "(", count: 3000))"}"#,
                    #"{"name": "x", "destination_type": "none", "update_mode": "auto"}"#,
                    #"{"name": "\#(String(repeating: "n", count: 300))", "destination_type": "NONE", "update_mode": "AUTO"}"#,
                    #"{"name": null, "destination_type": "NONE", "update_mode": "AUTO"}"#,
                ]
            let resourceBodies =
                GarbageInputTests.bodies.filter { $0 != "[]" } + [
                    #"{"id": "", "kind": "aws_vpc"}"#, #"{"id": "a", "kind": "AWS VPC"}"#,
                    #"{"id": "a", "kind": "aws_vpc", "ips": ["10.0.0.1/32"]}"#,
                    #"{"id": "a", "kind": "aws_vpc", "cidrs": ["10.0.0.1"]}"#,
                    #"{"id": "a", "kind": "aws_vpc", "discovered_at": "yesterday"}"#,
                    #"[{"id": "a", "kind": "x"}, {"id": "a", "kind": "x"}]"#, #"{"id": "magic_lan:x", "kind": "x"}"#,
                    #"{"id": "a", "kind": "magic_lan"}"#,
                    #"{"id": "a", "kind": "x", "tags": {"": "v"}}"#, #"{"id": "a", "kind": "x", "tags": {"k": 1}}"#,
                ]
            let targets: [(HTTPRequest.Method, String, [String])] = [
                (.post, CatalogPaths.syncs(), syncBodies), (.put, CatalogPaths.sync(id), syncBodies),
                (.patch, CatalogPaths.sync(id), syncBodies), (.post, CatalogPaths.resources(), resourceBodies),
                (.put, CatalogPaths.resources(), resourceBodies),
            ]
            func state() async throws -> [String] {
                [
                    try await api.send(.get, CatalogPaths.syncs()).text,
                    try await api.send(.get, CatalogPaths.resources()).text,
                    try await api.send(.get, "/accounts/\(TestServer.account)/gateway/lists").text,
                    try await api.send(.get, "\(CatalogPaths.list(sync.destinationId))/items").text,
                ]
            }
            let before = try await state()
            for (method, path, bodies) in targets {
                for body in bodies {
                    let response = try await api.send(method, path, raw: Data(body.utf8))
                    #expect(
                        (400..<500).contains(response.status.code),
                        "\(method) \(path) with \(body.prefix(60)): \(response.status) \(response.text.prefix(200))")
                    #expect(response.isFailureEnvelope, "\(method) \(path): \(response.text.prefix(200))")
                }
            }
            #expect(try await state() == before, "garbage changed stored data")
        }
    }

    // MARK: - Tenancy

    @Test func accountsNeverSeeEachOthersSyncsListsOrCatalog() async throws {
        try await withRouter(catalogPath: exampleCatalogPath) { api in
            let mine = try await api.createSync(name: "shared-name", mode: "AUTO", policy: "kind == 'aws_instance'")
            let other = TestServer.otherWriteToken
            let otherAccount = TestServer.otherAccount

            #expect(try await api.get([CatalogSync].self, CatalogPaths.syncs(otherAccount), token: other).result == [])
            expectMCNFailure(
                try await api.send(.get, CatalogPaths.sync(mine.id, otherAccount), token: other), status: .notFound,
                code: Code.notFound)
            expectMCNFailure(
                try await api.send(.delete, CatalogPaths.sync(mine.id, otherAccount), token: other), status: .notFound,
                code: Code.notFound)
            expectMCNFailure(
                try await api.send(
                    .post, "\(CatalogPaths.sync(mine.id, otherAccount))/refresh", token: other, body: Self.empty),
                status: .notFound, code: Code.notFound
            )
            expectFailure(
                try await api.send(.get, CatalogPaths.list(mine.destinationId, otherAccount), token: other),
                status: .notFound, code: Code.notFound)
            #expect(
                try await api.get([GatewayList].self, "/accounts/\(otherAccount)/gateway/lists", token: other).result
                    == [])

            // Names are unique per account only, and catalog edits stay in their account.
            let theirs = try await api.createSync(
                name: "shared-name", mode: "AUTO", policy: "kind == 'aws_instance'", account: otherAccount, token: other
            )
            _ = try await api.send(
                .put, CatalogPaths.resources(otherAccount), token: other,
                body: [CatalogResource(id: "x", kind: "aws_instance", ips: ["192.0.2.1"])]
            )
            #expect(
                try await api.listValues(theirs.destinationId, account: otherAccount, token: other) == ["192.0.2.1"])
            #expect(
                try await api.listValues(mine.destinationId) == [
                    "10.10.1.15", "18.184.22.31", "10.10.2.20", "10.20.1.10",
                ])
            #expect(try await api.get([CatalogResource].self, CatalogPaths.resources()).result?.count == 19)
        }
    }

    /// Over a real socket: the catalog file is read at start, so this needs two servers over one database.
    @Test func autoSyncsCatchUpWhenTheCatalogFileChangesAcrossARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogFile = directory.appendingPathComponent("catalog.json")
        func write(_ ips: [String]) throws {
            let resources = ips.enumerated().map {
                ["id": "i\($0.offset)", "kind": "aws_instance", "ips": [$0.element]]
            }
            try JSONSerialization.data(withJSONObject: ["resources": resources]).write(to: catalogFile)
        }
        try write(["192.0.2.1"])
        let database = directory.appendingPathComponent("mock.sqlite").path
        let first = try await TestServer.start(databasePath: database, catalogPath: catalogFile.path)
        let sync = try await first.client.createSync(name: "auto", mode: "AUTO", policy: "kind == 'aws_instance'")
        let listID = try #require(sync["destination_id"] as? String)
        #expect(try await first.client.listValues(listID) == ["192.0.2.1"])
        await first.stop()

        try write(["192.0.2.1", "192.0.2.2"])
        let second = try await TestServer.start(databasePath: database, catalogPath: catalogFile.path)
        #expect(try await second.client.listValues(listID) == ["192.0.2.1", "192.0.2.2"])
        await second.stop()
    }
}
