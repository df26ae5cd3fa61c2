/**
 * A `Catalog` is a set of catalog error classes with constant-time lookup by wire code and by tag. `Catalog.seed`
 * holds the errors of the seed documents, `Catalog.builtin` adds the framework's own, and `Catalog.fromApi` gathers
 * the classes an `HttpApi` declares (on the API, its groups and its endpoints).
 *
 * @since 0.1.0
 */
import { HttpApi } from "@effect/platform"
import type { Pipeable } from "effect"
import { Option } from "effect"
import { dual } from "effect/Function"
import { pipeArguments } from "effect/Pipeable"
import * as CatalogError from "./CatalogError.js"
import * as Errors from "./Errors.js"
import * as FrameworkErrors from "./FrameworkErrors.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Catalog<E extends CatalogError.CatalogError = CatalogError.CatalogError> extends Pipeable.Pipeable {
  readonly errors: ReadonlyArray<CatalogError.AnyClass<E>>
  /** The class of a wire code, compared after case folding (`NOT_FOUND` finds `not_found`). */
  readonly byCode: (code: string) => CatalogError.AnyClass<E> | undefined
  readonly byTag: (tag: string) => CatalogError.AnyClass<E> | undefined
}

/**
 * The instance type of a catalog's errors.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorOf<C> = C extends Catalog<infer E> ? E : never

/**
 * The union of the instance types of a list of classes.
 *
 * @since 0.1.0
 * @category models
 */
export type InstanceOf<Classes extends ReadonlyArray<CatalogError.AnyClass<any>>> = InstanceType<Classes[number]>

/**
 * Builds a catalog. Two classes with the same code (after case folding) or the same tag are a definition mistake,
 * reported at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const Classes extends ReadonlyArray<CatalogError.AnyClass<any>>>(
  ...classes: Classes
): Catalog<InstanceOf<Classes>> => {
  const codes = new Map<string, CatalogError.AnyClass<any>>()
  const tags = new Map<string, CatalogError.AnyClass<any>>()
  for (const cls of classes) {
    const { code, tag } = cls.metadata
    const sameCode = codes.get(code)
    if (sameCode !== undefined && sameCode !== cls) {
      throw new Error(`Catalog: ${tag} and ${sameCode.metadata.tag} share the code "${code}"`)
    }
    const sameTag = tags.get(tag)
    if (sameTag !== undefined && sameTag !== cls) {
      throw new Error(`Catalog: two classes are tagged "${tag}"`)
    }
    codes.set(code, cls)
    tags.set(tag, cls)
  }
  const errors = Array.from(codes.values())
  return {
    errors,
    byCode: (code) => codes.get(code) ?? codes.get(code.toLowerCase()),
    byTag: (tag) => tags.get(tag),
    pipe() {
      return pipeArguments(this, arguments)
    }
  }
}

const isCatalog = (u: unknown): u is Catalog =>
  typeof u === "object" && u !== null && "errors" in u && "byCode" in u

/**
 * A catalog with more classes; classes it already has are not added twice.
 *
 * @since 0.1.0
 * @category combinators
 */
export const add: {
  <const Classes extends ReadonlyArray<CatalogError.AnyClass<any>>>(
    ...classes: Classes
  ): <E extends CatalogError.CatalogError>(self: Catalog<E>) => Catalog<E | InstanceOf<Classes>>
  <E extends CatalogError.CatalogError, const Classes extends ReadonlyArray<CatalogError.AnyClass<any>>>(
    self: Catalog<E>,
    ...classes: Classes
  ): Catalog<E | InstanceOf<Classes>>
} = dual(
  (args) => isCatalog(args[0]),
  (self: Catalog, ...classes: ReadonlyArray<CatalogError.AnyClass>) =>
    make(...self.errors, ...classes.filter((cls) => !self.errors.includes(cls)))
) as any

/**
 * The catalog error classes an API declares, each with the endpoints that declare it: API-level and group-level
 * errors count for every endpoint beneath them. Found through `HttpApi.reflect`.
 *
 * @since 0.1.0
 * @category reflection
 */
export const declaredBy = (
  api: HttpApi.HttpApi.Any
): ReadonlyMap<string, ReadonlyArray<CatalogError.AnyClass>> => {
  const byEndpoint = new Map<string, ReadonlyArray<CatalogError.AnyClass>>()
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, errors, group }) => {
      const classes = new Set<CatalogError.AnyClass>()
      for (const { ast } of errors.values()) {
        if (Option.isSome(ast)) CatalogError.classesIn(ast.value).forEach((cls) => classes.add(cls))
      }
      byEndpoint.set(`${group.identifier}.${endpoint.name}`, Array.from(classes))
    }
  })
  return byEndpoint
}

/**
 * The catalog of every error class an API declares, anywhere.
 *
 * @since 0.1.0
 * @category reflection
 */
export const fromApi = (api: HttpApi.HttpApi.Any): Catalog => {
  const classes = new Set<CatalogError.AnyClass>()
  for (const declared of declaredBy(api).values()) declared.forEach((cls) => classes.add(cls))
  return make(...classes)
}

/**
 * The union of the seed errors.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedError = InstanceType<(typeof Errors)[keyof typeof Errors]>

/**
 * The union of every error Errata ships.
 *
 * @since 0.1.0
 * @category models
 */
export type BuiltinError = SeedError | InstanceType<(typeof FrameworkErrors)[keyof typeof FrameworkErrors]>

/**
 * The errors of the seed documents: the classes of `Errors`.
 *
 * @since 0.1.0
 * @category catalogs
 */
export const seed: Catalog<SeedError> = make(...Object.values(Errors))

/**
 * The errors Errata ships: the seed errors and the framework's own (`FrameworkErrors`).
 *
 * @since 0.1.0
 * @category catalogs
 */
export const builtin: Catalog<BuiltinError> = make(...Object.values(Errors), ...Object.values(FrameworkErrors))
