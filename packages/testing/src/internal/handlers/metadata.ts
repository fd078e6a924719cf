import { UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { deepMerge, sanitizeMetadata } from "../metadata.js"
import type { MetadataObject, UserView } from "../state.js"
import { checkMetadataSize, type Context, mutate, type Route, route, user } from "./shared.js"

type Kind = "publicMetadata" | "privateMetadata" | "unsafeMetadata"
type Patch = { readonly [K in Kind]?: { readonly [key: string]: unknown } | undefined }

const checkSizes = (next: Partial<Record<Kind, MetadataObject>>) =>
  Effect.all([
    checkMetadataSize("public_metadata", next.publicMetadata),
    checkMetadataSize("private_metadata", next.privateMetadata),
    checkMetadataSize("unsafe_metadata", next.unsafeMetadata)
  ], { discard: true })

/** Computes the new metadata from the current (read-only) user, checks sizes, then commits it in one change. */
const change = (
  ctx: Context,
  input: { readonly path: ReadonlyArray<string>; readonly now: number },
  next: (u: UserView) => Partial<Record<Kind, MetadataObject>>
) =>
  Effect.gen(function*() {
    const values = next(yield* user(ctx, input))
    yield* checkSizes(values)
    return yield* mutate(ctx, input, (u) => Object.assign(u, values))
  })

const merged = (body: Patch) => (u: UserView): Record<Kind, MetadataObject> => ({
  publicMetadata: body.publicMetadata === undefined
    ? u.publicMetadata
    : deepMerge(u.publicMetadata, body.publicMetadata),
  privateMetadata: body.privateMetadata === undefined
    ? u.privateMetadata
    : deepMerge(u.privateMetadata, body.privateMetadata),
  unsafeMetadata: body.unsafeMetadata === undefined
    ? u.unsafeMetadata
    : deepMerge(u.unsafeMetadata, body.unsafeMetadata)
})

const replaced = (body: Patch) => (): Partial<Record<Kind, MetadataObject>> => {
  const next: Partial<Record<Kind, MetadataObject>> = {}
  if (body.publicMetadata !== undefined) next.publicMetadata = sanitizeMetadata(body.publicMetadata)
  if (body.privateMetadata !== undefined) next.privateMetadata = sanitizeMetadata(body.privateMetadata)
  if (body.unsafeMetadata !== undefined) next.unsafeMetadata = sanitizeMetadata(body.unsafeMetadata)
  return next
}

/** Metadata: Clerk's deep merge (PATCH) and replace. @internal */
export const metadataRoutes = (ctx: Context): ReadonlyArray<Route> => [
  route(UsersApi.updateMetadata, (input) => change(ctx, input, merged(input.body))),
  route(UsersApi.replaceMetadata, (input) => change(ctx, input, replaced(input.body)))
]
