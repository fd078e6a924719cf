import type { Endpoint } from "@effect-clerk/core"
import { type Models, type Params, UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import { hashBackupCode, hashPassword, isValidTotpSecret, makeId, verifyPassword, verifyTotpCode } from "./crypto.js"
import { ApiFailure, failWith, identifierExists, notFound, paramInvalid, paramMissing } from "./failure.js"
import { deepMerge, exceedsJsonSize, sanitizeMetadata } from "./metadata.js"
import { checkDigest } from "./passwords.js"
import { isLocked, money, presentInvitation, presentMembership, presentTrustedDevice, presentUser } from "./present.js"
import { type MetadataObject, newStoredUser, type State, type StoredIdentifier, type StoredUser } from "./state.js"

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

const MAX_METADATA_BYTES = 8192

/** @internal */
export interface Context {
  readonly state: () => State
}

const id0 = (input: { readonly path: ReadonlyArray<string> }, i = 0) => input.path[i] ?? ""

/** @internal */
export const makeRoutes = (ctx: Context): ReadonlyArray<Route> => {
  const nextSeq = () => ++ctx.state().seq

  const findUser = (id: string) =>
    Effect.suspend(() => {
      const user = ctx.state().users.get(id)
      return user === undefined ? notFound("user", id) : Effect.succeed(user)
    })

  const present = (user: StoredUser, now: number) => presentUser(ctx.state(), user, now)

  const allIdentifiers = (kind: "emails" | "phones" | "web3Wallets", except?: string) => {
    const out = new Map<string, string>()
    for (const user of ctx.state().users.values()) {
      if (user.id === except) continue
      for (const identifier of user[kind]) out.set(identifier.value.toLowerCase(), user.id)
    }
    return out
  }

  const checkMetadataSize = (name: string, value: unknown) =>
    exceedsJsonSize(value ?? {}, MAX_METADATA_BYTES)
      ? failWith(
        422,
        "form_param_exceeds_allowed_size",
        `${name} exceeds the maximum allowed size`,
        `The ${name} parameter can't exceed ${MAX_METADATA_BYTES} bytes.`,
        { param_name: name }
      )
      : Effect.void

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

  const passwordFrom = (
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

  const validateUsername = (username: string, except?: string) =>
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
      for (const user of ctx.state().users.values()) {
        if (user.id !== except && user.username?.toLowerCase() === username.toLowerCase()) {
          return yield* identifierExists("username", "username")
        }
      }
    })

  const validateExternalId = (externalId: string, except?: string) =>
    Effect.gen(function*() {
      for (const user of ctx.state().users.values()) {
        if (user.id !== except && user.externalId === externalId) {
          return yield* identifierExists("external_id", "external ID")
        }
      }
    })

  const parseDate = (param: string, value: string | Date | null | undefined) =>
    Effect.gen(function*() {
      if (value === undefined || value === null) return undefined
      const millis = typeof value === "string" ? Date.parse(value) : value.getTime()
      if (Number.isNaN(millis)) return yield* paramInvalid(param, `${param} must be an RFC 3339 date-time.`)
      return millis
    })

  const setTotp = (user: StoredUser, secret: string | null | undefined, now: number) =>
    Effect.gen(function*() {
      if (secret === undefined || secret === null) return
      if (!isValidTotpSecret(secret)) return yield* paramInvalid("totp_secret", "totp_secret must be a base32 secret.")
      user.totpSecret = secret.toUpperCase()
      user.mfaEnabledAt ??= now
      user.mfaDisabledAt = null
    })

  const setBackupCodes = (user: StoredUser, codes: ReadonlyArray<string> | undefined, now: number) => {
    if (codes === undefined) return
    user.backupCodes = codes.map(hashBackupCode)
    if (codes.length > 0) {
      user.mfaEnabledAt ??= now
      user.mfaDisabledAt = null
    }
  }

  const replaceIdentifiers = (
    kind: "emails" | "phones" | "web3Wallets",
    prefix: string,
    param: string,
    what: string,
    values: ReadonlyArray<string>,
    statuses: ReadonlyArray<"verified" | "reserved"> | undefined,
    except: string | undefined,
    now: number
  ) =>
    Effect.gen(function*() {
      if (statuses !== undefined && statuses.length > 0 && statuses.length !== values.length) {
        return yield* paramInvalid(
          `${param}_identification_status`,
          `${param}_identification_status must have one item per ${param}.`
        )
      }
      const taken = allIdentifiers(kind, except)
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
        if (taken.has(key) || seen.has(key)) return yield* identifierExists(param, what)
        seen.add(key)
        out.push({ id: makeId(prefix), value, reserved: statuses?.[i] === "reserved", createdAt: now, updatedAt: now })
      }
      return out
    })

  // ---- list filters -----------------------------------------------------------------------------------------

  type ListFilters = Omit<Params.ListQuery, "limit" | "offset" | "startingAfter" | "orderBy">

  const includeExclude = (values: ReadonlyArray<string> | null | undefined) => {
    const include = new Set<string>()
    const exclude = new Set<string>()
    for (const value of values ?? []) {
      if (value.startsWith("-")) exclude.add(value.slice(1))
      else include.add(value.startsWith("+") ? value.slice(1) : value)
    }
    return { include, exclude, active: include.size + exclude.size > 0 }
  }

  const matchesIncludeExclude = (
    rule: ReturnType<typeof includeExclude>,
    values: ReadonlyArray<string>
  ) => {
    if (!rule.active) return true
    if (values.some((v) => rule.exclude.has(v))) return false
    return rule.include.size === 0 || values.some((v) => rule.include.has(v))
  }

  const contains = (haystack: string | null | undefined, needle: string) =>
    haystack !== null && haystack !== undefined && haystack.toLowerCase().includes(needle.toLowerCase())

  const ms = (value: number | Date | null | undefined) =>
    value === undefined || value === null ? undefined : typeof value === "number" ? value : value.getTime()

  const filterUsers = (filters: ListFilters) => {
    const state = ctx.state()
    const lower = (xs: ReadonlyArray<string> | null | undefined) =>
      xs === undefined || xs === null ? undefined : new Set(xs.map((x) => x.toLowerCase()))
    const emails = lower(filters.emailAddress)
    const phones = lower(filters.phoneNumber)
    const usernames = lower(filters.username)
    const wallets = lower(filters.web3Wallet)
    const userIds = includeExclude(filters.userId)
    const externalIds = includeExclude(filters.externalId)
    const orgIds = includeExclude(filters.organizationId)
    const providerUserIds = filters.providerUserId === undefined || filters.providerUserId === null
      ? undefined
      : new Set(filters.providerUserId)
    const bounds: ReadonlyArray<readonly [number | undefined, (u: StoredUser) => number | null, "before" | "after"]> = [
      [ms(filters.lastActiveAtBefore), (u) => u.lastActiveAt, "before"],
      [ms(filters.lastActiveAtAfter), (u) => u.lastActiveAt, "after"],
      [ms(filters.lastActiveAtSince), (u) => u.lastActiveAt, "after"],
      [ms(filters.createdAtBefore), (u) => u.createdAt, "before"],
      [ms(filters.createdAtAfter), (u) => u.createdAt, "after"],
      [ms(filters.lastSignInAtBefore), (u) => u.lastSignInAt, "before"],
      [ms(filters.lastSignInAtAfter), (u) => u.lastSignInAt, "after"]
    ]
    const memberOf = (userId: string) =>
      state.memberships.filter((m) => m.userId === userId).map((m) => m.organizationId)
    return [...state.users.values()].filter((u) => {
      if (emails && !u.emails.some((e) => emails.has(e.value.toLowerCase()))) return false
      if (phones && !u.phones.some((p) => phones.has(p.value.toLowerCase()))) return false
      if (usernames && (u.username === null || !usernames.has(u.username.toLowerCase()))) return false
      if (wallets && !u.web3Wallets.some((w) => wallets.has(w.value.toLowerCase()))) return false
      if (!matchesIncludeExclude(userIds, [u.id])) return false
      if (!matchesIncludeExclude(externalIds, u.externalId === null ? [] : [u.externalId])) return false
      if (orgIds.active && !matchesIncludeExclude(orgIds, memberOf(u.id))) return false
      if (filters.banned !== undefined && filters.banned !== null && u.banned !== filters.banned) return false
      if (filters.provider !== undefined && filters.provider !== null) {
        const accounts = u.externalAccounts.filter((a) => a.provider === filters.provider)
        if (accounts.length === 0) return false
        if (providerUserIds && !accounts.some((a) => providerUserIds.has(a.providerUserId))) return false
      }
      if (filters.query) {
        const q = filters.query
        const hit = u.emails.some((e) => contains(e.value, q)) || u.phones.some((p) => contains(p.value, q)) ||
          contains(u.username, q) || u.web3Wallets.some((w) => contains(w.value, q)) || contains(u.id, q) ||
          contains(u.firstName, q) || contains(u.lastName, q)
        if (!hit) return false
      }
      if (filters.emailAddressQuery && !u.emails.some((e) => contains(e.value, filters.emailAddressQuery!))) {
        return false
      }
      if (filters.phoneNumberQuery && !u.phones.some((p) => contains(p.value, filters.phoneNumberQuery!))) return false
      if (filters.usernameQuery && !contains(u.username, filters.usernameQuery)) return false
      if (filters.nameQuery) {
        const full = `${u.firstName ?? ""} ${u.lastName ?? ""}`
        if (!contains(full, filters.nameQuery)) return false
      }
      for (const [bound, read, side] of bounds) {
        if (bound === undefined) continue
        const value = read(u)
        if (value === null) return false
        if (side === "before" ? !(value < bound) : !(value > bound)) return false
      }
      return true
    })
  }

  const orderKeys: Record<string, (u: StoredUser) => string | number | null> = {
    created_at: (u) => u.createdAt,
    updated_at: (u) => u.updatedAt,
    email_address: (u) => u.emails[0]?.value.toLowerCase() ?? null,
    web3wallet: (u) => u.web3Wallets[0]?.value.toLowerCase() ?? null,
    first_name: (u) => u.firstName?.toLowerCase() ?? null,
    last_name: (u) => u.lastName?.toLowerCase() ?? null,
    phone_number: (u) => u.phones[0]?.value ?? null,
    username: (u) => u.username?.toLowerCase() ?? null,
    last_active_at: (u) => u.lastActiveAt,
    last_sign_in_at: (u) => u.lastSignInAt
  }

  const parseOrder = (orderBy: string | null | undefined) =>
    Effect.gen(function*() {
      const raw = orderBy ?? "-created_at"
      const direction = raw.startsWith("-") ? -1 : 1
      const field = raw.replace(/^[+-]/, "")
      const key = orderKeys[field]
      if (key === undefined) {
        return yield* failWith(
          422,
          "form_param_value_invalid",
          "order_by is invalid",
          `order_by must be one of ${Object.keys(orderKeys).join(", ")}, optionally prefixed with + or -.`,
          { param_name: "order_by" }
        )
      }
      return { field, direction, key }
    })

  const sortUsers = (
    users: Array<StoredUser>,
    order: { readonly direction: number; readonly key: (u: StoredUser) => string | number | null }
  ) =>
    users.sort((a, b) => {
      const x = order.key(a)
      const y = order.key(b)
      if (x !== y) {
        if (x === null) return 1
        if (y === null) return -1
        return (x < y ? -1 : 1) * order.direction
      }
      // ties (same millisecond) keep creation order, in the same direction
      return (a.seq - b.seq) * order.direction
    })

  const page = (limit: number | null | undefined, offset: number | null | undefined) =>
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

  /** Fails with the feature's refusal when the instance has it switched off; `refusal` overrides code and message. */
  const requireFeature = (
    feature: keyof typeof featureRefusals,
    refusal?: { readonly code: string; readonly message: string }
  ) =>
    Effect.suspend(() => {
      if (ctx.state().features[feature]) return Effect.void
      const [status, code, message] = featureRefusals[feature]
      return failWith(status, refusal?.code ?? code, refusal?.message ?? message)
    })

  // ---- routes --------------------------------------------------------------------------------------------------

  const deleted = (object: string, id: string): Models.DeletedObject => ({ object, id, deleted: true })

  const user = (input: { readonly path: ReadonlyArray<string> }) => findUser(id0(input))

  const touch = (u: StoredUser, now: number) => {
    u.updatedAt = Math.max(now, u.updatedAt)
  }

  const mutate = (
    input: { readonly path: ReadonlyArray<string>; readonly now: number },
    f: (u: StoredUser) => Effect.Effect<void, ApiFailure> | void
  ) =>
    Effect.gen(function*() {
      const u = yield* user(input)
      const result = f(u)
      if (result !== undefined) yield* result
      touch(u, input.now)
      return present(u, input.now)
    })

  /** DELETE of something a user owns (passkey, wallet, external account): 403 without the feature, 404 if absent. */
  const removeOwned = (
    input: { readonly path: ReadonlyArray<string>; readonly now: number },
    list: "passkeys" | "web3Wallets" | "externalAccounts",
    names: { readonly what: string; readonly object: string; readonly code: string },
    after?: (u: StoredUser) => void
  ) =>
    Effect.gen(function*() {
      yield* requireFeature("passkeys", { code: names.code, message: `${names.what}s are not enabled.` })
      const u = yield* user(input)
      const id = id0(input, 1)
      const owned: Array<{ readonly id: string }> = u[list]
      const index = owned.findIndex((item) => item.id === id)
      if (index < 0) return yield* notFound(names.what, id)
      owned.splice(index, 1)
      after?.(u)
      touch(u, input.now)
      return deleted(names.object, id)
    })

  return [
    route(UsersApi.list, (input) =>
      Effect.gen(function*() {
        const { limit, offset, orderBy, startingAfter, ...filters } = input.query ?? {}
        const order = yield* parseOrder(orderBy)
        const paging = yield* page(limit, offset)
        const users = sortUsers(filterUsers(filters), order)
        let start = paging.offset
        if (startingAfter !== undefined && startingAfter !== null) {
          if (order.field !== "created_at") {
            return yield* failWith(
              422,
              "form_param_value_invalid",
              "starting_after requires created_at ordering",
              "starting_after can only be used with order_by created_at, +created_at or -created_at.",
              { param_name: "starting_after" }
            )
          }
          if (paging.offset > 0) {
            return yield* failWith(
              422,
              "form_param_value_invalid",
              "starting_after cannot be combined with offset",
              "starting_after cannot be combined with a non-zero offset.",
              { param_name: "starting_after" }
            )
          }
          const cursor = ctx.state().users.get(startingAfter)
          if (cursor === undefined) {
            return yield* failWith(
              422,
              "form_param_value_invalid",
              "starting_after is invalid",
              `No user was found with id ${startingAfter}.`,
              { param_name: "starting_after" }
            )
          }
          // the cursor user may be filtered out: continue after its position in the full ordering
          start = users.findIndex((u) => (u.createdAt - cursor.createdAt || u.seq - cursor.seq) * order.direction > 0)
          if (start < 0) start = users.length
        }
        return users.slice(start, start + paging.limit).map((u) => present(u, input.now))
      })),

    route(
      UsersApi.count,
      (input) =>
        Effect.sync(() => ({ object: "total_count" as const, totalCount: filterUsers(input.query ?? {}).length }))
    ),

    route(UsersApi.create, (input) =>
      Effect.gen(function*() {
        const body = input.body
        const state = ctx.state()
        yield* requireFeature("userCreation")
        const now = input.now
        const emails = yield* replaceIdentifiers(
          "emails",
          "idn",
          "email_address",
          "email address",
          body.emailAddress ?? [],
          body.emailAddressIdentificationStatus,
          undefined,
          now
        )
        const phones = yield* replaceIdentifiers(
          "phones",
          "idn",
          "phone_number",
          "phone number",
          body.phoneNumber ?? [],
          body.phoneNumberIdentificationStatus,
          undefined,
          now
        )
        const wallets = yield* replaceIdentifiers(
          "web3Wallets",
          "idn",
          "web3_wallet",
          "web3 wallet",
          body.web3Wallet ?? [],
          undefined,
          undefined,
          now
        )
        if (body.username !== undefined && body.username !== null) yield* validateUsername(body.username)
        if (body.externalId !== undefined && body.externalId !== null) yield* validateExternalId(body.externalId)
        const password = yield* passwordFrom(body)
        yield* checkMetadataSize("public_metadata", body.publicMetadata)
        yield* checkMetadataSize("private_metadata", body.privateMetadata)
        yield* checkMetadataSize("unsafe_metadata", body.unsafeMetadata)
        const createdAt = (yield* parseDate("created_at", body.createdAt)) ?? now
        const legalAcceptedAt = yield* parseDate("legal_accepted_at", body.legalAcceptedAt)
        const u = newStoredUser({
          id: makeId("user"),
          seq: nextSeq(),
          createdAt,
          updatedAt: now,
          externalId: body.externalId ?? null,
          username: body.username ?? null,
          firstName: body.firstName ?? null,
          lastName: body.lastName ?? null,
          locale: body.locale ?? null,
          emails,
          phones,
          web3Wallets: wallets,
          password: password ?? null,
          passwordLastUpdatedAt: password ? now : null,
          publicMetadata: sanitizeMetadata(body.publicMetadata ?? {}),
          privateMetadata: sanitizeMetadata(body.privateMetadata ?? {}),
          unsafeMetadata: sanitizeMetadata(body.unsafeMetadata ?? {}),
          legalAcceptedAt: legalAcceptedAt ?? null,
          deleteSelfEnabled: body.deleteSelfEnabled ?? true,
          createOrganizationEnabled: body.createOrganizationEnabled ?? true,
          createOrganizationsLimit: body.createOrganizationsLimit ?? null,
          bypassClientTrust: body.bypassClientTrust ?? false
        })
        yield* setTotp(u, body.totpSecret, now)
        setBackupCodes(u, body.backupCodes, now)
        if (body.banned === true) {
          yield* requireFeature("banning")
          u.banned = true
        }
        if (body.locked === true) {
          yield* requireFeature("lockout")
          u.lockedAt = now
        }
        state.users.set(u.id, u)
        return present(u, now)
      })),

    route(UsersApi.get, (input) => Effect.map(user(input), (u) => present(u, input.now))),

    route(UsersApi.update, (input) =>
      mutate(input, (u) =>
        Effect.gen(function*() {
          const body = input.body
          if (body.username !== undefined && body.username !== null) yield* validateUsername(body.username, u.id)
          if (body.externalId !== undefined && body.externalId !== null) {
            yield* validateExternalId(body.externalId, u.id)
          }
          const ownership: ReadonlyArray<
            readonly [string | null | undefined, ReadonlyArray<StoredIdentifier>, string]
          > = [
            [body.primaryEmailAddressId, u.emails, "primary_email_address_id"],
            [body.primaryPhoneNumberId, u.phones, "primary_phone_number_id"],
            [body.primaryWeb3WalletId, u.web3Wallets, "primary_web3_wallet_id"]
          ]
          for (const [id, list, param] of ownership) {
            if (id !== undefined && id !== null && !list.some((x) => x.id === id)) {
              return yield* paramInvalid(param, `${id} does not belong to user ${u.id}.`)
            }
          }
          const password = yield* passwordFrom(body)
          const createdAt = yield* parseDate("created_at", body.createdAt)
          const legalAcceptedAt = yield* parseDate("legal_accepted_at", body.legalAcceptedAt)
          yield* setTotp(u, body.totpSecret, input.now)
          setBackupCodes(u, body.backupCodes, input.now)
          if (body.externalId !== undefined) u.externalId = body.externalId
          if (body.firstName !== undefined) u.firstName = body.firstName
          if (body.lastName !== undefined) u.lastName = body.lastName
          if (body.locale !== undefined) u.locale = body.locale
          if (body.username !== undefined) u.username = body.username
          if (body.primaryEmailAddressId) u.primaryEmailAddressId = body.primaryEmailAddressId
          if (body.primaryPhoneNumberId) u.primaryPhoneNumberId = body.primaryPhoneNumberId
          if (body.primaryWeb3WalletId) u.primaryWeb3WalletId = body.primaryWeb3WalletId
          if (password) {
            u.password = password
            u.passwordLastUpdatedAt = input.now
            u.passwordCompromised = false
          }
          if (body.deleteSelfEnabled !== undefined && body.deleteSelfEnabled !== null) {
            u.deleteSelfEnabled = body.deleteSelfEnabled
          }
          if (body.createOrganizationEnabled !== undefined && body.createOrganizationEnabled !== null) {
            u.createOrganizationEnabled = body.createOrganizationEnabled
          }
          if (body.createOrganizationsLimit !== undefined) u.createOrganizationsLimit = body.createOrganizationsLimit
          if (body.bypassClientTrust !== undefined && body.bypassClientTrust !== null) {
            u.bypassClientTrust = body.bypassClientTrust
          }
          if (createdAt !== undefined) u.createdAt = createdAt
          if (legalAcceptedAt !== undefined) u.legalAcceptedAt = legalAcceptedAt
        }))),

    route(UsersApi.delete, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        const state = ctx.state()
        state.users.delete(u.id)
        for (let i = state.memberships.length - 1; i >= 0; i--) {
          if (state.memberships[i]?.userId === u.id) state.memberships.splice(i, 1)
        }
        return deleted("user", u.id)
      })),

    route(UsersApi.ban, (input) =>
      Effect.zipRight(
        requireFeature("banning"),
        mutate(input, (u) => {
          u.banned = true
        })
      )),

    route(UsersApi.unban, (input) =>
      Effect.zipRight(
        requireFeature("banning"),
        mutate(input, (u) => {
          u.banned = false
        })
      )),

    ...([[UsersApi.bulkBan, true], [UsersApi.bulkUnban, false]] as const).map(([endpoint, banned]) =>
      route(endpoint, (input) =>
        Effect.gen(function*() {
          yield* requireFeature("banning")
          const ids = input.body.userIds
          if (ids.length === 0 || ids.length > 100) {
            return yield* failWith(
              400,
              "form_param_value_invalid",
              "user_ids is invalid",
              "user_ids must hold 1 to 100 ids.",
              {
                param_name: "user_ids"
              }
            )
          }
          const out: Array<Models.User> = []
          for (const id of ids) {
            const u = ctx.state().users.get(id)
            if (u === undefined) continue
            u.banned = banned
            touch(u, input.now)
            out.push(present(u, input.now))
          }
          return out
        }))
    ),

    route(UsersApi.lock, (input) =>
      Effect.zipRight(
        requireFeature("lockout"),
        mutate(input, (u) => {
          u.lockedAt = input.now
        })
      )),

    route(UsersApi.unlock, (input) =>
      Effect.zipRight(
        requireFeature("lockout"),
        mutate(input, (u) => {
          u.lockedAt = null
        })
      )),

    route(UsersApi.setProfileImage, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        const file = input.formData?.get("file")
        if (file === null || file === undefined || typeof file === "string") {
          return yield* failWith(
            400,
            "form_param_missing",
            "file is missing",
            "A file is required in the `file` field.",
            {
              param_name: "file"
            }
          )
        }
        if (file.size === 0) {
          return yield* failWith(400, "image_empty", "the file is empty", "The uploaded image is empty.")
        }
        if (file.type !== "" && !file.type.startsWith("image/")) {
          return yield* failWith(
            400,
            "image_type_invalid",
            "the file is not an image",
            `Unsupported type ${file.type}.`
          )
        }
        u.imageUrl = `https://img.clerk.com/uploaded/${u.id}/${makeId("img")}`
        touch(u, input.now)
        return present(u, input.now)
      })),

    route(UsersApi.deleteProfileImage, (input) =>
      mutate(input, (u) => {
        u.imageUrl = null
      })),

    route(UsersApi.updateMetadata, (input) =>
      mutate(input, (u) =>
        Effect.gen(function*() {
          const next = {
            publicMetadata: input.body.publicMetadata === undefined
              ? u.publicMetadata
              : deepMerge(u.publicMetadata, input.body.publicMetadata),
            privateMetadata: input.body.privateMetadata === undefined
              ? u.privateMetadata
              : deepMerge(u.privateMetadata, input.body.privateMetadata),
            unsafeMetadata: input.body.unsafeMetadata === undefined
              ? u.unsafeMetadata
              : deepMerge(u.unsafeMetadata, input.body.unsafeMetadata)
          }
          yield* checkMetadataSize("public_metadata", next.publicMetadata)
          yield* checkMetadataSize("private_metadata", next.privateMetadata)
          yield* checkMetadataSize("unsafe_metadata", next.unsafeMetadata)
          Object.assign(u, next)
        }))),

    route(UsersApi.replaceMetadata, (input) =>
      mutate(input, (u) =>
        Effect.gen(function*() {
          const next: Partial<Record<"publicMetadata" | "privateMetadata" | "unsafeMetadata", MetadataObject>> = {}
          if (input.body.publicMetadata !== undefined) next.publicMetadata = sanitizeMetadata(input.body.publicMetadata)
          if (input.body.privateMetadata !== undefined) {
            next.privateMetadata = sanitizeMetadata(input.body.privateMetadata)
          }
          if (input.body.unsafeMetadata !== undefined) next.unsafeMetadata = sanitizeMetadata(input.body.unsafeMetadata)
          yield* checkMetadataSize("public_metadata", next.publicMetadata)
          yield* checkMetadataSize("private_metadata", next.privateMetadata)
          yield* checkMetadataSize("unsafe_metadata", next.unsafeMetadata)
          Object.assign(u, next)
        }))),

    route(UsersApi.getBillingSubscription, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("billing")
        const u = yield* user(input)
        if (u.subscription === null) return yield* notFound("billing subscription for user", u.id)
        return u.subscription
      })),

    route(UsersApi.getBillingCreditBalance, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("billing")
        const u = yield* user(input)
        return {
          object: "commerce_credit_balance",
          balance: u.credits.ledger.length === 0 ? null : money(u.credits.balance, u.credits.currency)
        }
      })),

    route(UsersApi.adjustBillingCreditBalance, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("billing")
        const u = yield* user(input)
        const body = input.body
        const currency = body.currency ?? u.credits.currency
        const ledgerResponse = (entry: typeof u.credits.ledger[number]): Models.CommerceCreditLedgerResponse => ({
          object: "commerce_credit_ledger",
          id: entry.id,
          payerId: u.id,
          amount: money(entry.action === "increase" ? entry.amount : -entry.amount, entry.currency),
          sourceType: "manual_adjustment",
          sourceId: entry.idempotencyKey,
          note: entry.note,
          createdAt: new Date(entry.createdAt).toISOString()
        })
        const previous = u.credits.ledger.find((e) => e.idempotencyKey === body.idempotencyKey)
        if (previous !== undefined) {
          const same = previous.amount === body.amount && previous.action === body.action &&
            previous.currency === currency && previous.note === (body.note ?? null)
          if (!same) {
            return yield* failWith(
              409,
              "idempotency_key_conflict",
              "idempotency key reused with different parameters",
              `The idempotency key ${body.idempotencyKey} was already used for a different adjustment.`,
              { param_name: "idempotency_key" }
            )
          }
          return ledgerResponse(previous)
        }
        if (!Number.isInteger(body.amount) || body.amount <= 0) {
          return yield* paramInvalid("amount", "amount must be a positive integer (in the currency's minor unit).")
        }
        if (currency !== u.credits.currency && u.credits.ledger.length > 0) {
          return yield* paramInvalid("currency", `The balance is in ${u.credits.currency}.`)
        }
        if (body.action === "decrease" && body.amount > u.credits.balance) {
          return yield* failWith(
            422,
            "insufficient_credit_balance",
            "insufficient credit balance",
            `The balance (${u.credits.balance}) is lower than the decrease (${body.amount}).`
          )
        }
        const entry = {
          id: makeId("ccl"),
          amount: body.amount,
          action: body.action,
          currency,
          note: body.note ?? null,
          idempotencyKey: body.idempotencyKey,
          createdAt: input.now
        }
        u.credits.currency = currency
        u.credits.balance += body.action === "increase" ? body.amount : -body.amount
        u.credits.ledger.push(entry)
        return ledgerResponse(entry)
      })),

    route(UsersApi.getOAuthAccessToken, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        const provider = id0(input, 1)
        if (!provider.startsWith("oauth_")) {
          return yield* failWith(
            422,
            "oauth_provider_invalid",
            "provider is invalid",
            `${provider} is not an OAuth provider; use the oauth_ prefix, e.g. oauth_google.`,
            { param_name: "provider" }
          )
        }
        const tokens: Array<Models.OAuthAccessToken[number]> = []
        for (const account of u.externalAccounts.filter((a) => a.provider === provider)) {
          for (const t of account.tokens) {
            tokens.push({
              object: "oauth_access_token",
              externalAccountId: account.id,
              providerUserId: account.providerUserId,
              token: t.token,
              expiresAt: t.expiresAt,
              provider,
              publicMetadata: {},
              label: t.label,
              scopes: t.scopes
            })
          }
        }
        const paging = yield* page(input.query?.limit ?? 500, input.query?.offset)
        return tokens.slice(paging.offset, paging.offset + paging.limit)
      })),

    route(UsersApi.getOrganizationMemberships, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("organizations")
        const paging = yield* page(input.query?.limit, input.query?.offset)
        const state = ctx.state()
        const all = state.memberships.filter((m) => m.userId === id0(input)).sort((a, b) =>
          b.createdAt - a.createdAt || b.seq - a.seq
        )
        return {
          data: all.slice(paging.offset, paging.offset + paging.limit).map((m) => presentMembership(state, m)),
          totalCount: all.length
        }
      })),

    route(UsersApi.getOrganizationInvitations, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("organizations")
        const u = yield* user(input)
        const paging = yield* page(input.query?.limit, input.query?.offset)
        const state = ctx.state()
        const emails = new Set(u.emails.map((e) => e.value.toLowerCase()))
        const status = input.query?.status
        const all = state.invitations
          .filter((i) =>
            emails.has(i.emailAddress.toLowerCase()) && (status === undefined || status === null || i.status === status)
          )
          .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
        return {
          data: all.slice(paging.offset, paging.offset + paging.limit).map((i) => presentInvitation(state, i)),
          totalCount: all.length
        }
      })),

    route(UsersApi.verifyPassword, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        if (u.password === null) {
          return yield* failWith(400, "password_not_set", "user has no password", `User ${u.id} has no password set.`)
        }
        if (!(yield* verifyPassword(input.body.password, u.password))) {
          return yield* failWith(
            422,
            "form_password_incorrect",
            "Password is incorrect.",
            "Password is incorrect. Try again.",
            {
              param_name: "password"
            }
          )
        }
        return { verified: true }
      })),

    route(UsersApi.verifyTotp, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        if (u.totpSecret === null && u.backupCodes.length === 0) {
          return yield* failWith(
            400,
            "totp_not_enabled",
            "TOTP is not enabled",
            `User ${u.id} has no TOTP or backup codes.`
          )
        }
        const code = input.body.code.trim()
        if (u.totpSecret !== null && verifyTotpCode(u.totpSecret, code, input.now)) {
          return { verified: true, codeType: "totp" as const }
        }
        const hashed = hashBackupCode(code)
        const index = u.backupCodes.indexOf(hashed)
        if (index >= 0) {
          u.backupCodes.splice(index, 1)
          touch(u, input.now)
          return { verified: true, codeType: "backup_code" as const }
        }
        return yield* failWith(422, "form_code_incorrect", "Incorrect code.", "The TOTP or backup code is incorrect.", {
          param_name: "code"
        })
      })),

    route(UsersApi.disableMfa, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        u.totpSecret = null
        u.backupCodes = []
        u.mfaDisabledAt = input.now
        touch(u, input.now)
        return { userId: u.id }
      })),

    route(UsersApi.deleteBackupCodes, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        if (u.backupCodes.length === 0) return yield* notFound("backup codes for user", u.id)
        u.backupCodes = []
        touch(u, input.now)
        return { userId: u.id }
      })),

    route(UsersApi.deleteTOTP, (input) =>
      Effect.gen(function*() {
        const u = yield* user(input)
        if (u.totpSecret === null) return yield* notFound("TOTP for user", u.id)
        u.totpSecret = null
        touch(u, input.now)
        return { userId: u.id }
      })),

    route(
      UsersApi.deletePasskey,
      (input) => removeOwned(input, "passkeys", { what: "passkey", object: "passkey", code: "passkeys_not_enabled" })
    ),

    route(
      UsersApi.deleteWeb3Wallet,
      (input) =>
        removeOwned(
          input,
          "web3Wallets",
          { what: "web3 wallet", object: "web3_wallet", code: "web3_not_enabled" },
          (u) => {
            if (u.primaryWeb3WalletId === id0(input, 1)) u.primaryWeb3WalletId = u.web3Wallets[0]?.id ?? null
          }
        )
    ),

    route(UsersApi.deleteExternalAccount, (input) =>
      removeOwned(input, "externalAccounts", {
        what: "external account",
        object: "external_account",
        code: "sso_not_enabled"
      })),

    route(UsersApi.setPasswordCompromised, (input) =>
      mutate(input, (u) =>
        u.password === null
          ? failWith(
            422,
            "password_not_set",
            "user has no password",
            `User ${u.id} has no password to mark compromised.`
          )
          : void (u.passwordCompromised = true))),

    route(UsersApi.unsetPasswordCompromised, (input) =>
      mutate(input, (u) =>
        u.password === null
          ? failWith(422, "password_not_set", "user has no password", `User ${u.id} has no password.`)
          : void (u.passwordCompromised = false))),

    route(UsersApi.getInstanceOrganizationMemberships, (input) =>
      Effect.gen(function*() {
        const raw = input.query?.orderBy ?? "-created_at"
        const field = raw.replace(/^[+-]/, "")
        if (
          !["created_at", "updated_at", "role", "first_name", "last_name", "email_address", "phone_number", "username"]
            .includes(field)
        ) {
          return yield* failWith(
            422,
            "form_param_value_invalid",
            "order_by is invalid",
            `Cannot order memberships by ${field}.`,
            {
              param_name: "order_by"
            }
          )
        }
        const direction = raw.startsWith("-") ? -1 : 1
        const paging = yield* page(input.query?.limit, input.query?.offset)
        const state = ctx.state()
        const keyOf = (m: typeof state.memberships[number]): string | number => {
          const u = state.users.get(m.userId)
          switch (field) {
            case "role":
              return m.role
            case "first_name":
              return u?.firstName?.toLowerCase() ?? ""
            case "last_name":
              return u?.lastName?.toLowerCase() ?? ""
            case "email_address":
              return u?.emails[0]?.value.toLowerCase() ?? ""
            case "phone_number":
              return u?.phones[0]?.value ?? ""
            case "username":
              return u?.username?.toLowerCase() ?? ""
            case "updated_at":
              return m.updatedAt
            default:
              return m.createdAt
          }
        }
        const all = [...state.memberships].sort((a, b) => {
          const x = keyOf(a)
          const y = keyOf(b)
          return (x === y ? a.seq - b.seq : x < y ? -1 : 1) * direction
        })
        return {
          data: all.slice(paging.offset, paging.offset + paging.limit).map((m) => presentMembership(state, m)),
          totalCount: all.length
        }
      })),

    route(UsersApi.removePassword, (input) =>
      mutate(input, (u) =>
        u.password === null
          ? failWith(400, "password_not_set", "user has no password", `User ${u.id} has no password to remove.`)
          : void ((u.password = null), (u.passwordLastUpdatedAt = input.now), (u.passwordCompromised = false)))),

    route(UsersApi.listTrustedDevices, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("passkeys", {
          code: "trusted_devices_not_enabled",
          message: "Trusted devices are not enabled."
        })
        const u = yield* user(input)
        const data = [...u.trustedDevices].sort((a, b) => b.createdAt - a.createdAt).map(presentTrustedDevice)
        return { data, totalCount: data.length }
      })),

    route(UsersApi.revokeTrustedDevice, (input) =>
      Effect.gen(function*() {
        yield* requireFeature("passkeys", {
          code: "trusted_devices_not_enabled",
          message: "Trusted devices are not enabled."
        })
        const u = yield* user(input)
        const id = id0(input, 1)
        const device = u.trustedDevices.find((d) => d.id === id)
        if (device === undefined) return yield* notFound("trusted device", id)
        if (device.status !== "revoked") {
          device.status = "revoked"
          device.revokedAt = input.now
          device.updatedAt = input.now
        }
        return presentTrustedDevice(device)
      }))
  ]
}

/** @internal */
export { isLocked }
