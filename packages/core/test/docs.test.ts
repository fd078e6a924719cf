/**
 * House style, enforced: every export of every public module (not `internal/`) has a JSDoc block with an example.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../../..")
const publicModules = ["core", "users", "testing"].flatMap((pkg) => {
  const dir = path.join(root, "packages", pkg, "src")
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f))
})

/** Exported declarations, each with the comment block right above it (if any). */
const exportsOf = (source: string) => {
  const lines = source.split("\n")
  const out: Array<{ readonly name: string; readonly doc: string }> = []
  for (let i = 0; i < lines.length; i++) {
    const m = /^export (?:declare )?(?:const|function|class|interface|type) (\w+)/.exec(lines[i]!)
    if (!m) continue
    let j = i - 1
    while (j >= 0 && lines[j]!.trim() === "") j--
    let doc = ""
    if (lines[j]?.trim() === "*/") {
      let k = j
      while (k >= 0 && !lines[k]!.trim().startsWith("/**")) k--
      doc = lines.slice(k, j + 1).join("\n")
    }
    out.push({ name: m[1]!, doc })
  }
  return out
}

describe("JSDoc on every public export", () => {
  it("finds the public modules", () => {
    expect(publicModules.length).toBeGreaterThanOrEqual(15)
  })
  for (const file of publicModules) {
    it(path.relative(root, file), () => {
      const missing = exportsOf(fs.readFileSync(file, "utf8"))
        .filter(({ doc }) => !doc.includes("@example"))
        .map(({ name }) => name)
      expect(missing).toEqual([])
    })
  }
})
