import { type Models, UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { makeId } from "../crypto.js"
import { failWith, notFound, paramInvalid } from "../failure.js"
import { sanitizeMetadata } from "../metadata.js"
import { newStoredUser, type StoredIdentifier, type UserView } from "../state.js"
import { checkFilterSizes, countUsers, listPage, parseOrder } from "./listing.js"
import {
  checkMetadataSize,
  checkOrganizationsLimit,
  type Context,
  deleted,
  mutate,
  newIdentifiers,
  page,
  parseDate,
  passwordFrom,
  present,
  requireFeature,
  type Route,
  route,
  setBackupCodes,
  setTotp,
  totpSecretFrom,
  user,
  validateExternalId,
  validateUsername
} from "./shared.js"

const list = (ctx: Context) =>
  route(UsersApi.list, (input) =>
    Effect.gen(function*() {
      const { limit, offset, orderBy, startingAfter, ...filters } = input.query ?? {}
      yield* checkFilterSizes(filters)
      const order = yield* parseOrder(orderBy)
      const paging = yield* page(limit, offset)
      let cursor: UserView | undefined
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
        cursor = ctx.store.user(startingAfter)
        if (cursor === undefined) {
          return yield* failWith(
            422,
            "form_param_value_invalid",
            "starting_after is invalid",
            `No user was found with id ${startingAfter}.`,
            { param_name: "starting_after" }
          )
        }
      }
      return listPage(ctx, filters, order, paging, cursor).map((u) => present(ctx, u, input.now))
    }))

const create = (ctx: Context) =>
  route(UsersApi.create, (input) =>
    Effect.gen(function*() {
      const body = input.body
      yield* requireFeature(ctx, "userCreation")
      const now = input.now
      const emails = yield* newIdentifiers(
        ctx,
        "emails",
        "email_address",
        "email address",
        body.emailAddress ?? [],
        body.emailAddressIdentificationStatus,
        now
      )
      const phones = yield* newIdentifiers(
        ctx,
        "phones",
        "phone_number",
        "phone number",
        body.phoneNumber ?? [],
        body.phoneNumberIdentificationStatus,
        now
      )
      const wallets = yield* newIdentifiers(
        ctx,
        "web3Wallets",
        "web3_wallet",
        "web3 wallet",
        body.web3Wallet ?? [],
        undefined,
        now
      )
      if (body.username !== undefined && body.username !== null) yield* validateUsername(ctx, body.username)
      if (body.externalId !== undefined && body.externalId !== null) yield* validateExternalId(ctx, body.externalId)
      const password = yield* passwordFrom(body)
      yield* checkMetadataSize("public_metadata", body.publicMetadata)
      yield* checkMetadataSize("private_metadata", body.privateMetadata)
      yield* checkMetadataSize("unsafe_metadata", body.unsafeMetadata)
      yield* checkOrganizationsLimit(body.createOrganizationsLimit)
      const createdAt = (yield* parseDate("created_at", body.createdAt)) ?? now
      const legalAcceptedAt = yield* parseDate("legal_accepted_at", body.legalAcceptedAt)
      const totpSecret = yield* totpSecretFrom(body.totpSecret)
      if (body.banned === true) yield* requireFeature(ctx, "banning")
      if (body.locked === true) yield* requireFeature(ctx, "lockout")
      const u = newStoredUser({
        id: makeId("user"),
        seq: ctx.store.nextSeq(),
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
        bypassClientTrust: body.bypassClientTrust ?? false,
        banned: body.banned === true,
        lockedAt: body.locked === true ? now : null
      })
      setTotp(u, totpSecret, now)
      setBackupCodes(u, body.backupCodes, now)
      return present(ctx, ctx.store.createUser(u, now), now)
    }))

const update = (ctx: Context) =>
  route(UsersApi.update, (input) =>
    Effect.gen(function*() {
      const body = input.body
      const u = yield* user(ctx, input)
      if (body.username !== undefined && body.username !== null) yield* validateUsername(ctx, body.username, u.id)
      if (body.externalId !== undefined && body.externalId !== null) {
        yield* validateExternalId(ctx, body.externalId, u.id)
      }
      const ownership: ReadonlyArray<
        readonly [string | null | undefined, ReadonlyArray<Pick<StoredIdentifier, "id">>, string]
      > = [
        [body.primaryEmailAddressId, u.emails, "primary_email_address_id"],
        [body.primaryPhoneNumberId, u.phones, "primary_phone_number_id"],
        [body.primaryWeb3WalletId, u.web3Wallets, "primary_web3_wallet_id"]
      ]
      for (const [id, owned, param] of ownership) {
        if (id !== undefined && id !== null && !owned.some((x) => x.id === id)) {
          return yield* paramInvalid(param, `${id} does not belong to user ${u.id}.`)
        }
      }
      yield* checkOrganizationsLimit(body.createOrganizationsLimit)
      const password = yield* passwordFrom(body)
      const createdAt = yield* parseDate("created_at", body.createdAt)
      const legalAcceptedAt = yield* parseDate("legal_accepted_at", body.legalAcceptedAt)
      const totpSecret = yield* totpSecretFrom(body.totpSecret)
      return yield* mutate(ctx, input, (u) => {
        setTotp(u, totpSecret, input.now)
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
      })
    }))

const bulkBans = (ctx: Context) =>
  ([[UsersApi.bulkBan, true], [UsersApi.bulkUnban, false]] as const).map(([endpoint, banned]) =>
    route(endpoint, (input) =>
      Effect.gen(function*() {
        yield* requireFeature(ctx, "banning")
        const ids = input.body.userIds
        // the spec's `minItems: 1, maxItems: 50` (spec validation checks them too, when on)
        if (ids.length === 0 || ids.length > 50) {
          return yield* failWith(
            400,
            "form_param_value_invalid",
            "user_ids is invalid",
            "user_ids must hold 1 to 50 ids.",
            { param_name: "user_ids" }
          )
        }
        const out: Array<Models.User> = []
        for (const id of ids) {
          // one change (and one event) per user
          const u = ctx.store.updateUser(id, input.now, (u) => {
            u.banned = banned
          })
          if (u !== undefined) out.push(present(ctx, u, input.now))
        }
        return out
      }))
  )

const profileImage = (ctx: Context) =>
  route(UsersApi.setProfileImage, (input) =>
    Effect.gen(function*() {
      yield* user(ctx, input)
      const file = input.formData?.get("file")
      if (file === null || file === undefined || typeof file === "string") {
        return yield* failWith(
          400,
          "form_param_missing",
          "file is missing",
          "A file is required in the `file` field.",
          { param_name: "file" }
        )
      }
      if (file.size === 0) {
        return yield* failWith(400, "image_empty", "the file is empty", "The uploaded image is empty.")
      }
      if (file.type !== "" && !file.type.startsWith("image/")) {
        return yield* failWith(400, "image_type_invalid", "the file is not an image", `Unsupported type ${file.type}.`)
      }
      return yield* mutate(ctx, input, (u) => {
        u.imageUrl = `https://img.clerk.com/uploaded/${u.id}/${makeId("img")}`
      })
    }))

/** Users: list, count, create, read, update, delete, ban, lock, profile image. @internal */
export const userRoutes = (ctx: Context): ReadonlyArray<Route> => [
  list(ctx),
  route(
    UsersApi.count,
    (input) => {
      const filters = input.query ?? {}
      return Effect.zipRight(
        checkFilterSizes(filters),
        Effect.sync(() => ({ object: "total_count" as const, totalCount: countUsers(ctx, filters) }))
      )
    }
  ),
  create(ctx),
  route(UsersApi.get, (input) => Effect.map(user(ctx, input), (u) => present(ctx, u, input.now))),
  update(ctx),
  route(UsersApi.delete, (input) =>
    Effect.gen(function*() {
      const u = yield* user(ctx, input)
      if (!ctx.store.deleteUser(u.id, input.now)) return yield* notFound("user", u.id)
      return deleted("user", u.id)
    })),
  route(UsersApi.ban, (input) =>
    Effect.zipRight(
      requireFeature(ctx, "banning"),
      mutate(ctx, input, (u) => {
        u.banned = true
      })
    )),
  route(UsersApi.unban, (input) =>
    Effect.zipRight(
      requireFeature(ctx, "banning"),
      mutate(ctx, input, (u) => {
        u.banned = false
      })
    )),
  ...bulkBans(ctx),
  route(UsersApi.lock, (input) =>
    Effect.zipRight(
      requireFeature(ctx, "lockout"),
      mutate(ctx, input, (u) => {
        u.lockedAt = input.now
      })
    )),
  route(UsersApi.unlock, (input) =>
    Effect.zipRight(
      requireFeature(ctx, "lockout"),
      mutate(ctx, input, (u) => {
        u.lockedAt = null
      })
    )),
  profileImage(ctx),
  route(UsersApi.deleteProfileImage, (input) =>
    mutate(ctx, input, (u) => {
      u.imageUrl = null
    }))
]
