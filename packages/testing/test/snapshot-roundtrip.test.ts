/**
 * A snapshot the emulator gives is one its restore takes back: whatever the API's writers store (create, update,
 * metadata, credits, bans, locks, MFA, passwords, deletions...) is inside the snapshot's schema. Random writes (bodies
 * drawn from each endpoint's own body schema, tamed or not) against the in-process handler, with the spec's request
 * validation on and off (off, only the handlers' own checks stand between a body and the store), then
 * snapshot → restore → snapshot gives the same snapshot, in-process and as JSON (what `/__emulator/restore` takes).
 */
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users, UsersApi } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"

/** Every endpoint that may change state. */
const writers = UsersApi.all.filter((e) => e.method !== "GET")

/**
 * Body fields the handlers refuse most random values of: a tamed body leaves them out (so more writes land), and
 * gives its dates as RFC 3339 date-times.
 */
const picky = new Set([
  "email_address_identification_status",
  "phone_number_identification_status",
  "primary_email_address_id",
  "primary_phone_number_id",
  "primary_web3_wallet_id",
  "email_address",
  "phone_number",
  "web3_wallet",
  "username",
  "password",
  "password_digest",
  "password_hasher",
  "totp_secret",
  "backup_codes",
  "user_ids"
])

const bodyOf = (endpoint: (typeof writers)[number]): fc.Arbitrary<unknown> => {
  if (endpoint.body._tag !== "Json") return fc.constant(undefined)
  const schema = endpoint.body.schema as Schema.Schema<unknown, unknown>
  const encode = Schema.encodeSync(schema)
  const date = fc.date({ min: new Date(-62135596800000), max: new Date(253402300799000), noInvalidDate: true })
  return fc.tuple(Arbitrary.make(schema), fc.boolean(), fc.nat(40), date).map(([value, tame, n, at]) => {
    const encoded = encode(value) as Record<string, unknown>
    if (!tame) return encoded
    const kept = Object.fromEntries(
      Object.entries(encoded).filter(([k]) => !picky.has(k)).map(([k, v]) => [
        k,
        k.endsWith("_at") && typeof v === "string" ? at.toISOString() : v
      ])
    )
    return endpoint === UsersApi.create ? { ...kept, email_address: [`u${n}@example.com`] } : kept
  })
}

/** The writers that store values from their body, drawn more often. */
const storing = new Set<(typeof writers)[number]>([
  UsersApi.create,
  UsersApi.update,
  UsersApi.updateMetadata,
  UsersApi.replaceMetadata,
  UsersApi.adjustBillingCreditBalance
])

const command = fc.oneof(
  ...writers.map((endpoint) => ({
    weight: storing.has(endpoint) ? 6 : 1,
    arbitrary: fc.record({ endpoint: fc.constant(endpoint), who: fc.nat(3), body: bodyOf(endpoint) })
  }))
)

type Command = typeof command extends fc.Arbitrary<infer A> ? A : never

/** The path of a command: `user_id` one of the users (or an unknown id), other ids the user's first of that kind. */
const pathOf = (state: ClerkEmulator.Snapshot["state"], c: Command) => {
  const u = state.users[c.who % Math.max(1, state.users.length)]
  const ids: Record<string, string | undefined> = {
    user_id: c.who === 3 ? "user_unknown" : u?.id,
    passkey_identification_id: u?.passkeys[0]?.id,
    web3_wallet_identification_id: u?.web3Wallets[0]?.id,
    external_account_id: u?.externalAccounts[0]?.id,
    trusted_device_id: u?.trustedDevices[0]?.id
  }
  return `/v1${c.endpoint.path.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name] ?? "x_unknown")}`
}

const send = (e: ClerkEmulator.Service, c: Command) =>
  Effect.gen(function*() {
    const { state } = yield* e.snapshot
    const headers: Record<string, string> = { authorization: `Bearer ${e.secretKey}` }
    let body: BodyInit | undefined
    if (c.endpoint.body._tag === "Json") {
      headers["content-type"] = "application/json"
      body = JSON.stringify(c.body)
    } else if (c.endpoint.body._tag === "Multipart") {
      const form = new FormData()
      form.set("file", new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }), "a.png")
      body = form
    }
    const response = yield* e.handle(
      new Request(`http://x${pathOf(state, c)}`, { method: c.endpoint.method, headers, body: body ?? null })
    )
    expect(response.status, `${c.endpoint.name} ${JSON.stringify(c.body)}`).not.toBe(500)
    return response.status
  })

/** A state with something of every kind for the writers to change or delete. */
const seed: ClerkEmulator.Seed = {
  users: [0, 1, 2].map((i) => ({
    id: `user_seed${i}`,
    emailAddress: [`seed${i}@example.com`],
    password: "a long passphrase",
    totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP",
    backupCodes: ["one", "two"],
    web3Wallet: [`0x000000000000000000000000000000000000000${i + 1}`],
    passkeys: [{ name: "key" }],
    externalAccounts: [{ provider: "oauth_google", providerUserId: `g${i}`, tokens: [{ token: "t" }] }],
    trustedDevices: [{ platform: "ios" as const, appIdentifier: "app" }],
    credits: { amount: 10 }
  })),
  organizations: [{ name: "Acme", members: [{ userId: "user_seed0" }] }]
}

const roundTrips = (validateRequests: boolean, seedNumber: number) =>
  Effect.gen(function*() {
    const e = yield* ClerkEmulator.make({ rateLimit: false, validateRequests, validateResponses: false })
    const runs = fc.sample(fc.array(command, { minLength: 1, maxLength: 12 }), { numRuns: 40, seed: seedNumber })
    const statuses = new Map<number, number>()
    for (const commands of runs) {
      yield* e.reset
      yield* e.seed(seed)
      for (const c of commands) {
        const status = yield* send(e, c)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
      }
      const before = yield* e.snapshot
      const restored = yield* Effect.exit(e.restore(before))
      const label = commands.map((c) => `${c.endpoint.name} ${JSON.stringify(c.body)?.slice(0, 300)}`).join("\n")
      if (Exit.isFailure(restored)) expect.fail(`${Cause.pretty(restored.cause)}\nafter:\n${label}`)
      expect(yield* e.snapshot, label).toEqual(before)
      const json = JSON.parse(JSON.stringify(before)) as ClerkEmulator.Snapshot
      expect(Exit.isSuccess(yield* Effect.exit(e.restore(json))), label).toBe(true)
      expect(yield* e.snapshot, label).toEqual(json)
    }
    // the writes did land: some succeeded, some were refused
    expect(statuses.get(200) ?? 0).toBeGreaterThan(40)
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true)
  })

describe("snapshot → restore round-trip after random API writes", () => {
  it.scoped("with the spec's request validation on (the default)", () => roundTrips(true, 1), 120_000)
  it.scoped("with request validation off (the handlers' own checks alone)", () => roundTrips(false, 2), 120_000)
})

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })

describe("create_organizations_limit is a count: 0 (no limit) and up", () => {
  it.effect("a negative limit is Clerk's 422 naming the parameter, on create and update; 0 and up are kept", () =>
    Effect.gen(function*() {
      const refused = yield* Effect.flip(
        Users.create({ emailAddress: ["neg@example.com"], createOrganizationsLimit: -5, skipPasswordRequirement: true })
      )
      if (refused._tag !== "UnprocessableEntity") return expect.unreachable(refused._tag)
      expect(refused.errors[0]?.code).toBe("form_param_value_invalid")
      expect(refused.errors[0]?.meta?.["param_name"]).toBe("create_organizations_limit")
      expect(yield* Users.count({})).toBe(0)
      const user = yield* Users.create({ emailAddress: ["zero@example.com"], createOrganizationsLimit: 0 })
      expect(user.createOrganizationsLimit).toBe(0)
      const updateRefused = yield* Effect.flip(Users.update(user.id, { createOrganizationsLimit: -1 }))
      expect(updateRefused._tag).toBe("UnprocessableEntity")
      expect((yield* Users.get(user.id)).createOrganizationsLimit).toBe(0)
      expect((yield* Users.update(user.id, { createOrganizationsLimit: 7 })).createOrganizationsLimit).toBe(7)
      expect((yield* Users.update(user.id, { createOrganizationsLimit: null })).createOrganizationsLimit).toBe(null)
      const emulator = yield* ClerkEmulator
      yield* emulator.restore(yield* emulator.snapshot)
    }).pipe(Effect.provide(NoLimits)))

  it.scoped("a value out of range is refused with one message naming the range it takes: 0 (no limit) to 2^53 - 1", () =>
    Effect.gen(function*() {
      const range = "create_organizations_limit must be an integer from 0 (no limit) to 9007199254740991, not "
      for (const validateRequests of [true, false]) {
        const e = yield* ClerkEmulator.make({ rateLimit: false, validateRequests })
        for (
          const [value, shown] of [["1e300", "1e+300"], ["-1e300", "-1e+300"], ["9007199254740992", ""], ["-5", ""]]
        ) {
          const response = yield* e.handle(
            new Request("http://x/v1/users", {
              method: "POST",
              headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
              body: `{"create_organizations_limit": ${value}}`
            })
          )
          const body = (yield* Effect.promise(() => response.json())) as {
            errors: ReadonlyArray<{ long_message: string; meta?: { param_name?: string } }>
          }
          const where = `${value} (validateRequests: ${validateRequests})`
          expect(response.status, where).toBe(422)
          expect(body.errors.map((x) => x.long_message), where).toEqual([`${range}${shown || value}`])
          expect(body.errors[0]?.meta?.param_name, where).toBe("create_organizations_limit")
        }
      }
    }))

  it.live("over HTTP: -5 is a 422, and /restore takes back what /snapshot gives", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      const call = (path: string, init: RequestInit = {}) =>
        Effect.promise(() =>
          fetch(`${server.url}${path}`, init).then(async (r) => ({ status: r.status, text: await r.text() }))
        )
      const json = { "content-type": "application/json" }
      const created = yield* call("/v1/users", {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${ClerkEmulator.defaultSecretKey}` },
        body: JSON.stringify({ email_address: ["neg@example.com"], create_organizations_limit: -5 })
      })
      expect(created.status).toBe(422)
      expect(created.text).toContain("create_organizations_limit")
      const snapshot = yield* call("/__emulator/snapshot")
      expect((yield* call("/__emulator/restore", { method: "POST", headers: json, body: snapshot.text })).status)
        .toBe(200)
      // a snapshot outside the schema: a 400 naming the field, the state unchanged
      const bad = JSON.parse(snapshot.text) as { state: { seq: number } }
      bad.state.seq = -1
      const refused = yield* call("/__emulator/restore", { method: "POST", headers: json, body: JSON.stringify(bad) })
      expect(refused.status).toBe(400)
      expect(refused.text).toContain("state.seq")
    })))
})
