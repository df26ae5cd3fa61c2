/**
 * Another process holding a SQLite file's write lock: a child Node process with a better-sqlite3 connection of its
 * own in `BEGIN EXCLUSIVE`, until `release`. For the stall benchmark and the tests of a locked database.
 */
import { spawn } from "node:child_process"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

/** better-sqlite3 as `@effect/sql-sqlite-node` resolves it: the same native build the service uses. */
const betterSqlite3 = createRequire(require.resolve("@effect/sql-sqlite-node/SqliteClient")).resolve("better-sqlite3")

const holder = `
const Database = require(${JSON.stringify(betterSqlite3)})
const db = new Database(process.argv[1])
db.exec("BEGIN EXCLUSIVE")
process.stdout.write("locked\\n")
process.stdin.resume()
process.stdin.on("end", () => { db.exec("ROLLBACK"); db.close(); process.exit(0) })
`

/** A lock on `filename` held by a child process; `release` ends its transaction and waits for it to exit. */
export interface HeldLock {
  readonly release: () => Promise<void>
}

/** Takes the write lock of `filename` in a child process; resolves once it holds it. */
export const holdLock = (filename: string): Promise<HeldLock> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", holder, filename], { stdio: ["pipe", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk) => (stderr += chunk))
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`the lock holder exited with ${code}: ${stderr}`)))
    child.stdout.once("data", () =>
      resolve({
        release: () => {
          child.stdin.end()
          return exited
        }
      }))
  })
