import * as Either from "effect/Either"

const shape = "image must be { file: Blob | Uint8Array, filename?: string }"

const signatures: ReadonlyArray<readonly [string, ReadonlyArray<number | undefined>]> = [
  ["image/png", [0x89, 0x50, 0x4e, 0x47]],
  ["image/jpeg", [0xff, 0xd8, 0xff]],
  ["image/gif", [0x47, 0x49, 0x46, 0x38]],
  ["image/webp", [0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50]]
]

/** The image type of raw bytes from their magic number (a Blob carries its own); `""` when not recognised. */
const sniff = (bytes: Uint8Array): string =>
  signatures.find(([, magic]) => magic.every((byte, i) => byte === undefined || bytes[i] === byte))?.[0] ?? ""

/**
 * Builds the multipart form of `setProfileImage` from whatever the caller passed: `file` a `Blob` (a `File`
 * included) or bytes (`Uint8Array`, Node's `Buffer` included; typed from their magic number: PNG, JPEG, GIF, WebP);
 * `filename` absent or a plain file name. Anything else
 * is refused with a message, never handed to `FormData` (which would throw, or send `String(value)`).
 *
 * @internal
 */
export const profileImageForm = (image: unknown): Either.Either<FormData, string> => {
  try {
    if (typeof image !== "object" || image === null) {
      return Either.left(`${shape}, got ${image === null ? "null" : typeof image}`)
    }
    const extra = Reflect.ownKeys(image).filter((key) => key !== "file" && key !== "filename")
    if (extra.length > 0) return Either.left(`${shape}; unknown key ${String(extra[0])}`)
    const file: unknown = Reflect.get(image, "file")
    const filename: unknown = Reflect.get(image, "filename")
    let blob: Blob
    if (file instanceof Blob) blob = file
    else if (file instanceof Uint8Array) blob = new Blob([new Uint8Array(file)], { type: sniff(file) })
    else {
      const kind = file === null
        ? "null"
        : typeof file === "object"
        ? Object.prototype.toString.call(file)
        : typeof file
      return Either.left(`file must be a Blob or a Uint8Array (a Buffer is one), got ${kind}`)
    }
    if (filename !== undefined) {
      if (typeof filename !== "string") return Either.left(`filename must be a string, got ${typeof filename}`)
      if (filename.length === 0 || filename.length > 255) return Either.left("filename must be 1 to 255 characters")
      // control characters and quotes would be escaped in the multipart header (sent as something else)
      if (/[\u0000-\u001f\u007f"]/.test(filename)) {
        return Either.left("filename must not contain control characters or '\"'")
      }
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(filename)) {
        return Either.left("filename has a lone surrogate (not UTF-16 text)")
      }
    }
    const form = new FormData()
    form.append("file", blob, filename ?? "file")
    return Either.right(form)
  } catch (thrown) {
    return Either.left(`${shape}; reading it threw ${thrown instanceof Error ? thrown.name : typeof thrown}`)
  }
}
