/// Runs `body` for every index of `count`, at most `limit` at a time, and returns the results in index order.
func concurrently<T: Sendable>(_ count: Int, limit: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
        var results = [T?](repeating: nil, count: count)
        var next = 0
        while next < min(limit, count) {
            let index = next
            group.addTask { (index, await body(index)) }
            next += 1
        }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < count {
                let index = next
                group.addTask { (index, await body(index)) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}
