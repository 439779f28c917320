import Foundation
import Logging
import Synchronization
import Testing

@testable import Agent

@Suite("JSONLogHandler: one JSON object per line, what `--log-format json` writes")
struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    static func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "vconnector.test") { label in
            var handler = JSONLogHandler(label: label) { line in lines.lines.withLock { $0.append(line) } }
            handler.logLevel = level
            return handler
        }
        logger[metadataKey: "connector"] = "con-1"
        return logger
    }

    @Test("ts, level, label, msg, source, then the metadata (the event's over the logger's); one line each")
    func fields() throws {
        let lines = Lines()
        Self.logger(lines).warning("spool \"full\"\n\tagain", metadata: ["spooled": "12", "connector": "con-2"])
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1 && line.hasSuffix("}\n") && line.dropLast().firstIndex(of: "\n") == nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(
            object["level"] == "warning" && object["label"] == "vconnector.test" && object["source"] == "AgentTests")
        #expect(object["msg"] == "spool \"full\"\n\tagain")
        #expect(object["spooled"] == "12" && object["connector"] == "con-2")
        let ts = try #require(object["ts"])
        #expect(ts.count == 24 && ts.hasSuffix("Z") && ISO8601DateFormatter.withFractionalSeconds.date(from: ts) != nil)
        #expect(line.hasPrefix(#"{"ts":"#) && line.contains(#","source":"AgentTests","connector":"#))
    }

    @Test("below the level nothing is written; control characters are escaped, metadata cannot replace the fixed keys")
    func levelAndEscaping() throws {
        let lines = Lines()
        let logger = Self.logger(lines, level: .notice)
        logger.info("quiet")
        logger.notice("bell \u{07} nul \u{00}", metadata: ["level": "forged", "msg": "forged"])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.contains(#"bell \u0007 nul \u0000"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "notice" && object["msg"] == "bell \u{07} nul \u{00}")
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
