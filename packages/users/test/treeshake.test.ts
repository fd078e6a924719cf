/**
 * Tree-shaking: an app that imports `Users` by module path and calls only `Users.get` bundles `get`, its endpoint and
 * the `User` model with what it holds, and none of the other operations, endpoints, models, request schemas or
 * the stream machinery (every schema, endpoint and operation is marked `/*#__PURE__*\/` and the packages declare
 * `"sideEffects": false`). esbuild, as bench section 6 bundles; a regression (a call a bundler must keep) fails here.
 */
import { describe, expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import * as path from "node:path"

const bundle = async (contents: string) => {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: path.resolve(import.meta.dirname, "../../.."), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["@effect-clerk/source", "import", "default"],
    external: ["node:*"],
    write: false,
    logLevel: "silent"
  })
  return result.outputFiles[0]!.text
}

describe("tree-shaking", () => {
  it("an app calling only Users.get keeps get, its endpoint and User, nothing else of the 36", async () => {
    const code = await bundle(`import * as Users from "@effect-clerk/users/Users"\nexport const get = Users.get`)
    // what Users.get needs
    for (const kept of [`"Users.get"`, `"GetUser"`, `"User")`, `"EmailAddress")`, `"OrganizationMembership")`]) {
      expect(code).toContain(kept)
    }
    // other operations, their endpoints, models and request schemas, streams
    for (
      const dropped of [
        `"Users.list"`,
        `"GetUserList"`,
        `"Users.setProfileImage"`,
        `"TotalCount"`,
        `"CommerceSubscription"`,
        `"OAuthAccessToken"`,
        `"TrustedDevice"`,
        `"ListQuery"`,
        `"CreateBody"`,
        `"Users.stream"`,
        "pagination makes no progress"
      ]
    ) {
      expect(code).not.toContain(dropped)
    }
  }, 60_000)

  it("the same check sees what an app does use", async () => {
    const code = await bundle(
      `import * as Users from "@effect-clerk/users/Users"\nexport const both = [Users.get, Users.list]`
    )
    expect(code).toContain(`"Users.list"`)
    expect(code).toContain(`"ListQuery"`)
  }, 60_000)
})
