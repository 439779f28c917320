import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct SpoolTests {
    @Test func appendsInOrderPersistsTheSequenceAndReclaimsTheOldest() throws {
        let directory = temporaryStateDirectory()
        var spool: Spool? = try Spool(directory: directory, limit: 3)
        var reclaimed: [Int] = []
        for index in 0..<5 {
            reclaimed.append(
                try spool!.append(.event, now: 10) { stamp in Data("{\"i\":\(index),\"n\":\(stamp.n)}".utf8) }.reclaimed
            )
        }
        #expect(reclaimed == [0, 0, 0, 1, 1], "each append past the limit reclaims the oldest in the same transaction")
        #expect(try spool!.count() == 3)
        let kept = try spool!.oldest(10)
        #expect(kept.map(\.stamp) == [Stamp(t: 10, n: 2), Stamp(t: 10, n: 3), Stamp(t: 10, n: 4)])
        #expect(String(decoding: kept[0].body, as: UTF8.self) == "{\"i\":2,\"n\":2}")
        try spool!.remove(ids: kept.prefix(3).map(\.id))
        spool = nil
        let reopened = try Spool(directory: directory, limit: 3)
        #expect(try reopened.count() == 0)
        #expect(try reopened.lastStamp() == Stamp(t: 10, n: 4), "the last stamp survives an empty spool and a reopen")
        #expect(try reopened.append(.event, now: 5) { _ in Data("{}".utf8) }.stamp == Stamp(t: 10, n: 5))
    }

    @Test func aFailedEncodingHandsOutNoStamp() throws {
        let spool = try Spool(directory: temporaryStateDirectory(), limit: 10)
        struct Boom: Error {}
        #expect(throws: Boom.self) { try spool.append(.event, now: 1) { _ in throw Boom() } }
        #expect(try spool.lastStamp() == nil && spool.count() == 0)
    }

    @Test func refusesAStateDirThatIsAFile() throws {
        let path = temporaryStateDirectory()
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: SpoolError.self) { try Spool(directory: path, limit: 10) }
    }
}
