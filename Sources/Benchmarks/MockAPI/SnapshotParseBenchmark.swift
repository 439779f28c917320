import ConnectorAPI
import Foundation
import MockAPI

/// The CPU cost of deciding one snapshot body, three ways in the same run, each round interleaved with the others:
/// the ingest validator (`SnapshotValidation`), `JSONDecoder` into `Snapshot` (what ingest did before), and
/// `JSONSerialization` (parsing alone, no types checked: the floor a full decode would have to beat).
struct SnapshotParseBenchmark {
    struct Result {
        var validatorMicroseconds: Double
        var decoderMicroseconds: Double
        var serializationMicroseconds: Double
    }

    let body: [UInt8]
    var rounds = 7
    var iterations = 300

    func run() throws -> Result {
        guard SnapshotValidation.verdict(body) == true else {
            throw BenchmarkFailure("the validator does not accept the benchmark snapshot")
        }
        let data = Data(body)
        let decoder = JSONDecoder()
        var validator: [Double] = []
        var decoding: [Double] = []
        var serialization: [Double] = []
        for _ in 0..<rounds {
            validator.append(time { _ = SnapshotValidation.verdict(body) })
            decoding.append(try time { _ = try decoder.decode(Snapshot.self, from: data) })
            serialization.append(try time { _ = try JSONSerialization.jsonObject(with: data) })
        }
        return Result(
            validatorMicroseconds: Statistics.rounded(Statistics.median(validator), places: 2),
            decoderMicroseconds: Statistics.rounded(Statistics.median(decoding), places: 2),
            serializationMicroseconds: Statistics.rounded(Statistics.median(serialization), places: 2))
    }

    /// CPU microseconds of this thread per call of `work`, over `iterations` calls (other load on the machine
    /// lengthens wall time, not this).
    private func time(_ work: () throws -> Void) rethrows -> Double {
        let start = Samples.now(CLOCK_THREAD_CPUTIME_ID)
        for _ in 0..<iterations { try work() }
        return (Samples.now(CLOCK_THREAD_CPUTIME_ID) - start) / Double(iterations)
    }
}
