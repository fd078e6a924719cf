// `node scripts/pack-smoke.mjs`: builds, packs the three packages with `pnpm pack`, installs the tarballs with npm
// into a fresh project outside the workspace (with only the peers the READMEs list), then runs a smoke program
// from plain Node ESM and typechecks a TypeScript file with tsc (NodeNext) against the packed .d.ts files.
// Run by .ci/run. KEEP_SMOKE=1 keeps the temporary project.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const run = (command, args, cwd) => {
  console.log(`$ ${command} ${args.join(" ")}${cwd === root ? "" : `   (in ${cwd})`}`)
  execFileSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, NODE_OPTIONS: "" } })
}
const version = (name) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8"))
  return pkg.version
}

// The peers the READMEs list, at the versions the workspace tests with.
const peers = ["effect", "@effect/platform", "@effect/experimental", "@effect/platform-node"]
const tools = ["typescript", "@types/node"]

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-clerk-smoke-"))
try {
  run("pnpm", ["build"], root)
  const tarballs = ["core", "users", "testing"].map((pkg) => {
    const out = execFileSync("pnpm", ["pack", "--pack-destination", dir], {
      cwd: path.join(root, "packages", pkg),
      encoding: "utf8"
    })
    const tarball = out.trim().split("\n").at(-1)
    console.log(`packed ${tarball}`)
    return tarball
  })
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "effect-clerk-smoke", private: true, type: "module" }, null, 2)
  )
  run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...tarballs,
    ...[...peers, ...tools].map((name) => `${name}@${version(name)}`)
  ], dir)
  for (const file of ["smoke.mjs", "smoke.ts"]) {
    fs.copyFileSync(path.join(root, "scripts", "pack-smoke", file), path.join(dir, file))
  }
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          types: ["node"],
          noEmit: true
        },
        files: ["smoke.ts"]
      },
      null,
      2
    )
  )
  run("node", ["smoke.mjs"], dir)
  run(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], dir)
  console.log("pack smoke: ok")
} finally {
  if (process.env.KEEP_SMOKE) console.log(`kept ${dir}`)
  else fs.rmSync(dir, { recursive: true, force: true })
}
