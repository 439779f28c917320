import ConnectorAPI
import Foundation
import Testing

@testable import SiteNetwork

@Suite struct SiteConfigFileTests {
    private func decodeError(_ json: String) -> SiteConfigFileError? {
        #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.decode(Data(json.utf8)) }
    }

    @Test func decodesAMinimalSite() throws {
        let config = try SiteConfigFile.decode(Data(#"{"site": {"name": "s"}}"#.utf8))
        #expect(config.site.name == "s")
        #expect(config.wans.isEmpty && config.lans.isEmpty && config.acls.isEmpty)
    }

    @Test func ignoresTheConnectorKeyAndExtraFieldsInObjects() throws {
        let json = #"""
            {"connector": {"activated": true}, "site": {"name": "s", "id": "abc", "created_on": "2026-01-01"},
             "lans": [{"name": "office", "physport": 3, "site_id": "abc", "future_field": [1, 2]}]}
            """#
        let config = try SiteConfigFile.decode(Data(json.utf8))
        #expect(config.lans[0].siteId == "abc")
        #expect(config.lans[0].physport == 3)
    }

    @Test func malformedJSON() {
        let error = decodeError(#"{"site": {"name": "s",}"#)
        #expect(error?.kind == .malformedJSON)
        #expect(error?.path == nil)
        #expect(error?.message.hasPrefix("not valid JSON: ") == true)
    }

    @Test func malformedJSONSaysWhere() {
        let error = decodeError("{\"site\": {\"name\": \"s\"},\n \"lans\": [\n  {\"name\": x}\n]}")
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message == "not valid JSON: Invalid value around line 3, column 12.")
    }

    @Test func emptyFile() {
        let error = decodeError(" \n")
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message == "the file is empty; expected a JSON object {site, wans, lans, acls}")
    }

    @Test func topLevelArray() {
        let error = decodeError(#"[{"site": {}}]"#)
        #expect(error?.kind == .wrongShape)
        #expect(error?.message == "expected a JSON object {site, wans, lans, acls}, found an array")
    }

    @Test func unknownTopLevelKey() {
        let error = decodeError(#"{"site": {"name": "s"}, "lan": [], "wan": []}"#)
        #expect(error?.kind == .wrongShape)
        #expect(error?.path == "lan")
        #expect(error?.message.contains("unknown key") == true)
        #expect(error?.message.contains("also unknown: wan") == true)
    }

    @Test func missingSite() {
        let error = decodeError(#"{"lans": []}"#)
        #expect(error?.description == "site: required but missing")
    }

    @Test func stringWhereAnIntegerBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "lans": [{"name": "a"}, {"name": "b", "physport": "3"}]}"#)
        #expect(error?.kind == .wrongShape)
        #expect(error?.path == "lans[1].physport")
        #expect(error?.message == #"expected an integer, found a string ("3")"#)
    }

    @Test func fractionWhereAnIntegerBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "wans": [{"physport": 1.5}]}"#)
        #expect(error?.description == "wans[0].physport: expected an integer, found a number (1.5)")
    }

    @Test func objectWhereAStringBelongs() {
        let error = decodeError(#"{"site": {"name": {"first": "s"}}}"#)
        #expect(error?.description == "site.name: expected a string, found an object")
    }

    @Test func numberWhereAnArrayBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "acls": [{"name": "a", "protocols": 6}]}"#)
        #expect(error?.description == "acls[0].protocols: expected an array, found a number (6)")
    }

    @Test func wrongTypeInsideAReservationsMap() {
        let json = #"""
            {"site": {"name": "s"}, "lans": [{"static_addressing": {"address": "10.0.0.1/24",
             "dhcp_server": {"reservations": {"02:00:00:00:00:01": 5}}}}]}
            """#
        let error = decodeError(json)
        #expect(error?.path == #"lans[0].static_addressing.dhcp_server.reservations["02:00:00:00:00:01"]"#)
        #expect(error?.message == "expected a string, found a number (5)")
    }

    @Test func nullWhereAnObjectBelongs() {
        let error = decodeError(#"{"site": null}"#)
        #expect(error?.path == "site")
        #expect(error?.message.contains("found null") == true)
    }

    @Test func boolWhereAStringBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "lans": [{"name": true}]}"#)
        #expect(error?.description == "lans[0].name: expected a string, found a boolean (true)")
    }

    @Test func missingFile() {
        let error = #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.load(path: "/nonexistent/site.json") }
        #expect(error?.kind == .unreadable)
        #expect(error?.description == "/nonexistent/site.json: no such file")
    }

    @Test func directoryInsteadOfAFile() {
        let error = #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.load(path: SiteSamples.sitesDirectory.path) }
        #expect(error?.kind == .unreadable)
        #expect(error?.message.contains("is a directory") == true)
    }

    @Test func fileErrorsNameTheFile() {
        let path = SiteSamples.path("bad", "wrong-type.json")
        let error = #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.load(path: path) }
        #expect(error?.file == path)
        #expect(error?.description == #"\#(path): lans[1].physport: expected an integer, found a string ("3")"#)
    }
}
