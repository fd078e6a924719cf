/**
 * `pnpm demo`: a walkthrough of the SDK against the embedded emulator (no network, no account).
 * With CLERK_SECRET_KEY set, it runs the read-only part against Clerk's API instead, or against the server
 * CLERK_API_URL names (a `clerk-emulator`, say); the first line says which.
 */
import { ClerkClient, ClerkRateLimit, ClerkRetry } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users, Webhooks } from "@effect-clerk/users"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

const step = (title: string) => Console.log(`\n▸ ${title}`)
const show = (label: string, value: unknown) =>
  Console.log(`  ${label}: ${typeof value === "string" ? value : JSON.stringify(value)}`)

/** Works against any Clerk: only reads. */
const readOnly = Effect.gen(function*() {
  yield* step("Count and list users (one request each: no hidden count request)")
  const totalCount = yield* Users.count({})
  yield* show("total users", totalCount)
  const page = yield* Users.list({ limit: 5, orderBy: "-created_at" })
  for (const user of page) yield* show(user.id, user.emailAddresses[0]?.emailAddress ?? "(no email)")

  yield* step("Stream every user lazily (cursor pages of up to 500)")
  const streamed = yield* Stream.runCollect(Users.stream().pipe(Stream.take(1000)))
  yield* show("streamed", `${Chunk.size(streamed)} users`)

  yield* step("A typed NotFound, handled with catchTag")
  const missing = yield* Users.get("user_does_not_exist").pipe(
    Effect.map((user) => `found ${user.id}`),
    Effect.catchTag(
      "NotFound",
      (error) => Effect.succeed(`NotFound (${error.errors[0]?.code ?? "no code"}): ${error.message}`)
    )
  )
  yield* show("Users.get(\"user_does_not_exist\")", missing)
})

/** A webhook endpoint of the app, in-process: the SDK verifies and decodes what the emulator sends. */
const webhookEndpoint = Effect.gen(function*() {
  const emulator = yield* ClerkEmulator
  const received: Array<string> = []
  const secret = Redacted.make("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
  const onEvent = ({ event }: Webhooks.Message) => Effect.sync(() => received.push(event.type))
  yield* emulator.addWebhookEndpoint({ secret, handler: Webhooks.httpApp(onEvent) }).pipe(
    Effect.provide(Webhooks.layer({ secret }))
  )
  return received
})

/** Waits (briefly) until every webhook delivery has been answered: they run beside the API calls. */
const deliveriesSettled = Effect.gen(function*() {
  const emulator = yield* ClerkEmulator
  for (let i = 0; i < 100; i++) {
    if ((yield* emulator.webhookDeliveries).every((d) => d.status !== "pending")) return
    yield* Effect.sleep("20 millis")
  }
})

/** The full tour, against the emulator. */
const tour = Effect.gen(function*() {
  const emulator = yield* ClerkEmulator
  const received = yield* webhookEndpoint

  yield* step("Create users")
  const ada = yield* Users.create({
    emailAddress: ["ada@example.com"],
    firstName: "Ada",
    lastName: "Lovelace",
    password: "analytical engine 1843",
    totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    backupCodes: ["ada-backup-1"]
  })
  yield* show("created", `${ada.id} ${ada.firstName} ${ada.lastName} <${ada.emailAddresses[0]?.emailAddress}>`)
  for (const name of ["grace", "alan", "barbara"]) {
    yield* Users.create({ emailAddress: [`${name}@example.com`], firstName: name[0]!.toUpperCase() + name.slice(1) })
  }
  const duplicate = yield* Users.create({ emailAddress: ["ADA@example.com"] }).pipe(
    Effect.map(() => "created (unexpected)"),
    Effect.catchTag("UnprocessableEntity", (e) => Effect.succeed(`UnprocessableEntity: ${e.errors[0]?.code}`))
  )
  yield* show("a duplicate email", duplicate)

  yield* step("Find users")
  const found = yield* Users.list({ emailAddressQuery: "example.com", orderBy: "first_name" })
  yield* show("by email query, ordered by first name", found.map((u) => u.firstName))
  yield* show("count with the same filter", yield* Users.count({ emailAddressQuery: "example.com" }))

  yield* step("Merge metadata (deep merge; null deletes a key)")
  yield* Users.updateMetadata(ada.id, { publicMetadata: { plan: "free", prefs: { theme: "dark", beta: true } } })
  const merged = yield* Users.updateMetadata(ada.id, { publicMetadata: { plan: "pro", prefs: { beta: null } } })
  yield* show("publicMetadata", merged.publicMetadata)

  yield* step("Ban and lock")
  yield* show("banned", (yield* Users.ban(ada.id)).banned)
  yield* show("unbanned", !(yield* Users.unban(ada.id)).banned)
  const locked = yield* Users.lock(ada.id)
  yield* show("locked", `${locked.locked} (expires in ${locked.lockoutExpiresInSeconds} s)`)
  yield* Users.unlock(ada.id)

  yield* step("Verify a password and a TOTP code")
  yield* show("right password", yield* Users.verifyPassword(ada.id, { password: "analytical engine 1843" }))
  const wrong = yield* Users.verifyPassword(ada.id, { password: "difference engine" }).pipe(
    Effect.map(() => "verified (unexpected)"),
    Effect.catchTag("UnprocessableEntity", (e) => Effect.succeed(`UnprocessableEntity: ${e.errors[0]?.code}`))
  )
  yield* show("wrong password", wrong)
  const code = (yield* emulator.totpCode(ada.id)) ?? ""
  yield* show(`TOTP ${code}`, yield* Users.verifyTotp(ada.id, { code }))
  yield* show("backup code", yield* Users.verifyTotp(ada.id, { code: "ada-backup-1" }))

  yield* step("Adjust credits (an idempotency key applies an adjustment once)")
  const key = "welcome-bonus-ada"
  yield* Users.adjustBillingCreditBalance(ada.id, { amount: 2500, action: "increase", idempotencyKey: key })
  yield* Users.adjustBillingCreditBalance(ada.id, { amount: 2500, action: "increase", idempotencyKey: key })
  const balance = yield* Users.getBillingCreditBalance(ada.id)
  yield* show("balance after the same adjustment twice", balance.balance?.amountFormatted ?? "none")

  yield* readOnly

  yield* step("Webhooks: what our endpoint received for the calls above (signed, verified, typed)")
  yield* deliveriesSettled
  const counts = new Map<string, number>()
  for (const type of received) counts.set(type, (counts.get(type) ?? 0) + 1)
  yield* show("events", [...counts].map(([type, n]) => `${type} ×${n}`).join(", "))
  yield* show("in order", received.join(" → "))
  yield* Console.log("\nDone: every call above went through the real request pipeline into the in-memory emulator.")
})

const isSet = (name: string) => (process.env[name] ?? "") !== ""

/** What the client talks to, as the client resolved it: Clerk's API, or the server CLERK_API_URL names. */
const target = Effect.map(
  ClerkClient,
  ({ config }) =>
    config.apiUrl === "https://api.clerk.com" ? `the Clerk API (${config.apiUrl})` : `${config.apiUrl} (CLERK_API_URL)`
)

const program: Effect.Effect<void, unknown> = isSet("CLERK_SECRET_KEY")
  ? target.pipe(
    Effect.flatMap((to) => Console.log(`CLERK_SECRET_KEY is set: running the read-only part against ${to}.`)),
    Effect.zipRight(readOnly),
    Effect.provide(
      ClerkRetry.layer().pipe(
        Layer.provide(ClerkRateLimit.layer()),
        Layer.provide(ClerkClient.layerConfig()),
        Layer.provide(FetchHttpClient.layer)
      )
    )
  )
  : Console.log(
    `effect-clerk demo, against the embedded Clerk emulator (${
      isSet("CLERK_API_URL")
        ? "CLERK_API_URL is ignored without CLERK_SECRET_KEY"
        : "set CLERK_SECRET_KEY to read a real instance"
    }).`
  )
    .pipe(Effect.zipRight(tour), Effect.provide(ClerkTest.layer))

Effect.runPromise(
  program.pipe(
    Effect.catchAllCause((cause) =>
      Effect.andThen(Console.error(`demo failed:\n${Cause.pretty(cause)}`), Effect.sync(() => (process.exitCode = 1)))
    )
  )
)
