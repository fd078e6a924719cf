/**
 * The generated schemas against Clerk's spec: a sample of every component (built from the spec by openapi-sampler,
 * every optional property filled, the spec's own property examples used) decodes, and encodes back to the same
 * wire object; rich objects from the emulator decode; unknown fields and future enum values are tolerated.
 */
import { Models } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import { sample } from "openapi-sampler"
import { parse } from "yaml"

type Node = { readonly [key: string]: unknown }
const isNode = (u: unknown): u is Node => typeof u === "object" && u !== null && !Array.isArray(u)
const spec = parse(
  fs.readFileSync(new URL("../../testing/spec/clerk-bapi-2026-05-12.yml", import.meta.url), "utf8")
) as Node
const components =
  (isNode(spec["components"]) && isNode(spec["components"]["schemas"]) ? spec["components"]["schemas"] : {}) as Node
const pascal = (name: string) => {
  const camel = name.replace(/-/g, "_").replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
  return camel.charAt(0).toUpperCase() + camel.slice(1)
}

const models = Object.entries(Models).flatMap(([name, value]) =>
  Schema.isSchema(value) ? [[name, value as Schema.Schema<unknown, unknown>] as const] : []
)

describe("generated models", () => {
  it("cover every component schema the 36 operations reach (70 models)", () => {
    expect(models.length).toBe(70)
  })

  const fromSpec = models.flatMap(([name, schema]) => {
    const component = Object.keys(components).find((c) => pascal(c) === name)
    return component === undefined ? [] : [[name, component, schema] as const]
  })

  it("match a spec component for every model but the named inline responses", () => {
    const unmatched = models.map(([name]) => name).filter((name) => !fromSpec.some(([n]) => n === name))
    expect(unmatched.every((name) => name.endsWith("Response"))).toBe(true)
  })

  for (const [name, component, schema] of fromSpec) {
    it(`${name}: the spec's sample decodes and encodes back unchanged`, () => {
      const wire = sample(components[component] as never, { skipNonRequired: false, quiet: true }, spec)
      const decoded = Schema.decodeUnknownEither(schema)(wire)
      if (Either.isLeft(decoded)) throw new Error(`${name}: ${decoded.left.message}`)
      const encoded = Schema.encodeEither(schema)(decoded.right)
      if (Either.isLeft(encoded)) throw new Error(`${name}: ${encoded.left.message}`)
      expect(encoded.right).toEqual(wire)
    })
  }

  it("tolerate fields and enum values Clerk adds later", () => {
    const wire = sample(components["User"] as never, { skipNonRequired: false, quiet: true }, spec) as Record<
      string,
      unknown
    >
    const future = {
      ...wire,
      brand_new_field: { anything: [1, 2, 3] },
      object: "user_v2",
      email_addresses: [{
        id: "idn_1",
        object: "email_address",
        email_address: "a@b.co",
        reserved: false,
        linked_to: [],
        created_at: 1,
        updated_at: 1,
        verification: { object: "verification_quantum", status: "entangled", strategy: "qubit" }
      }]
    }
    const user = Schema.decodeUnknownSync(Models.User)(future)
    expect(user.object).toBe("user_v2")
    expect(user.emailAddresses[0]?.verification).toMatchObject({ object: "verification_quantum" })
    expect("brand_new_field" in user).toBe(false)
  })

  it("refuse what is really wrong: a missing required field, a wrong type", () => {
    const wire = sample(components["User"] as never, { skipNonRequired: false, quiet: true }, spec) as Record<
      string,
      unknown
    >
    const { id: _id, ...missingId } = wire
    expect(Either.isLeft(Schema.decodeUnknownEither(Models.User)(missingId))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Models.User)({ ...wire, banned: "yes" }))).toBe(true)
  })
})
