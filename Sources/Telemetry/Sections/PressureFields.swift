import ConnectorAPI

/// The three PSI resources and where their averages go in a snapshot.
enum PressureResource: String, CaseIterable {
    case cpu, io, memory
}

extension Snapshot {
    /// PSI of one resource. CPU has only `some` fields in the schema; io and memory have both.
    mutating func record(_ pressure: Pressure, for resource: PressureResource) {
        switch resource {
        case .cpu:
            cpuPressure10s = pressure.some?.avg10
            cpuPressure60s = pressure.some?.avg60
            cpuPressure300s = pressure.some?.avg300
            cpuPressureTotalUs = pressure.some?.totalMicroseconds
        case .io:
            ioPressureSome10s = pressure.some?.avg10
            ioPressureSome60s = pressure.some?.avg60
            ioPressureSome300s = pressure.some?.avg300
            ioPressureSomeTotalUs = pressure.some?.totalMicroseconds
            ioPressureFull10s = pressure.full?.avg10
            ioPressureFull60s = pressure.full?.avg60
            ioPressureFull300s = pressure.full?.avg300
            ioPressureFullTotalUs = pressure.full?.totalMicroseconds
        case .memory:
            memoryPressureSome10s = pressure.some?.avg10
            memoryPressureSome60s = pressure.some?.avg60
            memoryPressureSome300s = pressure.some?.avg300
            memoryPressureSomeTotalUs = pressure.some?.totalMicroseconds
            memoryPressureFull10s = pressure.full?.avg10
            memoryPressureFull60s = pressure.full?.avg60
            memoryPressureFull300s = pressure.full?.avg300
            memoryPressureFullTotalUs = pressure.full?.totalMicroseconds
        }
    }
}
