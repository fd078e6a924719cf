import { type Models, UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { makeId } from "../crypto.js"
import { failWith, integerRange, notFound, paramInvalid } from "../failure.js"
import { money } from "../present.js"
import type { DeepReadonly, LedgerEntry } from "../state.js"
import { type Context, requireFeature, type Route, route, user } from "./shared.js"

const ledgerResponse = (payerId: string, entry: DeepReadonly<LedgerEntry>): Models.CommerceCreditLedgerResponse => ({
  object: "commerce_credit_ledger",
  id: entry.id,
  payerId,
  amount: money(entry.action === "increase" ? entry.amount : -entry.amount, entry.currency),
  sourceType: "manual_adjustment",
  sourceId: entry.idempotencyKey,
  note: entry.note,
  createdAt: new Date(entry.createdAt).toISOString()
})

const adjust = (ctx: Context) =>
  route(UsersApi.adjustBillingCreditBalance, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "billing")
      const u = yield* user(ctx, input)
      const body = input.body
      const currency = body.currency ?? u.credits.currency
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
        return ledgerResponse(u.id, previous)
      }
      if (!Number.isInteger(body.amount) || body.amount <= 0) {
        return yield* paramInvalid(
          "amount",
          `${integerRange("amount", String(body.amount))} (the currency's minor unit).`
        )
      }
      // the balance stays a safe integer (a snapshot holding it must restore)
      if (body.action === "increase" && !Number.isSafeInteger(u.credits.balance + body.amount)) {
        return yield* paramInvalid("amount", `The balance (${u.credits.balance}) cannot grow by ${body.amount}.`)
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
      const entry: LedgerEntry = {
        id: makeId("ccl"),
        amount: body.amount,
        action: body.action,
        currency,
        note: body.note ?? null,
        idempotencyKey: body.idempotencyKey,
        createdAt: input.now
      }
      // credits are not part of the user representation: no updatedAt bump, no event
      ctx.store.updateUserExtras(u.id, ({ credits }) => {
        credits.currency = currency
        credits.balance += body.action === "increase" ? body.amount : -body.amount
        credits.ledger.push(entry)
      })
      return ledgerResponse(u.id, entry)
    }))

/** Billing: subscription, credit balance and its adjustments. @internal */
export const billingRoutes = (ctx: Context): ReadonlyArray<Route> => [
  route(UsersApi.getBillingSubscription, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "billing")
      const u = yield* user(ctx, input)
      if (u.subscription === null) return yield* notFound("billing subscription for user", u.id)
      return u.subscription
    })),
  route(UsersApi.getBillingCreditBalance, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "billing")
      const u = yield* user(ctx, input)
      return {
        object: "commerce_credit_balance",
        balance: u.credits.ledger.length === 0 ? null : money(u.credits.balance, u.credits.currency)
      }
    })),
  adjust(ctx)
]
