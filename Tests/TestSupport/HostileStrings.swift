import Foundation

/// Strings an attacker who can write a site config (or an API answer) would try, for every field that ends up
/// in a generated file, a command line, a path or a terminal. The payloads that would run something write the
/// marker file `HostileStrings.marker`; a test asserts it never appears.
public enum HostileStrings {
    /// A file that exists only if one of the payloads was executed (by a shell, dnsmasq or anything else).
    public static let marker = FileManager.default.temporaryDirectory.appendingPathComponent("vct-pwned-\(getpid())").path

    /// The payload of the dnsmasq report: a LAN name that adds a `dhcp-script` run as root on the first lease.
    public static let dnsmasqScript = "office\ndhcp-script=\(marker).sh\n#"

    /// Every hostile string, each with a short label for test output.
    public static let corpus: [(label: String, value: String)] = [
        ("newline directive", dnsmasqScript),
        ("conf-file", "x\nconf-file=\(marker).conf"),
        ("enable-tftp", "x\nenable-tftp\ntftp-root=/"),
        ("carriage return", "office\rdhcp-script=\(marker).sh"),
        ("NUL", "office\u{0}dhcp-script=\(marker).sh"),
        ("hash", "# office"),
        ("equals", "dhcp-script=\(marker).sh"),
        ("double quote", "office\" accept comment \""),
        ("single quote", "office'; touch \(marker); '"),
        ("command substitution", "$(touch \(marker))"),
        ("backticks", "`touch \(marker)`"),
        ("escape sequence", "\u{1B}[2J\u{1B}[31mred\u{1B}]0;title\u{07}"),
        ("dot dot", "../../../../tmp/vct-pwned"),
        ("absolute path", "/etc/passwd"),
        ("100k characters", String(repeating: "A", count: 100_000)),
        ("bidi override", "office\u{202E}txt.exe"),
        ("line separator", "office\u{2028}dhcp-script=\(marker).sh"),
        ("zero width", "off\u{200B}ice"),
        ("fullwidth confusable", "ｏｆｆｉｃｅ"),
        ("tab", "office\tdhcp"),
        ("semicolon and braces", "x; } chain y { accept"),
        ("backslash", "office\\n\\x00"),
        ("empty", ""),
    ]

    /// True when a payload ran: the marker file exists.
    public static var markerExists: Bool { FileManager.default.fileExists(atPath: marker) }

    /// Puts an executable `<marker>.sh` in place that creates the marker, so a `dhcp-script=` or `conf-file=`
    /// that got through would show when dnsmasq runs it; returns a function that removes it (and the marker).
    public static func armScript() -> () -> Void {
        let script = marker + ".sh"
        _ = FileManager.default.createFile(
            atPath: script, contents: Data("#!/bin/sh\ntouch '\(marker)'\n".utf8), attributes: [.posixPermissions: 0o700])
        return {
            for path in [script, marker] { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}
