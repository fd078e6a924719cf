import * as Effect from "effect/Effect"
import * as crypto from "node:crypto"
import * as OTPAuth from "otpauth"
import { verifyDigest } from "./passwords.js"

const SCRYPT = { N: 1024, r: 8, p: 1 } as const

/**
 * Hashes a password with scrypt from `node:crypto` (a random salt per password). The cost is lower than a production
 * setting on purpose: this is a test double, and thousands of users are created in benchmarks.
 *
 * @internal
 */
export const hashPassword = (password: string): string => {
  const salt = crypto.randomBytes(16)
  const hash = crypto.scryptSync(password, salt, 32, SCRYPT)
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`
}

const safeEqual = (a: Buffer, b: Buffer) => a.length === b.length && crypto.timingSafeEqual(a, b)

/**
 * Verifies a password against a stored one: our own scrypt format, or an imported digest (see `passwords.ts`).
 *
 * @internal
 */
export const verifyPassword = (
  password: string,
  stored: { readonly digest: string; readonly hasher: string }
): Effect.Effect<boolean> => {
  if (stored.hasher !== "scrypt") return verifyDigest(password, stored.hasher, stored.digest)
  return Effect.sync(() => {
    const [, salt, hash] = stored.digest.split("$")
    if (salt === undefined || hash === undefined) return false
    const expected = Buffer.from(hash, "base64")
    return safeEqual(crypto.scryptSync(password, Buffer.from(salt, "base64"), expected.length, SCRYPT), expected)
  })
}

/**
 * Hashes a backup code for storage (codes are high-entropy, so a plain SHA-256 is enough).
 *
 * @internal
 */
export const hashBackupCode = (code: string): string => crypto.createHash("sha256").update(code.trim()).digest("hex")

/**
 * Whether a string is a usable base32 TOTP secret.
 *
 * @internal
 */
export const isValidTotpSecret = (secret: string): boolean => {
  if (!/^[A-Z2-7]+=*$/i.test(secret) || secret.replace(/=+$/, "").length < 16) return false
  try {
    OTPAuth.Secret.fromBase32(secret.toUpperCase())
    return true
  } catch {
    return false
  }
}

/** The TOTP of a stored secret, or `undefined` when it is not base32 (a stored secret never makes a request die). */
const totpFor = (secret: string): OTPAuth.TOTP | undefined => {
  try {
    return new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret.toUpperCase()),
      digits: 6,
      period: 30,
      algorithm: "SHA1"
    })
  } catch {
    return undefined
  }
}

/**
 * RFC 6238 check with `otpauth`: SHA-1, 6 digits, 30 s steps, one step of drift either way, at `nowMillis` (from
 * Effect's Clock, so TestClock drives it). A secret that is not base32 verifies no code.
 *
 * @internal
 */
export const verifyTotpCode = (secret: string, code: string, nowMillis: number): boolean =>
  /^\d{6}$/.test(code) && (totpFor(secret)?.validate({ token: code, timestamp: nowMillis, window: 1 }) ?? null) !== null

/**
 * The TOTP code of `secret` at `nowMillis` (for tests and the demo); `undefined` for a secret that is not base32.
 *
 * @internal
 */
export const totpCode = (secret: string, nowMillis: number): string | undefined =>
  totpFor(secret)?.generate({ timestamp: nowMillis })

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
/**
 * The character code of each byte below 248 (4 × 62): byte % 62 is then uniform over the alphabet. Bytes from 248
 * up are rejected (3% of them), as `byte % 62` over every byte would favour the first eight characters (5/256
 * against 4/256).
 */
const ACCEPTED = 248
const codeOf = Uint8Array.from({ length: ACCEPTED }, (_, byte) => alphabet.charCodeAt(byte % 62))

/**
 * Random bytes taken from a pool filled 4 KB at a time: `crypto.randomBytes` costs a few µs a call however few bytes
 * it gives, and a create takes two or three ids (and every error envelope a trace id).
 */
const pool = Buffer.allocUnsafe(4096)
let poolAt = pool.length
const refill = () => {
  crypto.randomFillSync(pool)
  poolAt = 0
}
const randomInto = (target: Buffer, from: number, count: number): void => {
  if (poolAt + count > pool.length) refill()
  pool.copy(target, from, poolAt, poolAt + count)
  poolAt += count
}

/**
 * A Clerk-looking id: `<prefix>_` + 27 base62 characters, each uniform (rejection sampling over the pool's bytes).
 *
 * @internal
 */
export const makeId = (prefix: string): string => {
  // written into one buffer and read back as one flat string: appending character by character would keep a
  // chain of ~17 cons strings per id alive (~0.5 KB each, two ids a user: half the heap of 100k seeded users)
  const bytes = Buffer.allocUnsafe(prefix.length + 28)
  bytes.write(prefix, 0, "latin1")
  bytes[prefix.length] = 95 // "_"
  for (let i = prefix.length + 1; i < bytes.length;) {
    if (poolAt === pool.length) refill()
    const byte = pool[poolAt++]!
    if (byte < ACCEPTED) bytes[i++] = codeOf[byte]!
  }
  return bytes.toString("latin1")
}

/**
 * A Clerk-looking trace id.
 *
 * @internal
 */
export const traceId = (): string => {
  const bytes = Buffer.allocUnsafe(16)
  randomInto(bytes, 0, 16)
  return bytes.toString("hex")
}
