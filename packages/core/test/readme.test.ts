/**
 * Every ```ts block of README.md and packages/*\/README.md compiles as pasted: each block is written to its own
 * file (under .readme-check/, inside the repository so the workspace packages resolve) and typechecked with the
 * repository's compiler options (unused locals allowed: a block may only show a declaration).
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"

const root = path.resolve(import.meta.dirname, "../../..")
const readmes = [
  "README.md",
  ...fs.readdirSync(path.join(root, "packages")).map((pkg) => path.join("packages", pkg, "README.md"))
].filter((file) => fs.existsSync(path.join(root, file)))

const blocks = readmes.flatMap((file) => {
  const text = fs.readFileSync(path.join(root, file), "utf8")
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match, i) => ({
    name: `${file.replace(/[/.]/g, "_")}_${i + 1}.ts`,
    source: file,
    line: text.slice(0, match.index).split("\n").length + 1,
    code: match[1]!
  }))
})

describe("README TypeScript blocks", () => {
  it("there are blocks to check", () => {
    expect(blocks.length).toBeGreaterThan(10)
  })

  it("each compiles as pasted", () => {
    const dir = path.join(root, ".readme-check")
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    for (const block of blocks) fs.writeFileSync(path.join(dir, block.name), block.code)
    const base = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.base.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined
    })!
    const program = ts.createProgram(blocks.map((block) => path.join(dir, block.name)), {
      ...base.options,
      noEmit: true,
      noUnusedLocals: false,
      composite: false,
      declaration: false,
      declarationMap: false,
      plugins: []
    })
    const problems = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.startsWith(dir)).map((d) => {
      const block = blocks.find((b) => d.file!.fileName.endsWith(b.name))!
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
      return `${block.source}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`
    })
    expect(problems).toEqual([])
  }, 300_000)
})
