import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { makeId, traceId } from "../src/internal/crypto.js"
import type { DomainEvent } from "../src/internal/events.js"
import { defaultFeatures, newStoredUser, type StoredUser } from "../src/internal/state.js"
import { makeStore } from "../src/internal/store.js"

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })

const png = () => new Blob([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], { type: "image/png" })

const seedAda = Effect.gen(function*() {
  const emulator = yield* ClerkEmulator
  const { users } = yield* emulator.seed({
    users: [{
      emailAddress: ["ada@example.com"],
      username: "ada",
      password: "correct horse battery",
      totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP",
      backupCodes: ["one-time-1", "one-time-2"],
      web3Wallet: ["0xABCDEF0123456789abcdef0123456789ABCDEF01"],
      passkeys: [{ name: "laptop" }],
      externalAccounts: [{ provider: "oauth_google", providerUserId: "g-1" }],
      trustedDevices: [{ platform: "ios", appIdentifier: "com.example.app" }],
      credits: { amount: 500 }
    }, { emailAddress: ["grace@example.com"] }]
  })
  return { ada: users[0]!, grace: users[1]! }
})

/** Runs `op` and expects exactly the events `tags` from it, each created/updated one carrying the user as GET has it. */
const expectEvents = <A, E, R>(
  op: Effect.Effect<A, E, R>,
  expected: ReadonlyArray<readonly [DomainEvent["_tag"], string]>
) =>
  Effect.gen(function*() {
    const emulator = yield* ClerkEmulator
    const before = (yield* emulator.events).length
    yield* op
    const events = (yield* emulator.events).slice(before)
    expect(events.map((e) => [e._tag, e._tag === "UserDeleted" ? e.id : e.user.id])).toEqual(expected)
    for (const event of events) {
      if (event._tag === "UserDeleted") {
        expect(yield* emulator.user(event.id)).toBeUndefined()
      } else {
        // as GET /users/{id} returns it after the change (the last event of a user is its current state)
        const last = events.filter((e) => e._tag !== "UserDeleted" && e.user.id === event.user.id).at(-1)
        if (last === event) expect(event.user).toEqual(yield* Users.get(event.user.id))
      }
    }
    return events
  })

describe("one place records every change: domain events", () => {
  // on the TestClock: time stands still, so the user of an event and the user GET returns later agree to the second
  it.effect(
    "every operation that changes a user records one event with the user after the change",
    () =>
      Effect.gen(function*() {
        const { ada, grace } = yield* seedAda
        const id = ada.id
        const updated = (tag: DomainEvent["_tag"] = "UserUpdated") => [[tag, id]] as const
        yield* expectEvents(Users.update(id, { firstName: "Ada" }), updated())
        yield* expectEvents(Users.updateMetadata(id, { publicMetadata: { plan: "pro" } }), updated())
        yield* expectEvents(Users.replaceMetadata(id, { privateMetadata: { note: "x" } }), updated())
        yield* expectEvents(Users.ban(id), updated())
        yield* expectEvents(Users.unban(id), updated())
        yield* expectEvents(Users.bulkBan({ userIds: [id, grace.id, "user_missing"] }), [
          ["UserUpdated", id],
          ["UserUpdated", grace.id]
        ])
        yield* expectEvents(Users.bulkUnban({ userIds: [grace.id] }), [["UserUpdated", grace.id]])
        yield* expectEvents(Users.lock(id), updated())
        yield* expectEvents(Users.unlock(id), updated())
        yield* expectEvents(Users.setProfileImage(id, { file: png(), filename: "ada.png" }), updated())
        yield* expectEvents(Users.deleteProfileImage(id), updated())
        yield* expectEvents(Users.setPasswordCompromised(id), updated())
        yield* expectEvents(Users.unsetPasswordCompromised(id), updated())
        yield* expectEvents(Users.removePassword(id), updated())
        yield* expectEvents(Users.update(id, { password: "a new long passphrase" }), updated())
        yield* expectEvents(Users.verifyTotp(id, { code: "one-time-1" }), updated())
        yield* expectEvents(Users.deleteBackupCodes(id), updated())
        yield* expectEvents(Users.deleteTOTP(id), updated())
        yield* expectEvents(Users.update(id, { totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP" }), updated())
        yield* expectEvents(Users.disableMfa(id), updated())
        const current = yield* Users.get(id)
        yield* expectEvents(Users.deletePasskey(id, current.passkeys![0]!.id!), updated())
        yield* expectEvents(Users.deleteWeb3Wallet(id, current.web3Wallets[0]!.id!), updated())
        yield* expectEvents(Users.deleteExternalAccount(id, current.externalAccounts[0]!.id), updated())
        yield* expectEvents(Users.delete(id), [["UserDeleted", id]])
      }).pipe(Effect.provide(NoLimits)),
    120_000
  )

  it.effect("create records UserCreated; seq increases strictly and at is the emulator's time", () =>
    Effect.gen(function*() {
      const start = Date.parse("2026-03-01T00:00:00Z")
      yield* TestClock.setTime(start)
      const emulator = yield* ClerkEmulator
      const user = yield* Users.create({ emailAddress: ["new@example.com"], username: "newbie" })
      yield* TestClock.adjust("1 minute")
      yield* Users.update(user.id, { lastName: "Lovelace" })
      const events = yield* emulator.events
      expect(events.map((e) => e._tag)).toEqual(["UserCreated", "UserUpdated"])
      const [first, second] = events as [DomainEvent, DomainEvent]
      expect(first._tag === "UserCreated" && first.user.username).toBe("newbie")
      expect(first.at).toBe(start)
      expect(second.at).toBe(start + 60_000)
      expect(second.seq).toBeGreaterThan(first.seq)
      expect(second._tag === "UserUpdated" && second.user).toEqual(yield* Users.get(user.id))
    }).pipe(Effect.provide(NoLimits)))

  it.effect("a refused request records nothing, nor does a read or a change the user representation does not show", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { ada, grace } = yield* seedAda
      yield* Users.create({ emailAddress: ["taken@example.com"], username: "taken" })
      const before = yield* emulator.events
      expect((yield* Effect.flip(Users.update("user_missing", { firstName: "x" })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(Users.update(ada.id, { username: "taken" })))._tag).toBe("UnprocessableEntity")
      expect((yield* Effect.flip(Users.update(ada.id, { totpSecret: "not base32!" })))._tag).toBe(
        "UnprocessableEntity"
      )
      expect((yield* Effect.flip(Users.create({ emailAddress: ["TAKEN@example.com"] })))._tag).toBe(
        "UnprocessableEntity"
      )
      expect((yield* Effect.flip(Users.removePassword(grace.id)))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(Users.deleteTOTP(grace.id)))._tag).toBe("NotFound")
      expect((yield* Effect.flip(Users.deletePasskey(ada.id, "idn_missing")))._tag).toBe("NotFound")
      expect((yield* Effect.flip(Users.verifyTotp(ada.id, { code: "000000-wrong" })))._tag).toBe(
        "UnprocessableEntity"
      )
      yield* emulator.setFeatures({ banning: false })
      expect((yield* Effect.flip(Users.ban(ada.id)))._tag).toBe("PaymentRequired")
      yield* Users.get(ada.id)
      yield* Users.list()
      yield* Users.verifyPassword(ada.id, { password: "correct horse battery" })
      yield* Users.adjustBillingCreditBalance(ada.id, { amount: 100, action: "increase", idempotencyKey: "k-1" })
      const devices = yield* Users.listTrustedDevices(ada.id)
      yield* Users.revokeTrustedDevice(ada.id, devices.data[0]!.id)
      expect(yield* emulator.events).toEqual(before)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("seeding records nothing unless asked; reset clears the recent events", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      yield* seedAda
      expect(yield* emulator.events).toEqual([])
      const { users } = yield* emulator.seed({ users: [{ emailAddress: ["loud@example.com"] }] }, { emit: true })
      const events = yield* emulator.events
      expect(events.map((e) => e._tag)).toEqual(["UserCreated"])
      expect(events[0]!._tag === "UserCreated" && events[0]!.user).toEqual(users[0])
      yield* emulator.reset
      expect(yield* emulator.events).toEqual([])
    }).pipe(Effect.provide(NoLimits)))
})

describe("the store", () => {
  it("makes Clerk-looking ids: the prefix, an underscore and 27 base62 characters, each id new", () => {
    const ids = Array.from({ length: 2000 }, () => makeId("user"))
    for (const id of ids) expect(id).toMatch(/^user_[0-9A-Za-z]{27}$/)
    expect(new Set(ids).size).toBe(ids.length)
    expect(makeId("orgmem")).toMatch(/^orgmem_[0-9A-Za-z]{27}$/)
    // every base62 character turns up
    expect(new Set(ids.map((id) => id.slice("user_".length)).join("")).size).toBe(62)
  })

  it("draws id characters uniformly from the 62 (no modulo bias: a chi-square bound the bias fails by far)", () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    const counts = new Map<string, number>()
    let total = 0
    for (let n = 0; n < 20_000; n++) {
      for (const c of makeId("user").slice("user_".length)) {
        counts.set(c, (counts.get(c) ?? 0) + 1)
        total++
      }
    }
    expect([...counts.keys()].sort()).toEqual([...alphabet].sort())
    const expected = total / 62
    let chiSquare = 0
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected
    // 61 degrees of freedom: mean 61, sd ~11; 150 is passed by chance about once in 10^9 runs. `byte % 62` (the first
    // eight characters 5/256, the others 4/256) gives ~3,500 over these 540,000 characters
    expect(chiSquare).toBeLessThan(150)
  })

  it("makes trace ids of 32 hex digits, each new (across refills of the random pool ids and trace ids share)", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? makeId("user") && traceId() : traceId()))
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(ids).size).toBe(ids.length)
  })

  const user = (id: string, fields: Partial<StoredUser> = {}) =>
    newStoredUser({ id, seq: 0, createdAt: 0, updatedAt: 0, ...fields })
  const email = (value: string) => ({ id: `idn_${value}`, value, reserved: false, createdAt: 0, updatedAt: 0 })

  it("finds the holders of identifiers containing a text as a scan of every key would, across writes", () => {
    // strings over a small alphabet (matches are common), the separator the search joins keys with included
    const text = fc.string({ unit: fc.constantFrom("a", "B", "@", "\u0000", "é"), maxLength: 6 })
    const kinds = ["username", "email"] as const
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text), { maxLength: 40 }),
        fc.array(text, { maxLength: 5 }),
        (pairs, needles) => {
          const store = makeStore(defaultFeatures)
          // the indexes as the store keeps them: key → holder; a user written again under its id replaces its keys
          const reference = { username: new Map<string, string>(), email: new Map<string, string>() }
          pairs.forEach(([username, address], i) => {
            const id = `user_${i % 7}`
            store.createUser(user(id, { username, emails: [email(address)] }), 0, { emit: false })
            for (const kind of kinds) {
              for (const [key, holder] of [...reference[kind]]) if (holder === id) reference[kind].delete(key)
            }
            reference.username.set(username.toLowerCase(), id)
            reference.email.set(address.toLowerCase(), id)
            for (const needle of needles) {
              for (const kind of kinds) {
                const expected = new Set<string>()
                for (const [key, holder] of reference[kind]) if (key.includes(needle)) expected.add(holder)
                expect(store.idsContaining(kind, needle)).toEqual(expected)
              }
            }
          })
        }
      ),
      { numRuns: 200 }
    )
  })

  it("keeps the identifier indexes in step with every write", () => {
    const store = makeStore(defaultFeatures)
    store.createUser(user("user_a", { username: "ada", externalId: "ext-1", emails: [email("Ada@X.co")] }), 1)
    expect(store.userIdBy("email", "ada@x.CO")).toBe("user_a")
    expect(store.isTaken("username", "ADA")).toBe(true)
    expect(store.isTaken("username", "ada", "user_a")).toBe(false)
    expect(store.isTaken("externalId", "EXT-1")).toBe(false)
    store.updateUser("user_a", 2, (u) => {
      u.username = "countess"
      u.emails = [email("lovelace@x.co")]
    })
    expect(store.isTaken("username", "ada")).toBe(false)
    expect(store.userIdBy("username", "Countess")).toBe("user_a")
    expect(store.userIdBy("email", "ada@x.co")).toBeUndefined()
    expect(store.userIdBy("email", "lovelace@x.co")).toBe("user_a")
    expect(store.user("user_a")?.updatedAt).toBe(2)
    const snapshot = structuredClone(store.snapshot())
    expect(store.deleteUser("user_a", 3)).toBe(true)
    expect(store.userIdBy("externalId", "ext-1")).toBeUndefined()
    store.restore(snapshot)
    expect(store.userIdBy("externalId", "ext-1")).toBe("user_a")
    store.reset(defaultFeatures)
    expect(store.userIdBy("externalId", "ext-1")).toBeUndefined()
  })

  it("listeners run synchronously after each change, until unsubscribed; no listener, no event", () => {
    const store = makeStore(defaultFeatures)
    const seen: Array<DomainEvent> = []
    store.createUser(user("user_quiet"), 1)
    const unsubscribe = store.subscribe((event) => seen.push(event))
    store.createUser(user("user_b"), 2)
    expect(seen.map((e) => e._tag)).toEqual(["UserCreated"])
    store.updateUser("user_b", 3, (u) => {
      u.firstName = "B"
    })
    expect(seen[1]?._tag === "UserUpdated" && seen[1].user.firstName).toBe("B")
    expect(store.updateUser("user_missing", 4, () => {})).toBeUndefined()
    expect(store.deleteUser("user_missing", 4)).toBe(false)
    store.updateUserExtras("user_b", (extras) => {
      extras.credits.balance = 10
    })
    expect(seen).toHaveLength(2)
    store.deleteUser("user_b", 5)
    expect(seen[2]).toMatchObject({ _tag: "UserDeleted", id: "user_b", at: 5 })
    unsubscribe()
    store.createUser(user("user_c"), 6)
    expect(seen).toHaveLength(3)
  })
})

describe("seeding", () => {
  it.effect("examples/seed.json decodes with EmulatorServer.SeedJson and seeds silently", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const file = path.resolve(import.meta.dirname, "../../../examples/seed.json")
      const seed = Schema.decodeUnknownSync(EmulatorServer.SeedJson)(JSON.parse(fs.readFileSync(file, "utf8")))
      const { organizationIds, users } = yield* emulator.seed(seed)
      expect(users.map((u) => u.id)).toEqual(["user_ada", "user_grace"])
      expect(organizationIds).toHaveLength(1)
      expect((yield* Users.get("user_ada")).twoFactorEnabled).toBe(true)
      expect(yield* emulator.events).toEqual([])
    }).pipe(Effect.provide(NoLimits)))

  it("the seed schema refuses unknown keys at any depth", () => {
    const decode = Schema.decodeUnknownEither(EmulatorServer.SeedJson)
    expect(Either.isRight(decode({ users: [{ emailAddress: ["a@x.co"] }] }))).toBe(true)
    expect(Either.isLeft(decode({ users: [{ email: ["a@x.co"] }] }))).toBe(true)
    expect(Either.isLeft(decode({ users: [], extra: 1 }))).toBe(true)
    expect(Either.isLeft(decode({ users: [{ passkeys: [{ name: "x", id: "y" }] }] }))).toBe(true)
    expect(Either.isLeft(decode({ organizations: [{ name: "o", members: [{ userId: "u", admin: true }] }] })))
      .toBe(true)
  })

  it.effect("seeding never replaces: an existing id or one given twice is refused, naming users[i].id", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      yield* emulator.seed({ users: [{ id: "user_a", firstName: "Ada" }], organizations: [{ id: "org_a", name: "A" }] })
      const refused = (seed: ClerkEmulator.Seed) => Effect.map(Effect.flip(emulator.seed(seed)), (e) => e.message)
      expect(yield* refused({ users: [{ id: "user_a", firstName: "Mallory" }] })).toContain("users[0].id")
      expect(yield* refused({ users: [{ id: "user_b" }, { id: "user_b" }] })).toContain("users[1].id")
      expect(yield* refused({ organizations: [{ id: "org_a", name: "again" }] })).toContain("organizations[0].id")
      expect(yield* refused({ organizations: [{ name: "O", members: [{ userId: "user_nobody" }] }] })).toContain(
        "organizations[0].members[0].userId"
      )
      // refused before any change: Ada stays, user_b and the organizations were not made
      expect((yield* emulator.users).map((u) => [u.id, u.firstName])).toEqual([["user_a", "Ada"]])
      expect((yield* emulator.snapshot).state.organizations.map((o) => o.id)).toEqual(["org_a"])
      // a member seeded in the same seed is a user
      const { organizationIds } = yield* emulator.seed({
        users: [{ id: "user_c" }],
        organizations: [{ name: "C", members: [{ userId: "user_c" }, { userId: "user_a" }] }]
      })
      expect(organizationIds).toHaveLength(1)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("in-process seeds are decoded with the same strict schema: unknown keys and ids not Clerk-shaped refused", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const refused = (seed: ClerkEmulator.Seed) => Effect.map(Effect.flip(emulator.seed(seed)), (e) => e.message)
      // what a JavaScript caller (or a value built elsewhere) can pass: extra keys the types do not see
      const topLevel = { users: [{ emailAddress: ["a@x.co"] }], bogus: 1 }
      const nested = { firstName: "x", bogus: 1 }
      expect(yield* refused(topLevel)).toContain("bogus")
      expect(yield* refused({ users: [nested] })).toContain("users[0].bogus")
      for (const id of ["a/b", "../../x", "user_..", "user_a/b", "user_%2e", "user_", "org_x", ""]) {
        expect(yield* refused({ users: [{ id }] })).toContain("users[0].id")
      }
      expect(yield* refused({ organizations: [{ id: "org_a/b", name: "o" }] })).toContain("organizations[0].id")
      expect(yield* emulator.users).toEqual([])
      const { users } = yield* emulator.seed({ users: [{ id: "user_2xAda-_9" }] })
      expect(users.map((u) => u.id)).toEqual(["user_2xAda-_9"])
    }).pipe(Effect.provide(NoLimits)))

  it.effect("seeding applies the API's uniqueness rules, naming the user's index and the field", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      yield* emulator.seed({ users: [{ id: "user_a", emailAddress: ["a@x.co"], username: "ada", externalId: "e-1" }] })
      const refused = (seed: ClerkEmulator.Seed) => Effect.map(Effect.flip(emulator.seed(seed)), (e) => e.message)
      expect(yield* refused({ users: [{ emailAddress: ["b@x.co"] }, { emailAddress: ["A@X.co"] }] })).toContain(
        "users[1].emailAddress"
      )
      expect(yield* refused({ users: [{ username: "ADA" }] })).toContain("users[0].username")
      expect(yield* refused({ users: [{ externalId: "e-1" }] })).toContain("users[0].externalId")
      expect(yield* refused({ users: [{ phoneNumber: ["+15550001111", "+15550001111"] }] })).toContain(
        "users[0].phoneNumber"
      )
      expect(yield* refused({ users: [{ web3Wallet: ["0xAB"] }, { web3Wallet: ["0xab"] }] })).toContain(
        "users[1].web3Wallet"
      )
      // the users before the bad one stay (b@x.co was seeded by the first refused call)
      expect((yield* emulator.users).map((u) => u.emailAddresses[0]?.emailAddress).sort()).toEqual([
        "a@x.co",
        "b@x.co",
        undefined
      ].sort())
      // what a seed took, the API refuses
      expect((yield* Effect.flip(Users.create({ emailAddress: ["B@x.co"] })))._tag).toBe("UnprocessableEntity")
    }).pipe(Effect.provide(NoLimits)))
})
