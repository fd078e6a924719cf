import {
  BadRequest,
  ClerkClient,
  Conflict,
  Endpoint,
  Forbidden,
  InternalServerError,
  NotFound,
  PaymentRequired,
  Unauthorized,
  UnprocessableEntity
} from "@effect-clerk/core"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

export const secret = "sk_test_fake_key_for_redaction_tests_Zq9xW4"

export const Thing = Schema.Struct({
  id: Schema.String,
  firstName: Schema.NullOr(Schema.String).pipe(Schema.propertySignature, Schema.fromKey("first_name"))
})

export const getThing = Endpoint.make({
  name: "Things.get",
  operationId: "GetThing",
  method: "GET",
  path: "/things/{thing_id}",
  success: Thing,
  errors: [
    BadRequest,
    Unauthorized,
    PaymentRequired,
    Forbidden,
    NotFound,
    Conflict,
    UnprocessableEntity,
    InternalServerError
  ]
})

export const getNested = Endpoint.make({
  name: "Things.getNested",
  operationId: "GetNested",
  method: "DELETE",
  path: "/things/{thing_id}/parts/{part_id}",
  success: Thing,
  errors: [NotFound]
})

export const ListQuery = Schema.Struct({
  emailAddress: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))).pipe(Schema.fromKey("email_address")),
  limit: Schema.optional(Schema.NullOr(Schema.NumberFromString)),
  offset: Schema.optional(Schema.NumberFromString),
  banned: Schema.optional(Schema.BooleanFromString),
  query: Schema.optional(Schema.NullOr(Schema.String))
})

export const listThings = Endpoint.make({
  name: "Things.list",
  operationId: "ListThings",
  method: "GET",
  path: "/things",
  query: ListQuery,
  success: Schema.Array(Thing),
  errors: [UnprocessableEntity]
})

export const createThing = Endpoint.make({
  name: "Things.create",
  operationId: "CreateThing",
  method: "POST",
  path: "/things",
  body: Endpoint.json(Schema.Struct({
    firstName: Schema.optional(Schema.NullOr(Schema.String)).pipe(Schema.fromKey("first_name")),
    publicMetadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })).pipe(
      Schema.fromKey("public_metadata")
    )
  })),
  success: Thing,
  errors: [UnprocessableEntity]
})

export interface Recorded {
  readonly requests: Array<HttpClientRequest.HttpClientRequest>
}

/** A ClerkClient over an HttpClient answering with `respond`, recording every request it receives. */
export const clientLayer = (
  respond: (
    request: HttpClientRequest.HttpClientRequest
  ) => Response | Effect.Effect<Response, HttpClientError.HttpClientError>,
  recorded: Recorded = { requests: [] },
  options: Partial<ClerkClient.Options> = {}
) =>
  ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl: "https://clerk.test", ...options }).pipe(
    Layer.provide(Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request) => {
        recorded.requests.push(request)
        const answer = respond(request)
        return Effect.map(
          Effect.isEffect(answer) ? answer : Effect.succeed(answer),
          (web) => HttpClientResponse.fromWeb(request, web)
        )
      })
    ))
  )

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

export const clerkErrors = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  errors: [{ code, message, long_message: `${message} (long)`, meta: { param_name: "user_id", nested: { a: 1 } } }],
  clerk_trace_id: "trace_123",
  ...extra
})

export const networkReset = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.fail(
    new HttpClientError.RequestError({
      request,
      reason: "Transport",
      cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
    })
  )
