import ConnectorAPI
import Foundation
import Testing

/// Address and prefix fields are parsed once, at decode, keep the text as written (so a bad one is reported by the
/// rules instead of failing the decode) and encode back exactly what came in.
@Suite struct ParsedFieldTests {
    /// Texts that are no address: each must decode, keep its text and encode it back unchanged.
    static let hostile = [
        "192.168.10.1/24\n", "10.0.0.1\u{0}", "dhcp-range=1.2.3.4", "\"; rm -rf /", "$(reboot)", "../../etc/passwd",
        "..",
        "#comment", "a=b", "192.168.010.1/24", "", String(repeating: "9", count: 100_000), "1.2.3.4 ", "１.２.３.４",
    ]

    @Test(arguments: hostile) func aTextThatIsNoAddressDecodesAndRoundTrips(_ text: String) throws {
        let json = try JSONSerialization.data(withJSONObject: [
            "static_addressing": ["address": text, "gateway_address": text]
        ])
        let wan = try JSONDecoder().decode(WAN.self, from: json)
        #expect(wan.staticAddressing?.address?.text == text)
        #expect(wan.staticAddressing?.address?.value == nil)
        #expect(wan.staticAddressing?.gatewayAddress?.value == nil)
        let back = try JSONDecoder().decode(WAN.self, from: try JSONEncoder().encode(wan))
        #expect(back == wan)
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(wan)) as? [String: Any]
        let addressing = object?["static_addressing"] as? [String: Any]
        #expect(addressing?["address"] as? String == text && addressing?["gateway_address"] as? String == text)
    }

    @Test func aGoodAddressIsParsedOnce() throws {
        let json = Data(#"{"nexthop": "10.200.1.1", "prefix": "10.10.0.0/24", "priority": 1}"#.utf8)
        let route = try JSONDecoder().decode(MagicRoute.self, from: json)
        #expect(route.nexthop?.value == IPv4Address(value: 0x0AC8_0101))
        #expect(route.prefix?.value == IPv4CIDR(address: IPv4Address(value: 0x0A0A_0000), prefixLength: 24))
        #expect(route.prefix == "10.10.0.0/24", "a field compares with the text it was written as")
        #expect(AddressField(value: IPv4Address(value: 0x0AC8_0101)).text == "10.200.1.1")
    }

    @Test func aValueOfTheWrongTypeStillFailsTheDecode() {
        let json = Data(#"{"static_addressing": {"address": 17}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LAN.self, from: json) }
    }

    @Test func anACLSubnetIsAnAddressOrACIDR() {
        let single = Parsed<ACLSubnet>("192.168.10.5").value
        #expect(single?.isAddress == true && single?.cidr.prefixLength == 32 && single?.network == "192.168.10.5")
        let network = Parsed<ACLSubnet>("192.168.10.0/28").value
        #expect(network?.isAddress == false && network?.network == "192.168.10.0/28")
        #expect(Parsed<ACLSubnet>("192.168.10.0/33").value == nil)
    }

    @Test func aPrefixFieldTellsTheFamilyAndWhetherALengthWasGiven() {
        let v6 = PrefixField("2001:db8::/127").value
        #expect(v6?.isIPv6 == true && v6?.length == 127 && v6?.hasLength == true)
        let bare = PrefixField("2001:db8::1").value
        #expect(bare?.hasLength == false && bare?.length == 128)
        #expect(PrefixField("10.0.0.0/8").value?.isIPv6 == false)
        #expect(PrefixField("2001:db8::/129").value == nil)
    }
}
