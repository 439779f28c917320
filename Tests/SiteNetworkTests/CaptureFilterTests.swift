import ConnectorAPI
import SiteNetwork
import Testing
import TestSupport

/// A capture's BPF filter comes from the request's typed fields only: what is not an address, a port or a
/// protocol number is refused, and nothing from the API reaches tcpdump except an address printed back by us or
/// a number.
@Suite struct CaptureFilterTests {
    @Test("each field becomes its own term, joined by and; no field captures everything")
    func terms() throws {
        #expect(try CaptureFilter.expression(nil) == [])
        #expect(try CaptureFilter.expression(PacketCaptureFilter()) == [])
        let all = PacketCaptureFilter(destinationAddress: "192.0.2.1", destinationPort: 5001, protocol: 17, sourceAddress: "10.0.1.10", sourcePort: 40000)
        #expect(try CaptureFilter.expression(all) == [
            "src", "host", "10.0.1.10", "and", "dst", "host", "192.0.2.1", "and", "ip", "proto", "17", "and", "src", "port", "40000", "and", "dst", "port", "5001",
        ])
        #expect(try CaptureFilter.expression(PacketCaptureFilter(protocol: 0)) == ["ip", "proto", "0"])
    }

    @Test("hostile addresses are refused, naming the field; nothing of them is echoed raw")
    func hostileAddresses() {
        let hostile = HostileStrings.corpus.map(\.value) + [
            "1.2.3.4 or 1=1", "1.2.3.4 and not port 22", "-w/etc/passwd", "1.2.3.4\n", " 1.2.3.4", "01.2.3.4", "1.2.3.256", "::1", "1.2.3.4/24",
            "$(reboot)", "`id`", "1.2.3.4;reboot", "host 1.2.3.4", "", "..", "1.2.3.4\0",
        ]
        for text in hostile {
            for filter in [PacketCaptureFilter(sourceAddress: text), PacketCaptureFilter(destinationAddress: text)] {
                #expect(throws: CaptureFilterError.self, "\(text.debugDescription)") { try CaptureFilter.expression(filter) }
                do {
                    _ = try CaptureFilter.expression(filter)
                } catch {
                    #expect(error.field.hasSuffix("_address"))
                    #expect(!error.description.contains("\n") && !error.description.contains("\0"), "printed safely: \(error.description.debugDescription)")
                }
            }
        }
    }

    @Test("ports outside 1-65535 and protocols outside 0-255 are refused")
    func numbersOutOfRange() {
        for port in [0, -1, 65536, Int.max, Int.min] {
            #expect(throws: CaptureFilterError(field: "source_port", problem: "\(port) is not a port (1-65535)")) { try CaptureFilter.expression(PacketCaptureFilter(sourcePort: port)) }
            #expect(throws: CaptureFilterError.self) { try CaptureFilter.expression(PacketCaptureFilter(destinationPort: port)) }
        }
        for number in [-1, 256, Int.max] {
            #expect(throws: CaptureFilterError.self) { try CaptureFilter.expression(PacketCaptureFilter(protocol: number)) }
        }
    }

    @Test("tcpdump gets the expression after --, so no word of it is ever an option; the link and namespace are ours")
    func arguments() throws {
        let capture = WANCapture(namespace: "vc-0123abcd", link: "port1")
        let filter = try CaptureFilter.expression(PacketCaptureFilter(destinationPort: 53))
        let arguments = capture.arguments(filter: filter, packets: 10, file: "/var/lib/vconnector/captures/capture-x.pcap", tcpdump: "/usr/bin/tcpdump")
        #expect(arguments == [
            "netns", "exec", "vc-0123abcd", "/usr/bin/tcpdump", "--immediate-mode", "-U", "-Z", "root", "-n", "-i", "port1",
            "-w", "/var/lib/vconnector/captures/capture-x.pcap", "-c", "10", "--", "dst", "port", "53",
        ])
    }
}
