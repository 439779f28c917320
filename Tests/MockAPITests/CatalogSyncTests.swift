import Foundation
import Testing
@testable import MockAPI

/// Catalog syncs over HTTP against a server started with fixtures/catalog/example.json.
@Suite("Catalog syncs")
struct CatalogSyncTests {
    static let vpcsAndVNets = "kind in ('aws_vpc','azurerm_virtual_network')"
    static let vpcAndVNetPrefixes = ["10.10.0.0/16", "10.20.0.0/16", "2600:1f18:4a3b:c600::/56", "10.30.0.0/16", "172.16.0.0/16", "172.17.0.0/16"]

    // MARK: - Operations

    @Test func createReadListUpdatePatchDelete() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let client = server.client
            let create = try await client.post(CatalogPaths.syncs(), [
                "name": "inventory", "destination_type": "NONE", "update_mode": "MANUAL", "description": "all VPCs",
                "policy": Self.vpcsAndVNets,
            ])
            #expect(create.status == 201, "\(create.text)")
            let sync = create.object
            let id = try #require(sync["id"] as? String)
            #expect(UUID(uuidString: id) != nil, "ids are UUIDs")
            #expect(sync["destination_id"] as? String == "00000000-0000-0000-0000-000000000000", "NONE has no destination")
            for key in ["id", "name", "description", "policy", "destination_type", "destination_id", "update_mode", "last_user_update_at", "errors"] {
                #expect(sync[key] != nil, "\(key) is documented as always present: \(create.text)")
            }
            #expect(sync["last_successful_update_at"] == nil, "a MANUAL sync has not run yet")

            let list = try await client.get(CatalogPaths.syncs())
            #expect(list.status == 200 && list.array.map { $0["id"] as? String } == [id])
            let read = try await client.get(CatalogPaths.sync(id))
            #expect(read.status == 200 && read.object["policy"] as? String == Self.vpcsAndVNets)

            let patched = try await client.patch(CatalogPaths.sync(id), ["description": "patched"])
            #expect(patched.status == 200, "\(patched.text)")
            #expect(patched.object["description"] as? String == "patched")
            #expect(patched.object["policy"] as? String == Self.vpcsAndVNets, "PATCH keeps what the body omits")
            #expect((patched.object["last_user_update_at"] as? String ?? "") >= (sync["last_user_update_at"] as? String ?? "~"))

            let put = try await client.put(CatalogPaths.sync(id), ["name": "renamed", "update_mode": "AUTO", "policy": "kind == 'aws_vpc'"])
            #expect(put.status == 200, "\(put.text)")
            #expect(put.object["name"] as? String == "renamed" && put.object["update_mode"] as? String == "AUTO")
            #expect(put.object["description"] as? String == "", "PUT replaces: an omitted description is emptied")
            #expect(put.object["last_successful_update_at"] != nil, "switching to AUTO runs the sync")

            let deleted = try await client.delete(CatalogPaths.sync(id))
            #expect(deleted.status == 200 && deleted.object["id"] as? String == id, "\(deleted.text)")
            expectMCNFailure(try await client.get(CatalogPaths.sync(id)), status: 404, code: Code.notFound, mentions: id)
            #expect(try await client.get(CatalogPaths.syncs()).array.isEmpty)
        }
    }

    @Test func refreshWritesTheMatchesToTheZeroTrustList() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let client = server.client
            let sync = try await client.createSync(name: "cloud networks", policy: Self.vpcsAndVNets)
            let id = try #require(sync["id"] as? String)
            let listID = try #require(sync["destination_id"] as? String)
            #expect(UUID(uuidString: listID) != nil && listID != "00000000-0000-0000-0000-000000000000")

            let list = try await client.get(CatalogPaths.list(listID))
            #expect(list.status == 200 && list.object["type"] as? String == "IP" && list.object["count"] as? Int == 0, "\(list.text)")
            #expect(list.object["name"] as? String == "Catalog Sync: cloud networks")
            #expect(try await client.listValues(listID).isEmpty, "MANUAL: nothing until a refresh")

            let refresh = try await client.post("\(CatalogPaths.sync(id))/refresh", [String: Any]())
            #expect(refresh.status == 200 && refresh.result as? String == id, "\(refresh.text)")
            #expect(try await client.listValues(listID) == Self.vpcAndVNetPrefixes)

            let items = try await client.get("\(CatalogPaths.list(listID))/items")
            #expect(items.array.first?["description"] as? String == "aws_vpc prod-vpc (aws-vpc-prod)")
            #expect((items.json["result_info"] as? [String: Any])?["total_count"] as? Int == 6)
            let page2 = try await client.get("\(CatalogPaths.list(listID))/items?page=2&per_page=4")
            #expect(page2.array.compactMap { $0["value"] as? String } == Array(Self.vpcAndVNetPrefixes[4...]))

            let after = try await client.get(CatalogPaths.sync(id)).object
            #expect(after["last_successful_update_at"] != nil && after["last_attempted_update_at"] as? String == after["last_successful_update_at"] as? String)
            #expect(after["includes_discoveries_until"] as? String == "2026-11-23T08:00:00.000Z", "the file's discovered_until")
            #expect((after["errors"] as? [String: Any])?.isEmpty == true)

            // A new policy replaces the entries on the next refresh.
            _ = try await client.patch(CatalogPaths.sync(id), ["policy": "kind == 'azurerm_virtual_machine'"])
            #expect(try await client.listValues(listID) == Self.vpcAndVNetPrefixes, "MANUAL: a policy change alone does not run it")
            _ = try await client.post("\(CatalogPaths.sync(id))/refresh", [String: Any]())
            #expect(try await client.listValues(listID) == ["172.16.1.4", "172.17.1.5"])
            let lists = try await client.get("/accounts/\(TestServer.account)/gateway/lists")
            #expect(lists.array.count == 1 && lists.array.first?["count"] as? Int == 2)
            _ = try await client.patch(CatalogPaths.sync(id), ["name": "virtual machines"])
            #expect(try await client.get(CatalogPaths.list(listID)).object["name"] as? String == "Catalog Sync: virtual machines", "the list follows a rename")
        }
    }

    @Test func autoSyncsFollowCatalogChanges() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let client = server.client
            let auto = try await client.createSync(name: "instances", mode: "AUTO", policy: "kind == 'aws_instance'")
            let manual = try await client.createSync(name: "instances (manual)", mode: "MANUAL", policy: "kind == 'aws_instance'")
            let autoList = try #require(auto["destination_id"] as? String)
            let manualList = try #require(manual["destination_id"] as? String)
            let initial = ["10.10.1.15", "18.184.22.31", "10.10.2.20", "10.20.1.10"]
            #expect(try await client.listValues(autoList) == initial, "AUTO fills its list at creation")

            let added = try await client.post(CatalogPaths.resources(), [
                "id": "aws-i-new", "kind": "aws_instance", "name": "new-1", "ips": ["10.10.1.99"], "tags": ["env": "production"],
            ])
            #expect(added.status == 200, "\(added.text)")
            #expect(try await client.listValues(autoList) == initial + ["10.10.1.99"], "a new resource reaches the AUTO list")
            #expect(try await client.listValues(manualList).isEmpty, "MANUAL lists wait for a refresh")

            let removed = try await client.delete("\(CatalogPaths.resources())/aws-i-prod-db-1")
            #expect(removed.status == 200, "\(removed.text)")
            #expect(try await client.listValues(autoList) == ["10.10.1.15", "18.184.22.31", "10.20.1.10", "10.10.1.99"])

            let replaced = try await client.put(CatalogPaths.resources(), [["id": "only", "kind": "aws_instance", "ips": ["192.0.2.7"]]])
            #expect(replaced.status == 200 && replaced.array.count == 1, "\(replaced.text)")
            #expect(try await client.listValues(autoList) == ["192.0.2.7"])
            let sync = try await client.get(CatalogPaths.sync(try #require(auto["id"] as? String))).object
            #expect((sync["includes_discoveries_until"] as? String ?? "") > "2026-11-23", "stamped with the time it was added")
        }
    }

    @Test func magicSitesAndLANsAreInTheCatalog() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let client = server.client
            let sync = try await client.createSync(name: "lans", mode: "AUTO", policy: "kind == 'magic_lan'")
            let listID = try #require(sync["destination_id"] as? String)
            #expect(try await client.listValues(listID).isEmpty)

            let site = try await client.createSite(["name": "berlin"])
            let lan = try await client.createLAN(site: site, lanBody(physport: 2, third: 1, name: "office"))
            #expect(try await client.listValues(listID) == ["10.0.1.0/24"], "a new LAN reaches the AUTO list")
            _ = try await client.createLAN(site: site, lanBody(physport: 3, third: 2, name: "lab"))
            #expect(try await client.listValues(listID) == ["10.0.1.0/24", "10.0.2.0/24"])

            let catalog = try await client.get("\(CatalogPaths.resources())?policy=\("tags.site == 'berlin' || kind == 'magic_site'".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(catalog.status == 200, "\(catalog.text)")
            #expect(catalog.array.map { $0["kind"] as? String } == ["magic_site", "magic_lan", "magic_lan"])
            #expect(catalog.array.first?["cidrs"] as? [String] == ["10.0.1.0/24", "10.0.2.0/24"], "a site owns its LANs' prefixes")

            _ = try await client.delete("\(Paths.site(site))/lans/\(lan)")
            #expect(try await client.listValues(listID) == ["10.0.2.0/24"], "a deleted LAN leaves the AUTO list")
            _ = try await client.delete(Paths.site(site))
            #expect(try await client.listValues(listID).isEmpty)
            let derived = try await client.delete("\(CatalogPaths.resources())/magic_site:\(site)")
            expectMCNFailure(derived, status: 409, code: Code.conflict, mentions: "derived")
        }
    }

    @Test func deleteKeepsTheListUnlessAskedToDeleteIt() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let client = server.client
            let kept = try await client.createSync(name: "kept", mode: "AUTO", policy: Self.vpcsAndVNets)
            let keptList = try #require(kept["destination_id"] as? String)
            let keptID = try #require(kept["id"] as? String)
            #expect(try await client.delete(CatalogPaths.sync(keptID)).status == 200)
            let list = try await client.get(CatalogPaths.list(keptList))
            #expect(list.status == 200 && list.object["count"] as? Int == 6, "the default keeps the list and its entries: \(list.text)")
            #expect((list.object["description"] as? String)?.contains("no longer refreshed") == true)

            let gone = try await client.createSync(name: "gone", mode: "AUTO", policy: Self.vpcsAndVNets)
            let goneList = try #require(gone["destination_id"] as? String)
            let goneID = try #require(gone["id"] as? String)
            #expect(try await client.delete("\(CatalogPaths.sync(goneID))?delete_destination=true").status == 200)
            #expect(try await client.get(CatalogPaths.list(goneList)).status == 404)

            let other = try await client.createSync(name: "other", mode: "MANUAL")
            #expect(try await client.delete("\(CatalogPaths.sync(try #require(other["id"] as? String)))?delete_destination=false").status == 200)
            #expect(try await client.get(CatalogPaths.list(try #require(other["destination_id"] as? String))).status == 200)
        }
    }

    @Test func prebuiltPoliciesFilterByDestination() async throws {
        try await withServer { server in
            let all = try await server.readClient.get("\(CatalogPaths.syncs())/prebuilt-policies")
            #expect(all.status == 200 && all.array.count == PrebuiltPolicies.all.count, "\(all.text)")
            for policy in all.array {
                for key in ["policy_name", "policy_description", "policy_string", "applicable_destinations"] { #expect(policy[key] != nil) }
            }
            let lists = try await server.client.get("\(CatalogPaths.syncs())/prebuilt-policies?destination_type=ZERO_TRUST_LIST")
            #expect(lists.array.count < all.array.count && !lists.array.isEmpty)
            #expect(lists.array.allSatisfy { ($0["applicable_destinations"] as? [String])?.contains("ZERO_TRUST_LIST") == true })
            expectMCNFailure(
                try await server.client.get("\(CatalogPaths.syncs())/prebuilt-policies?destination_type=EMAIL"),
                status: 400, code: Code.invalidQuery, mentions: "EMAIL", parameter: "destination_type"
            )
        }
    }

    // MARK: - Errors

    @Test func badRequestsAre400AndChangeNothing() async throws {
        try await withServer { server in
            let client = server.client
            let sync = try await client.createSync(name: "base")
            let id = try #require(sync["id"] as? String)
            expectMCNFailure(try await client.send("POST", CatalogPaths.syncs(), raw: "{"), status: 400, code: Code.malformedJSON)
            expectMCNFailure(
                try await client.post(CatalogPaths.syncs(), ["destination_type": "NONE", "update_mode": "AUTO"]),
                status: 400, code: Code.missingField, mentions: "name", pointer: "/name"
            )
            expectMCNFailure(
                try await client.post(CatalogPaths.syncs(), ["name": 5, "destination_type": "NONE", "update_mode": "AUTO"]),
                status: 400, code: Code.wrongType, mentions: "name", pointer: "/name"
            )
            expectMCNFailure(try await client.patch(CatalogPaths.sync(id), ["policy": ["kind"]]), status: 400, code: Code.wrongType, pointer: "/policy")
            expectMCNFailure(try await client.get(CatalogPaths.sync("not-a-uuid")), status: 400, code: Code.invalidQuery, mentions: "UUID", parameter: "sync_id")
            expectMCNFailure(
                try await client.delete("\(CatalogPaths.sync(id))?delete_destination=maybe"),
                status: 400, code: Code.invalidQuery, mentions: "delete_destination", parameter: "delete_destination"
            )
            let after = try await client.get(CatalogPaths.syncs())
            #expect(after.array.count == 1 && after.array.first?["name"] as? String == "base" && after.array.first?["policy"] as? String == "")
        }
    }

    @Test func authFailuresUseTheDocumentedShape() async throws {
        try await withServer { server in
            var anonymous = server.client
            anonymous.token = nil
            expectMCNFailure(try await anonymous.get(CatalogPaths.syncs()), status: 401, code: Code.unauthenticated)
            let forbidden = try await server.otherClient.get(CatalogPaths.syncs())
            expectMCNFailure(forbidden, status: 403, code: Code.forbidden, mentions: TestServer.account)
            let readOnly = try await server.readClient.post(CatalogPaths.syncs(), ["name": "x", "destination_type": "NONE", "update_mode": "AUTO"])
            expectMCNFailure(readOnly, status: 403, code: Code.forbidden, mentions: "Magic WAN Write")
            #expect(try await server.client.get(CatalogPaths.syncs()).array.isEmpty)
        }
    }

    @Test func unknownSyncsAre404() async throws {
        try await withServer { server in
            let missing = UUID().uuidString.lowercased()
            for (method, suffix) in [("GET", ""), ("PATCH", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/refresh")] {
                let response = try await server.client.send(method, CatalogPaths.sync(missing) + suffix, json: method == "GET" || method == "DELETE" ? nil : [String: Any]())
                expectMCNFailure(response, status: 404, code: Code.notFound, mentions: missing)
            }
            expectFailure(try await server.client.get(CatalogPaths.list(missing)), status: 404, code: Code.notFound, mentions: missing)
        }
    }

    @Test func duplicateNamesAre409() async throws {
        try await withServer { server in
            let client = server.client
            _ = try await client.createSync(name: "taken")
            let second = try await client.createSync(name: "second")
            expectMCNFailure(
                try await client.post(CatalogPaths.syncs(), ["name": "taken", "destination_type": "NONE", "update_mode": "AUTO"]),
                status: 409, code: Code.conflict, mentions: "taken", pointer: "/name"
            )
            let id = try #require(second["id"] as? String)
            expectMCNFailure(try await client.patch(CatalogPaths.sync(id), ["name": " taken "]), status: 409, code: Code.conflict, mentions: "taken")
            #expect(try await client.get(CatalogPaths.sync(id)).object["name"] as? String == "second")
            let lists = try await client.get("/accounts/\(TestServer.account)/gateway/lists")
            #expect(lists.array.count == 2, "a refused create provisions no list: \(lists.text)")
        }
    }

    @Test func invalidValuesAre422WithTheFieldOrPosition() async throws {
        try await withServer { server in
            let client = server.client
            let sync = try await client.createSync(name: "base", destination: "NONE", policy: "kind == 'aws_vpc'")
            let id = try #require(sync["id"] as? String)
            let base: [String: Any] = ["name": "x", "destination_type": "NONE", "update_mode": "AUTO"]
            func with(_ key: String, _ value: Any) -> [String: Any] { base.merging([key: value]) { $1 } }

            expectMCNFailure(try await client.post(CatalogPaths.syncs(), with("destination_type", "EMAIL_LIST")),
                             status: 422, code: Code.invalidValue, mentions: "NONE, ZERO_TRUST_LIST", pointer: "/destination_type")
            expectMCNFailure(try await client.post(CatalogPaths.syncs(), with("update_mode", "SOMETIMES")),
                             status: 422, code: Code.invalidValue, mentions: "AUTO, MANUAL", pointer: "/update_mode")
            expectMCNFailure(try await client.post(CatalogPaths.syncs(), with("name", "   ")), status: 422, code: Code.invalidValue, mentions: "name")

            let parse = try await client.post(CatalogPaths.syncs(), with("policy", "kind == 'aws_vpc' &&"))
            expectMCNFailure(parse, status: 422, code: Code.invalidPolicy, mentions: "at position 21", pointer: "/policy")
            #expect((parse.errors.first?["meta"] as? [String: Any]).flatMap { $0["template_data"] as? [String: Any] }?["position"] as? String == "21")
            expectMCNFailure(try await client.post(CatalogPaths.syncs(), with("policy", "kind == 'x' && colour == 'red'")),
                             status: 422, code: Code.invalidPolicy, mentions: "unknown attribute 'colour' at position 16")

            expectMCNFailure(try await client.patch(CatalogPaths.sync(id), ["destination_type": "ZERO_TRUST_LIST"]),
                             status: 422, code: Code.invalidValue, mentions: "cannot change", pointer: "/destination_type")
            #expect(try await client.patch(CatalogPaths.sync(id), ["destination_type": "NONE"]).status == 200, "repeating it is fine")
            expectMCNFailure(try await client.put(CatalogPaths.sync(id), ["policy": "tags.env = 'prod'"]),
                             status: 422, code: Code.invalidPolicy, mentions: "position 10")
            #expect(try await client.get(CatalogPaths.sync(id)).object["policy"] as? String == "kind == 'aws_vpc'", "a refused update changes nothing")
            #expect(try await client.get(CatalogPaths.syncs()).array.count == 1)

            let badFilter = try await client.get("\(CatalogPaths.resources())?policy=kind%20%3D%3D")
            expectMCNFailure(badFilter, status: 422, code: Code.invalidPolicy, mentions: "position", parameter: "policy")
            let badResource = try await client.post(CatalogPaths.resources(), [["id": "r1", "kind": "aws_vpc", "cidrs": ["10.0.0.0/40"]]])
            expectMCNFailure(badResource, status: 422, code: Code.invalidValue, mentions: "[0].cidrs[0]", pointer: "/0/cidrs/0")
        }
    }

    @Test func aRefreshThatDoesNotFitTheListIs422AndRecorded() async throws {
        try await withServer { server in
            let client = server.client
            let sync = try await client.createSync(name: "instances", policy: "kind == 'aws_instance'")
            let id = try #require(sync["id"] as? String)
            let listID = try #require(sync["destination_id"] as? String)
            _ = try await client.post(CatalogPaths.resources(), [["id": "one", "kind": "aws_instance", "ips": ["10.0.0.1"]]])
            #expect(try await client.post("\(CatalogPaths.sync(id))/refresh", [String: Any]()).status == 200)

            let many = (0..<(GatewayListStore.maxItems + 1)).map { ["id": "i-\($0)", "kind": "aws_instance", "ips": ["10.1.\($0 / 256).\($0 % 256)"]] }
            #expect(try await client.put(CatalogPaths.resources(), many).status == 200)
            let refresh = try await client.post("\(CatalogPaths.sync(id))/refresh", [String: Any]())
            expectMCNFailure(refresh, status: 422, code: Code.destinationFull, mentions: "\(GatewayListStore.maxItems + 1) addresses")
            #expect(try await client.listValues(listID) == ["10.0.0.1"], "the list keeps its previous entries")
            let after = try await client.get(CatalogPaths.sync(id)).object
            let errors = try #require(after["errors"] as? [String: [String: Any]])
            #expect(errors["destination"]?["code"] as? Int == Code.destinationFull)
            #expect(errors["destination"]?["documentation_url"] is String, "recorded in the documented item shape")
            #expect((after["last_attempted_update_at"] as? String ?? "") > (after["last_successful_update_at"] as? String ?? "~"))
        }
    }

    @Test func internalErrorsAre500InTheDocumentedShape() async throws {
        try await withServer { server in
            let sync = try await server.client.createSync(name: "will break")
            let id = try #require(sync["id"] as? String)
            // A stored document that no longer decodes stands in for a bug.
            try await server.server.store.writer.write { db in
                try db.execute(sql: "UPDATE catalog_syncs SET doc = '{\"id\": 1}' WHERE id = ?", arguments: [id])
            }
            expectMCNFailure(try await server.client.get(CatalogPaths.sync(id)), status: 500, code: Code.mcnInternalError, mentions: "internal error")
        }
    }

    @Test func garbageNeverYields500OrChangesAnything() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let client = server.client
            let sync = try await client.createSync(name: "steady", mode: "AUTO", policy: "kind == 'aws_vpc'")
            let id = try #require(sync["id"] as? String)
            let syncBodies = GarbageInputTests.bodies + [
                #"{"name": "x", "destination_type": "NONE", "update_mode": "AUTO", "policy": "\u0000"}"#,
                #"{"name": "x", "destination_type": "NONE", "update_mode": "AUTO", "policy": "kind == '🙂' && 🙂"}"#,
                #"{"name": "x", "destination_type": "NONE", "update_mode": "AUTO", "policy": "\#(String(repeating: "(", count: 3000))"}"#,
                #"{"name": "x", "destination_type": "none", "update_mode": "auto"}"#,
                #"{"name": "\#(String(repeating: "n", count: 300))", "destination_type": "NONE", "update_mode": "AUTO"}"#,
                #"{"name": null, "destination_type": "NONE", "update_mode": "AUTO"}"#,
            ]
            let resourceBodies = GarbageInputTests.bodies.filter { $0 != "[]" } + [
                #"{"id": "", "kind": "aws_vpc"}"#, #"{"id": "a", "kind": "AWS VPC"}"#, #"{"id": "a", "kind": "aws_vpc", "ips": ["10.0.0.1/32"]}"#,
                #"{"id": "a", "kind": "aws_vpc", "cidrs": ["10.0.0.1"]}"#, #"{"id": "a", "kind": "aws_vpc", "discovered_at": "yesterday"}"#,
                #"[{"id": "a", "kind": "x"}, {"id": "a", "kind": "x"}]"#, #"{"id": "magic_lan:x", "kind": "x"}"#, #"{"id": "a", "kind": "magic_lan"}"#,
                #"{"id": "a", "kind": "x", "tags": {"": "v"}}"#, #"{"id": "a", "kind": "x", "tags": {"k": 1}}"#,
            ]
            let targets: [(String, String, [String])] = [
                ("POST", CatalogPaths.syncs(), syncBodies), ("PUT", CatalogPaths.sync(id), syncBodies),
                ("PATCH", CatalogPaths.sync(id), syncBodies), ("POST", CatalogPaths.resources(), resourceBodies), ("PUT", CatalogPaths.resources(), resourceBodies),
            ]
            func state() async throws -> [String] {
                [try await client.get(CatalogPaths.syncs()).text, try await client.get(CatalogPaths.resources()).text,
                 try await client.get("/accounts/\(TestServer.account)/gateway/lists").text,
                 try await client.get("\(CatalogPaths.list(try #require(sync["destination_id"] as? String)))/items").text]
            }
            let before = try await state()
            for (method, path, bodies) in targets {
                for body in bodies {
                    let response = try await client.send(method, path, raw: body)
                    #expect((400..<500).contains(response.status), "\(method) \(path) with \(body.prefix(60)): \(response.status) \(response.text.prefix(200))")
                    #expect(response.isFailureEnvelope, "\(method) \(path): \(response.text.prefix(200))")
                }
            }
            #expect(try await state() == before, "garbage changed stored data")
        }
    }

    // MARK: - Tenancy

    @Test func accountsNeverSeeEachOthersSyncsListsOrCatalog() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let mine = try await server.client.createSync(name: "shared-name", mode: "AUTO", policy: "kind == 'aws_instance'")
            let myID = try #require(mine["id"] as? String)
            let myList = try #require(mine["destination_id"] as? String)
            let other = server.otherClient
            let otherAccount = TestServer.otherAccount

            #expect(try await other.get(CatalogPaths.syncs(otherAccount)).array.isEmpty)
            expectMCNFailure(try await other.get(CatalogPaths.sync(myID, otherAccount)), status: 404, code: Code.notFound)
            expectMCNFailure(try await other.send("DELETE", CatalogPaths.sync(myID, otherAccount)), status: 404, code: Code.notFound)
            expectMCNFailure(try await other.post("\(CatalogPaths.sync(myID, otherAccount))/refresh", [String: Any]()), status: 404, code: Code.notFound)
            expectFailure(try await other.get(CatalogPaths.list(myList, otherAccount)), status: 404, code: Code.notFound)
            #expect(try await other.get("/accounts/\(otherAccount)/gateway/lists").array.isEmpty)

            // Names are unique per account only, and catalog edits stay in their account.
            let theirs = try await other.createSync(name: "shared-name", mode: "AUTO", policy: "kind == 'aws_instance'", account: otherAccount)
            let theirList = try #require(theirs["destination_id"] as? String)
            _ = try await other.put(CatalogPaths.resources(otherAccount), [["id": "x", "kind": "aws_instance", "ips": ["192.0.2.1"]]])
            #expect(try await other.listValues(theirList, account: otherAccount) == ["192.0.2.1"])
            #expect(try await server.client.listValues(myList) == ["10.10.1.15", "18.184.22.31", "10.10.2.20", "10.20.1.10"])
            #expect(try await server.client.get(CatalogPaths.resources()).array.count == 19)
        }
    }

    @Test func autoSyncsCatchUpWhenTheCatalogFileChangesAcrossARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogFile = directory.appendingPathComponent("catalog.json")
        func write(_ ips: [String]) throws {
            let resources = ips.enumerated().map { ["id": "i\($0.offset)", "kind": "aws_instance", "ips": [$0.element]] }
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
