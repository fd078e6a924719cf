import type { Endpoint } from "@effect-clerk/core"
import type { Models } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import { hashBackupCode, hashPassword, isValidTotpSecret, makeId } from "../crypto.js"
import {
  type ApiFailure,
  failWith,
  identifierExists,
  integerRange,
  notFound,
  paramInvalid,
  paramMissing
} from "../failure.js"
import { exceedsJsonSize } from "../metadata.js"
import { checkDigest } from "../passwords.js"
import { presentUser } from "../present.js"
import type { InstanceFeatures, StoredIdentifier, StoredUser, UserView } from "../state.js"
import type { Store } from "../store.js"

/**
 * What a handler gets: decoded path ids, query and body (domain types, from the endpoint's own schemas), the
 * multipart form if any, and the time of the request (Effect's Clock).
 *
 * @internal
 */
export interface HandlerInput<Q, B> {
  readonly path: ReadonlyArray<string>
  readonly query: Q
  readonly body: B
  readonly formData: FormData | undefined
  readonly now: number
}

/** @internal */
export interface Route {
  readonly endpoint: Endpoint.Any
  readonly handle: (input: HandlerInput<unknown, unknown>) => Effect.Effect<unknown, ApiFailure>
}

/** @internal */
export const route = <
  Q extends Endpoint.AnySchema,
  B extends Endpoint.AnySchema,
  S extends Endpoint.AnySchema,
  E extends Endpoint.Any
>(
  endpoint: E & Endpoint.Endpoint<Q, B, S, E["errors"]>,
  handle: (
    input: HandlerInput<Schema.Schema.Type<Q>, Schema.Schema.Type<B>>
  ) => Effect.Effect<Schema.Schema.Type<S>, ApiFailure>
): Route => ({
  endpoint,
  // The router decodes query and body with this endpoint's own schemas before calling, so the values have these types.
  handle: (input) => handle(input as HandlerInput<Schema.Schema.Type<Q>, Schema.Schema.Type<B>>)
})

/** What every handler module is built from: the store (the only way to read and change state). @internal */
export interface Context {
  readonly store: Store
}

/** What handlers read off the request to find the user and the time. @internal */
export interface UserInput {
  readonly path: ReadonlyArray<string>
  readonly now: number
}

/** The i-th path id. @internal */
export const id0 = (input: { readonly path: ReadonlyArray<string> }, i = 0) => input.path[i] ?? ""

/** @internal */
export const deleted = (object: string, id: string): Models.DeletedObject => ({ object, id, deleted: true })

/** @internal */
export const findUser = (ctx: Context, id: string): Effect.Effect<UserView, ApiFailure> =>
  Effect.suspend(() => {
    const user = ctx.store.user(id)
    return user === undefined ? notFound("user", id) : Effect.succeed(user)
  })

/** The user named by the first path id, or a 404. @internal */
export const user = (ctx: Context, input: { readonly path: ReadonlyArray<string> }) => findUser(ctx, id0(input))

/** @internal */
export const present = (ctx: Context, u: UserView, now: number) => presentUser(ctx.store.state(), u, now)

/**
 * Changes the user named by the path through the store (which bumps `updatedAt` and records the event) and answers
 * the user as GET returns it. `check` runs first on the read-only view and may refuse; `change` cannot fail.
 *
 * @internal
 */
export const mutate = (
  ctx: Context,
  input: UserInput,
  change: (u: StoredUser) => void,
  check?: (u: UserView) => Effect.Effect<void, ApiFailure>
) =>
  Effect.gen(function*() {
    const found = yield* user(ctx, input)
    if (check !== undefined) yield* check(found)
    const changed = ctx.store.updateUser(found.id, input.now, change)
    if (changed === undefined) return yield* notFound("user", found.id)
    return present(ctx, changed, input.now)
  })

/** What Clerk answers when an instance lacks a feature: a paid plan (402) or a setting (403). */
const featureRefusals: Record<
  "banning" | "lockout" | "organizations" | "billing" | "passkeys" | "userCreation",
  readonly [status: 402 | 403, code: string, message: string]
> = {
  banning: [402, "feature_requires_payment", "Banning users requires a paid plan."],
  lockout: [403, "user_lockout_not_enabled", "User lockout is not enabled."],
  organizations: [403, "organizations_not_enabled", "Organizations are not enabled."],
  billing: [403, "billing_not_enabled", "Billing is not enabled."],
  passkeys: [403, "passkeys_not_enabled", "Passkeys are not enabled."],
  userCreation: [402, "user_quota_exceeded", "You have reached your user limit."]
}

/**
 * Fails with the feature's refusal when the instance has it switched off; `refusal` overrides code and message.
 *
 * @internal
 */
export const requireFeature = (
  ctx: Context,
  feature: keyof typeof featureRefusals & keyof InstanceFeatures,
  refusal?: { readonly code: string; readonly message: string }
) =>
  Effect.suspend(() => {
    if (ctx.store.features()[feature]) return Effect.void
    const [status, code, message] = featureRefusals[feature]
    return failWith(status, refusal?.code ?? code, refusal?.message ?? message)
  })

/** @internal */
export const page = (limit: number | null | undefined, offset: number | null | undefined) =>
  Effect.gen(function*() {
    const l = limit ?? 10
    const o = offset ?? 0
    if (!Number.isInteger(l) || l < 1 || l > 500) {
      return yield* failWith(
        400,
        "form_param_value_invalid",
        "limit is invalid",
        "limit must be an integer between 1 and 500.",
        { param_name: "limit" }
      )
    }
    if (!Number.isInteger(o) || o < 0) {
      return yield* failWith(
        400,
        "form_param_value_invalid",
        "offset is invalid",
        "offset must be a non-negative integer.",
        { param_name: "offset" }
      )
    }
    return { limit: l, offset: o }
  })

const MAX_METADATA_BYTES = 8192

/** @internal */
export const checkMetadataSize = (name: string, value: unknown) =>
  exceedsJsonSize(value ?? {}, MAX_METADATA_BYTES)
    ? failWith(
      422,
      "form_param_exceeds_allowed_size",
      `${name} exceeds the maximum allowed size`,
      `The ${name} parameter can't exceed ${MAX_METADATA_BYTES} bytes.`,
      { param_name: name }
    )
    : Effect.void

/**
 * `create_organizations_limit`: "the maximum number of organizations the user can create. 0 means unlimited"
 * (the spec): a count, so a negative one is refused as Clerk refuses a value out of a parameter's range (the spec
 * types it `integer` without a minimum; what a snapshot holds is a count, 0 and up).
 *
 * @internal
 */
export const checkOrganizationsLimit = (limit: number | null | undefined) =>
  limit !== undefined && limit !== null && limit < 0
    ? failWith(
      422,
      "form_param_value_invalid",
      "create_organizations_limit is invalid",
      integerRange("create_organizations_limit", String(limit)),
      { param_name: "create_organizations_limit" }
    )
    : Effect.void

const pwned = new Set([
  "password",
  "password1",
  "password123",
  "12345678",
  "123456789",
  "qwerty123",
  "11111111",
  "iloveyou"
])

const checkPassword = (password: string, skipChecks: boolean) =>
  Effect.gen(function*() {
    if (password.length < 8) {
      return yield* failWith(
        422,
        "form_password_length_too_short",
        "Passwords must be 8 characters or more.",
        "Passwords must be 8 characters or more.",
        { param_name: "password" }
      )
    }
    if (!skipChecks && pwned.has(password.toLowerCase())) {
      return yield* failWith(
        422,
        "form_password_pwned",
        "Password has been found in an online data breach.",
        "Password has been found in an online data breach. For account safety, please use a different password.",
        { param_name: "password" }
      )
    }
  })

/** The stored password a create or update body asks for (checked), or `undefined` when it sets none. @internal */
export const passwordFrom = (
  body: {
    readonly password?: string | null | undefined
    readonly passwordDigest?: string | null | undefined
    readonly passwordHasher?: string | null | undefined
    readonly skipPasswordChecks?: boolean | null | undefined
  }
) =>
  Effect.gen(function*() {
    if (body.passwordDigest !== undefined && body.passwordDigest !== null) {
      if (body.passwordHasher === undefined || body.passwordHasher === null) {
        return yield* paramMissing("password_hasher")
      }
      const refused = checkDigest(body.passwordHasher, body.passwordDigest)
      if (refused?.param === "password_hasher") return yield* paramInvalid("password_hasher", refused.message)
      if (refused !== undefined) {
        return yield* failWith(422, "form_password_digest_invalid_code", "invalid password digest", refused.message, {
          param_name: "password_digest"
        })
      }
      return { digest: body.passwordDigest, hasher: body.passwordHasher }
    }
    if (body.password !== undefined && body.password !== null) {
      yield* checkPassword(body.password, body.skipPasswordChecks === true)
      return { digest: hashPassword(body.password), hasher: "scrypt" }
    }
    return undefined
  })

/** @internal */
export const validateUsername = (ctx: Context, username: string, except?: string) =>
  Effect.gen(function*() {
    if (username.length < 4 || username.length > 64) {
      return yield* failWith(
        422,
        "form_username_invalid_length",
        "Usernames must be between 4 and 64 characters long.",
        "Usernames must be between 4 and 64 characters long.",
        { param_name: "username" }
      )
    }
    if (!/^[a-zA-Z0-9_-]+$/.test(username)) {
      return yield* failWith(
        422,
        "form_username_invalid_character",
        "Usernames can only contain letters, numbers, '_' or '-'.",
        "Usernames can only contain letters, numbers, '_' or '-'.",
        { param_name: "username" }
      )
    }
    if (ctx.store.isTaken("username", username, except)) return yield* identifierExists("username", "username")
  })

/** @internal */
export const validateExternalId = (ctx: Context, externalId: string, except?: string) =>
  ctx.store.isTaken("externalId", externalId, except)
    ? identifierExists("external_id", "external ID")
    : Effect.void

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/

/**
 * The milliseconds of an RFC 3339 date-time, or `NaN`: every field in range (`Date.parse` would roll 2024-02-30
 * over to March 1st, and take forms RFC 3339 does not have).
 */
const parseRfc3339 = (text: string): number => {
  const m = rfc3339.exec(text)
  if (m === null) return Number.NaN
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  const inRange = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 &&
    second <= 59 && (m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59))
  return inRange ? Date.parse(text.toUpperCase()) : Number.NaN
}

/** @internal */
export const parseDate = (param: string, value: string | Date | null | undefined) =>
  Effect.gen(function*() {
    if (value === undefined || value === null) return undefined
    const millis = typeof value === "string" ? parseRfc3339(value) : value.getTime()
    if (Number.isNaN(millis)) return yield* paramInvalid(param, `${param} must be an RFC 3339 date-time.`)
    return millis
  })

/** A TOTP secret from a body, checked (base32) and normalized; `undefined` when the body sets none. @internal */
export const totpSecretFrom = (secret: string | null | undefined) =>
  secret === undefined || secret === null
    ? Effect.succeed(undefined)
    : isValidTotpSecret(secret)
    ? Effect.succeed(secret.toUpperCase())
    : paramInvalid("totp_secret", "totp_secret must be a base32 secret.")

/** Sets a (checked) TOTP secret: MFA becomes enabled. @internal */
export const setTotp = (u: StoredUser, secret: string | undefined, now: number) => {
  if (secret === undefined) return
  u.totpSecret = secret
  u.mfaEnabledAt ??= now
  u.mfaDisabledAt = null
}

/** @internal */
export const setBackupCodes = (u: StoredUser, codes: ReadonlyArray<string> | undefined, now: number) => {
  if (codes === undefined) return
  u.backupCodes = codes.map(hashBackupCode)
  if (codes.length > 0) {
    u.mfaEnabledAt ??= now
    u.mfaDisabledAt = null
  }
}

const identifierKind = { emails: "email", phones: "phone", web3Wallets: "web3Wallet" } as const

/**
 * New identifiers of one kind for a create: formats checked, none taken by another user nor given twice.
 *
 * @internal
 */
export const newIdentifiers = (
  ctx: Context,
  kind: "emails" | "phones" | "web3Wallets",
  param: string,
  what: string,
  values: ReadonlyArray<string>,
  statuses: ReadonlyArray<"verified" | "reserved"> | undefined,
  now: number
) =>
  Effect.gen(function*() {
    if (statuses !== undefined && statuses.length > 0 && statuses.length !== values.length) {
      return yield* paramInvalid(
        `${param}_identification_status`,
        `${param}_identification_status must have one item per ${param}.`
      )
    }
    const seen = new Set<string>()
    const out: Array<StoredIdentifier> = []
    for (const [i, value] of values.entries()) {
      const key = value.toLowerCase()
      if (kind === "emails" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
        return yield* paramInvalid(param, `${value} is not a valid email address.`)
      }
      if (kind === "phones" && !/^\+[1-9]\d{6,14}$/.test(value)) {
        return yield* paramInvalid(param, `${value} is not a valid phone number in E.164 format.`)
      }
      if (ctx.store.isTaken(identifierKind[kind], key) || seen.has(key)) return yield* identifierExists(param, what)
      seen.add(key)
      out.push({ id: makeId("idn"), value, reserved: statuses?.[i] === "reserved", createdAt: now, updatedAt: now })
    }
    return out
  })
