import Forms
import Testing

@Suite("Byte sizes")
struct ByteSizeTests {
    @Test(
        "reads the sizes people write",
        arguments: [
            ("10MB", 10 * 1024 * 1024), ("25 mb", 25 * 1024 * 1024), ("500KB", 500 * 1024), ("1.5MB", 1_572_864),
            ("2GB", 2 * 1024 * 1024 * 1024), ("4096", 4096), ("12B", 12), ("0", 0),
        ]
    )
    func reads(text: String, bytes: Int) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test("refuses what is not a size", arguments: ["", "MB", "-1MB", "ten", "1.5", "1e400MB", "10 MiB", "１０MB"])
    func refuses(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test("describes sizes as people read them")
    func describes() {
        #expect(ByteSize.describe(10 * 1024 * 1024) == "10 MB")
        #expect(ByteSize.describe(1_572_864) == "1.5 MB")
        #expect(ByteSize.describe(2048) == "2 KB")
        #expect(ByteSize.describe(812) == "812 bytes")
    }
}
