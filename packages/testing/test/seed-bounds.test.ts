/**
 * A seed takes only what the API itself can produce and a snapshot can hold: external account providers the spec's
 * `verification_oauth.strategy` can carry, credit amounts that are safe integers (as `/restore` requires).
 */
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { load } from "js-yaml"
import * as fs from "node:fs"
import { oauthProviderPattern } from "../src/internal/seed.js"

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })

/** The seed's error message, or "accepted" (a plain string either way, so a failure prints small). */
const refusal = <A>(seed: Effect.Effect<A, { readonly message: string }>) =>
  Effect.match(seed, { onFailure: (e) => e.message, onSuccess: () => "accepted" })

const withAccount = (provider: string) => ({
  users: [{ externalAccounts: [{ provider, providerUserId: "1", tokens: [{ token: "t" }] }] }]
})

describe("seed: external account providers", () => {
  it("the provider rule is the spec's pattern for verification_oauth.strategy", () => {
    const spec = load(fs.readFileSync(new URL("../spec/clerk-bapi-2026-05-12.yml", import.meta.url), "utf8")) as {
      components: { schemas: { verification_oauth: { properties: { strategy: { pattern: string } } } } }
    }
    expect(oauthProviderPattern.source).toBe(spec.components.schemas.verification_oauth.properties.strategy.pattern)
  })

  it.effect("a provider the API never gives is refused, naming users[i].externalAccounts[j].provider", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      for (const provider of ["nope", "OAUTH_GOOGLE", "saml_x", "oauth_", "oauth_google2", "", "google"]) {
        expect(yield* refusal(emulator.seed(withAccount(provider))), provider).toContain(
          "users[0].externalAccounts[0].provider"
        )
      }
      expect(yield* emulator.users).toEqual([])
      // what the API gives is taken, and every read of the user answers within the spec (ClerkTest checks responses)
      for (const provider of ["oauth_google", "oauth_custom_acme", "oauth_token_github"]) {
        const { users } = yield* emulator.seed(withAccount(provider))
        const user = yield* Users.get(users[0]!.id)
        expect(user.externalAccounts[0]?.provider).toBe(provider)
        expect((yield* Users.list()).length).toBeGreaterThan(0)
        const tokens = yield* Users.getOAuthAccessToken(users[0]!.id, provider)
        expect(tokens.map((t) => t.token)).toEqual(["t"])
      }
    }).pipe(Effect.provide(NoLimits)))
})

describe("seed and restore agree on credits", () => {
  it.effect("credits.amount must be a positive safe integer, naming users[i].credits.amount", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      for (const amount of [1e300, 2 ** 53, 0.5, 0, -1, Number.POSITIVE_INFINITY, Number.NaN]) {
        expect(yield* refusal(emulator.seed({ users: [{ credits: { amount } }] })), String(amount)).toContain(
          "users[0].credits.amount"
        )
      }
      expect(yield* emulator.users).toEqual([])
      const { users } = yield* emulator.seed({ users: [{ credits: { amount: Number.MAX_SAFE_INTEGER } }] })
      // the API keeps the balance a safe integer too
      const error = yield* Effect.flip(
        Users.adjustBillingCreditBalance(users[0]!.id, { amount: 1, action: "increase", idempotencyKey: "over" })
      )
      expect(error._tag).toBe("UnprocessableEntity")
    }).pipe(Effect.provide(NoLimits)))

  it.live("over HTTP: what /seed takes, /snapshot gives and /restore takes back; 1e300 is refused at /seed", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      const post = (path: string, body: string) =>
        Effect.promise(() =>
          fetch(`${server.url}/__emulator/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body
          }).then(async (r) => ({ status: r.status, text: await r.text() }))
        )
      const huge = yield* post("seed", `{"users":[{"emailAddress":["a@example.com"],"credits":{"amount":1e300}}]}`)
      expect(huge.status).toBe(400)
      expect(huge.text).toContain("credits")
      const most = `{"users":[{"emailAddress":["a@example.com"],"credits":{"amount":${Number.MAX_SAFE_INTEGER}}}]}`
      expect((yield* post("seed", most)).status).toBe(200)
      const snapshot = yield* Effect.promise(() => fetch(`${server.url}/__emulator/snapshot`).then((r) => r.text()))
      expect((yield* post("restore", snapshot)).status).toBe(200)
    })))
})

describe("a refused seed names the path one way everywhere: users[i].field", () => {
  /** Seeds refused by the seed schema (not by the store), with the path each answer must name. */
  const cases: ReadonlyArray<readonly [unknown, string]> = [
    [{ users: [{ emailAddress: ["a@example.com"] }, { email: ["b@example.com"] }] }, "users[1].email"],
    [{ users: [{ id: "../../x" }] }, "users[0].id"],
    [{ users: [{ emailAddress: ["a@example.com", 42] }] }, "users[0].emailAddress[1]"],
    [{ organizations: [{ name: "O", members: [{ userId: 1 }] }] }, "organizations[0].members[0].userId"]
  ]

  it.effect("in process", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      for (const [seed, path] of cases) {
        const message = yield* refusal(emulator.seed(seed as never))
        expect(message, path).toContain(path)
        expect(message, path).not.toMatch(/\.\d/)
      }
    }).pipe(Effect.provide(NoLimits)))

  it.live("over HTTP (/__emulator/seed), as the CLI's --seed names it", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      for (const [seed, path] of cases) {
        const answer = yield* Effect.promise(() =>
          fetch(`${server.url}/__emulator/seed`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(seed)
          }).then(async (r) => ({ status: r.status, text: await r.text() }))
        )
        expect(answer.status, path).toBe(400)
        const message = (JSON.parse(answer.text) as { errors: Array<{ long_message: string }> }).errors[0]?.long_message
        expect(message, path).toContain(path)
        expect(message, path).not.toMatch(/\.\d/)
      }
    })))
})
