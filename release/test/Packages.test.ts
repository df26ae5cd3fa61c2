/**
 * What Errata publishes, checked as a user receives it: each package packed by pnpm (publishConfig applied,
 * `workspace:` ranges rewritten), its contents, publint and arethetypeswrong on it, and the three tarballs installed
 * with npm into a fresh project outside the workspace — its own `effect`, `tsc --init`'s strict options — which
 * type-checks and runs a program with its own error and its own API, served and called.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { publint } from "publint"

const root = fileURLToPath(new URL("../..", import.meta.url))
const names = ["domain", "server", "client"] as const
const out = mkdtempSync(join(tmpdir(), "errata-release-"))

interface Packed {
  readonly tarball: string
  /** The tarball, extracted. */
  readonly dir: string
  readonly manifest: Record<string, any>
  readonly files: ReadonlyArray<string>
}

const packed = new Map<string, Packed>()

const filesBelow = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()

/** pnpm, as `.ci/run` and the README run it. */
const pnpm = (args: ReadonlyArray<string>, cwd: string) =>
  execFileSync("npx", ["-y", "pnpm@10", ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

beforeAll(() => {
  // What is packed is what the build made: make sure it is made from the sources as they are.
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-b", "tsconfig.json"], { cwd: root, stdio: "inherit" })
  for (const name of names) {
    const destination = join(out, name)
    mkdirSync(destination)
    pnpm(["pack", "--pack-destination", destination], join(root, "packages", name))
    const tarball = join(destination, readdirSync(destination).find((file) => file.endsWith(".tgz"))!)
    execFileSync("tar", ["xzf", tarball, "-C", destination])
    const dir = join(destination, "package")
    packed.set(name, {
      tarball,
      dir,
      manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")),
      files: filesBelow(dir)
    })
  }
})

afterAll(() => rmSync(out, { recursive: true, force: true }))

describe("The packed packages", () => {
  for (const name of names) {
    describe(`@errata/${name}`, () => {
      it("hold only what a user needs: the built modules, their sources for the source maps, the manifest", () => {
        const { dir, files, manifest } = packed.get(name)!
        const outside = files.filter((file) => !/^(dist|src)\//.test(file) && !["package.json", "README.md", "LICENSE"].includes(file))
        assert.deepStrictEqual(outside, [])
        assert.isFalse(files.some((file) => /(^|\/)(test|bench|scripts)\//.test(file) || /\.test(-d)?\.ts$/.test(file)))
        // Every built module has its source: nothing stale from a module that no longer exists.
        for (const file of files.filter((file) => file.startsWith("dist/") && file.endsWith(".js"))) {
          assert.include(files, file.replace(/^dist\//, "src/").replace(/\.js$/, ".ts"), `${file} has no source`)
        }
        // Every export points at built files that are there: types and JavaScript.
        for (const [subpath, target] of Object.entries<any>(manifest.exports)) {
          if (typeof target === "string") continue
          assert.match(target.import, /^\.\/dist\/.*\.js$/, subpath)
          assert.match(target.types, /^\.\/dist\/.*\.d\.ts$/, subpath)
          assert.isTrue(existsSync(join(dir, target.import)) && existsSync(join(dir, target.types)), subpath)
        }
        assert.notProperty(manifest.exports, "./internal/*")
      })

      it("export every public module, and no module of internal/", () => {
        const { files, manifest } = packed.get(name)!
        const modules = files.filter((file) => /^src\/[A-Z]\w*\.ts$/.test(file)).map((file) => `./${file.slice(4, -3)}`)
        assert.deepStrictEqual(
          Object.keys(manifest.exports).filter((subpath) => subpath !== "." && subpath !== "./package.json").sort(),
          modules.sort()
        )
      })

      it("have effect and @effect/* as peer dependencies with ranges, and no workspace: range", () => {
        const { manifest } = packed.get(name)!
        const text = JSON.stringify(manifest)
        assert.notInclude(text, "workspace:")
        assert.match(manifest.peerDependencies.effect, /^\^3\./)
        assert.match(manifest.peerDependencies["@effect/platform"], /^\^0\.97\./)
        for (const dependency of Object.keys(manifest.dependencies ?? {})) {
          assert.isFalse(dependency === "effect" || dependency.startsWith("@effect/"), dependency)
        }
      })

      it("pass publint", async () => {
        const { messages } = await publint({ pkgDir: packed.get(name)!.dir, level: "suggestion", pack: false })
        assert.deepStrictEqual(messages, [])
      })

      it("pass arethetypeswrong, as an ESM-only package", () => {
        const attw = spawnSync(join(root, "release/node_modules/.bin/attw"), [
          packed.get(name)!.tarball,
          "--profile",
          "esm-only",
          "--format",
          "ascii"
        ], { encoding: "utf8" })
        assert.strictEqual(attw.status, 0, attw.stdout + attw.stderr)
      })
    })
  }

  it("the server depends on nothing the example needs: no SQLite driver; @effect/sql only as an optional peer", () => {
    const { manifest } = packed.get("server")!
    const all = { ...manifest.dependencies, ...manifest.peerDependencies }
    assert.deepStrictEqual(Object.keys(all).filter((dependency) => /sql/.test(dependency)), ["@effect/sql"])
    assert.notProperty(manifest.dependencies ?? {}, "@effect/sql")
    assert.deepStrictEqual(manifest.peerDependenciesMeta?.["@effect/sql"], { optional: true })
  })
})

/** The npm registry answers: the fresh install needs it. */
const registryReachable = spawnSync("npm", ["ping"], { encoding: "utf8", timeout: 20_000 }).status === 0

/** A program of the user's own, in the fresh project. */
const program = `import { FetchHttpClient, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { ErrataClient } from "@errata/client"
import { CatalogError, ErrataApi, WireFormat } from "@errata/domain"
import { ErrataConfig, ErrataServer } from "@errata/server"
import { Effect, Layer, Schema } from "effect"
import { createServer } from "node:http"

class QuotaExceeded extends CatalogError.Class<QuotaExceeded>()("QuotaExceeded", {
  code: "quota_exceeded",
  status: 429,
  category: "rate_limit",
  description: "The monthly quota is used up",
  resolution: "Wait for the next month",
  fields: { quota: Schema.Int }
}) {}

class Api extends ErrataApi.make("fresh").add(
  HttpApiGroup.make("things").add(HttpApiEndpoint.post("make", "/things").addSuccess(Schema.String).addError(QuotaExceeded))
) {}

const ThingsLive = ErrataServer.group(Api, "things", (handlers) =>
  handlers.handle("make", () => Effect.fail(new QuotaExceeded({ quota: 7, retryAfter: 3600 }))))

const ServerLive = HttpApiBuilder.serve().pipe(
  Layer.provide(ErrataServer.layer(Api).pipe(Layer.provide(ThingsLive))),
  Layer.provide(ErrataConfig.layer({ format: WireFormat.CodeMessage })),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
)

const main = Effect.gen(function*() {
  const { address } = yield* HttpServer.HttpServer
  const port = (address as HttpServer.TcpAddress).port
  const client = yield* ErrataClient.make(Api, { baseUrl: \`http://127.0.0.1:\${port}\` })
  const error = yield* Effect.flip(client.things.make())
  const quota = error._tag === "QuotaExceeded" ? error.quota : undefined
  console.log(JSON.stringify({ tag: error._tag, ownClass: error instanceof QuotaExceeded, quota }))
}).pipe(Effect.provide(ServerLive), Effect.provide(FetchHttpClient.layer), Effect.scoped)

Effect.runPromise(main).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
`

/** The versions the fresh project installs itself: its `effect` differs from the workspace's, within the peer range. */
const projectDependencies = {
  "effect": "3.22.3",
  "@effect/platform": "0.97.2",
  "@effect/platform-node": "0.108.2",
  "@effect/experimental": "0.61.1",
  "typescript": "5.9.3",
  "@types/node": "20.19.43"
}

describe("The tarballs installed with npm into a fresh project outside the workspace", () => {
  if (!registryReachable) console.log("Fresh-install test skipped: the npm registry does not answer (npm ping)")

  it.skipIf(!registryReachable)("type-check under tsc --init's options and run a user's program with one copy of effect", () => {
    const project = join(out, "fresh-project")
    mkdirSync(join(project, "src"), { recursive: true })
    const tarball = (name: string) => `file:${packed.get(name)!.tarball}`
    writeFileSync(join(project, "package.json"), JSON.stringify({
      name: "fresh-project",
      private: true,
      type: "module",
      dependencies: {
        "@errata/domain": tarball("domain"),
        "@errata/server": tarball("server"),
        "@errata/client": tarball("client"),
        ...projectDependencies
      }
    }, null, 2))
    writeFileSync(join(project, "src/program.ts"), program)
    const npm = (...args: Array<string>) =>
      execFileSync("npm", args, { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    npm("install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error")

    // The options `tsc --init` writes, with Node's types and an output folder, as a Node user sets them.
    const tsc = join(project, "node_modules/.bin/tsc")
    execFileSync(tsc, ["--init", "--types", "node", "--rootDir", "src", "--outDir", "dist"], { cwd: project })
    const compiled = spawnSync(tsc, ["-p", "."], { cwd: project, encoding: "utf8" })
    assert.strictEqual(compiled.status, 0, compiled.stdout + compiled.stderr)
    // `tsc --init` skips checking libraries' declaration files; ours must pass that check too under its options.
    // (Effect's own platform-node declarations need @types/ws, which a user adds if they check libraries.)
    const libraries = spawnSync(tsc, ["-p", ".", "--noEmit", "--skipLibCheck", "false"], { cwd: project, encoding: "utf8" })
    assert.deepStrictEqual(libraries.stdout.split("\n").filter((line) => line.includes("node_modules/@errata/")), [])

    const run = spawnSync(process.execPath, ["dist/program.js"], { cwd: project, encoding: "utf8", timeout: 60_000 })
    assert.strictEqual(run.status, 0, run.stdout + run.stderr)
    // The last line is the program's; the server's log line of the refusal comes before it.
    const lines = run.stdout.trim().split("\n")
    assert.deepStrictEqual(JSON.parse(lines[lines.length - 1]!), { tag: "QuotaExceeded", ownClass: true, quota: 7 })

    const installed = (name: string) =>
      filesBelow(join(project, "node_modules"))
        .filter((file) => file.endsWith(`${name}/package.json`))
        .map((file) => JSON.parse(readFileSync(join(project, "node_modules", file), "utf8")))
        .filter((manifest) => manifest.name === name)
    assert.deepStrictEqual(installed("effect").map((manifest) => manifest.version), ["3.22.3"])
    // The server's and the client's dependency on the domain is the tarball's copy, not another.
    assert.deepStrictEqual(installed("@errata/domain").map((manifest) => manifest.description), [
      packed.get("domain")!.manifest.description
    ])
  })
})
