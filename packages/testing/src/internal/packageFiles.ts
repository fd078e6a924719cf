/**
 * Files of this package read at run time (the vendored spec, package.json). They sit at the package root, shipped
 * in the tarball (`files` in package.json); the root is found by walking up from this module, so the same code
 * works from `src/` in the workspace and from `dist/` in an installed package, wherever the module sits.
 *
 * @internal
 */
import * as fs from "node:fs"

const findRoot = (): URL => {
  let dir = new URL("./", import.meta.url)
  for (let depth = 0; depth < 6; depth++) {
    const candidate = new URL("package.json", dir)
    if (fs.existsSync(candidate)) {
      const json: unknown = JSON.parse(fs.readFileSync(candidate, "utf8"))
      if (typeof json === "object" && json !== null && "name" in json && json.name === "@effect-clerk/testing") {
        return dir
      }
    }
    dir = new URL("../", dir)
  }
  return new URL("../../", import.meta.url)
}

/** @internal */
export const packageRoot: URL = findRoot()

/** @internal */
export const specUrl: URL = new URL("spec/clerk-bapi-2026-05-12.yml", packageRoot)

/** @internal */
export const packageJsonUrl: URL = new URL("package.json", packageRoot)
