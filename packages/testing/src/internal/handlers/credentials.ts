import { UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { hashBackupCode, verifyPassword, verifyTotpCode } from "../crypto.js"
import { type ApiFailure, failWith, notFound } from "../failure.js"
import type { StoredUser, UserView } from "../state.js"
import { type Context, mutate, type Route, route, user } from "./shared.js"

const passwordNotSet = (status: number, longMessage: string) =>
  failWith(status, "password_not_set", "user has no password", longMessage)

const requirePassword = (status: number, longMessage: (u: UserView) => string) => (u: UserView) =>
  u.password === null ? passwordNotSet(status, longMessage(u)) : Effect.void

const passwordRoutes = (ctx: Context): ReadonlyArray<Route> => [
  route(UsersApi.verifyPassword, (input) =>
    Effect.gen(function*() {
      const u = yield* user(ctx, input)
      if (u.password === null) return yield* passwordNotSet(400, `User ${u.id} has no password set.`)
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
  route(UsersApi.setPasswordCompromised, (input) =>
    mutate(ctx, input, (u) => {
      u.passwordCompromised = true
    }, requirePassword(422, (u) => `User ${u.id} has no password to mark compromised.`))),
  route(UsersApi.unsetPasswordCompromised, (input) =>
    mutate(ctx, input, (u) => {
      u.passwordCompromised = false
    }, requirePassword(422, (u) => `User ${u.id} has no password.`))),
  route(UsersApi.removePassword, (input) =>
    mutate(ctx, input, (u) => {
      u.password = null
      u.passwordLastUpdatedAt = input.now
      u.passwordCompromised = false
    }, requirePassword(400, (u) => `User ${u.id} has no password to remove.`)))
]

const verifyTotp = (ctx: Context) =>
  route(UsersApi.verifyTotp, (input) =>
    Effect.gen(function*() {
      const u = yield* user(ctx, input)
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
      if (u.backupCodes.includes(hashed)) {
        // a backup code is used up: the user changes (and may lose backup_code_enabled)
        ctx.store.updateUser(u.id, input.now, (u) => {
          u.backupCodes.splice(u.backupCodes.indexOf(hashed), 1)
        })
        return { verified: true, codeType: "backup_code" as const }
      }
      return yield* failWith(422, "form_code_incorrect", "Incorrect code.", "The TOTP or backup code is incorrect.", {
        param_name: "code"
      })
    }))

/** Answers `{ user_id }` after a change that the check allows. */
const mfaChange = (
  ctx: Context,
  input: { readonly path: ReadonlyArray<string>; readonly now: number },
  check: (u: UserView) => Effect.Effect<void, ApiFailure>,
  change: (u: StoredUser) => void
) => Effect.map(mutate(ctx, input, change, check), (u) => ({ userId: u.id }))

const mfaRoutes = (ctx: Context): ReadonlyArray<Route> => [
  verifyTotp(ctx),
  route(UsersApi.disableMfa, (input) =>
    mfaChange(ctx, input, () => Effect.void, (u) => {
      u.totpSecret = null
      u.backupCodes = []
      u.mfaDisabledAt = input.now
    })),
  route(UsersApi.deleteBackupCodes, (input) =>
    mfaChange(
      ctx,
      input,
      (u) => u.backupCodes.length === 0 ? notFound("backup codes for user", u.id) : Effect.void,
      (u) => {
        u.backupCodes = []
      }
    )),
  route(
    UsersApi.deleteTOTP,
    (input) =>
      mfaChange(ctx, input, (u) => u.totpSecret === null ? notFound("TOTP for user", u.id) : Effect.void, (u) => {
        u.totpSecret = null
      })
  )
]

/** Credentials: passwords (verify, compromised, remove), MFA, TOTP and backup codes. @internal */
export const credentialRoutes = (ctx: Context): ReadonlyArray<Route> => [...passwordRoutes(ctx), ...mfaRoutes(ctx)]
