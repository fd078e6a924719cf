import { createRequire } from "node:module"
import { Worker } from "node:worker_threads"

/**
 * argon2 verification off the event loop: `hash-wasm` computes argon2 synchronously in WebAssembly, so one
 * verification at the emulator's cost bound (64 MiB × 3 passes) would hold the event loop for seconds. It runs in one
 * lazily started `node:worker_threads` worker instead, and requests (the health endpoint among them) keep being
 * answered meanwhile. Verifications queue in that worker, one at a time.
 *
 * The worker is an inline script (`eval: true`) that `require`s hash-wasm by its resolved absolute path, so nothing
 * extra ships in `dist` and it resolves the same from source (tsx, vitest) and from the build. The worker is
 * referenced only while a verification is pending (it never keeps a process alive on its own); if it dies, pending
 * verifications answer `false` and the next one starts a new worker.
 *
 * @internal
 */
const source = `
const { parentPort, workerData } = require("node:worker_threads")
const { argon2Verify } = require(workerData.hashWasm)
parentPort.on("message", ({ id, password, hash }) => {
  argon2Verify({ password, hash }).then(
    (ok) => parentPort.postMessage({ id, ok: ok === true }),
    () => parentPort.postMessage({ id, ok: false })
  )
})
`

interface Answer {
  readonly id: number
  readonly ok: boolean
}

let worker: Worker | undefined
let nextId = 0
const pending = new Map<number, (ok: boolean) => void>()

const settleAll = () => {
  for (const resolve of pending.values()) resolve(false)
  pending.clear()
}

const start = (): Worker => {
  const w = new Worker(source, {
    eval: true,
    workerData: { hashWasm: createRequire(import.meta.url).resolve("hash-wasm") }
  })
  w.on("message", (answer: Answer) => {
    const resolve = pending.get(answer.id)
    pending.delete(answer.id)
    if (pending.size === 0) w.unref()
    resolve?.(answer.ok)
  })
  const dead = () => {
    if (worker === w) worker = undefined
    settleAll()
  }
  w.on("error", dead)
  w.on("exit", dead)
  return w
}

/**
 * Verifies a password against an argon2i/argon2id digest in the worker; any failure answers `false`.
 *
 * @internal
 */
export const argon2VerifyOffThread = (password: string, hash: string): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    try {
      const w = (worker ??= start())
      const id = nextId++
      pending.set(id, resolve)
      w.ref()
      w.postMessage({ id, password, hash })
    } catch {
      resolve(false)
    }
  })
