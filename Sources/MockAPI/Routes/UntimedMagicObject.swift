/// A Magic object whose documented shape has no `created_on`/`modified_on` (apps, packet captures, buckets): the
/// shared flow's timestamps are dropped rather than served.
protocol UntimedMagicObject: MagicObject {}

extension UntimedMagicObject {
    var createdOn: String? {
        get { nil }
        set {}
    }
    var modifiedOn: String? {
        get { nil }
        set {}
    }
}
