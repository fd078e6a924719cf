import bcrypt from "bcryptjs"
import * as Effect from "effect/Effect"
import * as crypto from "node:crypto"
import { argon2VerifyOffThread, iterateOffThread } from "./hashWorker.js"

/**
 * Imported password digests (`password_digest` + `password_hasher` on create and update): the form each of Clerk's
 * hashers takes, the bounds on every cost a digest carries, and verification.
 *
 * Forms are Clerk's (the `password_hasher` list of the spec, the create-user reference for each digest's form).
 * Verification uses `bcryptjs` (bcrypt and its Django and peppered variants), `hash-wasm` (argon2i, argon2id, in a
 * worker thread: it is synchronous WebAssembly) and
 * `node:crypto` (MD5, SHA-1/256/512, PBKDF2, scrypt, AES for Firebase's scrypt). Every cost a digest carries
 * (iterations, bcrypt cost, argon2 memory/time/lanes, scrypt N/r/p, phpass rounds, key lengths) is bounded here, so a
 * digest is refused at create/update (422 `form_password_digest_invalid_code`) rather than stalling
 * `verify_password` later. `awscognito` is accepted, but nothing verifies it locally (Clerk checks it against
 * Cognito at sign-in): `verify_password` answers as for a wrong password.
 *
 * @internal
 */
export interface Hasher {
  /** A reason the digest is refused, or the parsed digest. */
  readonly parse: (digest: string) => string | Parsed
}

interface Parsed {
  readonly verify: (password: string) => Promise<boolean>
}

/** Bounds on the costs a digest carries (each well above what the hasher's own defaults use). @internal */
export const limits = {
  digestLength: 2048,
  pbkdf2Iterations: 2_000_000,
  derivedKeyBytes: 128,
  bcryptCost: { min: 4, max: 14 },
  // memory up to 64 MiB and memory x passes up to RFC 9106's second recommendation (64 MiB, 3 passes): hash-wasm
  // runs in a worker thread (./hashWorker.ts), so this bounds how long a verification queues others, not the loop
  argon2: { memoryKiB: 65_536, time: 10, lanes: 16, work: 3 * 65_536 },
  // Firebase's own ranges for its project-wide scrypt settings
  scryptFirebase: { rounds: 8, memCost: 14 },
  scryptWerkzeug: { memoryBytes: 64 * 1024 * 1024, work: 2 ** 20 },
  phpassLog2: { min: 7, max: 16 },
  symfonyIterations: 100_000
} as const

const safeEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && crypto.timingSafeEqual(a, b)
const isHex = (s: string) => s.length % 2 === 0 && /^[0-9a-f]+$/i.test(s)
const isBase64 = (s: string) => /^[A-Za-z0-9+/]+={0,2}$/.test(s)
const hexOrBase64 = (s: string) => (isHex(s) ? Buffer.from(s, "hex") : Buffer.from(s, "base64"))
const hash = (algorithm: string, ...parts: ReadonlyArray<string | Uint8Array>) => {
  const h = crypto.createHash(algorithm)
  for (const part of parts) h.update(part)
  return h.digest()
}
const parsed = (verify: (password: string) => Promise<boolean>): Parsed => ({ verify })

/** A positive integer within `max`, spelled in digits only (no sign, exponent, fraction or leading zero). */
const boundedInt = (text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined || !/^[1-9]\d{0,9}$/.test(text)) return undefined
  const n = Number(text)
  return n >= min && n <= max ? n : undefined
}

const pbkdf2 = (password: string, salt: Uint8Array, iterations: number, length: number, digest: string) =>
  new Promise<Buffer>((resolve, reject) =>
    crypto.pbkdf2(password, salt, iterations, length, digest, (e, key) => (e ? reject(e) : resolve(key)))
  )

const scrypt = (password: string | Uint8Array, salt: Uint8Array, length: number, options: crypto.ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(password, salt, length, options, (e, key) => (e ? reject(e) : resolve(key)))
  )

// ---------------------------------------------------------------------------------------------------------------
// bcrypt family (bcryptjs)

const BCRYPT = /^\$2[abxy]\$(\d{2})\$[./A-Za-z0-9]{53}$/

const bcryptDigest = (digest: string, prepare: (password: string) => string): string | Parsed => {
  const cost = BCRYPT.exec(digest)?.[1]
  if (cost === undefined) return "is not a bcrypt digest ($<version>$<cost>$<salt & hash>)"
  const n = Number(cost)
  if (n < limits.bcryptCost.min || n > limits.bcryptCost.max) {
    return `has a bcrypt cost of ${n}; the emulator takes ${limits.bcryptCost.min} to ${limits.bcryptCost.max}`
  }
  return parsed((password) => bcrypt.compare(prepare(password), digest))
}

const bcryptHasher: Hasher = { parse: (digest) => bcryptDigest(digest, (p) => p) }

const bcryptSha256Django: Hasher = {
  parse: (digest) =>
    digest.startsWith("bcrypt_sha256$")
      ? bcryptDigest(digest.slice("bcrypt_sha256$".length), (p) => hash("sha256", p).toString("hex"))
      : "is not bcrypt_sha256$<bcrypt digest>"
}

const bcryptPeppered: Hasher = {
  parse: (digest) => {
    const at = digest.indexOf("$", 60)
    if (at !== 60 || digest.length === 61) return "is not $<version>$<cost>$<salt & hash>$<pepper>"
    const pepper = digest.slice(61)
    return bcryptDigest(digest.slice(0, 60), (p) => p + pepper)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// plain digests

const hexDigest = (algorithm: "md5" | "sha256", length: number): Hasher => ({
  parse: (digest) =>
    digest.length === length && isHex(digest)
      ? parsed((password) => Promise.resolve(safeEqual(hash(algorithm, password), Buffer.from(digest, "hex"))))
      : `is not a ${length}-character hex ${algorithm} digest`
})

const ldapSsha: Hasher = {
  parse: (digest) => {
    const body = digest.startsWith("{SSHA}") ? digest.slice(6) : undefined
    const bytes = body !== undefined && isBase64(body) ? Buffer.from(body, "base64") : undefined
    if (bytes === undefined || bytes.length <= 20) return "is not {SSHA}<base64 of SHA-1 digest and salt>"
    const expected = bytes.subarray(0, 20)
    const salt = bytes.subarray(20)
    return parsed((password) => Promise.resolve(safeEqual(hash("sha1", password, salt), expected)))
  }
}

const sha512Symfony: Hasher = {
  parse: (digest) => {
    const [prefix, iterationsText, salt, encoded, ...rest] = digest.split("$")
    if (prefix !== "sha512_symfony" || salt === undefined || encoded === undefined || rest.length > 0) {
      return "is not sha512_symfony$<iterations>$<salt>$<base64 hash>"
    }
    const iterations = boundedInt(iterationsText, 1, limits.symfonyIterations)
    if (iterations === undefined) return `has iterations outside 1 to ${limits.symfonyIterations}`
    if (!isBase64(encoded)) return "has a hash that is not base64"
    const expected = Buffer.from(encoded, "base64")
    return parsed(async (password) => {
      // Symfony's legacy MessageDigestPasswordEncoder: password{salt}, re-hashed with the salted text each round
      const salted = salt === "" ? password : `${password}{${salt}}`
      const out = await iterateOffThread("sha512", salted, iterations - 1, salted)
      return out !== undefined && safeEqual(out, expected)
    })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PBKDF2 (node:crypto, off the event loop)

type Encoding = "raw" | "base64" | "hex" | "hexOrRaw"

const decode = (text: string, encoding: Encoding): Buffer | undefined => {
  switch (encoding) {
    case "raw":
      return Buffer.from(text, "utf8")
    case "base64":
      return isBase64(text) ? Buffer.from(text, "base64") : undefined
    case "hex":
      return isHex(text) ? Buffer.from(text, "hex") : undefined
    case "hexOrRaw":
      return isHex(text) ? Buffer.from(text, "hex") : Buffer.from(text, "utf8")
  }
}

const pbkdf2Hasher = (
  prefix: string,
  digestAlgorithm: "sha1" | "sha256" | "sha512",
  salt: Encoding,
  hashEncoding: "base64" | "hex",
  keyLength: "fromHash" | "optionalField"
): Hasher => ({
  parse: (digest) => {
    const parts = digest.split("$")
    const form = `${prefix}$<iterations>$<salt>$<hash>`
    const extra = keyLength === "optionalField" ? 1 : 0
    if (parts[0] !== prefix || parts.length < 4 || parts.length > 4 + extra) return `is not ${form}`
    const iterations = boundedInt(parts[1], 1, limits.pbkdf2Iterations)
    if (iterations === undefined) {
      return `has iterations that are not a whole number from 1 to ${limits.pbkdf2Iterations}`
    }
    const saltBytes = decode(parts[2] ?? "", salt)
    const expected = decode(parts[3] ?? "", hashEncoding)
    if (saltBytes === undefined || expected === undefined || expected.length === 0) {
      return `is not ${form} (salt ${salt}, hash ${hashEncoding})`
    }
    const length = parts[4] === undefined
      ? keyLength === "optionalField" ? 32 : expected.length
      : boundedInt(parts[4], 1, limits.derivedKeyBytes)
    if (length === undefined || expected.length > limits.derivedKeyBytes) {
      return `has a key length outside 1 to ${limits.derivedKeyBytes} bytes`
    }
    return parsed(async (password) =>
      safeEqual(await pbkdf2(password, saltBytes, iterations, length, digestAlgorithm), expected)
    )
  }
})

// ---------------------------------------------------------------------------------------------------------------
// scrypt variants (node:crypto, off the event loop)

const scryptFirebase: Hasher = {
  parse: (digest) => {
    const [hashB64, saltB64, signerB64, separatorB64, roundsText, memCostText, ...rest] = digest.split("$")
    const fields = [hashB64, saltB64, signerB64, separatorB64]
    if (rest.length > 0 || fields.some((f) => f === undefined || !isBase64(f))) {
      return "is not <hash>$<salt>$<signer key>$<salt separator>$<rounds>$<memory cost> (base64 parts)"
    }
    const rounds = boundedInt(roundsText, 1, limits.scryptFirebase.rounds)
    const memCost = boundedInt(memCostText, 1, limits.scryptFirebase.memCost)
    if (rounds === undefined || memCost === undefined) {
      return `has rounds outside 1 to ${limits.scryptFirebase.rounds} or a memory cost outside 1 to ${limits.scryptFirebase.memCost}`
    }
    const [expected, salt, signer, separator] = fields.map((f) => Buffer.from(f ?? "", "base64"))
    return parsed(async (password) => {
      const N = 2 ** memCost
      const key = await scrypt(password, Buffer.concat([salt!, separator!]), 64, {
        N,
        r: rounds,
        p: 1,
        maxmem: 256 * N * rounds
      })
      const cipher = crypto.createCipheriv("aes-256-ctr", key.subarray(0, 32), Buffer.alloc(16))
      return safeEqual(Buffer.concat([cipher.update(signer!), cipher.final()]), expected!)
    })
  }
}

const scryptWerkzeug: Hasher = {
  parse: (digest) => {
    const [method, salt, encoded, ...rest] = (digest.startsWith("$") ? digest.slice(1) : digest).split("$")
    const args = /^scrypt:(\d+):(\d+):(\d+)$/.exec(method ?? "")
    if (args === null || salt === undefined || encoded === undefined || rest.length > 0) {
      return "is not scrypt:<N>:<r>:<p>$<salt>$<hash>"
    }
    const [N, r, p] = [args[1], args[2], args[3]].map((t) => boundedInt(t, 1, 2 ** 30))
    const { memoryBytes, work } = limits.scryptWerkzeug
    if (
      N === undefined || r === undefined || p === undefined || N < 2 || (N & (N - 1)) !== 0 ||
      128 * N * r > memoryBytes || N * r * p > work
    ) {
      return `has scrypt parameters past the emulator's bounds (N a power of 2, 128·N·r ≤ ${memoryBytes} B, N·r·p ≤ ${work})`
    }
    const expected = isHex(encoded) || isBase64(encoded) ? hexOrBase64(encoded) : undefined
    if (expected === undefined || expected.length === 0 || expected.length > limits.derivedKeyBytes) {
      return "has a hash that is not hex or base64 of 1 to 128 bytes"
    }
    return parsed(async (password) =>
      safeEqual(
        await scrypt(password, Buffer.from(salt, "utf8"), expected.length, { N, r, p, maxmem: 256 * N * r + 1024 }),
        expected
      )
    )
  }
}

// ---------------------------------------------------------------------------------------------------------------
// phpass (the portable MD5 form, node:crypto)

const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

const encode64 = (input: Buffer): string => {
  let out = ""
  for (let i = 0; i < input.length; i += 3) {
    const value = input[i]! | ((input[i + 1] ?? 0) << 8) | ((input[i + 2] ?? 0) << 16)
    const chars = i + 1 >= input.length ? 2 : i + 2 >= input.length ? 3 : 4
    for (let c = 0; c < chars; c++) out += itoa64[(value >> (6 * c)) & 0x3f]
  }
  return out
}

const phpass = (prefixes: ReadonlyArray<string>): Hasher => ({
  parse: (digest) => {
    const prefix = digest.slice(0, 3)
    if (!prefixes.includes(prefix) || !/^[./0-9A-Za-z]{31}$/.test(digest.slice(3))) {
      return `is not ${prefixes.join(" or ")}<rounds><salt><checksum> (31 characters of [./0-9A-Za-z])`
    }
    const log2 = itoa64.indexOf(digest[3]!)
    if (log2 < limits.phpassLog2.min || log2 > limits.phpassLog2.max) {
      return `has 2^${log2} rounds; the emulator takes 2^${limits.phpassLog2.min} to 2^${limits.phpassLog2.max}`
    }
    const salt = digest.slice(4, 12)
    return parsed(async (password) => {
      const out = await iterateOffThread("md5", salt + password, 2 ** log2, password)
      return out !== undefined &&
        safeEqual(Buffer.from(digest.slice(0, 12) + encode64(Buffer.from(out))), Buffer.from(digest))
    })
  }
})

// ---------------------------------------------------------------------------------------------------------------
// argon2 (hash-wasm)

const argon2 = (variant: "argon2i" | "argon2id"): Hasher => ({
  parse: (digest) => {
    const m = new RegExp(`^\\$${variant}\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$`)
      .exec(digest)
    if (m === null) return `is not $${variant}$v=19$m=<memory>,t=<iterations>,p=<parallelism>$<salt>$<hash>`
    const { lanes, memoryKiB, time, work } = limits.argon2
    const p = boundedInt(m[3], 1, lanes)
    const memory = boundedInt(m[1], 8 * (p ?? 1), memoryKiB)
    const t = boundedInt(m[2], 1, time)
    if (p === undefined || memory === undefined || t === undefined || memory * t > work) {
      return `has argon2 costs past the emulator's bounds (p 1 to ${lanes}, m 8·p to ${memoryKiB} KiB, t 1 to ${time}, m·t to ${work})`
    }
    if (Buffer.from(m[4]!, "base64").length < 8 || Buffer.from(m[5]!, "base64").length < 4) {
      return "has a salt under 8 bytes or a hash under 4 bytes"
    }
    return parsed((password) => argon2VerifyOffThread(password, digest))
  }
})

const awsCognito: Hasher = {
  parse: (digest) =>
    /^awscognito#[^#]+#[^#]+#[^#]+$/.test(digest)
      ? parsed(() => Promise.resolve(false))
      : "is not awscognito#<user pool id>#<client id>#<identifier>"
}

/**
 * Every hasher Clerk's spec names for `password_hasher`, with `bcrypt_peppered` and `awscognito` from Clerk's
 * create-user reference. `md5_phpass` is phpass's portable MD5 form under either prefix (`$H$`, phpBB's, or `$P$`).
 *
 * @internal
 */
export const hashers: ReadonlyMap<string, Hasher> = new Map<string, Hasher>([
  ["argon2i", argon2("argon2i")],
  ["argon2id", argon2("argon2id")],
  ["awscognito", awsCognito],
  ["bcrypt", bcryptHasher],
  ["bcrypt_peppered", bcryptPeppered],
  ["bcrypt_sha256_django", bcryptSha256Django],
  ["ldap_ssha", ldapSsha],
  ["md5", hexDigest("md5", 32)],
  ["md5_phpass", phpass(["$H$", "$P$"])],
  ["pbkdf2_sha1", pbkdf2Hasher("pbkdf2_sha1", "sha1", "hexOrRaw", "hex", "optionalField")],
  ["pbkdf2_sha256", pbkdf2Hasher("pbkdf2_sha256", "sha256", "base64", "base64", "fromHash")],
  ["pbkdf2_sha256_django", pbkdf2Hasher("pbkdf2_sha256", "sha256", "raw", "base64", "fromHash")],
  ["pbkdf2_sha512", pbkdf2Hasher("pbkdf2_sha512", "sha512", "raw", "hex", "fromHash")],
  ["pbkdf2_sha512_hex", pbkdf2Hasher("pbkdf2_sha512_hex", "sha512", "hex", "hex", "fromHash")],
  ["phpass", phpass(["$P$"])],
  ["scrypt_firebase", scryptFirebase],
  ["scrypt_werkzeug", scryptWerkzeug],
  ["sha256", hexDigest("sha256", 64)],
  ["sha512_symfony", sha512Symfony]
])

/**
 * Why an imported digest is refused (`param` names the field at fault), or `undefined` when it is taken.
 *
 * @internal
 */
export const checkDigest = (
  hasher: string,
  digest: string
): { readonly param: "password_hasher" | "password_digest"; readonly message: string } | undefined => {
  const entry = hashers.get(hasher)
  if (entry === undefined) {
    return { param: "password_hasher", message: `${hasher} is not a supported password_hasher.` }
  }
  if (digest.length > limits.digestLength) {
    return { param: "password_digest", message: `The password_digest is longer than ${limits.digestLength}.` }
  }
  const result = entry.parse(digest)
  return typeof result === "string"
    ? { param: "password_digest", message: `The password_digest ${result}.` }
    : undefined
}

/**
 * Verifies a password against an imported digest (one `checkDigest` took). Anything unverifiable answers `false`.
 *
 * @internal
 */
export const verifyDigest = (password: string, hasher: string, digest: string): Effect.Effect<boolean> =>
  Effect.promise(async () => {
    const result = hashers.get(hasher)?.parse(digest)
    if (result === undefined || typeof result === "string") return false
    try {
      return await result.verify(password)
    } catch {
      return false
    }
  })
