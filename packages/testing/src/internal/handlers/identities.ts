import { type Models, UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { failWith, notFound } from "../failure.js"
import type { StoredUser } from "../state.js"
import { type Context, deleted, id0, page, requireFeature, type Route, route, user, type UserInput } from "./shared.js"

/** DELETE of something a user owns (passkey, wallet, external account): 403 without the feature, 404 if absent. */
const removeOwned = (
  ctx: Context,
  input: UserInput,
  list: "passkeys" | "web3Wallets" | "externalAccounts",
  names: { readonly what: string; readonly object: string; readonly code: string },
  after?: (u: StoredUser) => void
) =>
  Effect.gen(function*() {
    yield* requireFeature(ctx, "passkeys", { code: names.code, message: `${names.what}s are not enabled.` })
    const u = yield* user(ctx, input)
    const id = id0(input, 1)
    if (!u[list].some((item) => item.id === id)) return yield* notFound(names.what, id)
    ctx.store.updateUser(u.id, input.now, (u) => {
      const owned: Array<{ readonly id: string }> = u[list]
      owned.splice(owned.findIndex((item) => item.id === id), 1)
      after?.(u)
    })
    return deleted(names.object, id)
  })

const oauthTokens = (ctx: Context) =>
  route(UsersApi.getOAuthAccessToken, (input) =>
    Effect.gen(function*() {
      const u = yield* user(ctx, input)
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
    }))

/** Linked identities: passkeys, web3 wallets, external accounts and their OAuth tokens. @internal */
export const identityRoutes = (ctx: Context): ReadonlyArray<Route> => [
  route(
    UsersApi.deletePasskey,
    (input) => removeOwned(ctx, input, "passkeys", { what: "passkey", object: "passkey", code: "passkeys_not_enabled" })
  ),
  route(UsersApi.deleteWeb3Wallet, (input) =>
    removeOwned(
      ctx,
      input,
      "web3Wallets",
      { what: "web3 wallet", object: "web3_wallet", code: "web3_not_enabled" },
      (u) => {
        if (u.primaryWeb3WalletId === id0(input, 1)) u.primaryWeb3WalletId = u.web3Wallets[0]?.id ?? null
      }
    )),
  route(UsersApi.deleteExternalAccount, (input) =>
    removeOwned(ctx, input, "externalAccounts", {
      what: "external account",
      object: "external_account",
      code: "sso_not_enabled"
    })),
  oauthTokens(ctx)
]
