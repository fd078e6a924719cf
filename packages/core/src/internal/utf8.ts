/**
 * The text of a body read chunk by chunk: exactly what `Response.text()` gives for the same bytes (UTF-8, U+FFFD for
 * each invalid sequence, one leading BOM dropped, characters split across chunks intact), without concatenating the
 * bytes and decoding them into one large string on V8's heap.
 *
 * Why: on V8 a string past ~128 KB is a large object on pages of its own, fresh from the OS, and touching them is
 * most of what decoding a big body costs where page faults are dear (VMs): ~6 ms for a 1.6 MB page here, whatever
 * the API, and `Response.text()` of a buffered body pays it twice (the bytes concatenated, then decoded).
 *
 * The chunks are held (no copy) and scanned for a non-ASCII byte (word-wise, until one is found). At the end:
 * - ASCII bytes, where the runtime has Node's `Buffer` (feature-detected on `globalThis`, never imported; native
 *   only), become its `latin1` text (identical to UTF-8 for ASCII), which Node makes an external string above ~1 MB:
 *   outside V8's heap, in memory `malloc` may reuse;
 * - any other bytes (or without a `Buffer`) are decoded by one streaming `TextDecoder` in slices of at most `SLICE`
 *   bytes, the pieces joined with `+` (a rope of small strings, which `JSON.parse` flattens once).
 *
 * Tried and dropped: decoding non-ASCII bytes into one UTF-16 buffer read back as an external `utf16le` string. In
 * isolation it was the cheapest, but through `Users.list` over undici it cost more than the rope (twice the body's
 * size in `malloc`ed memory, twice over, each page).
 *
 * @internal
 */
export class Utf8Text {
  /** `latin1`: how held ASCII bytes become one string (`bufferLatin1` where there is a `Buffer`; `null`: decoded). */
  constructor(private readonly latin1: Latin1 | null = bufferLatin1 ?? null) {}
  private held: Array<Uint8Array> = []
  private ascii = true
  /** Bytes pushed so far. */
  read = 0

  push(chunk: Uint8Array): void {
    this.read += chunk.length
    if (this.ascii && !isAscii(chunk)) this.ascii = false
    this.held.push(chunk)
  }

  /** The text of everything pushed. */
  end(): string {
    const held = this.held
    this.held = []
    if (this.read === 0) return ""
    const text = this.ascii ? this.latin1?.(held, this.read) : undefined
    if (text !== undefined) return text
    let decoded = ""
    decodeSlices(held, (piece) => decoded += piece)
    return decoded
  }
}

/**
 * The largest slice decoded at once: its string (at most 32 K UTF-16 units, 64 KB) stays an ordinary young object.
 *
 * @internal
 */
export const SLICE = 32 * 1024

/** Decodes the chunks with one streaming `TextDecoder`, a slice at a time, handing each piece to `write`. */
const decodeSlices = (chunks: ReadonlyArray<Uint8Array>, write: (piece: string) => void): void => {
  const decoder = new TextDecoder()
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += SLICE) {
      write(decoder.decode(chunk.subarray(offset, offset + SLICE), { stream: true }))
    }
  }
  write(decoder.decode())
}

/** Whether every byte is below 0x80: whole 32-bit words where aligned, single bytes at the ends. */
const isAscii = (bytes: Uint8Array): boolean => {
  const length = bytes.length
  let bits = 0
  let i = 0
  const head = Math.min(length, (4 - (bytes.byteOffset & 3)) & 3)
  for (; i < head; i++) bits |= bytes[i]!
  const words = (length - i) >>> 2
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words)
    for (let j = 0; j < words; j++) bits |= view[j]!
    i += words * 4
  }
  for (; i < length; i++) bits |= bytes[i]!
  return (bits & 0x80808080) === 0
}

/**
 * One string of the held ASCII chunks (`length` bytes in all), or `undefined` if it cannot be made (then they are
 * decoded as a rope).
 *
 * @internal
 */
export type Latin1 = (chunks: ReadonlyArray<Uint8Array>, length: number) => string | undefined

/** What this module needs of Node's `Buffer` (also Bun's), looked up on `globalThis` so nothing imports `node:`. */
interface BufferLike {
  readonly from: (buffer: ArrayBufferLike, byteOffset: number, length: number) => Uint8Array
  readonly allocUnsafe: (size: number) => Uint8Array
}

const isBufferLike = (value: unknown): value is BufferLike =>
  typeof value === "function" && "from" in value && typeof value.from === "function" && "allocUnsafe" in value &&
  typeof value.allocUnsafe === "function"

/**
 * `Latin1` through `Buffer`'s native `latin1Slice` (what `toString("latin1")` calls) of the bytes (a view of the only
 * chunk, else one copy), if the runtime has a `Buffer` whose `latin1Slice` is native code (Node, Bun): a bundler's
 * `Buffer` polyfill builds the string a character at a time, far slower than decoding.
 *
 * @internal
 */
export const latin1Of = (buffer: unknown): Latin1 | undefined => {
  if (!isBufferLike(buffer)) return undefined
  const prototype: unknown = Reflect.get(buffer, "prototype")
  const slice: unknown = typeof prototype === "object" && prototype !== null
    ? Reflect.get(prototype, "latin1Slice")
    : undefined
  if (typeof slice !== "function" || !Function.prototype.toString.call(slice).includes("[native code]")) {
    return undefined
  }
  return (chunks, length) => {
    const only = chunks.length === 1 ? chunks[0]! : undefined
    let bytes: Uint8Array
    if (only !== undefined) {
      bytes = buffer.from(only.buffer, only.byteOffset, only.length)
    } else {
      bytes = buffer.allocUnsafe(length)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.length
      }
    }
    const text: unknown = Reflect.apply(slice, bytes, [0, length])
    return typeof text === "string" && text.length === length ? text : undefined
  }
}

/**
 * `latin1Of` the runtime's `Buffer`.
 *
 * @internal
 */
export const bufferLatin1 = latin1Of(Reflect.get(globalThis, "Buffer"))
