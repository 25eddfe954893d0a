import Forms
import NIOCore

/// What varies between two servings of one compiled page: values for its slots, answers for its
/// sections. Each page kind has its own, with typed slots and conditions (no names to look up).
protocol PageState {
    associatedtype Slot: Sendable
    associatedtype Condition: Sendable

    /// Writes a slot's value, escaped unless the slot holds HTML made safe already (the intro).
    func write(_ slot: Slot, to html: inout HTMLOutput)
    func holds(_ condition: Condition) -> Bool
}

/// A page compiled once at start-up: everything that cannot change for its form and language,
/// escaped already, as static bytes; typed slots and sections for what varies per request.
///
/// Serving it appends the static chunks and the escaped slot values to one buffer, in order.
struct CompiledPage<State: PageState>: Sendable {
    enum Part: Sendable {
        case bytes(ByteBuffer)
        case slot(State.Slot)
        /// When the condition does not hold, rendering goes on at part `end`.
        case section(State.Condition, end: Int)
    }

    let parts: [Part]
    /// What one serving with short values writes, so that the buffer grows at most once or twice.
    let estimatedSize: Int

    func render(_ state: State, into html: inout HTMLOutput) {
        var index = parts.startIndex
        while index < parts.endIndex {
            switch parts[index] {
            case .bytes(let bytes):
                html.buffer.writeImmutableBuffer(bytes)
            case .slot(let slot):
                state.write(slot, to: &html)
            case .section(let condition, let end):
                if !state.holds(condition) {
                    index = end
                    continue
                }
            }
            index += 1
        }
    }

    func render(_ state: State) -> ByteBuffer {
        var html = HTMLOutput(capacity: estimatedSize)
        render(state, into: &html)
        return html.buffer
    }
}

/// Writes a page's markup once, at start-up: literal markup, static text (escaped now), and the
/// slots and sections that ``CompiledPage`` fills in per request.
struct PageBuilder<State: PageState> {
    private var parts: [CompiledPage<State>.Part] = []
    private var pending: [UInt8] = []
    private var staticSize = 0

    /// Markup as written in the template: trusted, never from a form file or a person.
    mutating func markup(_ html: String) {
        pending.append(contentsOf: html.utf8)
    }

    /// Text from a form file, the catalogues or the configuration: escaped here, once.
    mutating func text(_ text: String) {
        pending.append(contentsOf: HTMLEscaping.escape(text).utf8)
    }

    /// `name="value"` with a leading space, the value escaped; nothing when the value is nil.
    mutating func attribute(_ name: String, _ value: String?) {
        guard let value else { return }
        markup(" \(name)=\"")
        text(value)
        markup("\"")
    }

    mutating func slot(_ slot: State.Slot) {
        flush()
        parts.append(.slot(slot))
    }

    /// Content shown only when `condition` holds for the request.
    mutating func section(_ condition: State.Condition, _ content: (inout Self) -> Void) {
        flush()
        let start = parts.count
        parts.append(.section(condition, end: start))
        content(&self)
        flush()
        if parts.count == start + 1 {
            parts.removeLast()  // nothing to show either way
        } else {
            parts[start] = .section(condition, end: parts.count)
        }
    }

    func build() -> CompiledPage<State> {
        var builder = self
        builder.flush()
        return CompiledPage(parts: builder.parts, estimatedSize: builder.staticSize + 512)
    }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        staticSize += pending.count
        parts.append(.bytes(ByteBuffer(bytes: pending)))
        pending.removeAll(keepingCapacity: true)
    }
}

/// The buffer a page is written into, with the one escaper of request-time values.
struct HTMLOutput {
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Escapes `<`, `>`, `&`, `"` and `'`. These are ASCII, and in UTF-8 an ASCII byte is always
    /// a whole scalar, so escaping bytes is exactly ``HTMLEscaping/escape(_:)``'s escaping of
    /// scalars: a combining mark after a quote cannot hide it.
    mutating func writeEscaped(_ text: some StringProtocol) {
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            writeEscaped(bytes: UnsafeRawBufferPointer(bytes))
        }
        if written == nil {
            writeEscaped(bytes: Array(text.utf8))
        }
    }

    /// HTML made safe already (the rendered intro).
    mutating func writeTrusted(_ html: String) {
        buffer.writeString(html)
    }

    private mutating func writeEscaped(bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeEscaped(bytes: $0) }
    }

    private mutating func writeEscaped(bytes: UnsafeRawBufferPointer) {
        var start = 0
        for index in bytes.indices {
            let entity: StaticString
            switch bytes[index] {
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "\""): entity = "&quot;"
            case UInt8(ascii: "'"): entity = "&#39;"
            default: continue
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            buffer.writeStaticString(entity)
            start = index + 1
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }
}

/// The state of a page with nothing that varies (the console, built per request).
struct StaticPageState: PageState {
    func write(_ slot: Never, to html: inout HTMLOutput) {}
    func holds(_ condition: Never) -> Bool {}
}
