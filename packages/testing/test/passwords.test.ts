/**
 * Imported password digests: each hasher Clerk names verifies its algorithm's public test vectors (openwall's
 * crypt_blowfish, the argon2 reference implementation, RFC 6070, RFC 7914, Django's and phpass's own tests, the
 * Firebase scrypt README), refuses a wrong password, and every cost a digest carries is bounded at create/update.
 */
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import bcrypt from "bcryptjs"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { createSHA1, createSHA256, createSHA512 } from "hash-wasm"
import { checkDigest, hashers, verifyDigest } from "../src/internal/passwords.js"

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })

const hex = (s: string) => s.replace(/\s+/g, "")
const b64 = (hexText: string) => Buffer.from(hex(hexText), "hex").toString("base64")

// [hasher, digest, password]: public vectors of each algorithm, in the form Clerk takes for that hasher
const vectors: ReadonlyArray<readonly [string, string, string]> = [
  // openwall crypt_blowfish wrapper.c test vectors
  ["bcrypt", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"],
  ["bcrypt", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "U*U*"],
  [
    "bcrypt",
    "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored"
  ],
  ["bcrypt_peppered", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK$*", "U*U"],
  // the argon2 reference implementation's test.c (password "password", salt "somesalt")
  ["argon2i", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA", "password"],
  ["argon2i", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8", "password"],
  ["argon2id", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password"],
  // RFC 6070 (PBKDF2-HMAC-SHA1); "salt" is not hex, so it is taken as raw bytes; the 5th field is the key length
  ["pbkdf2_sha1", "pbkdf2_sha1$1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6$20", "password"],
  ["pbkdf2_sha1", "pbkdf2_sha1$4096$salt$4b007901b765489abead49d926f721d065a429c1$20", "password"],
  // RFC 7914 §11 (PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64), salt and hash in base64
  [
    "pbkdf2_sha256",
    `pbkdf2_sha256$1$${Buffer.from("salt").toString("base64")}$${
      b64(`55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc
           49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783`)
    }`,
    "passwd"
  ],
  // Django's own test of its PBKDF2 hasher
  ["pbkdf2_sha256_django", "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "lètmein"],
  // PBKDF2-HMAC-SHA512 (P="password", S="salt", c=1, dkLen=64): raw salt, hex hash; and the all-hex variant
  [
    "pbkdf2_sha512",
    `pbkdf2_sha512$1$salt$${
      hex(`867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252
           c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce`)
    }`,
    "password"
  ],
  [
    "pbkdf2_sha512_hex",
    `pbkdf2_sha512_hex$1$${Buffer.from("salt").toString("hex")}$${
      hex(`867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252
           c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce`)
    }`,
    "password"
  ],
  // RFC 7914 §12 scrypt (P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64) in Werkzeug's form
  [
    "scrypt_werkzeug",
    `scrypt:1024:8:16$NaCl$${
      hex(`fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162
           2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640`)
    }`,
    "password"
  ],
  // the Firebase scrypt README's example user and project parameters
  [
    "scrypt_firebase",
    [
      "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==",
      "42xEC+ixf3L2lw==",
      "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
      "Bw==",
      "8",
      "14"
    ].join("$"),
    "user1password"
  ],
  // phpass's own test.php
  ["phpass", "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", "test12345"],
  ["md5_phpass", "$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", "test12345"],
  // the examples in Clerk's create-user reference
  ["md5", "5f4dcc3b5aa765d61d8327deb882cf99", "password"],
  ["sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "test"]
]

/** Digests built with hash-wasm's implementations (an independent one) for the forms without a published vector. */
const builtVectors = Effect.promise(async (): Promise<ReadonlyArray<readonly [string, string, string]>> => {
  const salt = Buffer.from("0123456789ab")
  const sha1 = createSHA1()
  const ssha = Buffer.concat([
    Buffer.from((await sha1).init().update("secret").update(salt).digest("hex"), "hex"),
    salt
  ])
  const sha512 = await createSHA512()
  const salted = "secret{pepper}"
  let digest = Buffer.from(sha512.init().update(salted).digest("hex"), "hex")
  for (let i = 1; i < 5000; i++) digest = Buffer.from(sha512.init().update(digest).update(salted).digest("hex"), "hex")
  const prehash = (await createSHA256()).init().update("secret").digest("hex")
  return [
    ["ldap_ssha", `{SSHA}${ssha.toString("base64")}`, "secret"],
    ["sha512_symfony", `sha512_symfony$5000$pepper$${digest.toString("base64")}`, "secret"],
    // Django's BCryptSHA256PasswordHasher: bcrypt of the hex SHA-256 of the password
    ["bcrypt_sha256_django", `bcrypt_sha256$${bcrypt.hashSync(prehash, "$2b$05$CCCCCCCCCCCCCCCCCCCCC.")}`, "secret"]
  ]
})

describe("imported password digests", () => {
  it("every hasher of Clerk's list is known", () => {
    expect([...hashers.keys()].sort()).toEqual([
      "argon2i",
      "argon2id",
      "awscognito",
      "bcrypt",
      "bcrypt_peppered",
      "bcrypt_sha256_django",
      "ldap_ssha",
      "md5",
      "md5_phpass",
      "pbkdf2_sha1",
      "pbkdf2_sha256",
      "pbkdf2_sha256_django",
      "pbkdf2_sha512",
      "pbkdf2_sha512_hex",
      "phpass",
      "scrypt_firebase",
      "scrypt_werkzeug",
      "sha256",
      "sha512_symfony"
    ])
  })

  it.effect("public test vectors verify, and a wrong password does not", () =>
    Effect.gen(function*() {
      for (const [hasher, digest, password] of [...vectors, ...(yield* builtVectors)]) {
        expect(checkDigest(hasher, digest), `${hasher} ${digest}`).toBeUndefined()
        expect(yield* verifyDigest(password, hasher, digest), `${hasher} ${digest}`).toBe(true)
        expect(yield* verifyDigest(`x${password}`, hasher, digest), `${hasher} wrong password`).toBe(false)
      }
    }), 60_000)

  // pbkdf2_sha256 (base64 salt/hash) at a given iterations field
  const pbkdf2 = (iterations: string) => `pbkdf2_sha256$${iterations}$c2FsdA==$${b64("55ac046e56e3089f")}`
  const refused: ReadonlyArray<readonly [string, string, string]> = [
    ["pbkdf2 iterations abc", "pbkdf2_sha256", pbkdf2("abc")],
    ["pbkdf2 iterations 0", "pbkdf2_sha256", pbkdf2("0")],
    ["pbkdf2 iterations -5", "pbkdf2_sha256", pbkdf2("-5")],
    ["pbkdf2 iterations 1.5", "pbkdf2_sha256", pbkdf2("1.5")],
    ["pbkdf2 iterations 1e3", "pbkdf2_sha256", pbkdf2("1e3")],
    ["pbkdf2 iterations 20 M", "pbkdf2_sha256_django", "pbkdf2_sha256$20000000$salt$c2FsdA=="],
    ["pbkdf2 iterations 2^31-1", "pbkdf2_sha512", `pbkdf2_sha512$${2 ** 31 - 1}$salt$abcd`],
    ["pbkdf2 key length 100000", "pbkdf2_sha1", "pbkdf2_sha1$1$salt$abcd$100000"],
    ["pbkdf2 hash not hex", "pbkdf2_sha512_hex", "pbkdf2_sha512_hex$1$abcd$xyz"],
    ["bcrypt cost 31", "bcrypt", "$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
    ["bcrypt cost 03", "bcrypt", "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
    ["bcrypt truncated", "bcrypt", "$2a$05$CCCCCCCCCCCC"],
    [
      "bcrypt_sha256_django without its prefix",
      "bcrypt_sha256_django",
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
    ],
    [
      "argon2 memory 4 GiB",
      "argon2id",
      "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    ],
    [
      "argon2 time 1000",
      "argon2id",
      "$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    ],
    [
      "argon2 memory x time",
      "argon2i",
      "$argon2i$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"
    ],
    ["argon2 lanes 0", "argon2i", "$argon2i$v=19$m=64,t=1,p=0$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"],
    [
      "argon2 version 16",
      "argon2i",
      "$argon2i$v=16$m=64,t=1,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"
    ],
    [
      "argon2 variant mismatch",
      "argon2i",
      "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"
    ],
    ["scrypt_firebase rounds 9", "scrypt_firebase", "aGFzaA==$c2FsdA==$a2V5$Bw==$9$14"],
    ["scrypt_firebase memory cost 30", "scrypt_firebase", "aGFzaA==$c2FsdA==$a2V5$Bw==$8$30"],
    ["scrypt_werkzeug N 2^24", "scrypt_werkzeug", "scrypt:16777216:8:1$salt$abcd"],
    ["scrypt_werkzeug N not a power of 2", "scrypt_werkzeug", "scrypt:1000:8:1$salt$abcd"],
    ["scrypt_werkzeug p 10^6", "scrypt_werkzeug", "scrypt:1024:8:1000000$salt$abcd"],
    ["phpass 2^30 rounds", "phpass", "$P$SIQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"],
    ["phpass wrong prefix", "phpass", "$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"],
    ["sha512_symfony 10^9 iterations", "sha512_symfony", "sha512_symfony$1000000000$salt$aGFzaA=="],
    ["md5 not hex", "md5", "5f4dcc3b5aa765d61d8327deb882cfzz"],
    ["sha256 too short", "sha256", "9f86d081"],
    ["ldap_ssha without salt", "ldap_ssha", "{SSHA}aGFzaA=="],
    ["awscognito missing parts", "awscognito", "awscognito#pool"],
    ["a digest of 100,000 characters", "md5", "a".repeat(100_000)]
  ]

  it.effect("every cost a digest carries is bounded: refused at create with Clerk's 422, nothing created", () =>
    Effect.gen(function*() {
      for (const [what, passwordHasher, passwordDigest] of refused) {
        const error = yield* Effect.flip(Users.create({ emailAddress: ["d@x.co"], passwordDigest, passwordHasher }))
        if (error._tag !== "UnprocessableEntity") return expect.unreachable(`${what}: ${error._tag}`)
        expect(error.errors[0]?.code, what).toBe("form_password_digest_invalid_code")
        expect(error.errors[0]?.meta, what).toEqual({ param_name: "password_digest" })
      }
      expect(yield* Users.count({})).toBe(0)
      const unknown = yield* Effect.flip(Users.create({ passwordDigest: "abc", passwordHasher: "rot13" }))
      if (unknown._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(unknown.errors[0]?.meta).toEqual({ param_name: "password_hasher" })
    }).pipe(Effect.provide(NoLimits)))

  it.effect("bcrypt (what migrations bring first) at create and update, verified by verify_password", () =>
    Effect.gen(function*() {
      const user = yield* Users.create({
        emailAddress: ["b@x.co"],
        passwordHasher: "bcrypt",
        passwordDigest: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
      })
      expect(user.passwordEnabled).toBe(true)
      expect(yield* Users.verifyPassword(user.id, { password: "U*U" })).toEqual({ verified: true })
      const wrong = yield* Effect.flip(Users.verifyPassword(user.id, { password: "U*U*" }))
      if (wrong._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(wrong.errors[0]?.code).toBe("form_password_incorrect")
      yield* Users.update(user.id, {
        passwordHasher: "phpass",
        passwordDigest: "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"
      })
      expect(yield* Users.verifyPassword(user.id, { password: "test12345" })).toEqual({ verified: true })
      const bad = yield* Effect.flip(
        Users.update(user.id, { passwordHasher: "pbkdf2_sha256", passwordDigest: pbkdf2("1.5") })
      )
      expect(bad._tag).toBe("UnprocessableEntity")
      expect(yield* Users.verifyPassword(user.id, { password: "test12345" })).toEqual({ verified: true })
    }).pipe(Effect.provide(NoLimits)))

  it.effect("awscognito is accepted but nothing verifies it locally: verify_password answers as for a wrong one", () =>
    Effect.gen(function*() {
      const user = yield* Users.create({
        emailAddress: ["c@x.co"],
        passwordHasher: "awscognito",
        passwordDigest: "awscognito#us-east-1_pool#client#c@x.co"
      })
      const error = yield* Effect.flip(Users.verifyPassword(user.id, { password: "anything at all" }))
      if (error._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(error.errors[0]?.code).toBe("form_password_incorrect")
    }).pipe(Effect.provide(NoLimits)))

  it.scopedLive("argon2 at the cost bound verifies in a worker thread: other requests are answered meanwhile", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      const call = (method: string, path: string, body?: unknown) =>
        Effect.flatMap(
          e.handle(
            new Request(`http://x${path}`, {
              method,
              headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
              ...(body === undefined ? {} : { body: JSON.stringify(body) })
            })
          ),
          (response) =>
            Effect.promise(async () => ({ status: response.status, body: (await response.json()) as unknown }))
        )
      // 64 MiB, 3 passes, 16 lanes: the heaviest digest the emulator takes (seconds of argon2 work)
      const created = yield* call("POST", "/v1/users", {
        email_address: ["argon@x.co"],
        password_hasher: "argon2id",
        password_digest: "$argon2id$v=19$m=65536,t=3,p=16$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
      })
      expect(created.status).toBe(200)
      const id = (created.body as { id: string }).id
      const verifications = yield* Effect.fork(
        Effect.all(
          ["password", "hunter2", "secret", "letmein"].map((password) =>
            call("POST", `/v1/users/${id}/verify_password`, { password })
          ),
          { concurrency: "unbounded" }
        )
      )
      // let the verifications start (about a second of work each, queued in one worker)
      yield* Effect.sleep("200 millis")
      const list = yield* call("GET", "/v1/users")
      expect(list.status).toBe(200)
      expect(Option.isNone(yield* Fiber.poll(verifications))).toBe(true)
      const answers = yield* Fiber.join(verifications)
      for (const answer of answers) {
        expect(answer.status).toBe(422)
        expect(JSON.stringify(answer.body)).toContain("form_password_incorrect")
      }
    }))
})
