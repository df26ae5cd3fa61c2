/**
 * The requests the fuzzer sends, generated from the contract: for each endpoint a valid request (`Arbitrary.make` on
 * its path, query, headers and body schemas, encoded as they travel), then at most one mutation — a body member
 * dropped, added, of the wrong type or a boundary string, invalid UTF-8, random bytes, truncated or deeply nested
 * JSON, a wrong content type, an odd path parameter or path, unknown or wrong query parameters, another method, odd
 * headers, another framing — with valid credentials most of the time, none or bad ones sometimes. Some go to no
 * endpoint at all.
 *
 * A probe is data, the same for the same seed and path. Where a path parameter or a body's `_id` member refers to
 * something, a probe may ask for one of the ids the server gave earlier in the run (`Ref`, resolved from a `Pool` when
 * it is sent): the request really sent is what a failure shows.
 */
import { Webhook } from "@errata/domain"
import type { WireFormat } from "@errata/domain"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import type { Endpoint } from "./Endpoints.js"
import { memberSchema } from "./Endpoints.js"

/** Where a value may be one of the ids the server gave: the `pick`th that fits, else `fallback`. */
export interface Ref {
  readonly _tag: "Ref"
  readonly pick: number
  readonly fallback: string
  /** The path parameter or top-level body member it is the value of. */
  readonly name: string
}

export type Body =
  | {
    readonly _tag: "Json"
    readonly value: unknown
    readonly refs: ReadonlyArray<Ref>
    /** Bytes written in place of the one `\uE000` of the JSON text: invalid UTF-8. */
    readonly splice?: ReadonlyArray<number>
  }
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Bytes"; readonly bytes: Uint8Array }

/** How the body is framed: `Content-Length`, chunked, or both (which HTTP forbids). */
export type Framing = "length" | "chunked" | "both"

export interface Probe {
  /** The endpoint it is meant for; `undefined` for a path no endpoint serves. */
  readonly endpoint: string | undefined
  /** What was changed from a valid request, or `valid`. */
  readonly mutation: string
  readonly method: string
  /** The path: raw text as sent, and parameters. */
  readonly path: ReadonlyArray<string | Ref>
  /** The query as sent, with its `?`, or empty. */
  readonly query: string
  /** Headers as sent, one character a byte. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly contentType: string | undefined
  readonly body: Body | undefined
  readonly framing: Framing
  readonly credentials: "valid" | "none" | "bad"
  /** Whether the HTTP server's parser may refuse it before routing (a malformed request line, header or framing). */
  readonly malformed: boolean
}

/** The mark of a value the fuzzer made up: no error body may repeat it. */
export const canary = "zqcanary"

/** A change to a valid probe, named for people. */
interface Mutation {
  readonly name: string
  readonly apply: (probe: Probe) => Probe
}

const mutation = (name: string, apply: (probe: Probe) => Probe): Mutation => ({ name, apply })

const weighted = <A>(weight: number, arbitrary: fc.Arbitrary<A>) => ({ weight, arbitrary })

// ---------------------------------------------------------------------------------------------------------------
// Values

/**
 * Strings at the edges: empty, at and past common lengths, Unicode that normalises or hides, control characters, lone
 * surrogates, and values that would show if an error quoted them.
 */
const boundaryString: fc.Arbitrary<string> = fc.oneof(
  weighted(3, fc.constantFrom(
    "",
    " ",
    "  padded  ",
    "\t",
    "José",
    "Jose\u0301",
    "İSTANBUL",
    "ß",
    "😀",
    "\u202Eevil",
    "zw\u200Bj@x.io",
    "\uFEFF",
    "ｆｕｌｌ",
    "\u0000",
    "a\u0000@b.co",
    "\u001b[31mred",
    "a\r\nb",
    "\u0085",
    "\u2028",
    "\ud800",
    "a\udfffb",
    "\udc00\ud800",
    "a@b.co",
    "A@B.CO",
    " a@b.co ",
    "a@b",
    "@b.co",
    "a@@b.co",
    "1e309",
    "-0",
    "NaN",
    `${canary}<script>alert(1)</script>`,
    `${canary}' OR 1=1 --`,
    `${canary}\${jndi:ldap://x}`,
    `%s%n${canary}`,
    `../../${canary}`,
    `${canary}@example.com`
  )),
  weighted(
    2,
    fc.constantFrom(63, 64, 65, 100, 101, 200, 201, 255, 256, 257, 320, 321, 1_000, 10_000, 100_000).map((n) =>
      canary + "a".repeat(Math.max(0, n - canary.length))
    )
  ),
  weighted(1, fc.string({ unit: "binary", maxLength: 40 })),
  weighted(1, fc.string({ unit: "binary-ascii", maxLength: 40 })),
  weighted(
    4,
    fc.tuple(
      fc.string({ maxLength: 6 }),
      fc.constantFrom("\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u00a0", "\ud800", "\udfff", "\u200d", "\u2028", "é"),
      fc.string({ maxLength: 6 })
    ).map(([before, odd, after]) => `${before}${odd}${after}`)
  )
)

/** A value of another type than the one expected, or out of range. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1.5, 1e308, -1e308, true, false, "", "text", [], {}, [1, 2], { a: 1 }, [null]),
  fc.constantFrom(canary, `${canary}-1`).map((text) => ({ value: text })),
  fc.jsonValue({ maxDepth: 2 })
)

/** Invalid UTF-8: a lone byte, a truncated sequence, an overlong encoding, an encoded surrogate, past U+10FFFF. */
const invalidUtf8 = fc.constantFrom<ReadonlyArray<number>>(
  [0xff],
  [0x80],
  [0xc3],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xfe, 0xfe, 0xff, 0xff]
)

/** Bodies a JSON endpoint may be sent instead of an object. */
const otherJson = fc.constantFrom(
  "null",
  "[]",
  "\"text\"",
  "1",
  "true",
  "{}",
  " ",
  "{\"a\":1,\"a\":2}",
  "\uFEFF{}",
  "{} {}",
  "{\"a\":1,}",
  "NaN",
  "1e999",
  "{'a':1}",
  "[{}]",
  "{\"__proto__\":{\"admin\":true}}"
)

/** Path parameters no id looks like, percent-encoded or not. */
const oddSegment = fc.oneof(
  fc.constantFrom(
    "..",
    ".",
    "%2e%2e",
    "%00",
    "%2F",
    "a%2Fb",
    "%ZZ",
    "%",
    "%E9",
    "%C3%A9",
    "%F0%9F%98%80",
    "%ED%A0%80",
    "%FF",
    "%20",
    "+",
    "~",
    ";a=b",
    "null",
    "undefined",
    "-1",
    "0",
    "1e3",
    "true",
    "%7B%7D",
    `${canary}%3Cscript%3E`,
    `org_${"0".repeat(32)}`,
    `ORG_${"0".repeat(32)}`,
    "x".repeat(64),
    "x".repeat(65),
    "x".repeat(100),
    "x".repeat(101),
    canary + "x".repeat(5_000)
  ),
  fc.webSegment().map((segment) => canary + segment)
)

/** Path parameters Node's parser refuses, or takes as they are: a space, a control character, raw non-ASCII bytes. */
const rawSegment = fc.constantFrom("a b", "a\tb", "\u00e9", "\u00c3\u00a9", "a\u007fb", "a\"b", "a<b>", "a{b}", "a|b", "a\\b")

/** Query values, as sent: percent-encoded, or not quite (`%ZZ`, `%E9`). */
const queryValue = fc.oneof(
  fc.constantFrom(
    "abc",
    "-1",
    "0",
    "101",
    "1.5",
    "1e3",
    "",
    " 5",
    "0x10",
    `9x<${canary}>`,
    "99999999999999999999",
    "NaN",
    "Infinity",
    "-created_at",
    "email,name",
    "__proto__"
  ).map(encodeURIComponent),
  fc.constantFrom("%ZZ", "%00", "%E9", "%ED%A0%80", "%"),
  fc.webQueryParameters().map((text) => canary + text)
)

const accepts = (formats: ReadonlyArray<WireFormat.Any>) =>
  fc.oneof(
    weighted(6, fc.constant<string | undefined>(undefined)),
    weighted(3, fc.constantFrom<string | undefined>(...new Set(formats.map((format) => format.contentType)))),
    weighted(
      2,
      fc.constantFrom<string | undefined>(
        "application/problem+json",
        "application/json",
        "*/*",
        "text/html",
        "application/problem+json, application/json;q=0.5",
        "application/xml",
        "zz/zz;;;q=x",
        ""
      )
    )
  )

const requestIds = fc.oneof(
  weighted(8, fc.constant<string | undefined>(undefined)),
  weighted(1, fc.stringMatching(/^[A-Za-z0-9._~:-]{1,128}$/).map((id): string | undefined => id)),
  weighted(
    1,
    fc.constantFrom<string | undefined>("x".repeat(129), "has space", "caf\u00e9", "a/b", "", "<script>", `${canary}!`)
  )
)

/** Credentials that are not: none, a bearer token no one issued, another scheme, a token too long. */
const badCredentials = fc.constantFrom<ReadonlyArray<readonly [string, string]>>(
  [["authorization", "Bearer not-a-token"]],
  [["authorization", "Bearer"]],
  [["authorization", "Bearer "]],
  [["authorization", "Basic dGVzdDp0ZXN0"]],
  [["authorization", "bearer lowercase-scheme"]],
  [["authorization", `Bearer ${"t".repeat(5_000)}`]],
  [["authorization", "Bearer a b c"]],
  [["authorization", "Bearer x"], ["authorization", "Bearer y"]],
  [[Webhook.header.toLowerCase(), "t=1,v1=00"]],
  [[Webhook.header.toLowerCase(), `t=${canary},v1=zz`]]
)

// ---------------------------------------------------------------------------------------------------------------
// JSON, by location

type Location = ReadonlyArray<string | number>

const locations = (value: unknown, at: Location = [], into: Array<Location> = []): Array<Location> => {
  into.push(at)
  if (Array.isArray(value)) value.forEach((item, i) => locations(item, [...at, i], into))
  else if (isObject(value)) for (const key of Object.keys(value)) locations(value[key], [...at, key], into)
  return into
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const getAt = (value: unknown, at: Location): unknown =>
  at.reduce<unknown>((current, key) => (current as any)?.[key], value)

/** A copy of `value` with `change` applied to what is at `at`; `change` gives `undefined` to remove it. */
const updateAt = (value: unknown, at: Location, change: (current: unknown) => unknown): unknown => {
  if (at.length === 0) return change(value)
  const [key, ...rest] = at
  if (Array.isArray(value)) {
    const copy = value.slice()
    const next = updateAt(copy[key as number], rest, change)
    if (next === undefined && rest.length === 0) copy.splice(key as number, 1)
    else copy[key as number] = next
    return copy
  }
  const copy: Record<string, unknown> = {}
  for (const name of Object.keys(value as object)) define(copy, name, (value as Record<string, unknown>)[name])
  const next = updateAt(copy[key as string], rest, change)
  if (next === undefined && rest.length === 0) delete copy[key as string]
  else define(copy, key as string, next)
  return copy
}

/** Sets a member, `__proto__` included, as an own member that `JSON.stringify` writes. */
const define = (target: Record<string, unknown>, name: string, value: unknown) =>
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true })

const pick = <A>(items: ReadonlyArray<A>, index: number): A | undefined =>
  items.length === 0 ? undefined : items[index % items.length]

const jsonBody = (probe: Probe) => probe.body?._tag === "Json" ? probe.body : undefined

/** A JSON body changed at one of its locations that `where` accepts, or the probe as it was when it has none. */
const atLocation = (
  probe: Probe,
  index: number,
  where: (value: unknown) => boolean,
  change: (body: Extract<Body, { _tag: "Json" }>, at: Location) => Body
): Probe => {
  const body = jsonBody(probe)
  if (body === undefined) return probe
  const at = pick(locations(body.value).filter((location) => where(getAt(body.value, location))), index)
  return at === undefined ? probe : { ...probe, body: change(body, at) }
}

const jsonText = (probe: Probe) => {
  const body = jsonBody(probe)
  return body === undefined ? "{}" : JSON.stringify(body.value) ?? "null"
}

/** A JSON value nested `depth` levels deep. */
const nested = (depth: number, kind: "array" | "object") =>
  kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)

// ---------------------------------------------------------------------------------------------------------------
// Mutations

const withHeader = (probe: Probe, name: string, value: string): Probe => ({
  ...probe,
  headers: [...probe.headers.filter(([header]) => header !== name), [name, value]]
})

/** The mutations of a JSON body. */
const jsonMutations = [
  weighted(
    3,
    fc.nat().map((i) =>
      mutation("body: a member dropped", (probe) =>
        atLocation(probe, i, (value) => isObject(value) && Object.keys(value).length > 0, (body, at) => ({
          ...body,
          value: updateAt(body.value, at, (object) => {
            const keys = Object.keys(object as object)
            return updateAt(object, [keys[i % keys.length]!], () => undefined)
          }),
          refs: []
        })))
    )
  ),
  weighted(
    2,
    fc.tuple(
      fc.nat(),
      fc.constantFrom("extra", "__proto__", "constructor", "", "id", "role", "created_at", `${canary}<x>`, "a".repeat(65)),
      wrongValue
    ).map(([i, name, value]) =>
      mutation(`body: an unknown member ${JSON.stringify(name.slice(0, 20))}`, (probe) =>
        atLocation(probe, i, isObject, (body, at) => ({
          ...body,
          value: updateAt(body.value, at, (object) => {
            const copy = { ...(object as object) }
            define(copy, name, value)
            return copy
          })
        })))
    )
  ),
  weighted(
    4,
    fc.tuple(fc.nat(), wrongValue).map(([i, value]) =>
      mutation(`body: a value of the wrong type (${JSON.stringify(value)?.slice(0, 30)})`, (probe) =>
        atLocation(probe, i, () => true, (body, at) => ({
          ...body,
          value: updateAt(body.value, at, () => value),
          refs: body.refs.filter((ref) => at.length !== 1 || ref.name !== at[0])
        })))
    )
  ),
  weighted(
    4,
    fc.tuple(fc.nat(), boundaryString).map(([i, text]) =>
      mutation(`body: a boundary string (${JSON.stringify(text.slice(0, 30))}, ${text.length} characters)`, (probe) =>
        atLocation(probe, i, (value) => typeof value === "string", (body, at) => ({
          ...body,
          value: updateAt(body.value, at, () => text),
          refs: body.refs.filter((ref) => at.length !== 1 || ref.name !== at[0])
        })))
    )
  ),
  weighted(
    2,
    fc.tuple(fc.nat(), invalidUtf8).map(([i, bytes]) =>
      mutation(`body: invalid UTF-8 in a string (${bytes.map((byte) => byte.toString(16)).join(" ")})`, (probe) =>
        atLocation(probe, i, (value) => typeof value === "string", (body, at) => ({
          ...body,
          value: updateAt(body.value, at, () => "x\uE000y"),
          splice: bytes
        })))
    )
  ),
  weighted(
    1,
    fc.tuple(fc.constantFrom(64, 65, 200, 10_000), fc.constantFrom<"array" | "object">("array", "object"), fc.boolean())
      .map(([depth, kind, whole]) =>
        mutation(`body: JSON nested ${depth} deep (${kind}${whole ? "" : ", in a member"})`, (probe) => {
          const body = jsonBody(probe)
          const first = isObject(body?.value) ? Object.keys(body.value)[0] : undefined
          const text = whole || first === undefined
            ? nested(depth, kind)
            : `{${JSON.stringify(first)}:${nested(depth, kind)}}`
          return { ...probe, body: { _tag: "Text", text } }
        })
      )
  ),
  weighted(
    1,
    fc.double({ min: 0, max: 1, noNaN: true }).map((fraction) =>
      mutation("body: truncated JSON", (probe) => {
        const text = jsonText(probe)
        return { ...probe, body: { _tag: "Text", text: text.slice(0, Math.floor(text.length * fraction)) } }
      })
    )
  ),
  weighted(
    2,
    otherJson.map((text) =>
      mutation(`body: ${JSON.stringify(text)} instead`, (probe) => ({ ...probe, body: { _tag: "Text", text } }))
    )
  )
]

/** The mutations of any body. */
const bodyMutations = (contentTypes: ReadonlyArray<string>) => [
  weighted(
    2,
    fc.uint8Array({ maxLength: 300 }).map((bytes) =>
      mutation(`body: ${bytes.length} random bytes`, (probe) => ({ ...probe, body: { _tag: "Bytes", bytes } }))
    )
  ),
  weighted(1, fc.constant(mutation("body: empty", (probe) => ({ ...probe, body: { _tag: "Text", text: "" } })))),
  weighted(
    1,
    fc.tuple(boundaryString, invalidUtf8).map(([text, bytes]) =>
      mutation(`body: a boundary string and invalid UTF-8 for a body`, (probe) => ({
        ...probe,
        body: { _tag: "Bytes", bytes: new Uint8Array([...Buffer.from(text, "utf8"), ...bytes]) }
      }))
    )
  ),
  weighted(
    3,
    fc.constantFrom<string | undefined>(
      undefined,
      "",
      "text/plain",
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=zz",
      "application/json; charset=utf-16",
      "application/json; charset=iso-8859-1",
      "APPLICATION/JSON",
      "application/json;charset=UTF-8",
      "application/vnd.api+json",
      "application/problem+json",
      "*/*",
      "text/csv",
      "application/x-ndjson",
      "application/json, text/plain",
      ...contentTypes
    ).map((contentType) =>
      mutation(`content type ${JSON.stringify(contentType ?? "none")}`, (probe) => ({ ...probe, contentType }))
    )
  ),
  weighted(
    1,
    fc.constant(mutation("body: over the size limit (1 MiB)", (probe) => ({
      ...probe,
      body: { _tag: "Text", text: `{"name":"${"a".repeat(1024 * 1024)}"}` }
    })))
  ),
  weighted(
    1,
    fc.constantFrom("gzip", "br", "identity, gzip", "zz").map((encoding) =>
      mutation(`Content-Encoding: ${encoding} on a plain body`, (probe) => withHeader(probe, "content-encoding", encoding))
    )
  )
]

/** The mutations of a form body (`application/x-www-form-urlencoded`). */
const formMutations = [
  weighted(
    4,
    fc.tuple(fc.nat(), fc.constantFrom("drop", "empty", "boundary", "duplicate", "unknown"), boundaryString).map((
      [i, how, text]
    ) =>
      mutation(`form: ${how} a field`, (probe) => {
        if (probe.body?._tag !== "Text") return probe
        const entries = Array.from(new URLSearchParams(probe.body.text))
        const index = entries.length === 0 ? 0 : i % entries.length
        const [name = "grant_type", value = ""] = entries[index] ?? []
        const changed: Array<[string, string]> = how === "drop"
          ? entries.filter((_, j) => j !== index)
          : how === "empty"
          ? entries.map((entry, j): [string, string] => j === index ? [name, ""] : entry)
          : how === "boundary"
          ? entries.map((entry, j): [string, string] => j === index ? [name, text] : entry)
          : how === "duplicate"
          ? [...entries, [name, value + "2"]]
          : [...entries, [`${canary}<x>`, text]]
        return { ...probe, body: { _tag: "Text", text: new URLSearchParams(changed).toString() } }
      })
    )
  ),
  weighted(
    1,
    fc.constantFrom("grant_type=%ZZ", "a=%", "=&=&", "grant_type=client_credentials&grant_type=password", "%00=%00")
      .map((text) => mutation(`form: ${text}`, (probe) => ({ ...probe, body: { _tag: "Text", text } })))
  )
]

/** The mutations of the path. */
const pathMutations = (endpoint: Endpoint) => {
  const hasParameters = endpoint.path.includes(":")
  const parameters = hasParameters
    ? [
      weighted(
        4,
        fc.tuple(fc.nat(), oddSegment).map(([i, segment]) =>
          mutation(`path: parameter ${JSON.stringify(segment.slice(0, 40))}`, (probe) => replaceParameter(probe, i, segment))
        )
      ),
      weighted(
        1,
        fc.tuple(fc.nat(), rawSegment).map(([i, segment]) =>
          mutation(`path: raw parameter ${JSON.stringify(segment)}`, (probe) => ({
            ...replaceParameter(probe, i, segment),
            malformed: true
          }))
        )
      )
    ]
    : []
  return [
    ...parameters,
    weighted(
      2,
      fc.constantFrom("trailing slash", "double slash", "extra segment", "last segment dropped", "upper case", "matrix")
        .map((how) =>
          mutation(`path: ${how}`, (probe) => {
            const text = probe.path.map((piece) => typeof piece === "string" ? piece : encodeURIComponent(piece.fallback))
              .join("")
            const changed = how === "trailing slash"
              ? text + "/"
              : how === "double slash"
              ? text.replace("/", "//")
              : how === "extra segment"
              ? `${text}/${canary}`
              : how === "last segment dropped"
              ? text.slice(0, text.lastIndexOf("/")) || "/"
              : how === "upper case"
              ? text.toUpperCase()
              : `${text};${canary}`
            return { ...probe, path: [changed] }
          })
        )
    )
  ]
}

const replaceParameter = (probe: Probe, index: number, segment: string): Probe => {
  const positions = probe.path.flatMap((piece, i) => typeof piece === "string" ? [] : [i])
  const at = pick(positions, index)
  if (at === undefined) return probe
  return { ...probe, path: probe.path.map((piece, i) => i === at ? segment : piece) }
}

const queryNames = (endpoint: Endpoint): ReadonlyArray<string> => {
  const ast = endpoint.querySchema?.ast
  return ast?._tag === "TypeLiteral" ? ast.propertySignatures.map((signature) => String(signature.name)) : []
}

/** The mutations of the query. */
const queryMutations = (endpoint: Endpoint) => {
  const names = queryNames(endpoint)
  return [
    weighted(
      2,
      fc.tuple(
        fc.constantFrom("zz", "LIMIT", "Sort", "__proto__", "", "a[b]", `${canary}%3C%3E`, "page", "q"),
        queryValue
      ).map(([name, value]) =>
        mutation(`query: an unknown parameter ${JSON.stringify(name)}`, (probe) => ({
          ...probe,
          query: `${probe.query === "" ? "?" : `${probe.query}&`}${name}=${value}`
        }))
      )
    ),
    ...(names.length === 0 ? [] : [
      weighted(
        3,
        fc.tuple(fc.constantFrom(...names), queryValue, fc.boolean()).map(([name, value, repeated]) =>
          mutation(`query: ${name}=${JSON.stringify(value.slice(0, 30))}${repeated ? " twice" : ""}`, (probe) => {
            const kept = new URLSearchParams(probe.query)
            if (!repeated) kept.delete(name)
            const rest = kept.toString()
            return { ...probe, query: `?${rest === "" ? "" : `${rest}&`}${name}=${value}` }
          })
        )
      )
    ]),
    weighted(
      1,
      fc.constantFrom("?%ZZ", "?&&&", "?=", "?a=%", `?${"a=1&".repeat(1_000)}`, `?v=${"9".repeat(10_000)}`, "?%00=%00", "?a=1#x")
        .map((query) => mutation(`query: ${JSON.stringify(query.slice(0, 30))}`, (probe) => ({ ...probe, query })))
    )
  ]
}

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]

/** Another method, one of HTTP's or one the parser refuses. */
const methodMutations = (endpoint: Endpoint) => [
  weighted(
    2,
    fc.constantFrom(...methods.filter((method) => method !== endpoint.method)).map((method) =>
      mutation(`method ${method}`, (probe) => ({ ...probe, method }))
    )
  ),
  weighted(
    1,
    fc.constantFrom("FOO", "get", "G ET", "CONNECT", "PRI").map((method) =>
      mutation(`method ${JSON.stringify(method)}`, (probe) => ({ ...probe, method, malformed: true }))
    )
  )
]

/** Headers at the edges: idempotency keys, debug, sizes, characters a parser may refuse, and the framing. */
const headerMutations = [
  weighted(
    2,
    fc.oneof(fc.uuid(), fc.constantFrom("", " ", "x".repeat(255), "x".repeat(256), `${canary}<x>`, "caf\u00e9")).map((key) =>
      mutation(`Idempotency-Key ${JSON.stringify(key.slice(0, 40))}`, (probe) => withHeader(probe, "idempotency-key", key))
    )
  ),
  weighted(1, fc.constant(mutation("X-Debug: true", (probe) => withHeader(probe, "x-debug", "true")))),
  weighted(
    1,
    fc.constantFrom(8_000, 17_000, 70_000).map((size) =>
      mutation(`a header of ${size} bytes`, (probe) => ({
        ...withHeader(probe, "x-fuzz", "a".repeat(size)),
        malformed: size > 16_000
      }))
    )
  ),
  weighted(
    1,
    fc.constant(mutation("200 headers", (probe) => ({
      ...probe,
      headers: [...probe.headers, ...Array.from({ length: 200 }, (_, i) => [`x-fuzz-${i}`, "1"] as const)]
    })))
  ),
  weighted(
    1,
    fc.constantFrom("caf\u00e9", "\u00ff\u00fe", `${canary}\u0080`).map((value) =>
      mutation(`a header with bytes past ASCII`, (probe) => withHeader(probe, "x-fuzz", value))
    )
  ),
  weighted(
    2,
    fc.constantFrom("a\rb", "a\nb", "a\u0000b", "a\r\n b", "a\u007fb").map((value) =>
      mutation(`a header with ${JSON.stringify(value)}`, (probe) => ({ ...withHeader(probe, "x-fuzz", value), malformed: true }))
    )
  ),
  weighted(
    1,
    fc.constantFrom("100-continue", "zz").map((value) =>
      mutation(`Expect: ${value}`, (probe) => withHeader(probe, "expect", value))
    )
  ),
  weighted(
    1,
    fc.constantFrom<Framing>("chunked", "both").map((framing) =>
      mutation(`framing: ${framing === "both" ? "Content-Length and Transfer-Encoding" : "chunked"}`, (probe) => ({
        ...probe,
        framing,
        malformed: framing === "both"
      }))
    )
  )
]

// ---------------------------------------------------------------------------------------------------------------
// Valid requests

const encoded = (schema: Schema.Schema<any, any>) => {
  const encode = Schema.encodeSync(schema)
  return Arbitrary.make(schema).map((value) => encode(value))
}

const queryString = (params: Record<string, string | ReadonlyArray<string> | undefined>) => {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue
    for (const one of typeof value === "string" ? [value] : value) search.append(name, one)
  }
  const text = search.toString()
  return text === "" ? "" : `?${text}`
}

/** A member whose value names something the server made: `id`, `role_id`. */
const refersToId = (name: string) => name === "id" || name.endsWith("_id")

const validBody = (endpoint: Endpoint): fc.Arbitrary<Pick<Probe, "body" | "contentType">> => {
  if (endpoint.payloads.length === 0) return fc.constant({ body: undefined, contentType: undefined })
  return fc.oneof(...endpoint.payloads.map((payload) =>
    fc.tuple(encoded(payload.schema), fc.option(fc.nat(), { freq: 2 })).map(([value, pick]): Pick<Probe, "body" | "contentType"> => {
      const contentType = payload.contentType
      switch (payload.kind) {
        case "Json": {
          const refs: Array<Ref> = pick === null || !isObject(value) ? [] : Object.keys(value)
            .filter((name) => refersToId(name) && typeof value[name] === "string")
            .map((name) => ({ _tag: "Ref", pick, fallback: value[name] as string, name }))
          return { contentType, body: { _tag: "Json", value, refs } }
        }
        case "UrlParams":
          return { contentType, body: { _tag: "Text", text: queryString(value).slice(1) } }
        case "Text":
          return { contentType, body: { _tag: "Text", text: value } }
        case "Uint8Array":
          return { contentType, body: { _tag: "Bytes", bytes: value } }
      }
    })
  ))
}

const validPath = (endpoint: Endpoint): fc.Arbitrary<ReadonlyArray<string | Ref>> => {
  const segments = endpoint.path.split(/(:[A-Za-z0-9_]+)/).filter((piece) => piece !== "")
  if (endpoint.pathSchema === undefined) return fc.constant(segments)
  return fc.tuple(encoded(endpoint.pathSchema), fc.array(fc.option(fc.nat(), { freq: 2 }), { minLength: 4, maxLength: 4 }))
    .map(([values, picks]) => {
      let parameter = 0
      return segments.map((piece): string | Ref => {
        if (!piece.startsWith(":")) return piece
        const name = piece.slice(1)
        const fallback = String(values[name])
        const pick = picks[parameter++ % picks.length]
        return pick === null || pick === undefined
          ? encodeURIComponent(fallback)
          : { _tag: "Ref", pick, fallback, name }
      })
    })
}

const valid = (endpoint: Endpoint): fc.Arbitrary<Probe> =>
  fc.record({
    path: validPath(endpoint),
    query: endpoint.querySchema === undefined ? fc.constant("") : encoded(endpoint.querySchema).map(queryString),
    headers: endpoint.headersSchema === undefined
      ? fc.constant<ReadonlyArray<readonly [string, string]>>([])
      : encoded(endpoint.headersSchema).map((headers) =>
        Object.entries(headers as Record<string, string>).map(([name, value]) => [name.toLowerCase(), String(value)] as const)
      ),
    payload: validBody(endpoint)
  }).map(({ headers, path, payload, query }): Probe => ({
    endpoint: endpoint.name,
    mutation: "valid",
    method: endpoint.method,
    path,
    query,
    headers,
    ...payload,
    framing: "length",
    credentials: "valid",
    malformed: false
  }))

/**
 * A mutation that applies to the endpoint, or none (a valid request): a family at a time, the body's the most likely
 * where there is a body, then the path's where it has parameters and the query's where it has a schema.
 */
const mutations = (endpoint: Endpoint) => {
  const kinds = new Set(endpoint.payloads.map((payload) => payload.kind))
  const family = (weight: number, members: ReadonlyArray<{ weight: number; arbitrary: fc.Arbitrary<Mutation> }>) =>
    weighted(weight, fc.oneof(...members))
  return fc.oneof(
    weighted(4, fc.constant(mutation("valid", (probe) => probe))),
    ...(kinds.has("Json") ? [family(8, jsonMutations)] : []),
    ...(kinds.has("UrlParams") ? [family(6, formMutations)] : []),
    endpoint.payloads.length > 0
      ? family(3, bodyMutations(endpoint.payloads.map((payload) => payload.contentType)))
      : weighted(
        1,
        fc.constant(mutation("a JSON body where none is taken", (probe) => ({
          ...probe,
          contentType: "application/json",
          body: { _tag: "Text", text: "{\"a\":1}" }
        })))
      ),
    family(endpoint.path.includes(":") ? 3 : 1, pathMutations(endpoint)),
    family(endpoint.querySchema === undefined ? 1 : 3, queryMutations(endpoint)),
    family(1, methodMutations(endpoint)),
    family(2, headerMutations)
  )
}

/** Paths that no endpoint serves. */
const unroutedPath = fc.tuple(
  fc.constantFrom("/api/admin/", "/api/", "/", "/oauth/"),
  fc.webSegment(),
  fc.array(fc.webSegment(), { maxLength: 3 })
).map(([prefix, first, rest]) => [prefix + canary + first, ...rest].join("/"))

const unrouted: fc.Arbitrary<Probe> = fc.tuple(fc.constantFrom(...methods), unroutedPath, fc.boolean()).map((
  [method, path, withBody]
): Probe => ({
  endpoint: undefined,
  mutation: "no endpoint",
  method,
  path: [path],
  query: "",
  headers: [],
  contentType: withBody ? "application/json" : undefined,
  body: withBody ? { _tag: "Text", text: "{}" } : undefined,
  framing: "length",
  credentials: "valid",
  malformed: false
}))

/**
 * Probes of `endpoints`, each endpoint as likely as another, and one in twenty to no endpoint; `formats` are those
 * the server answers in, for the `Accept` headers to ask for.
 */
export const arbitrary = (
  endpoints: ReadonlyArray<Endpoint>,
  formats: ReadonlyArray<WireFormat.Any>
): fc.Arbitrary<Probe> => {
  const toEndpoint = fc.oneof(
    ...endpoints.map((endpoint) => fc.tuple(valid(endpoint), mutations(endpoint)).map(([probe, change]) => ({
      ...change.apply(probe),
      mutation: change.name
    })))
  )
  return fc.tuple(
    fc.oneof(weighted(19, toEndpoint), weighted(1, unrouted)),
    fc.oneof(
      weighted(17, fc.constant<"valid" | ReadonlyArray<readonly [string, string]>>("valid")),
      weighted(1, fc.constant([])),
      weighted(2, badCredentials)
    ),
    accepts(formats),
    requestIds
  ).map(([probe, credentials, accept, requestId]): Probe => {
    const headers = [
      ...(credentials === "valid" ? [] : credentials),
      ...(accept === undefined ? [] : [["accept", accept] as const]),
      ...(requestId === undefined ? [] : [["x-request-id", requestId] as const]),
      ...probe.headers
    ]
    return {
      ...probe,
      headers,
      credentials: credentials === "valid" ? "valid" : credentials.length === 0 ? "none" : "bad"
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Requests, as sent

/** A request as it goes on the wire. Request line and header values are one character a byte. */
export interface Request {
  readonly method: string
  /** The path and query. */
  readonly target: string
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: Uint8Array | undefined
  readonly framing: Framing
  readonly malformed: boolean
}

/** Ids the server gave in successful answers this run, newest last, for probes that refer to one. */
export interface Pool {
  readonly ids: Array<string>
  /** Ids never to use: the fuzzer's own credentials must survive the run. */
  readonly protect: ReadonlySet<string>
}

export const makePool = (protect: Iterable<string> = []): Pool => ({ ids: [], protect: new Set(protect) })

const poolSize = 256

/** Remembers the ids of a successful answer's body: the values of its `id` and `…_id` members. */
export const harvest = (pool: Pool, json: unknown): void => {
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (!isObject(value)) return
    for (const [name, member] of Object.entries(value)) {
      if (typeof member === "string" && refersToId(name) && !pool.protect.has(member) && !pool.ids.includes(member)) {
        pool.ids.push(member)
        if (pool.ids.length > poolSize) pool.ids.shift()
      } else visit(member)
    }
  }
  visit(json)
}

const resolveRef = (pool: Pool, ref: Ref, fits: (id: string) => boolean) =>
  pick(pool.ids.filter(fits), ref.pick) ?? ref.fallback

const decodes = (schema: Schema.Schema<any, any> | undefined) => {
  if (schema === undefined) return () => true
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown) => Either.isRight(decode(value))
}

const jsonBytes = (body: Extract<Body, { _tag: "Json" }>, endpoint: Endpoint | undefined, pool: Pool) => {
  let value = body.value
  if (body.refs.length > 0 && isObject(value)) {
    const fits = decodes(endpoint?.payloads.find((payload) => payload.kind === "Json")?.schema)
    for (const ref of body.refs) {
      const current = value as Record<string, unknown>
      value = { ...current, [ref.name]: resolveRef(pool, ref, (id) => fits({ ...current, [ref.name]: id })) }
    }
  }
  const bytes = Buffer.from(JSON.stringify(value) ?? "null", "utf8")
  if (body.splice === undefined) return new Uint8Array(bytes)
  const marker = Buffer.from("\uE000", "utf8")
  const at = bytes.indexOf(marker)
  if (at === -1) return new Uint8Array(bytes)
  return new Uint8Array(Buffer.concat([bytes.subarray(0, at), Buffer.from(body.splice), bytes.subarray(at + marker.length)]))
}

const bodyBytes = (body: Body, endpoint: Endpoint | undefined, pool: Pool): Uint8Array => {
  switch (body._tag) {
    case "Json":
      return jsonBytes(body, endpoint, pool)
    case "Text":
      return new Uint8Array(Buffer.from(body.text, "utf8"))
    case "Bytes":
      return body.bytes
  }
}

/** A header value as bytes, one character each: text past Latin-1 goes as UTF-8. */
const latin1 = (text: string) => /^[\u0000-\u00ff]*$/.test(text) ? text : Buffer.from(text, "utf8").toString("latin1")

/** The request a probe is, with its references to earlier ids resolved from `pool`, and no credentials yet. */
export const toRequest = (probe: Probe, endpoint: Endpoint | undefined, pool: Pool): Request => {
  const path = probe.path.map((piece) => {
    if (typeof piece === "string") return piece
    const fits = decodes(memberSchema(endpoint?.pathSchema, piece.name))
    return encodeURIComponent(resolveRef(pool, piece, fits))
  }).join("")
  const body = probe.body === undefined ? undefined : bodyBytes(probe.body, endpoint, pool)
  return {
    method: probe.method,
    target: latin1(path + probe.query),
    headers: [
      ...(probe.contentType === undefined ? [] : [["content-type", probe.contentType] as const]),
      ...probe.headers
    ].map(([name, value]) => [name, latin1(value)] as const),
    body,
    framing: probe.framing,
    malformed: probe.malformed
  }
}

/** The bytes of a request to `host`, asking the server to close the connection after its answer. */
export const bytes = (request: Request, host: string): Uint8Array => {
  const body = request.body
  const framing = body === undefined && request.framing === "length" ? [] : request.framing === "length"
    ? [`content-length: ${body!.length}`]
    : request.framing === "chunked"
    ? ["transfer-encoding: chunked"]
    : [`content-length: ${body?.length ?? 0}`, "transfer-encoding: chunked"]
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    `host: ${host}`,
    "connection: close",
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    ...framing,
    "",
    ""
  ].join("\r\n")
  const payload = request.framing === "length"
    ? body === undefined ? [] : [Buffer.from(body)]
    : body === undefined || body.length === 0
    ? [Buffer.from("0\r\n\r\n")]
    : [Buffer.from(`${body.length.toString(16)}\r\n`), Buffer.from(body), Buffer.from("\r\n0\r\n\r\n")]
  return new Uint8Array(Buffer.concat([Buffer.from(head, "latin1"), ...payload]))
}

const shorten = (text: string, max: number) => text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`

/** A request for people: its request line, headers and body, shortened, with what cannot be shown escaped. */
export const show = (request: Request): string => {
  const body = request.body === undefined
    ? ""
    : `\n\n${JSON.stringify(shorten(Buffer.from(request.body).toString("latin1"), 400))} ` +
      `(${request.body.length} bytes, shown one character a byte)`
  return [
    `${request.method} ${JSON.stringify(shorten(request.target, 300))}` +
    (request.framing === "length" ? "" : ` [framing: ${request.framing}]`),
    ...request.headers.map(([name, value]) =>
      `${name}: ${name === "authorization" && value.length > 20 ? `${value.slice(0, 14)}…` : JSON.stringify(shorten(value, 120))}`
    )
  ].join("\n") + body
}
