import { Models } from "@effect-clerk/users"
import * as Schema from "effect/Schema"
import { isValidTotpSecret } from "./crypto.js"
import { exceedsJsonSize, notJsonAt } from "./metadata.js"
import { checkDigest } from "./passwords.js"
import type { SnapshotState } from "./state.js"

/**
 * The whole snapshot `GET /__emulator/snapshot` gives, as a Schema: `POST /__emulator/restore` decodes a body with it
 * and refuses anything else with 400 before the state changes, so a restored state is one the handlers can serve.
 * Beyond shape: times are whole milliseconds a `Date` can hold, metadata fits Clerk's 8 KB, ids are unique.
 * The type-level checks at the bottom keep this schema and the state's types the same.
 *
 * @internal
 */
// every time a Date can hold: the API takes any RFC 3339 date-time (`created_at: "0001-01-01T00:00:00Z"` too)
const Millis = Schema.Int.pipe(Schema.between(-8.64e15, 8.64e15))
const NullableMillis = Schema.NullOr(Millis)
const Count = Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER))
const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown }).pipe(
  // JSON that reads back as given (NaN, Infinity, a bigint, a Date... would be answered changed or not at all)
  Schema.filter((m) => {
    const out = notJsonAt(m)
    return out === undefined || `metadata must be JSON: ${out.path} is ${out.what}`
  }),
  Schema.filter((m) => !exceedsJsonSize(m, 8192) || "metadata larger than 8 KB")
)
const mutableArray = <S extends Schema.Schema.Any>(item: S) => Schema.mutable(Schema.Array(item))

const quote = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)

// what the API's own writers refuse: a secret otpauth cannot decode, a digest no hasher verifies
const TotpSecret = Schema.String.pipe(
  Schema.filter((s) => isValidTotpSecret(s) || `${quote(s)} is not a base32 TOTP secret`)
)
const Password = Schema.Struct({ digest: Schema.String, hasher: Schema.String }).pipe(
  Schema.filter((p) => {
    if (p.hasher === "scrypt") {
      return /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(p.digest) || "not a scrypt digest"
    }
    const problem = checkDigest(p.hasher, p.digest)
    return problem === undefined ||
      { path: [problem.param === "password_hasher" ? "hasher" : "digest"], message: problem.message }
  })
)

const Identifier = Schema.Struct({
  id: Schema.String,
  value: Schema.String,
  reserved: Schema.Boolean,
  createdAt: Millis,
  updatedAt: Millis
})

const ExternalAccount = Schema.Struct({
  id: Schema.String,
  identificationId: Schema.String,
  provider: Schema.String,
  providerUserId: Schema.String,
  emailAddress: Schema.String,
  firstName: Schema.String,
  lastName: Schema.String,
  username: Schema.NullOr(Schema.String),
  approvedScopes: Schema.String,
  tokens: Schema.Array(Schema.Struct({
    token: Schema.String,
    scopes: Schema.Array(Schema.String),
    expiresAt: NullableMillis,
    label: Schema.NullOr(Schema.String)
  })),
  createdAt: Millis
})

const TrustedDevice = Schema.Struct({
  id: Schema.String,
  platform: Schema.Literal("ios", "android"),
  appIdentifier: Schema.String,
  name: Schema.NullOr(Schema.String),
  status: Schema.Literal("active", "revoked"),
  createdAt: Millis,
  updatedAt: Millis,
  lastUsedAt: NullableMillis,
  revokedAt: NullableMillis
})

const LedgerEntry = Schema.Struct({
  id: Schema.String,
  amount: Schema.Int,
  action: Schema.Literal("increase", "decrease"),
  currency: Schema.String,
  note: Schema.NullOr(Schema.String),
  idempotencyKey: Schema.String,
  createdAt: Millis
})

const User = Schema.Struct({
  id: Schema.String,
  seq: Count,
  createdAt: Millis,
  updatedAt: Millis,
  externalId: Schema.NullOr(Schema.String),
  username: Schema.NullOr(Schema.String),
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  locale: Schema.NullOr(Schema.String),
  emails: mutableArray(Identifier),
  phones: mutableArray(Identifier),
  web3Wallets: mutableArray(Identifier),
  passkeys: mutableArray(Schema.Struct({ id: Schema.String, name: Schema.String, lastUsedAt: Millis })),
  externalAccounts: mutableArray(ExternalAccount),
  primaryEmailAddressId: Schema.NullOr(Schema.String),
  primaryPhoneNumberId: Schema.NullOr(Schema.String),
  primaryWeb3WalletId: Schema.NullOr(Schema.String),
  password: Schema.NullOr(Password),
  passwordLastUpdatedAt: NullableMillis,
  passwordCompromised: Schema.Boolean,
  totpSecret: Schema.NullOr(TotpSecret),
  backupCodes: mutableArray(Schema.String),
  mfaEnabledAt: NullableMillis,
  mfaDisabledAt: NullableMillis,
  publicMetadata: Metadata,
  privateMetadata: Metadata,
  unsafeMetadata: Metadata,
  banned: Schema.Boolean,
  lockedAt: NullableMillis,
  lastSignInAt: NullableMillis,
  lastActiveAt: NullableMillis,
  legalAcceptedAt: NullableMillis,
  deleteSelfEnabled: Schema.Boolean,
  createOrganizationEnabled: Schema.Boolean,
  createOrganizationsLimit: Schema.NullOr(Count),
  bypassClientTrust: Schema.Boolean,
  imageUrl: Schema.NullOr(Schema.String),
  trustedDevices: mutableArray(TrustedDevice),
  subscription: Schema.NullOr(Schema.typeSchema(Models.CommerceSubscription)),
  credits: Schema.Struct({ balance: Schema.Int, currency: Schema.String, ledger: mutableArray(LedgerEntry) })
})

const Organization = Schema.Struct({
  id: Schema.String,
  seq: Count,
  name: Schema.String,
  slug: Schema.String,
  createdAt: Millis,
  maxAllowedMemberships: Count,
  publicMetadata: Metadata,
  privateMetadata: Metadata
})

const Membership = Schema.Struct({
  id: Schema.String,
  seq: Count,
  organizationId: Schema.String,
  userId: Schema.String,
  role: Schema.String,
  createdAt: Millis,
  updatedAt: Millis
})

const Invitation = Schema.Struct({
  id: Schema.String,
  seq: Count,
  organizationId: Schema.String,
  emailAddress: Schema.String,
  role: Schema.String,
  status: Schema.Literal("pending", "accepted", "revoked", "expired"),
  inviterUserId: Schema.NullOr(Schema.String),
  createdAt: Millis,
  expiresAt: NullableMillis
})

/** The instance's features, as a snapshot holds them and `setFeatures` / `make`'s `features` take them. @internal */
export const Features = Schema.Struct({
  banning: Schema.Boolean,
  lockout: Schema.Boolean,
  lockoutSeconds: Schema.NullOr(Schema.Int.pipe(Schema.between(1, 10 * 365 * 24 * 3600))),
  organizations: Schema.Boolean,
  billing: Schema.Boolean,
  passkeys: Schema.Boolean,
  userCreation: Schema.Boolean
})

const unique = (ids: ReadonlyArray<{ readonly id: string }>) => new Set(ids.map((x) => x.id)).size === ids.length

type State = Schema.Schema.Type<typeof StateShape>

/** The API's uniqueness of identifiers across users (emails, phones, wallets, usernames case-insensitively). */
const identifiersUnique = (s: State): Schema.FilterOutput => {
  const seen = new Set<string>()
  for (const [i, u] of s.users.entries()) {
    const keys: Array<readonly [string, string]> = [
      ...u.emails.map((e) => ["emails", `email:${e.value.toLowerCase()}`] as const),
      ...u.phones.map((p) => ["phones", `phone:${p.value.toLowerCase()}`] as const),
      ...u.web3Wallets.map((w) => ["web3Wallets", `web3:${w.value.toLowerCase()}`] as const),
      ...(u.username === null ? [] : [["username", `username:${u.username.toLowerCase()}`] as const]),
      ...(u.externalId === null ? [] : [["externalId", `externalId:${u.externalId}`] as const])
    ]
    for (const [field, key] of keys) {
      if (seen.has(key)) {
        return { path: ["users", i, field], message: `${key} is held by another user (identifiers are unique)` }
      }
      seen.add(key)
    }
  }
  return undefined
}

/** Memberships and invitations name organizations (and users) that exist; primary ids name the user's own. */
const referencesExist = (s: State): Schema.FilterOutput => {
  const users = new Set(s.users.map((u) => u.id))
  const orgs = new Set(s.organizations.map((o) => o.id))
  for (const [i, u] of s.users.entries()) {
    for (
      const [field, list] of [["primaryEmailAddressId", u.emails], ["primaryPhoneNumberId", u.phones], [
        "primaryWeb3WalletId",
        u.web3Wallets
      ]] as const
    ) {
      const id = u[field]
      if (id !== null && !list.some((x) => x.id === id)) {
        return { path: ["users", i, field], message: `${id} is not one of this user's identifiers` }
      }
    }
  }
  for (const [i, m] of s.memberships.entries()) {
    if (!orgs.has(m.organizationId)) {
      return { path: ["memberships", i, "organizationId"], message: `no organization ${m.organizationId}` }
    }
    if (!users.has(m.userId)) return { path: ["memberships", i, "userId"], message: `no user ${m.userId}` }
  }
  for (const [i, inv] of s.invitations.entries()) {
    if (!orgs.has(inv.organizationId)) {
      return { path: ["invitations", i, "organizationId"], message: `no organization ${inv.organizationId}` }
    }
  }
  return undefined
}

const StateShape = Schema.Struct({
  seq: Count,
  users: Schema.Array(User),
  organizations: Schema.Array(Organization),
  memberships: Schema.Array(Membership),
  invitations: Schema.Array(Invitation),
  features: Features
})

/** @internal */
export const SnapshotStateSchema = StateShape.pipe(
  Schema.filter((s) =>
    (unique(s.users) && unique(s.organizations) && unique(s.memberships) && unique(s.invitations)) ||
    "ids must be unique"
  ),
  Schema.filter(identifiersUnique),
  Schema.filter(referencesExist)
)

/** @internal */
export const SnapshotSchema = Schema.Struct({ version: Schema.Literal(1), state: SnapshotStateSchema })

// the schema and the state's types stay the same: each is assignable to the other
type Decoded = Schema.Schema.Type<typeof SnapshotStateSchema>
const _toState = (s: Decoded): SnapshotState => s
const _fromState = (s: SnapshotState): Decoded => s
export type _Checks = [typeof _toState, typeof _fromState]
