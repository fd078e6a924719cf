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
 * - where the runtime has Node's `Buffer` (feature-detected on `globalThis`, never imported): ASCII bytes become its
 *   `latin1` text (identical to UTF-8 for ASCII), others are decoded by one streaming `TextDecoder` in slices written
 *   as UTF-16 into one buffer and read back as its `utf16le` text. Node makes either an external string above ~1 MB:
 *   outside V8's heap, in memory `malloc` reuses, so no fresh heap pages are touched;
 * - elsewhere, the bytes are decoded by one streaming `TextDecoder` in slices of at most `SLICE` bytes, the pieces
 *   joined with `+` (a rope of small strings, which `JSON.parse` flattens once).
 *
 * @internal
 */
export class Utf8Text {
  /** `strings`: how the held bytes become one string at the end (`bufferStrings` where there is a `Buffer`). */
  constructor(private readonly strings: Strings | null = bufferStrings ?? null) {}
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
    const text = this.ascii ? this.strings?.latin1(held, this.read) : this.strings?.utf8(held, this.read)
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
 * One string of the held chunks (`length` bytes in all): `latin1` for ASCII bytes, `utf8` for any; `undefined` if it
 * cannot be made (then the chunks are decoded as a rope).
 *
 * @internal
 */
export interface Strings {
  readonly latin1: (chunks: ReadonlyArray<Uint8Array>, length: number) => string | undefined
  readonly utf8: (chunks: ReadonlyArray<Uint8Array>, length: number) => string | undefined
}

/** What this module needs of Node's `Buffer` (also Bun's), looked up on `globalThis` so nothing imports `node:`. */
interface BufferLike {
  readonly from: (buffer: ArrayBufferLike, byteOffset: number, length: number) => Uint8Array
  readonly allocUnsafe: (size: number) => Uint8Array
}

const isBufferLike = (value: unknown): value is BufferLike =>
  typeof value === "function" && "from" in value && typeof value.from === "function" && "allocUnsafe" in value &&
  typeof value.allocUnsafe === "function"

/** `bytes[method](...args)` where it is a function, else `undefined`. */
const call = (bytes: Uint8Array, method: string, args: ReadonlyArray<unknown>): unknown => {
  const f: unknown = Reflect.get(bytes, method)
  return typeof f === "function" ? Reflect.apply(f, bytes, args) : undefined
}

/**
 * `Strings` through `Buffer`, if the runtime has one: `latin1` as `Buffer#toString("latin1")` of the bytes (a view
 * of the only chunk, else one copy), `utf8` as the decoded slices written as UTF-16 into one buffer (a UTF-8 byte
 * never decodes to more than one UTF-16 unit, so twice the byte length holds them all) read as `utf16le`.
 *
 * @internal
 */
export const bufferStrings = ((): Strings | undefined => {
  const buffer: unknown = Reflect.get(globalThis, "Buffer")
  if (!isBufferLike(buffer)) return undefined
  const text = (bytes: Uint8Array, encoding: string, length: number) => {
    const value = call(bytes, "toString", [encoding, 0, length])
    return typeof value === "string" ? value : undefined
  }
  return {
    latin1: (chunks, length) => {
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
      const value = text(bytes, "latin1", length)
      return value?.length === length ? value : undefined
    },
    utf8: (chunks, length) => {
      const out = buffer.allocUnsafe(2 * length)
      let written = 0
      let exact = true
      decodeSlices(chunks, (piece) => {
        const n = call(out, "write", [piece, written, "utf16le"])
        if (n !== 2 * piece.length) exact = false
        else written += n
      })
      return exact ? text(out, "utf16le", written) : undefined
    }
  }
})()
