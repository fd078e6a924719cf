import { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as OTPAuth from "otpauth"
import { totpCode, verifyTotpCode } from "../src/internal/crypto.js"

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })
const emulator = ClerkEmulator

const seedPeople = Effect.gen(function*() {
  const e = yield* emulator
  const base = Date.parse("2026-01-01T00:00:00Z")
  const { users } = yield* e.seed({
    users: [
      {
        emailAddress: ["alice@acme.com"],
        username: "alice",
        firstName: "Alice",
        lastName: "Zephyr",
        externalId: "ext-1",
        createdAt: base,
        lastSignInAt: base + 5000,
        lastActiveAt: base + 5000
      },
      {
        emailAddress: ["bob@globex.com"],
        phoneNumber: ["+15550001111"],
        username: "bobby",
        firstName: "Bob",
        lastName: "Young",
        externalId: "ext-2",
        createdAt: base + 1000,
        banned: true
      },
      {
        emailAddress: ["carol@acme.com"],
        username: "carol_c",
        firstName: "Carol",
        lastName: "Xu",
        createdAt: base + 2000,
        lastActiveAt: base + 9000,
        externalAccounts: [{ provider: "oauth_github", providerUserId: "gh-7" }]
      },
      {
        emailAddress: ["dave@initech.com"],
        web3Wallet: ["0xABCDEF0123456789abcdef0123456789ABCDEF01"],
        firstName: "Dave",
        createdAt: base + 3000
      }
    ]
  })
  const [alice, bob, carol, dave] = users as unknown as [
    typeof users[0],
    typeof users[0],
    typeof users[0],
    typeof users[0]
  ]
  const { organizationIds } = yield* e.seed({
    organizations: [{ name: "Acme", members: [{ userId: alice!.id }, { userId: carol!.id }] }]
  })
  return { alice: alice!, bob: bob!, carol: carol!, dave: dave!, base, orgId: organizationIds[0]! }
})

const ids = (users: ReadonlyArray<{ readonly id: string }>) => users.map((u) => u.id)

describe("emulator semantics: lists and counts", () => {
  it.effect("newest first by default, and every orderBy with + and -", () =>
    Effect.gen(function*() {
      const { alice, bob, carol, dave } = yield* seedPeople
      expect(ids(yield* Users.list())).toEqual([dave.id, carol.id, bob.id, alice.id])
      expect(ids(yield* Users.list({ orderBy: "+created_at" }))).toEqual([alice.id, bob.id, carol.id, dave.id])
      expect(ids(yield* Users.list({ orderBy: "first_name" }))).toEqual([alice.id, bob.id, carol.id, dave.id])
      expect(ids(yield* Users.list({ orderBy: "-last_name" }))).toEqual([alice.id, bob.id, carol.id, dave.id])
      expect(ids(yield* Users.list({ orderBy: "last_name" }))).toEqual([carol.id, bob.id, alice.id, dave.id])
      expect(ids(yield* Users.list({ orderBy: "username" })).slice(0, 3)).toEqual([alice.id, bob.id, carol.id])
    }).pipe(Effect.provide(NoLimits)))

  it.effect("every filter, and counts that agree with the lists", () =>
    Effect.gen(function*() {
      const { alice, bob, carol, dave, base, orgId } = yield* seedPeople
      const cases: ReadonlyArray<readonly [Parameters<typeof Users.list>[0], ReadonlyArray<string>]> = [
        [{ emailAddress: ["ALICE@acme.com", "nobody@x.co"] }, [alice.id]],
        [{ phoneNumber: ["+15550001111"] }, [bob.id]],
        [{ username: ["carol_c", "bobby"] }, [carol.id, bob.id]],
        [{ web3Wallet: ["0xabcdef0123456789abcdef0123456789abcdef01"] }, [dave.id]],
        [{ externalId: ["ext-1", "ext-2"] }, [bob.id, alice.id]],
        [{ externalId: ["-ext-1"] }, [dave.id, carol.id, bob.id]],
        [{ userId: [`+${alice.id}`, `+${bob.id}`, `-${bob.id}`] }, [alice.id]],
        [{ organizationId: [orgId] }, [carol.id, alice.id]],
        [{ organizationId: [`-${orgId}`] }, [dave.id, bob.id]],
        [{ query: "ACME" }, [carol.id, alice.id]],
        [{ query: "young" }, [bob.id]],
        [{ emailAddressQuery: "LOBEX" }, [bob.id]],
        [{ phoneNumberQuery: "0001" }, [bob.id]],
        [{ usernameQuery: "OL_" }, [carol.id]],
        [{ nameQuery: "alice zeph" }, [alice.id]],
        [{ banned: true }, [bob.id]],
        [{ banned: false }, [dave.id, carol.id, alice.id]],
        [{ createdAtAfter: base + 1000 }, [dave.id, carol.id]],
        [{ createdAtBefore: new Date(base + 1000) }, [alice.id]],
        [{ lastActiveAtAfter: base + 6000 }, [carol.id]],
        [{ lastActiveAtBefore: base + 6000 }, [alice.id]],
        [{ lastSignInAtAfter: base }, [alice.id]],
        [{ provider: "oauth_github", providerUserId: ["gh-7"] }, [carol.id]],
        [{ provider: "oauth_github", providerUserId: ["gh-8"] }, []]
      ]
      for (const [filters, expected] of cases) {
        const listed = ids(yield* Users.list(filters))
        expect(listed, JSON.stringify(filters)).toEqual(expected)
        const { limit: _l, offset: _o, orderBy: _b, startingAfter: _s, ...countFilters } = filters ?? {}
        expect(yield* Users.count(countFilters), JSON.stringify(filters)).toBe(expected.length)
      }
    }).pipe(Effect.provide(NoLimits)))

  it.effect("limit/offset bounds and cursor pages that never skip or repeat", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      yield* e.seed({
        users: Array.from(
          { length: 23 },
          (_, i) => ({ emailAddress: [`u${i}@x.co`], createdAt: 1_700_000_000_000 + (i % 5) })
        )
      })
      const all = ids(yield* Users.list({ limit: 500 }))
      expect(all).toHaveLength(23)
      expect(ids(yield* Users.list({ limit: 5, offset: 20 }))).toEqual(all.slice(20))
      const pages: Array<string> = []
      let cursor: string | undefined
      while (true) {
        const page = ids(yield* Users.list(cursor === undefined ? { limit: 4 } : { limit: 4, startingAfter: cursor }))
        pages.push(...page)
        if (page.length < 4) break
        cursor = page.at(-1)
      }
      expect(pages).toEqual(all)
      expect((yield* Effect.flip(Users.list({ limit: 0 })))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(Users.list({ offset: -1 })))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(Users.list({ startingAfter: all[0]!, orderBy: "username" })))._tag).toBe(
        "UnprocessableEntity"
      )
      expect((yield* Effect.flip(Users.list({ startingAfter: all[0]!, offset: 3 })))._tag).toBe("UnprocessableEntity")
    }).pipe(Effect.provide(NoLimits)))

  it.effect("Users.stream walks every page lazily with cursors, one request per page", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      yield* e.seed({ users: Array.from({ length: 1203 }, (_, i) => ({ emailAddress: [`s${i}@x.co`] })) })
      const before = (yield* e.requests).length
      const streamed = yield* Stream.runCollect(Users.stream())
      expect(Chunk.size(streamed)).toBe(1203)
      expect(new Set(Chunk.toReadonlyArray(streamed).map((u) => u.id)).size).toBe(1203)
      const listCalls = (yield* e.requests).slice(before)
      expect(listCalls.map((r) => r.operation)).toEqual(["Users.list", "Users.list", "Users.list"])
      // lazy: taking 3 users costs one small page
      const mark = (yield* e.requests).length
      const firstThree = yield* Stream.runCollect(Stream.take(Users.stream({ pageSize: 3 }), 3))
      expect(Chunk.size(firstThree)).toBe(3)
      expect((yield* e.requests).length - mark).toBe(1)
      // another ordering pages by offset, and still sees everyone once
      const byName = yield* Stream.runCollect(Users.stream({ orderBy: "email_address", pageSize: 500 }))
      expect(new Set(Chunk.toReadonlyArray(byName).map((u) => u.id)).size).toBe(1203)
    }).pipe(Effect.provide(NoLimits)), 60_000)

  it.effect("membership and invitation streams page through everything", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const { users } = yield* e.seed({ users: [{ emailAddress: ["m@x.co"] }] })
      const userId = users[0]!.id
      yield* e.seed({
        organizations: Array.from({ length: 7 }, (_, i) => ({
          name: `Org ${i}`,
          members: [{ userId }],
          invitations: [{ emailAddress: "m@x.co" }]
        }))
      })
      expect(Chunk.size(yield* Stream.runCollect(Users.streamOrganizationMemberships(userId, { pageSize: 2 })))).toBe(7)
      expect(Chunk.size(yield* Stream.runCollect(Users.streamOrganizationInvitations(userId, { pageSize: 3 })))).toBe(7)
      expect(Chunk.size(yield* Stream.runCollect(Users.streamInstanceOrganizationMemberships({ pageSize: 4 })))).toBe(7)
    }).pipe(Effect.provide(NoLimits)))
})

describe("emulator semantics: identities and secrets", () => {
  it.effect("unique emails, phones, usernames, external ids and wallets: 422 form_identifier_exists", () =>
    Effect.gen(function*() {
      yield* seedPeople
      const attempts = [
        Users.create({ emailAddress: ["Alice@Acme.com"] }),
        Users.create({ phoneNumber: ["+15550001111"] }),
        Users.create({ username: "ALICE" }),
        Users.create({ externalId: "ext-2" }),
        Users.create({ web3Wallet: ["0xabcdef0123456789abcdef0123456789abcdef01"] }),
        Users.create({ emailAddress: ["same@x.co", "SAME@x.co"] })
      ]
      for (const attempt of attempts) {
        const error = yield* Effect.flip(attempt)
        if (error._tag !== "UnprocessableEntity") return expect.unreachable()
        expect(error.errors[0]?.code).toBe("form_identifier_exists")
        expect(error.clerkTraceId).toMatch(/^[0-9a-f]{32}$/)
      }
      expect(yield* Users.count({})).toBe(4)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("passwords: stored hashed, verified, length and breach checks, skipPasswordChecks, digests", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const user = yield* Users.create({ emailAddress: ["p@x.co"], password: "a long passphrase" })
      const snapshot = JSON.stringify(yield* e.snapshot)
      expect(snapshot).not.toContain("a long passphrase")
      expect(snapshot).toContain("scrypt$")
      expect(yield* Users.verifyPassword(user.id, { password: "a long passphrase" })).toEqual({ verified: true })
      const short = yield* Effect.flip(Users.create({ password: "short" }))
      if (short._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(short.errors[0]?.code).toBe("form_password_length_too_short")
      const pwned = yield* Effect.flip(Users.create({ password: "password123" }))
      if (pwned._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(pwned.errors[0]?.code).toBe("form_password_pwned")
      const skipped = yield* Users.create({ password: "password123", skipPasswordChecks: true })
      expect(skipped.passwordEnabled).toBe(true)
      const sha = yield* Users.create({
        passwordDigest: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", // sha256("password")
        passwordHasher: "sha256"
      })
      expect(yield* Users.verifyPassword(sha.id, { password: "password" })).toEqual({ verified: true })
      const missingHasher = yield* Effect.flip(Users.create({ passwordDigest: "abc" }))
      if (missingHasher._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(missingHasher.errors[0]?.code).toBe("form_param_missing")
    }).pipe(Effect.provide(NoLimits)))

  it.effect("TOTP per RFC 6238: accepted within ±1 step of the Clock, refused beyond; backup codes consumed once", () =>
    Effect.gen(function*() {
      const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      const totp = new OTPAuth.TOTP({
        secret: OTPAuth.Secret.fromBase32(secret),
        digits: 6,
        period: 30,
        algorithm: "SHA1"
      })
      yield* TestClock.setTime(Date.parse("2026-03-01T12:00:05Z"))
      const user = yield* Users.create({ emailAddress: ["t@x.co"], totpSecret: secret, backupCodes: ["one-time-1"] })
      expect(user.totpEnabled).toBe(true)
      const at = (offsetSeconds: number) =>
        totp.generate({ timestamp: Date.parse("2026-03-01T12:00:05Z") + offsetSeconds * 1000 })
      expect((yield* Users.verifyTotp(user.id, { code: at(0) })).codeType).toBe("totp")
      expect((yield* Users.verifyTotp(user.id, { code: at(-30) })).verified).toBe(true)
      expect((yield* Users.verifyTotp(user.id, { code: at(30) })).verified).toBe(true)
      expect((yield* Effect.flip(Users.verifyTotp(user.id, { code: at(-90) })))._tag).toBe("UnprocessableEntity")
      const code = at(0)
      yield* TestClock.adjust("2 minutes")
      expect((yield* Effect.flip(Users.verifyTotp(user.id, { code })))._tag).toBe("UnprocessableEntity")
      expect((yield* Users.verifyTotp(user.id, { code: "one-time-1" })).codeType).toBe("backup_code")
      expect((yield* Effect.flip(Users.verifyTotp(user.id, { code: "one-time-1" })))._tag).toBe("UnprocessableEntity")
      const bad = yield* Effect.flip(Users.create({ totpSecret: "not base32!" }))
      expect(bad._tag).toBe("UnprocessableEntity")
    }).pipe(Effect.provide(NoLimits)))

  it.effect("a lock expires after the instance's lockout duration, on the Clock", () =>
    Effect.gen(function*() {
      const user = yield* Users.create({ emailAddress: ["l@x.co"] })
      expect((yield* Users.lock(user.id)).locked).toBe(true)
      yield* TestClock.adjust("59 minutes")
      const still = yield* Users.get(user.id)
      expect(still.locked).toBe(true)
      expect(still.lockoutExpiresInSeconds).toBe(60)
      yield* TestClock.adjust("1 minute")
      expect((yield* Users.get(user.id)).locked).toBe(false)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("metadata: __proto__ and constructor keys sent over the wire pollute nothing and are dropped", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const user = yield* Users.create({ emailAddress: ["m@x.co"] })
      const evil =
        "{\"__proto__\":{\"polluted\":true},\"constructor\":{\"prototype\":{\"polluted\":true}},\"nested\":{\"__proto__\":{\"polluted\":true},\"ok\":1}}"
      // the SDK refuses an own __proto__ key (InvalidInput, nothing sent): a raw client sends it anyway
      const refused = yield* Effect.flip(Users.updateMetadata(user.id, { publicMetadata: JSON.parse(evil) }))
      expect(refused._tag).toBe("InvalidInput")
      const send = (method: string, body: string) =>
        Effect.flatMap(
          e.handle(
            new Request(`http://x/v1/users/${user.id}/metadata`, {
              method,
              headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
              body
            })
          ),
          (response) =>
            Effect.promise(async () => ({
              status: response.status,
              body: (await response.json()) as Record<string, unknown>
            }))
        )
      const updated = yield* send("PATCH", `{"public_metadata":${evil},"private_metadata":${evil}}`)
      expect(updated.status).toBe(200)
      expect(updated.body["public_metadata"]).toEqual({ nested: { ok: 1 } })
      expect(updated.body["private_metadata"]).toEqual({ nested: { ok: 1 } })
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty("polluted")
      const fetched = yield* Users.get(user.id)
      expect(fetched.publicMetadata).toEqual({ nested: { ok: 1 } })
    }).pipe(Effect.provide(NoLimits)))
})

describe("emulator: auth, validation, rate limits, faults, state", () => {
  it.effect("a missing or wrong Bearer key gets Clerk's 401", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const noKey = yield* e.handle(new Request("http://x/v1/users"))
      expect(noKey.status).toBe(401)
      expect(((yield* Effect.promise(() => noKey.json())) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe(
        "authorization_header_format_invalid"
      )
      const wrong = yield* e.handle(
        new Request("http://x/v1/users", { headers: { authorization: "Bearer sk_test_wrong" } })
      )
      const body = (yield* Effect.promise(() => wrong.json())) as {
        errors: Array<{ code: string }>
        clerk_trace_id: string
      }
      expect(wrong.status).toBe(401)
      expect(body.errors[0]?.code).toBe("authentication_invalid")
      expect(body.clerk_trace_id).toMatch(/^[0-9a-f]{32}$/)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("requests are validated against Clerk's spec: an unknown body field is a 422 form_param_unknown", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const response = yield* e.handle(
        new Request("http://x/v1/users", {
          method: "POST",
          headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
          body: JSON.stringify({ email_address: ["a@b.co"], favourite_colour: "blue" })
        })
      )
      expect(response.status).toBe(422)
      const body = (yield* Effect.promise(() => response.json())) as { errors: Array<{ code: string; meta: unknown }> }
      expect(body.errors[0]).toMatchObject({ code: "form_param_unknown", meta: { param_name: "favourite_colour" } })
      const notJson = yield* e.handle(
        new Request("http://x/v1/users", {
          method: "POST",
          headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
          body: "{not json"
        })
      )
      expect(notJson.status).toBe(400)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("Clerk's rate limit: 100 per 10 s for sk_test keys, then 429 with Retry-After; refills over time", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const user = yield* Users.create({ emailAddress: ["r@x.co"] })
      for (let i = 0; i < 99; i++) yield* Users.get(user.id)
      const error = yield* Effect.flip(Users.get(user.id))
      if (error._tag !== "TooManyRequests") return expect.unreachable()
      expect(error.retryAfter).toBeDefined()
      expect(error.errors[0]?.code).toBe("too_many_requests")
      yield* TestClock.adjust("100 millis")
      yield* Users.get(user.id)
      expect((yield* Effect.flip(Users.get(user.id)))._tag).toBe("TooManyRequests")
      yield* e.setRateLimit(false)
      for (let i = 0; i < 150; i++) yield* Users.get(user.id)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: "clerk" } }))))

  it.effect("faults: chosen status, malformed bodies and dropped connections, by operation and count", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const user = yield* Users.create({ emailAddress: ["f@x.co"] })
      yield* e.injectFault({
        operation: "Users.get",
        action: { _tag: "Status", status: 503, body: "<html>down</html>" },
        times: 1
      })
      const unavailable = yield* Effect.flip(Users.get(user.id))
      expect(unavailable._tag).toBe("UnexpectedStatus")
      expect((yield* Users.get(user.id)).id).toBe(user.id)
      yield* e.injectFault({ operation: "GetUser", action: { _tag: "Malformed", kind: "truncated" }, times: 1 })
      expect((yield* Effect.flip(Users.get(user.id)))._tag).toBe("DecodeError")
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Drop" }, times: 1 })
      const dropped = yield* Effect.flip(Users.get(user.id))
      if (dropped._tag !== "TransportError") return expect.unreachable()
      expect(dropped.reason).toBe("RequestError")
      yield* e.injectFault({ action: { _tag: "Refuse" }, times: 1 })
      const refused = yield* Effect.flip(Users.count({}))
      if (refused._tag !== "TransportError") return expect.unreachable()
      expect(refused.reason).toBe("ConnectError")
      yield* e.injectFault({ operation: "Users.list", action: { _tag: "Status", status: 500 } })
      expect((yield* Users.get(user.id)).id).toBe(user.id)
      yield* e.clearFaults
      expect(yield* Users.list()).toHaveLength(1)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("a create dropped after processing happened once, and the log shows it", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.create", action: { _tag: "Drop", afterProcessing: true }, times: 1 })
      expect((yield* Effect.flip(Users.create({ emailAddress: ["once@x.co"] })))._tag).toBe("TransportError")
      expect((yield* e.users).map((u) => u.emailAddresses[0]?.emailAddress)).toEqual(["once@x.co"])
      expect((yield* e.requests).map((r) => r.status)).toEqual(["dropped"])
    }).pipe(Effect.provide(NoLimits)))

  it.effect("latency faults delay on the Clock; ClerkClient's timeout cuts them", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      yield* e.injectFault({ action: { _tag: "Latency", delay: "30 seconds" } })
      const fiber = yield* Effect.fork(Effect.flip(Users.count({})))
      yield* TestClock.adjust("10 seconds")
      const error = yield* fiber.await.pipe(Effect.flatten)
      if (error._tag !== "TransportError") return expect.unreachable()
      expect(error.reason).toBe("Timeout")
    }).pipe(Effect.provide(NoLimits)))

  it.effect("snapshot, restore and reset", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      yield* Users.create({ emailAddress: ["keep@x.co"] })
      const snapshot = yield* e.snapshot
      yield* Users.create({ emailAddress: ["drop@x.co"] })
      expect(yield* Users.count({})).toBe(2)
      yield* e.restore(snapshot)
      expect((yield* Users.list()).map((u) => u.emailAddresses[0]?.emailAddress)).toEqual(["keep@x.co"])
      yield* e.reset
      expect(yield* Users.count({})).toBe(0)
      yield* e.restore(JSON.parse(JSON.stringify(snapshot)))
      expect(yield* Users.count({})).toBe(1)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("restore fails with InvalidSnapshot on a snapshot it could not serve, before any change", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const { users } = yield* e.seed({ users: [{ emailAddress: ["t@x.co"], totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP" }] })
      const snapshot = yield* e.snapshot
      const bad = {
        ...snapshot,
        state: { ...snapshot.state, users: snapshot.state.users.map((u) => ({ ...u, totpSecret: "!!!" })) }
      }
      const error = yield* Effect.flip(e.restore(bad))
      expect(error._tag).toBe("InvalidSnapshot")
      expect(error.message).toContain("state.users[0].totpSecret")
      expect(error.message).toContain("is not a base32 TOTP secret")
      expect(yield* e.totpCode(users[0]!.id)).toMatch(/^\d{6}$/)
    }).pipe(Effect.provide(NoLimits)))

  it("a stored TOTP secret that is not base32 verifies no code and has no current code (never throws)", () => {
    expect(verifyTotpCode("!!!", "123456", 0)).toBe(false)
    expect(totpCode("!!!", 0)).toBeUndefined()
    expect(totpCode("JBSWY3DPEHPK3PXPJBSWY3DP", 0)).toMatch(/^\d{6}$/)
  })

  it.effect("a body value outside the schema: a 422 naming the field in Clerk's words, not the schema's tree", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const { users } = yield* e.seed({ users: [{ emailAddress: ["c@x.co"] }] })
      for (const amount of [1e308, 2 ** 53, 0, -3]) {
        const response = yield* e.handle(
          new Request(`http://localhost/v1/users/${users[0]!.id}/billing/credits`, {
            method: "POST",
            headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
            body: JSON.stringify({ amount, action: "increase", idempotency_key: `k${amount}` })
          })
        )
        expect(response.status).toBe(422)
        const body = (yield* Effect.promise(() => response.json())) as {
          errors: Array<{ code: string; long_message: string; meta?: { param_name?: string } }>
        }
        expect(body.errors.map((x) => x.code)).toEqual(["form_param_format_invalid"])
        expect(body.errors[0]!.meta?.param_name).toBe("amount")
        // the range the field takes, whether the decoder (past 2^53 - 1) or the handler (below 1) refuses it
        expect(body.errors[0]!.long_message).toMatch(
          new RegExp(`^amount must be an integer from 1 to 9007199254740991, not ${String(amount).replace("+", "\\+")}`)
        )
        expect(body.errors[0]!.long_message).not.toContain("└─")
      }
    }).pipe(Effect.provide(NoLimits)))

  it.effect("setFeatures refuses features a snapshot could not hold, so every snapshot restores", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const bad: ReadonlyArray<Record<string, unknown>> = [
        { lockoutSeconds: 0 },
        { lockoutSeconds: -1 },
        { lockoutSeconds: Number.NaN },
        { lockoutSeconds: 1.5 },
        { banning: "no" },
        { unknownFeature: true }
      ]
      for (const features of bad) {
        // a JavaScript caller (or a value built elsewhere) can pass what the types would not
        const exit = yield* Effect.exit(e.setFeatures(features as Parameters<typeof e.setFeatures>[0]))
        expect(exit._tag === "Failure" && Cause.pretty(exit.cause), JSON.stringify(features)).toContain(
          "setFeatures: not features the emulator can hold"
        )
      }
      // a key given as undefined keeps its value; valid ones apply, and the snapshot restores
      yield* e.setFeatures({ lockoutSeconds: 60, banning: false })
      const withUndefined: Record<string, unknown> = { lockoutSeconds: undefined, lockout: false }
      yield* e.setFeatures(withUndefined as Parameters<typeof e.setFeatures>[0]) // as a JavaScript caller may
      const snapshot = yield* e.snapshot
      expect(snapshot.state.features).toMatchObject({ lockoutSeconds: 60, banning: false, lockout: false })
      yield* e.reset
      yield* e.restore(snapshot)
      expect((yield* e.snapshot).state.features).toStrictEqual(snapshot.state.features)
    }).pipe(Effect.provide(NoLimits)))

  it.scoped("make refuses a features option a snapshot could not hold", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(ClerkEmulator.make({ features: { lockoutSeconds: 0 } }))
      expect(exit._tag === "Failure" && Cause.pretty(exit.cause)).toContain(
        "ClerkEmulator.make: features: not features the emulator can hold"
      )
    }))

  it.effect("injectFault refuses a fault outside the fault schema when it is injected, naming the problem", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const malformed = { action: { _tag: "MalformedBody" } }
      const latency = { action: { _tag: "Latency" as const, delay: "soon" } }
      const negative = { action: { _tag: "Latency" as const, delay: -5 } }
      const status = { action: { _tag: "Status" as const, status: 200 } }
      for (const fault of [malformed, latency, negative, status]) {
        // a JavaScript caller (or a value built elsewhere) can pass what the types would not
        const exit = yield* Effect.exit(e.injectFault(fault as unknown as ClerkEmulator.Fault))
        expect(exit._tag === "Failure" && Cause.pretty(exit.cause), JSON.stringify(fault)).toContain(
          "injectFault: not a fault the emulator can apply"
        )
      }
      // nothing was injected: requests go through
      expect(yield* Users.count({})).toBe(0)
      yield* e.injectFault({ action: { _tag: "Latency", delay: "1 second" }, times: 1 })
      const fiber = yield* Effect.fork(Users.count({}))
      yield* TestClock.adjust("1 second")
      expect(yield* fiber.await.pipe(Effect.flatten)).toBe(0)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("billing seeds: a subscription and a starting credit balance", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const { users } = yield* e.seed({
        users: [{ emailAddress: ["b@x.co"], subscription: true, credits: { amount: 1200, currency: "EUR" } }]
      })
      const id = users[0]!.id
      expect((yield* Users.getBillingSubscription(id)).status).toBe("active")
      const balance = yield* Users.getBillingCreditBalance(id)
      expect([balance.balance?.amount, balance.balance?.currency]).toEqual([1200, "EUR"])
      yield* Users.adjustBillingCreditBalance(id, { amount: 200, action: "decrease", idempotencyKey: "spend" })
      expect((yield* Users.getBillingCreditBalance(id)).balance?.amount).toBe(1000)
      expect((yield* Effect.flip(e.seed({ users: [{ credits: { amount: -5 } }] })))._tag).toBe("SeedError")
    }).pipe(Effect.provide(NoLimits)))

  it.effect("a seed the emulator cannot take fails typed, with what is wrong", () =>
    Effect.gen(function*() {
      const e = yield* emulator
      const error = yield* Effect.flip(e.seed({ users: [{ emailAddress: ["t@x.co"], totpSecret: "not base32!" }] }))
      expect(error._tag).toBe("SeedError")
      expect(error.message).toContain("base32")
    }).pipe(Effect.provide(NoLimits)))

  it.effect("each ClerkTest.layer build is a fresh emulator", () =>
    Effect.gen(function*() {
      yield* Users.create({ emailAddress: ["a@x.co"] }).pipe(Effect.provide(NoLimits))
      const count = yield* Users.count({}).pipe(Effect.provide(NoLimits))
      expect(count).toBe(0)
      const shared = yield* Layer.build(NoLimits).pipe(Effect.scoped)
      expect(shared).toBeDefined()
      expect(ClerkClient).toBeDefined()
    }))
})
