// `pnpm test`: makes sure a Redis can be started for the shared rate-limit tests (installing Debian's
// redis-server when it is missing and this is a root shell on Debian/Ubuntu, as on CI), runs the whole suite once,
// and ends with a plain "N passed, N failed" line.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0

if (!process.env.REDIS_URL && !has("redis-server")) {
  const root = typeof process.getuid === "function" && process.getuid() === 0
  if (root && has("apt-get")) {
    console.log("redis-server is missing: installing it from Debian's packages")
    const update = spawnSync("apt-get", ["update"], { stdio: "inherit" })
    const install = update.status === 0
      ? spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"], { stdio: "inherit" })
      : update
    if (install.status !== 0) process.exit(install.status ?? 1)
  } else {
    console.error(
      "The Redis tests need redis-server on PATH (apt-get install redis-server, brew install redis) or REDIS_URL."
    )
    process.exit(1)
  }
}

fs.mkdirSync(".vitest", { recursive: true })
const results = ".vitest/results.json"
fs.rmSync(results, { force: true })
const run = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${results}`,
    ...process.argv.slice(2)
  ],
  { stdio: "inherit" }
)
if (fs.existsSync(results)) {
  const summary = JSON.parse(fs.readFileSync(results, "utf8"))
  console.log(`${summary.numPassedTests} passed, ${summary.numFailedTests} failed`)
}
process.exit(run.status ?? 1)
