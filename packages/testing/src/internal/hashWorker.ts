import { createRequire } from "node:module"
import { Worker } from "node:worker_threads"

/**
 * Slow synchronous hashing off the event loop: `hash-wasm` computes argon2 synchronously in WebAssembly, so one
 * verification at the emulator's cost bound (64 MiB × 3 passes) would hold the event loop for seconds. It runs in one
 * lazily started `node:worker_threads` worker instead, and requests (the health endpoint among them) keep being
 * answered meanwhile. Verifications queue in that worker, one at a time. Symfony's and phpass's hash loops run there
 * too.
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
const crypto = require("node:crypto")
const iterate = ({ algorithm, first, rounds, tail }) => {
  let out = crypto.createHash(algorithm).update(first).digest()
  for (let i = 0; i < rounds; i++) out = crypto.createHash(algorithm).update(out).update(tail).digest()
  return out
}
parentPort.on("message", ({ id, job }) => {
  if (job._tag === "Iterate") {
    let out
    try { out = iterate(job) } catch { out = undefined }
    parentPort.postMessage({ id, ok: false, bytes: out })
    return
  }
  argon2Verify({ password: job.password, hash: job.hash }).then(
    (ok) => parentPort.postMessage({ id, ok: ok === true }),
    () => parentPort.postMessage({ id, ok: false })
  )
})
`

interface Answer {
  readonly id: number
  readonly ok: boolean
  readonly bytes?: Uint8Array | undefined
}

type Job =
  | { readonly _tag: "Argon2"; readonly password: string; readonly hash: string }
  | {
    readonly _tag: "Iterate"
    readonly algorithm: "md5" | "sha512"
    readonly first: string
    readonly rounds: number
    readonly tail: string
  }

let worker: Worker | undefined
let nextId = 0
const pending = new Map<number, (answer: Answer | undefined) => void>()

const settleAll = () => {
  for (const resolve of pending.values()) resolve(undefined)
  pending.clear()
}

const start = (): Worker => {
  const w = new Worker(source, {
    eval: true,
    // the script is CommonJS: flags such as --input-type=module or --import loaders are not inherited
    execArgv: [],
    workerData: { hashWasm: createRequire(import.meta.url).resolve("hash-wasm") }
  })
  w.on("message", (answer: Answer) => {
    const resolve = pending.get(answer.id)
    pending.delete(answer.id)
    if (pending.size === 0) w.unref()
    resolve?.(answer)
  })
  const dead = () => {
    if (worker === w) worker = undefined
    settleAll()
  }
  w.on("error", dead)
  w.on("exit", dead)
  return w
}

const run = (job: Job): Promise<Answer | undefined> =>
  new Promise<Answer | undefined>((resolve) => {
    try {
      const w = (worker ??= start())
      const id = nextId++
      pending.set(id, resolve)
      w.ref()
      w.postMessage({ id, job })
    } catch {
      resolve(undefined)
    }
  })

/**
 * Verifies a password against an argon2i/argon2id digest in the worker; any failure answers `false`.
 *
 * @internal
 */
export const argon2VerifyOffThread = (password: string, hash: string): Promise<boolean> =>
  run({ _tag: "Argon2", password, hash }).then((answer) => answer?.ok === true)

/**
 * `out = H(first)`, then `rounds` times `out = H(out ‖ tail)`, in the worker (Symfony's and phpass's loops: up to
 * 100,000 SHA-512 or 65,536 MD5 rounds, too long to run on the event loop). `undefined` if the worker failed.
 *
 * @internal
 */
export const iterateOffThread = (
  algorithm: "md5" | "sha512",
  first: string,
  rounds: number,
  tail: string
): Promise<Uint8Array | undefined> =>
  run({ _tag: "Iterate", algorithm, first, rounds, tail }).then((answer) => answer?.bytes)
