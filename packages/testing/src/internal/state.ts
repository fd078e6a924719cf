import type { Models } from "@effect-clerk/users"

/** @internal */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** @internal */
export type MetadataObject = { readonly [key: string]: unknown }

/** @internal */
export interface StoredIdentifier {
  readonly id: string
  readonly value: string
  readonly reserved: boolean
  readonly createdAt: number
  updatedAt: number
}

/** @internal */
export interface StoredOAuthToken {
  readonly token: string
  readonly scopes: ReadonlyArray<string>
  readonly expiresAt: number | null
  readonly label: string | null
}

/** @internal */
export interface StoredExternalAccount {
  readonly id: string
  readonly identificationId: string
  readonly provider: string
  readonly providerUserId: string
  readonly emailAddress: string
  readonly firstName: string
  readonly lastName: string
  readonly username: string | null
  readonly approvedScopes: string
  readonly tokens: ReadonlyArray<StoredOAuthToken>
  readonly createdAt: number
}

/** @internal */
export interface StoredPasskey {
  readonly id: string
  readonly name: string
  readonly lastUsedAt: number
}

/** @internal */
export interface StoredTrustedDevice {
  readonly id: string
  readonly platform: "ios" | "android"
  readonly appIdentifier: string
  readonly name: string | null
  status: "active" | "revoked"
  readonly createdAt: number
  updatedAt: number
  readonly lastUsedAt: number | null
  revokedAt: number | null
}

/** @internal */
export interface LedgerEntry {
  readonly id: string
  readonly amount: number
  readonly action: "increase" | "decrease"
  readonly currency: string
  readonly note: string | null
  readonly idempotencyKey: string
  readonly createdAt: number
}

/** @internal */
export interface StoredUser {
  readonly id: string
  readonly seq: number
  createdAt: number
  updatedAt: number
  externalId: string | null
  username: string | null
  firstName: string | null
  lastName: string | null
  locale: string | null
  emails: Array<StoredIdentifier>
  phones: Array<StoredIdentifier>
  web3Wallets: Array<StoredIdentifier>
  passkeys: Array<StoredPasskey>
  externalAccounts: Array<StoredExternalAccount>
  primaryEmailAddressId: string | null
  primaryPhoneNumberId: string | null
  primaryWeb3WalletId: string | null
  password: { readonly digest: string; readonly hasher: string } | null
  passwordLastUpdatedAt: number | null
  passwordCompromised: boolean
  totpSecret: string | null
  backupCodes: Array<string>
  mfaEnabledAt: number | null
  mfaDisabledAt: number | null
  publicMetadata: MetadataObject
  privateMetadata: MetadataObject
  unsafeMetadata: MetadataObject
  banned: boolean
  lockedAt: number | null
  lastSignInAt: number | null
  lastActiveAt: number | null
  legalAcceptedAt: number | null
  deleteSelfEnabled: boolean
  createOrganizationEnabled: boolean
  createOrganizationsLimit: number | null
  bypassClientTrust: boolean
  imageUrl: string | null
  trustedDevices: Array<StoredTrustedDevice>
  subscription: Models.CommerceSubscription | null
  credits: { balance: number; currency: string; readonly ledger: Array<LedgerEntry> }
}

/** @internal */
export interface StoredOrganization {
  readonly id: string
  readonly seq: number
  readonly name: string
  readonly slug: string
  readonly createdAt: number
  readonly maxAllowedMemberships: number
  readonly publicMetadata: MetadataObject
  readonly privateMetadata: MetadataObject
}

/** @internal */
export interface StoredMembership {
  readonly id: string
  readonly seq: number
  readonly organizationId: string
  readonly userId: string
  readonly role: string
  readonly createdAt: number
  readonly updatedAt: number
}

/** @internal */
export interface StoredInvitation {
  readonly id: string
  readonly seq: number
  readonly organizationId: string
  readonly emailAddress: string
  readonly role: string
  readonly status: "pending" | "accepted" | "revoked" | "expired"
  readonly inviterUserId: string | null
  readonly createdAt: number
  readonly expiresAt: number | null
}

/**
 * The instance's switches: the features whose absence Clerk answers with 402/403.
 *
 * @internal
 */
export interface InstanceFeatures {
  /** Banning needs a paid plan; off → 402. */
  readonly banning: boolean
  /** User lockout; off → 403 on lock/unlock. */
  readonly lockout: boolean
  /** Lockout duration; null = a lock never expires. */
  readonly lockoutSeconds: number | null
  /** Organizations; off → 403 on membership and invitation reads. */
  readonly organizations: boolean
  /** Billing; off → 403 on billing reads and writes. */
  readonly billing: boolean
  /** Passkeys, web3 wallets, external accounts, trusted devices: off → 403 on their deletion. */
  readonly passkeys: boolean
  /** Creating users; off (e.g. a user cap reached on a free plan) → 402 on create. */
  readonly userCreation: boolean
}

/** @internal */
export const defaultFeatures: InstanceFeatures = {
  banning: true,
  lockout: true,
  lockoutSeconds: 3600,
  organizations: true,
  billing: true,
  passkeys: true,
  userCreation: true
}

/** @internal */
export interface State {
  seq: number
  readonly users: Map<string, StoredUser>
  readonly organizations: Map<string, StoredOrganization>
  readonly memberships: Array<StoredMembership>
  readonly invitations: Array<StoredInvitation>
  features: InstanceFeatures
}

/**
 * A read-only view, all the way down: what the store hands out, so nothing outside its writers can change state.
 *
 * @internal
 */
export type DeepReadonly<T> = T extends string | number | boolean | bigint | symbol | null | undefined ? T
  : T extends (...args: ReadonlyArray<never>) => unknown ? T
  : T extends ReadonlyArray<infer E> ? ReadonlyArray<DeepReadonly<E>>
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
  : T

/** @internal */
export type UserView = DeepReadonly<StoredUser>

/**
 * The state as handlers and presenters see it: readable, not writable (the store is the only writer).
 *
 * @internal
 */
export interface StateView {
  readonly seq: number
  readonly users: ReadonlyMap<string, UserView>
  readonly organizations: ReadonlyMap<string, StoredOrganization>
  readonly memberships: ReadonlyArray<StoredMembership>
  readonly invitations: ReadonlyArray<StoredInvitation>
  readonly features: InstanceFeatures
}

/** @internal */
export const emptyState = (): State => ({
  seq: 0,
  users: new Map(),
  organizations: new Map(),
  memberships: [],
  invitations: [],
  features: defaultFeatures
})

/**
 * The whole state as plain JSON (what snapshots hold; also what the HTTP server's /snapshot returns).
 *
 * @internal
 */
export interface SnapshotState {
  readonly seq: number
  readonly users: ReadonlyArray<StoredUser>
  readonly organizations: ReadonlyArray<StoredOrganization>
  readonly memberships: ReadonlyArray<StoredMembership>
  readonly invitations: ReadonlyArray<StoredInvitation>
  readonly features: InstanceFeatures
}

/**
 * A new user with Clerk's defaults, for both `POST /users` and seeding: the caller gives what it knows, everything
 * else starts empty, enabled or null as a fresh Clerk user does.
 *
 * @internal
 */
export const newStoredUser = (
  fields: Pick<StoredUser, "id" | "seq" | "createdAt" | "updatedAt"> & Partial<StoredUser>
): StoredUser => {
  const emails = fields.emails ?? []
  const phones = fields.phones ?? []
  const web3Wallets = fields.web3Wallets ?? []
  return {
    externalId: null,
    username: null,
    firstName: null,
    lastName: null,
    locale: null,
    passkeys: [],
    externalAccounts: [],
    primaryEmailAddressId: emails[0]?.id ?? null,
    primaryPhoneNumberId: phones[0]?.id ?? null,
    primaryWeb3WalletId: web3Wallets[0]?.id ?? null,
    password: null,
    passwordLastUpdatedAt: null,
    passwordCompromised: false,
    totpSecret: null,
    backupCodes: [],
    mfaEnabledAt: null,
    mfaDisabledAt: null,
    publicMetadata: {},
    privateMetadata: {},
    unsafeMetadata: {},
    banned: false,
    lockedAt: null,
    lastSignInAt: null,
    lastActiveAt: null,
    legalAcceptedAt: null,
    deleteSelfEnabled: true,
    createOrganizationEnabled: true,
    createOrganizationsLimit: null,
    bypassClientTrust: false,
    imageUrl: null,
    trustedDevices: [],
    subscription: null,
    credits: { balance: 0, currency: "USD", ledger: [] },
    ...fields,
    emails,
    phones,
    web3Wallets
  }
}
