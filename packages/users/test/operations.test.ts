/**
 * Every Users operation end to end through ClerkClient against the in-process emulator: the real encoding and
 * decoding, a success, and at least one documented error mapped to its tag.
 */
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

const seedAda = Effect.gen(function*() {
  const emulator = yield* ClerkEmulator
  const { users } = yield* emulator.seed({
    users: [{
      emailAddress: ["ada@example.com"],
      phoneNumber: ["+15555550100"],
      web3Wallet: ["0x71C7656EC7ab88b098defB751B7401B5f6d8976F"],
      username: "ada_l",
      firstName: "Ada",
      lastName: "Lovelace",
      password: "correct horse battery",
      totpSecret: TOTP_SECRET,
      backupCodes: ["backup-one", "backup-two"],
      passkeys: [{ name: "YubiKey" }],
      externalAccounts: [{
        provider: "oauth_google",
        providerUserId: "g-123",
        tokens: [{ token: "ya29.token", scopes: ["email"] }]
      }],
      trustedDevices: [{ platform: "ios", appIdentifier: "com.example.app", name: "Ada's iPhone" }],
      subscription: true
    }]
  })
  const ada = users[0]!
  return { emulator, ada }
})

const run = <A, E>(
  effect: Effect.Effect<A, E, ClerkEmulator | import("@effect-clerk/core").ClerkClient>
) => effect.pipe(Effect.provide(ClerkTest.layer))

describe("Users operations end to end", () => {
  it.effect("list: a page, newest first; 400 on a limit out of bounds", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      const page = yield* Users.list({ limit: 10 })
      expect(page.map((u) => u.id)).toEqual([bob.id, ada.id])
      const error = yield* Effect.flip(Users.list({ limit: 501 }))
      if (error._tag !== "BadRequest") return expect.unreachable()
      expect(error.errors[0]?.code).toBe("form_param_format_invalid")
      expect((yield* Effect.flip(Users.list({ orderBy: "shoe_size" })))._tag).toBe("UnprocessableEntity")
    })))

  it.effect("create: returns the user; 422 form_identifier_exists on a duplicate email", () =>
    run(Effect.gen(function*() {
      const user = yield* Users.create({
        emailAddress: ["grace@example.com"],
        firstName: "Grace",
        publicMetadata: { plan: "pro" }
      })
      expect(user.emailAddresses[0]?.emailAddress).toBe("grace@example.com")
      expect(user.publicMetadata).toEqual({ plan: "pro" })
      const error = yield* Effect.flip(Users.create({ emailAddress: ["GRACE@example.com"] }))
      if (error._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(error.errors[0]?.code).toBe("form_identifier_exists")
      expect(error.errors[0]?.meta).toEqual({ param_name: "email_address" })
    })))

  it.effect("count: agrees with the list; 422 on a bad filter value", () =>
    run(Effect.gen(function*() {
      yield* seedAda
      yield* Users.create({ emailAddress: ["bob@example.com"] })
      const count = yield* Users.count({})
      expect(count).toBe(2)
      const banned = yield* Users.count({ banned: true })
      expect(banned).toBe(0)
      const error = yield* Effect.flip(Users.count({ createdAtAfter: -1.5 }))
      expect(error._tag).toBe("InvalidInput")
    })))

  it.effect("get: the user with every nested object; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const user = yield* Users.get(ada.id)
      expect(user.username).toBe("ada_l")
      expect(user.phoneNumbers[0]?.phoneNumber).toBe("+15555550100")
      expect(user.web3Wallets).toHaveLength(1)
      expect(user.passkeys[0]?.name).toBe("YubiKey")
      expect(user.externalAccounts[0]?.provider).toBe("oauth_google")
      expect(user.totpEnabled).toBe(true)
      expect(user.backupCodeEnabled).toBe(true)
      expect(user.passwordEnabled).toBe(true)
      const error = yield* Effect.flip(Users.get("user_does_not_exist"))
      expect(error._tag).toBe("NotFound")
    })))

  it.effect("update: changes the fields given; 404 NotFound; 422 on a taken username", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"], username: "bobby" })
      const updated = yield* Users.update(ada.id, { firstName: "Augusta", lastName: null })
      expect(updated.firstName).toBe("Augusta")
      expect(updated.lastName).toBeNull()
      expect(updated.username).toBe("ada_l")
      expect((yield* Effect.flip(Users.update("user_missing", { firstName: "x" })))._tag).toBe("NotFound")
      const taken = yield* Effect.flip(Users.update(ada.id, { username: "BOBBY" }))
      if (taken._tag !== "UnprocessableEntity") return expect.unreachable()
      expect(taken.errors[0]?.code).toBe("form_identifier_exists")
      expect(bob.username).toBe("bobby")
    })))

  it.effect("delete: a DeletedObject, then 404", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const deleted = yield* Users.delete(ada.id)
      expect(deleted).toEqual({ object: "user", id: ada.id, deleted: true })
      expect((yield* Effect.flip(Users.delete(ada.id)))._tag).toBe("NotFound")
    })))

  it.effect("ban / unban: the flag; 402 PaymentRequired without the feature", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      expect((yield* Users.ban(ada.id)).banned).toBe(true)
      expect((yield* Users.unban(ada.id)).banned).toBe(false)
      yield* emulator.setFeatures({ banning: false })
      expect((yield* Effect.flip(Users.ban(ada.id)))._tag).toBe("PaymentRequired")
      expect((yield* Effect.flip(Users.unban(ada.id)))._tag).toBe("PaymentRequired")
    })))

  it.effect("bulkBan / bulkUnban: many at once; 400 BadRequest on an empty list; 402 without the feature", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      const banned = yield* Users.bulkBan({ userIds: [ada.id, bob.id, "user_unknown"] })
      expect(banned.map((u) => [u.id, u.banned])).toEqual([[ada.id, true], [bob.id, true]])
      expect(yield* Users.count({ banned: true })).toBe(2)
      const unbanned = yield* Users.bulkUnban({ userIds: [ada.id] })
      expect(unbanned[0]?.banned).toBe(false)
      expect((yield* Effect.flip(Users.bulkBan({ userIds: [] })))._tag).toBe("BadRequest")
      yield* emulator.setFeatures({ banning: false })
      expect((yield* Effect.flip(Users.bulkUnban({ userIds: [bob.id] })))._tag).toBe("PaymentRequired")
    })))

  it.effect("lock / unlock: the flag; 403 Forbidden without user lockout", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const locked = yield* Users.lock(ada.id)
      expect(locked.locked).toBe(true)
      expect(locked.lockoutExpiresInSeconds).toBe(3600)
      expect((yield* Users.unlock(ada.id)).locked).toBe(false)
      yield* emulator.setFeatures({ lockout: false })
      expect((yield* Effect.flip(Users.lock(ada.id)))._tag).toBe("Forbidden")
      expect((yield* Effect.flip(Users.unlock(ada.id)))._tag).toBe("Forbidden")
    })))

  it.effect("setProfileImage: multipart upload; 400 on a non-image; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const png = new Blob([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], { type: "image/png" })
      const user = yield* Users.setProfileImage(ada.id, { file: png, filename: "ada.png" })
      expect(user.hasImage).toBe(true)
      expect(user.imageUrl).toContain("/uploaded/")
      const text = new Blob(["hello"], { type: "text/plain" })
      expect((yield* Effect.flip(Users.setProfileImage(ada.id, { file: text })))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(Users.setProfileImage("user_missing", { file: png })))._tag).toBe("NotFound")
    })))

  it.effect("deleteProfileImage: clears it; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      yield* Users.setProfileImage(ada.id, { file: new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }) })
      expect((yield* Users.deleteProfileImage(ada.id)).hasImage).toBe(false)
      expect((yield* Effect.flip(Users.deleteProfileImage("user_missing")))._tag).toBe("NotFound")
    })))

  it.effect("updateMetadata: deep merge, null deletes; 404 NotFound; 422 over the size limit", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      yield* Users.updateMetadata(ada.id, { publicMetadata: { plan: "free", prefs: { theme: "dark", lang: "en" } } })
      const merged = yield* Users.updateMetadata(ada.id, {
        publicMetadata: { plan: "pro", prefs: { lang: null, beta: true } },
        privateMetadata: { stripeId: "cus_1" }
      })
      expect(merged.publicMetadata).toEqual({ plan: "pro", prefs: { theme: "dark", beta: true } })
      expect(merged.privateMetadata).toEqual({ stripeId: "cus_1" })
      expect((yield* Effect.flip(Users.updateMetadata("user_missing", { publicMetadata: {} })))._tag).toBe("NotFound")
      const huge = yield* Effect.flip(Users.updateMetadata(ada.id, { publicMetadata: { blob: "x".repeat(9000) } }))
      expect(huge._tag).toBe("UnprocessableEntity")
    })))

  it.effect("replaceMetadata: replaces whole objects, leaves the others; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      yield* Users.updateMetadata(ada.id, { publicMetadata: { a: 1, b: 2 }, privateMetadata: { keep: true } })
      const replaced = yield* Users.replaceMetadata(ada.id, { publicMetadata: { c: 3 } })
      expect(replaced.publicMetadata).toEqual({ c: 3 })
      expect(replaced.privateMetadata).toEqual({ keep: true })
      expect((yield* Effect.flip(Users.replaceMetadata("user_missing", {})))._tag).toBe("NotFound")
    })))

  it.effect("getBillingSubscription: the subscription; 404 without one; 403 without billing", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const subscription = yield* Users.getBillingSubscription(ada.id)
      expect(subscription.status).toBe("active")
      expect(subscription.payerId).toBe(ada.id)
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      expect((yield* Effect.flip(Users.getBillingSubscription(bob.id)))._tag).toBe("NotFound")
      yield* emulator.setFeatures({ billing: false })
      expect((yield* Effect.flip(Users.getBillingSubscription(ada.id)))._tag).toBe("Forbidden")
    })))

  it.effect("getBillingCreditBalance: null before any credit, then the balance; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect((yield* Users.getBillingCreditBalance(ada.id)).balance).toBeNull()
      yield* Users.adjustBillingCreditBalance(ada.id, { amount: 1500, action: "increase", idempotencyKey: "k1" })
      const balance = yield* Users.getBillingCreditBalance(ada.id)
      expect(balance.balance?.amount).toBe(1500)
      expect(balance.balance?.currency).toBe("USD")
      expect((yield* Effect.flip(Users.getBillingCreditBalance("user_missing")))._tag).toBe("NotFound")
    })))

  it.effect("adjustBillingCreditBalance: applied once per idempotency key; 409 Conflict on a reused key; 422 below zero", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const first = yield* Users.adjustBillingCreditBalance(ada.id, {
        amount: 1000,
        action: "increase",
        idempotencyKey: "topup-1"
      })
      const again = yield* Users.adjustBillingCreditBalance(ada.id, {
        amount: 1000,
        action: "increase",
        idempotencyKey: "topup-1"
      })
      expect(again.id).toBe(first.id)
      expect((yield* Users.getBillingCreditBalance(ada.id)).balance?.amount).toBe(1000)
      const conflict = yield* Effect.flip(
        Users.adjustBillingCreditBalance(ada.id, { amount: 5, action: "increase", idempotencyKey: "topup-1" })
      )
      expect(conflict._tag).toBe("Conflict")
      const overdraw = yield* Effect.flip(
        Users.adjustBillingCreditBalance(ada.id, { amount: 5000, action: "decrease", idempotencyKey: "spend-1" })
      )
      expect(overdraw._tag).toBe("UnprocessableEntity")
    })))

  it.effect("getOAuthAccessToken: the provider's tokens; 422 on a non-OAuth provider; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const tokens = yield* Users.getOAuthAccessToken(ada.id, "oauth_google")
      expect(tokens.map((t) => [t.token, t.provider, t.scopes])).toEqual([["ya29.token", "oauth_google", ["email"]]])
      expect(yield* Users.getOAuthAccessToken(ada.id, "oauth_github")).toEqual([])
      expect((yield* Effect.flip(Users.getOAuthAccessToken(ada.id, "google")))._tag).toBe("UnprocessableEntity")
      expect((yield* Effect.flip(Users.getOAuthAccessToken("user_missing", "oauth_google")))._tag).toBe("NotFound")
    })))

  it.effect("getOrganizationMemberships: a page with the total; 403 without organizations", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      yield* emulator.seed({
        organizations: [
          { name: "Acme", members: [{ userId: ada.id, role: "org:admin" }] },
          { name: "Globex", members: [{ userId: ada.id }] }
        ]
      })
      const page = yield* Users.getOrganizationMemberships(ada.id, { limit: 1 })
      expect(page.totalCount).toBe(2)
      expect(page.data).toHaveLength(1)
      yield* emulator.setFeatures({ organizations: false })
      expect((yield* Effect.flip(Users.getOrganizationMemberships(ada.id)))._tag).toBe("Forbidden")
    })))

  it.effect("getOrganizationInvitations: by status; 404 NotFound; 403 without organizations", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      yield* emulator.seed({
        organizations: [{
          name: "Acme",
          invitations: [{ emailAddress: "ada@example.com" }, { emailAddress: "ada@example.com", status: "revoked" }]
        }]
      })
      const pending = yield* Users.getOrganizationInvitations(ada.id, { status: "pending" })
      expect(pending.totalCount).toBe(1)
      expect(pending.data[0]?.publicOrganizationData?.name).toBe("Acme")
      expect((yield* Users.getOrganizationInvitations(ada.id)).totalCount).toBe(2)
      expect((yield* Effect.flip(Users.getOrganizationInvitations("user_missing")))._tag).toBe("NotFound")
      yield* emulator.setFeatures({ organizations: false })
      expect((yield* Effect.flip(Users.getOrganizationInvitations(ada.id)))._tag).toBe("Forbidden")
    })))

  it.effect("verifyPassword: verified; 422 when wrong; 400 without a password; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect(yield* Users.verifyPassword(ada.id, { password: "correct horse battery" })).toEqual({ verified: true })
      const wrong = yield* Effect.flip(Users.verifyPassword(ada.id, { password: "wrong password" }))
      expect(wrong._tag).toBe("UnprocessableEntity")
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      expect((yield* Effect.flip(Users.verifyPassword(bob.id, { password: "anything" })))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(Users.verifyPassword("user_missing", { password: "x" })))._tag).toBe("NotFound")
    })))

  it.effect("verifyTotp: the current code, then a backup code once; 422 when wrong; 400 without MFA", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const code = (yield* emulator.totpCode(ada.id))!
      expect(yield* Users.verifyTotp(ada.id, { code })).toEqual({ verified: true, codeType: "totp" })
      expect(yield* Users.verifyTotp(ada.id, { code: "backup-one" })).toEqual({
        verified: true,
        codeType: "backup_code"
      })
      expect((yield* Effect.flip(Users.verifyTotp(ada.id, { code: "backup-one" })))._tag).toBe("UnprocessableEntity")
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      expect((yield* Effect.flip(Users.verifyTotp(bob.id, { code: "123456" })))._tag).toBe("BadRequest")
    })))

  it.effect("disableMfa: removes TOTP and backup codes; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect(yield* Users.disableMfa(ada.id)).toEqual({ userId: ada.id })
      const user = yield* Users.get(ada.id)
      expect([user.totpEnabled, user.backupCodeEnabled, user.twoFactorEnabled]).toEqual([false, false, false])
      expect((yield* Effect.flip(Users.disableMfa("user_missing")))._tag).toBe("NotFound")
    })))

  it.effect("deleteBackupCodes: removes them; 404 when there are none", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect(yield* Users.deleteBackupCodes(ada.id)).toEqual({ userId: ada.id })
      expect((yield* Users.get(ada.id)).backupCodeEnabled).toBe(false)
      expect((yield* Effect.flip(Users.deleteBackupCodes(ada.id)))._tag).toBe("NotFound")
    })))

  it.effect("deleteTOTP: removes it; 404 when there is none", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect(yield* Users.deleteTOTP(ada.id)).toEqual({ userId: ada.id })
      expect((yield* Users.get(ada.id)).totpEnabled).toBe(false)
      expect((yield* Effect.flip(Users.deleteTOTP(ada.id)))._tag).toBe("NotFound")
    })))

  it.effect("deletePasskey: deletes it; 404 for an unknown one; 403 without passkeys", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const passkeyId = ada.passkeys[0]!.id!
      expect(yield* Users.deletePasskey(ada.id, passkeyId)).toEqual({ object: "passkey", id: passkeyId, deleted: true })
      expect((yield* Effect.flip(Users.deletePasskey(ada.id, passkeyId)))._tag).toBe("NotFound")
      yield* emulator.setFeatures({ passkeys: false })
      expect((yield* Effect.flip(Users.deletePasskey(ada.id, "idn_x")))._tag).toBe("Forbidden")
    })))

  it.effect("deleteWeb3Wallet: deletes it; 404 for an unknown one", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const walletId = ada.web3Wallets[0]!.id!
      expect((yield* Users.deleteWeb3Wallet(ada.id, walletId)).deleted).toBe(true)
      expect((yield* Users.get(ada.id)).primaryWeb3WalletId).toBeNull()
      expect((yield* Effect.flip(Users.deleteWeb3Wallet(ada.id, walletId)))._tag).toBe("NotFound")
    })))

  it.effect("deleteExternalAccount: deletes it; 404 for an unknown one", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const accountId = ada.externalAccounts[0]!.id
      expect((yield* Users.deleteExternalAccount(ada.id, accountId)).object).toBe("external_account")
      expect(yield* Users.getOAuthAccessToken(ada.id, "oauth_google")).toEqual([])
      expect((yield* Effect.flip(Users.deleteExternalAccount(ada.id, accountId)))._tag).toBe("NotFound")
    })))

  it.effect("setPasswordCompromised / unsetPasswordCompromised: the user; 404 NotFound; 422 without a password", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect((yield* Users.setPasswordCompromised(ada.id, { revokeAllSessions: true })).id).toBe(ada.id)
      expect((yield* Users.unsetPasswordCompromised(ada.id)).id).toBe(ada.id)
      expect((yield* Effect.flip(Users.setPasswordCompromised("user_missing")))._tag).toBe("NotFound")
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      expect((yield* Effect.flip(Users.unsetPasswordCompromised(bob.id)))._tag).toBe("UnprocessableEntity")
    })))

  it.effect("getInstanceOrganizationMemberships: every membership with the total; 422 on a bad order_by", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const bob = yield* Users.create({ emailAddress: ["bob@example.com"] })
      yield* emulator.seed({ organizations: [{ name: "Acme", members: [{ userId: ada.id }, { userId: bob.id }] }] })
      const page = yield* Users.getInstanceOrganizationMemberships({ orderBy: "-created_at", limit: 10 })
      expect(page.totalCount).toBe(2)
      expect(new Set(page.data.map((m) => m.publicUserData?.userId))).toEqual(new Set([ada.id, bob.id]))
      const error = yield* Effect.flip(Users.getInstanceOrganizationMemberships({ orderBy: "shoe_size" }))
      expect(error._tag).toBe("UnprocessableEntity")
    })))

  it.effect("removePassword: passwordEnabled false; 400 without a password; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      expect((yield* Users.removePassword(ada.id)).passwordEnabled).toBe(false)
      expect((yield* Effect.flip(Users.removePassword(ada.id)))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(Users.removePassword("user_missing")))._tag).toBe("NotFound")
    })))

  it.effect("listTrustedDevices: the devices; 404 NotFound", () =>
    run(Effect.gen(function*() {
      const { ada } = yield* seedAda
      const devices = yield* Users.listTrustedDevices(ada.id)
      expect(devices.totalCount).toBe(1)
      expect(devices.data[0]?.name).toBe("Ada's iPhone")
      expect((yield* Effect.flip(Users.listTrustedDevices("user_missing")))._tag).toBe("NotFound")
    })))

  it.effect("revokeTrustedDevice: revoked with a timestamp; 404 for an unknown one; 403 without the feature", () =>
    run(Effect.gen(function*() {
      const { ada, emulator } = yield* seedAda
      const deviceId = (yield* Users.listTrustedDevices(ada.id)).data[0]!.id
      const revoked = yield* Users.revokeTrustedDevice(ada.id, deviceId)
      expect(revoked.status).toBe("revoked")
      expect(revoked.revokedAt).not.toBeNull()
      expect((yield* Effect.flip(Users.revokeTrustedDevice(ada.id, "td_unknown")))._tag).toBe("NotFound")
      yield* emulator.setFeatures({ passkeys: false })
      expect((yield* Effect.flip(Users.revokeTrustedDevice(ada.id, deviceId)))._tag).toBe("Forbidden")
    })))
})
