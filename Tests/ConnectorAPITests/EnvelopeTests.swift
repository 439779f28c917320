import ConnectorAPI
import Foundation
import Testing

@Suite("The v4 envelope")
struct EnvelopeTests {
    @Test("a failure carries errors and an explicit null result")
    func failureShape() throws {
        let envelope = Envelope<String>.failure([APIMessage(code: 1002, message: "name: required")])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(envelope)) as? [String: Any])
        #expect(json["success"] as? Bool == false)
        #expect(json["result"] is NSNull)
        let errors = try #require(json["errors"] as? [[String: Any]])
        #expect(errors.first?["code"] as? Int == 1002)
        #expect(json["messages"] as? [Any] != nil)
    }

    @Test("telemetry responses without errors/messages decode")
    func lenientDecode() throws {
        let text = #"{"result":{"count":1,"items":[{"a":2,"t":1}],"cursor":"c"},"success":true}"#
        struct Item: Codable, Sendable { var a: Double; var t: Double }
        let envelope = try JSONDecoder().decode(Envelope<TelemetryPage<Item>>.self, from: Data(text.utf8))
        #expect(envelope.success)
        #expect(envelope.errors.isEmpty)
        #expect(envelope.result?.cursor == "c")
        #expect(envelope.result?.items.first?.a == 2)
    }
}
