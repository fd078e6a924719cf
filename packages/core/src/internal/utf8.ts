/**
 * The text of a body read chunk by chunk: exactly what `Response.text()` gives for the same bytes (UTF-8, U+FFFD for
 * each invalid sequence, a leading BOM dropped, characters split across chunks intact), without concatenating the
 * bytes or decoding them into one large string.
 *
 * Why: on V8 a string past ~128 KB is a large object on pages of its own, fresh from the OS, and touching them is
 * most of what decoding a big body costs where page faults are dear (VMs): ~6 ms for a 1.6 MB page here, whatever
 * the API, and `Response.text()` of a buffered body pays it twice (the bytes concatenated, then decoded).
 * - While every byte is ASCII (most JSON), the chunks are only held (a word-wise scan, no copy). At the end they
 *   become one string: where the runtime has Node's `Buffer` (feature-detected, never imported), as its `latin1`
 *   text, identical to UTF-8 for ASCII bytes, which V8 keeps outside its heap (an external string) above ~1 MB, so
 *   no fresh heap pages are touched; elsewhere they are decoded as below.
 * - From the first non-ASCII byte on, the bytes go through one streaming `TextDecoder` in slices of at most
 *   `SLICE` bytes, and the pieces are joined with `+` (a rope of small strings; `JSON.parse` flattens it once).
 *
 * @internal
 */
export class Utf8Text {
  /** `latin1`: how ASCII chunks become one string (`bufferLatin1` where there is a `Buffer`; `null`: decoded). */
  constructor(private readonly latin1: Latin1 | null = bufferLatin1 ?? null) {}
  private held: Array<Uint8Array> = []
  private decoder: TextDecoder | undefined
  private text = ""
  /** Bytes pushed so far. */
  read = 0

  push(chunk: Uint8Array): void {
    this.read += chunk.length
    if (this.decoder === undefined) {
      if (isAscii(chunk)) {
        this.held.push(chunk)
        return
      }
      const decoder = new TextDecoder()
      this.decoder = decoder
      for (const ascii of this.held) this.text += decodeSlices(decoder, ascii)
      this.held = []
    }
    this.text += decodeSlices(this.decoder, chunk)
  }

  /** The text of everything pushed. */
  end(): string {
    if (this.decoder !== undefined) return this.text + this.decoder.decode()
    const held = this.held
    this.held = []
    if (held.length === 0) return ""
    const text = this.latin1?.(held, this.read)
    if (text !== undefined) return text
    const decoder = new TextDecoder()
    let decoded = ""
    for (const ascii of held) decoded += decodeSlices(decoder, ascii)
    return decoded + decoder.decode()
  }
}

/**
 * The largest slice decoded at once: its string (at most 32 K UTF-16 units, 64 KB) stays an ordinary young object.
 *
 * @internal
 */
export const SLICE = 32 * 1024

const decodeSlices = (decoder: TextDecoder, bytes: Uint8Array): string => {
  if (bytes.length <= SLICE) return decoder.decode(bytes, { stream: true })
  let text = ""
  for (let offset = 0; offset < bytes.length; offset += SLICE) {
    text += decoder.decode(bytes.subarray(offset, offset + SLICE), { stream: true })
  }
  return text
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

/** What this module needs of Node's `Buffer` (also Bun's), looked up on `globalThis` so nothing imports `node:`. */
interface BufferLike {
  readonly from: (buffer: ArrayBufferLike, byteOffset: number, length: number) => Uint8Array
  readonly allocUnsafe: (size: number) => Uint8Array
}

const isBufferLike = (value: unknown): value is BufferLike =>
  typeof value === "function" && "from" in value && typeof value.from === "function" && "allocUnsafe" in value &&
  typeof value.allocUnsafe === "function"

/**
 * One string of the chunks' bytes read as Latin-1 (`length` bytes in all), or `undefined` if it cannot be made.
 *
 * @internal
 */
export type Latin1 = (chunks: ReadonlyArray<Uint8Array>, length: number) => string | undefined

/**
 * `Latin1` through `Buffer#toString("latin1")`, if the runtime has a `Buffer`.
 *
 * @internal
 */
export const bufferLatin1 = ((): Latin1 | undefined => {
  const buffer: unknown = Reflect.get(globalThis, "Buffer")
  if (!isBufferLike(buffer)) return undefined
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
    const text: unknown = Reflect.apply(bytes.toString, bytes, ["latin1"])
    return typeof text === "string" && text.length === length ? text : undefined
  }
})()
