import type { Models } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Seed, SeedOrganization, SeedUser } from "../ClerkEmulator.js"
import { hashBackupCode, hashPassword, isValidTotpSecret, makeId } from "./crypto.js"
import { exceedsJsonSize, notJsonAt, sanitizeMetadata } from "./metadata.js"
import { presentUser } from "./present.js"
import { newStoredUser, type StoredUser } from "./state.js"
import type { IdentifierKind, Store } from "./store.js"

// the API's own bounds: metadata within Clerk's 8 KB (measured without recursion, however deep it nests), times
// whole milliseconds a Date can hold
const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown }).pipe(
  // JSON that reads back as given: NaN, Infinity, a bigint, a Date... would be answered changed (or not at all)
  Schema.filter((m) => {
    const out = notJsonAt(m)
    return out === undefined || `metadata must be JSON: ${out.path} is ${out.what}`
  }),
  Schema.filter((m) => !exceedsJsonSize(m, 8192) || "metadata can't exceed 8192 bytes")
)
const Millis = Schema.Int.pipe(Schema.between(0, 8.64e15))
const Strings = Schema.Array(Schema.String)

/**
 * The providers an external account can carry: its verification is a `verification_oauth` whose `strategy` is the
 * provider, and the spec's pattern for that strategy is this one (a test checks it against the spec).
 *
 * @internal
 */
export const oauthProviderPattern = /^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$/

const OAuthProvider = Schema.String.pipe(
  Schema.filter((provider) =>
    oauthProviderPattern.test(provider) ||
    `${
        JSON.stringify(provider.slice(0, 80))
      } is not a provider Clerk's API gives (oauth_<name>, oauth_custom_<name>, ` +
      `oauth_token_<name>; <name> in a-z)`
  )
)

/**
 * A seeded id: Clerk's shape, the prefix of its kind then `_` and URL-safe characters (what `makeId` makes is
 * `<prefix>_` + 27 base62 characters), so an id is one path segment (no `/`, `.`, `%`).
 */
const ClerkId = (prefix: string) =>
  Schema.String.pipe(
    Schema.filter((id) =>
      new RegExp(`^${prefix}_[A-Za-z0-9_-]{1,64}$`).test(id) ||
      `${JSON.stringify(id.slice(0, 80))} is not a Clerk id (${prefix}_ then up to 64 of A-Z a-z 0-9 _ -)`
    )
  )

/**
 * The JSON seed (`/__emulator/seed`, `--seed file.json`; public as `EmulatorServer.SeedJson`). Strict: an unknown key
 * is refused at any depth, so a misspelt field fails instead of being ignored.
 *
 * @internal
 */
export const SeedSchema = Schema.Struct({
  users: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.optional(ClerkId("user")),
    emailAddress: Schema.optional(Strings),
    phoneNumber: Schema.optional(Strings),
    web3Wallet: Schema.optional(Strings),
    username: Schema.optional(Schema.String),
    externalId: Schema.optional(Schema.String),
    firstName: Schema.optional(Schema.String),
    lastName: Schema.optional(Schema.String),
    password: Schema.optional(Schema.String),
    totpSecret: Schema.optional(Schema.String),
    backupCodes: Schema.optional(Strings),
    publicMetadata: Schema.optional(Metadata),
    privateMetadata: Schema.optional(Metadata),
    unsafeMetadata: Schema.optional(Metadata),
    banned: Schema.optional(Schema.Boolean),
    locked: Schema.optional(Schema.Boolean),
    createdAt: Schema.optional(Millis),
    lastSignInAt: Schema.optional(Millis),
    lastActiveAt: Schema.optional(Millis),
    passkeys: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String }))),
    externalAccounts: Schema.optional(Schema.Array(Schema.Struct({
      provider: OAuthProvider,
      providerUserId: Schema.String,
      emailAddress: Schema.optional(Schema.String),
      tokens: Schema.optional(Schema.Array(Schema.Struct({
        token: Schema.String,
        scopes: Schema.optional(Strings),
        expiresAt: Schema.optional(Millis)
      })))
    }))),
    trustedDevices: Schema.optional(Schema.Array(Schema.Struct({
      platform: Schema.Literal("ios", "android"),
      appIdentifier: Schema.String,
      name: Schema.optional(Schema.String)
    }))),
    subscription: Schema.optional(Schema.Boolean),
    // a safe integer, as a snapshot's balance must be (what the seed takes, `/restore` takes back)
    credits: Schema.optional(
      Schema.Struct({ amount: Schema.Int.pipe(Schema.greaterThan(0)), currency: Schema.optional(Schema.String) })
    )
  }))),
  organizations: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.optional(ClerkId("org")),
    name: Schema.String,
    slug: Schema.optional(Schema.String),
    members: Schema.optional(
      Schema.Array(Schema.Struct({ userId: Schema.String, role: Schema.optional(Schema.String) }))
    ),
    invitations: Schema.optional(Schema.Array(Schema.Struct({
      emailAddress: Schema.String,
      role: Schema.optional(Schema.String),
      status: Schema.optional(Schema.Literal("pending", "accepted", "revoked", "expired"))
    })))
  })))
}).annotations({ parseOptions: { onExcessProperty: "error" } })

/**
 * A schema issue's path as every seed error names fields, in process, over HTTP and in the CLI:
 * `users[0].emailAddress[1]` (`(top level)` for the root).
 *
 * @internal
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0
    ? "(top level)"
    : path.map((key, i) => typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`).join("")

const decodeStrict = Schema.decodeUnknown(SeedSchema, { onExcessProperty: "error", errors: "all" })

/**
 * Seeds `decodeSeedJson` made and `applySeed` has not yet taken: each is taken once without being decoded again. Only
 * the HTTP route's own values are marked (never an object a caller holds, which it could change in between).
 */
const predecoded = new WeakSet<object>()

/**
 * `/__emulator/seed`'s decoder: strict, the `ParseError` kept for the route's own answer, and the result marked so
 * that `emulator.seed` does not decode it a second time.
 *
 * @internal
 */
export const decodeSeedJson = (input: unknown): Effect.Effect<Seed, ParseResult.ParseError> =>
  Effect.tap(decodeStrict(input), (seed) => {
    predecoded.add(seed)
  })

/**
 * An in-process seed decoded with the same strict schema as `/__emulator/seed` and `--seed` (unknown keys, ids not
 * Clerk-shaped, times that are not whole ms: refused); the problems as `<path>: <message>`.
 *
 * @internal
 */
export const decodeSeed = (seed: unknown): Effect.Effect<Seed, string> =>
  Effect.mapError(decodeStrict(seed), (error) => {
    try {
      return ParseResult.ArrayFormatter.formatErrorSync(error)
        .filter((issue) => !issue.message.startsWith("Expected undefined"))
        .slice(0, 10)
        .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
        .join("; ")
    } catch {
      return "the seed does not match the seed schema (a value is nested too deeply to describe)"
    }
  })

/** @internal */
export const defaultSubscription = (userId: string, now: number): Models.CommerceSubscription => ({
  object: "commerce_subscription",
  id: makeId("csub"),
  instanceId: "ins_emulator",
  status: "active",
  payerId: userId,
  createdAt: now,
  updatedAt: now,
  activeAt: now,
  pastDueAt: null,
  subscriptionItems: [],
  eligibleForFreeTrial: false
})

const credits = (seed: SeedUser, userId: string, createdAt: number) => {
  if (seed.credits === undefined) return Effect.succeed(undefined)
  if (!Number.isSafeInteger(seed.credits.amount) || seed.credits.amount <= 0) {
    return Effect.fail(`credits must be a positive integer, got ${seed.credits.amount}`)
  }
  const currency = seed.credits.currency ?? "USD"
  return Effect.succeed({
    balance: seed.credits.amount,
    currency,
    ledger: [{
      id: makeId("ccl"),
      amount: seed.credits.amount,
      action: "increase" as const,
      currency,
      note: "seeded",
      idempotencyKey: `seed-${userId}`,
      createdAt
    }]
  })
}

const externalAccounts = (seed: SeedUser, fallbackEmail: string, createdAt: number) =>
  (seed.externalAccounts ?? []).map((a) => ({
    id: makeId("eac"),
    identificationId: makeId("idn"),
    provider: a.provider,
    providerUserId: a.providerUserId,
    emailAddress: a.emailAddress ?? fallbackEmail,
    firstName: seed.firstName ?? "",
    lastName: seed.lastName ?? "",
    username: null,
    approvedScopes: "email profile",
    tokens: (a.tokens ?? []).map((t) => ({
      token: t.token,
      scopes: t.scopes ?? ["email", "profile"],
      expiresAt: t.expiresAt ?? null,
      label: null
    })),
    createdAt
  }))

/** A stored user from a seed (not yet in the store); fails with the problem's message. @internal */
export const seedUser = (store: Store, seed: SeedUser, at: number): Effect.Effect<StoredUser, string> =>
  Effect.gen(function*() {
    if (seed.totpSecret !== undefined && !isValidTotpSecret(seed.totpSecret)) {
      return yield* Effect.fail(`${seed.totpSecret} is not a base32 TOTP secret`)
    }
    const createdAt = seed.createdAt ?? at
    const identifiers = (values: ReadonlyArray<string> | undefined) =>
      (values ?? []).map((value) => ({ id: makeId("idn"), value, reserved: false, createdAt, updatedAt: createdAt }))
    const emails = identifiers(seed.emailAddress)
    const id = seed.id ?? makeId("user")
    const user = newStoredUser({
      id,
      seq: store.nextSeq(),
      createdAt,
      updatedAt: createdAt,
      externalId: seed.externalId ?? null,
      username: seed.username ?? null,
      firstName: seed.firstName ?? null,
      lastName: seed.lastName ?? null,
      emails,
      phones: identifiers(seed.phoneNumber),
      web3Wallets: identifiers(seed.web3Wallet),
      passkeys: (seed.passkeys ?? []).map((p) => ({ id: makeId("idn"), name: p.name, lastUsedAt: createdAt })),
      externalAccounts: externalAccounts(seed, emails[0]?.value ?? "", createdAt),
      password: seed.password === undefined ? null : { digest: hashPassword(seed.password), hasher: "scrypt" },
      passwordLastUpdatedAt: seed.password === undefined ? null : createdAt,
      totpSecret: seed.totpSecret?.toUpperCase() ?? null,
      backupCodes: (seed.backupCodes ?? []).map(hashBackupCode),
      mfaEnabledAt: seed.totpSecret !== undefined || (seed.backupCodes?.length ?? 0) > 0 ? createdAt : null,
      publicMetadata: sanitizeMetadata(seed.publicMetadata ?? {}),
      privateMetadata: sanitizeMetadata(seed.privateMetadata ?? {}),
      unsafeMetadata: sanitizeMetadata(seed.unsafeMetadata ?? {}),
      banned: seed.banned ?? false,
      lockedAt: seed.locked === true ? at : null,
      lastSignInAt: seed.lastSignInAt ?? null,
      lastActiveAt: seed.lastActiveAt ?? null,
      trustedDevices: (seed.trustedDevices ?? []).map((d) => ({
        id: makeId("td"),
        platform: d.platform,
        appIdentifier: d.appIdentifier,
        name: d.name ?? null,
        status: "active" as const,
        createdAt,
        updatedAt: createdAt,
        lastUsedAt: null,
        revokedAt: null
      })),
      subscription: seed.subscription === true ? defaultSubscription(id, createdAt) : null
    })
    const seededCredits = yield* credits(seed, id, createdAt)
    if (seededCredits !== undefined) user.credits = seededCredits
    return user
  })

const seedOrganization = (store: Store, o: SeedOrganization, at: number) => {
  const id = o.id ?? makeId("org")
  store.addOrganization({
    id,
    seq: store.nextSeq(),
    name: o.name,
    slug: o.slug ?? o.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    createdAt: at,
    maxAllowedMemberships: 100,
    publicMetadata: {},
    privateMetadata: {}
  })
  for (const m of o.members ?? []) {
    store.addMembership({
      id: makeId("orgmem"),
      seq: store.nextSeq(),
      organizationId: id,
      userId: m.userId,
      role: m.role ?? "org:member",
      createdAt: at,
      updatedAt: at
    })
  }
  for (const i of o.invitations ?? []) {
    store.addInvitation({
      id: makeId("orginv"),
      seq: store.nextSeq(),
      organizationId: id,
      emailAddress: i.emailAddress,
      role: i.role ?? "org:member",
      status: i.status ?? "pending",
      inviterUserId: o.members?.[0]?.userId ?? null,
      createdAt: at,
      expiresAt: at + 30 * 24 * 3600 * 1000
    })
  }
  return id
}

/** @internal */
export interface SeedOptions {
  /** Record `UserCreated` for each seeded user (default false: seeding is setup, not activity). */
  readonly emit?: boolean | undefined
}

const uniqueFields: ReadonlyArray<readonly [keyof SeedUser & string, IdentifierKind]> = [
  ["emailAddress", "email"],
  ["phoneNumber", "phone"],
  ["web3Wallet", "web3Wallet"],
  ["username", "username"],
  ["externalId", "externalId"]
]

/**
 * The API's uniqueness rules for a seeded user: no identifier held by another user (seeded earlier or existing)
 * nor given twice.
 *
 * @internal
 */
export const checkUnique = (store: Store, seed: SeedUser, index: number): Effect.Effect<void, string> =>
  Effect.suspend(() => {
    for (const [field, kind] of uniqueFields) {
      const raw = seed[field]
      const values = typeof raw === "string"
        ? [raw]
        : Array.isArray(raw)
        ? raw.filter((v) => typeof v === "string")
        : []
      const seen = new Set<string>()
      for (const value of values) {
        const key = kind === "externalId" ? value : value.toLowerCase()
        if (seen.has(key) || store.isTaken(kind, value)) {
          return Effect.fail(
            `users[${index}].${field}: ${value} is already taken (identifiers are unique across users)`
          )
        }
        seen.add(key)
      }
    }
    return Effect.void
  })

/**
 * The ids of a seed, before anything changes: a user or organization id neither existing nor given twice (seeding
 * never replaces), and members that are users (existing, or seeded by id in this seed).
 *
 * @internal
 */
export const checkIds = (store: Store, seed: Seed): Effect.Effect<void, string> =>
  Effect.suspend(() => {
    const state = store.state()
    const users = new Set<string>()
    for (const [index, u] of (seed.users ?? []).entries()) {
      if (u.id === undefined) continue
      if (state.users.has(u.id) || users.has(u.id)) {
        return Effect.fail(`users[${index}].id: ${u.id} ${users.has(u.id) ? "is given twice" : "already exists"}`)
      }
      users.add(u.id)
    }
    const orgs = new Set<string>()
    for (const [index, o] of (seed.organizations ?? []).entries()) {
      if (o.id !== undefined) {
        if (state.organizations.has(o.id) || orgs.has(o.id)) {
          return Effect.fail(
            `organizations[${index}].id: ${o.id} ${orgs.has(o.id) ? "is given twice" : "already exists"}`
          )
        }
        orgs.add(o.id)
      }
      for (const [m, member] of (o.members ?? []).entries()) {
        if (!state.users.has(member.userId) && !users.has(member.userId)) {
          return Effect.fail(`organizations[${index}].members[${m}].userId: no user ${member.userId}`)
        }
      }
    }
    return Effect.void
  })

/**
 * Applies a seed through the store, user by user: a bad user stops the seed there (the users before it stay).
 * Before any change, the seed is decoded strictly (`decodeSeed`, unless `decodeSeedJson` just did) and its ids
 * checked (`checkIds`). Fails with the
 * problem's message.
 *
 * @internal
 */
export const applySeed = (store: Store, input: Seed, at: number, options?: SeedOptions) =>
  Effect.gen(function*() {
    const seed = predecoded.delete(input) ? input : yield* decodeSeed(input)
    yield* checkIds(store, seed)
    const users: Array<Models.User> = []
    for (const [index, s] of (seed.users ?? []).entries()) {
      yield* checkUnique(store, s, index)
      const user = yield* seedUser(store, s, at).pipe(Effect.mapError((message) => `users[${index}]: ${message}`))
      store.createUser(user, at, { emit: options?.emit === true })
      users.push(presentUser(store.state(), user, at))
    }
    const organizationIds = (seed.organizations ?? []).map((o) => seedOrganization(store, o, at))
    return { users, organizationIds }
  })
