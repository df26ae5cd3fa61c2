/**
 * A `Catalog` is a set of catalog error classes with constant-time lookup by wire code and by tag. `Catalog.seed`
 * holds the 51 errors of the seed documents; a user extends it with errors of their own, defined with `CatalogError`.
 *
 * @since 0.1.0
 */
import type { Pipeable } from "effect"
import { SchemaAST } from "effect"
import { dual } from "effect/Function"
import { pipeArguments } from "effect/Pipeable"
import type { AnyCatalogError, AnyCatalogErrorClass, ErrorMetadata } from "./CatalogError.js"
import { MetadataAnnotationId } from "./CatalogError.js"
import { frameworkErrors, seedErrors } from "./Errors.js"

/**
 * @since 0.1.0
 */
export interface Catalog<E extends AnyCatalogError = AnyCatalogError> extends Pipeable.Pipeable {
  readonly errors: ReadonlyArray<AnyCatalogErrorClass<E>>
  /** The class of a wire code, compared after case folding (`NOT_FOUND` finds `not_found`). */
  readonly byCode: (code: string) => AnyCatalogErrorClass<E> | undefined
  readonly byTag: (tag: string) => AnyCatalogErrorClass<E> | undefined
}

/**
 * The instance type of a catalog's errors.
 *
 * @since 0.1.0
 */
export type ErrorOf<C> = C extends Catalog<infer E> ? E : never

/**
 * The union of the instance types of a list of classes.
 *
 * @since 0.1.0
 */
export type InstanceOf<Classes extends ReadonlyArray<AnyCatalogErrorClass<any>>> = InstanceType<Classes[number]>

/**
 * Builds a catalog. Two classes with the same code (after case folding) or the same tag are a definition mistake,
 * reported at once.
 *
 * @since 0.1.0
 */
export const make = <const Classes extends ReadonlyArray<AnyCatalogErrorClass<any>>>(
  ...classes: Classes
): Catalog<InstanceOf<Classes>> => {
  const codes = new Map<string, AnyCatalogErrorClass<any>>()
  const tags = new Map<string, AnyCatalogErrorClass<any>>()
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

/**
 * A catalog with more classes.
 *
 * @since 0.1.0
 */
export const add: {
  <const Classes extends ReadonlyArray<AnyCatalogErrorClass<any>>>(
    ...classes: Classes
  ): <E extends AnyCatalogError>(self: Catalog<E>) => Catalog<E | InstanceOf<Classes>>
  <E extends AnyCatalogError, const Classes extends ReadonlyArray<AnyCatalogErrorClass<any>>>(
    self: Catalog<E>,
    ...classes: Classes
  ): Catalog<E | InstanceOf<Classes>>
} = dual(
  (args) => isCatalog(args[0]),
  (self: Catalog, ...classes: ReadonlyArray<AnyCatalogErrorClass>) => make(...self.errors, ...classes)
) as any

const isCatalog = (u: unknown): u is Catalog =>
  typeof u === "object" && u !== null && "errors" in u && "byCode" in u

/**
 * The catalog classes a schema names, looking through unions: for instance an HttpApi endpoint's declared errors.
 *
 * @since 0.1.0
 */
export const classesIn = <E extends AnyCatalogError>(
  catalog: Catalog<E>,
  ast: SchemaAST.AST
): ReadonlyArray<AnyCatalogErrorClass<E>> => {
  const found: Array<AnyCatalogErrorClass<E>> = []
  const visit = (node: SchemaAST.AST) => {
    if (SchemaAST.isUnion(node)) return node.types.forEach(visit)
    const metadata = (node.annotations[MetadataAnnotationId] ??
      (SchemaAST.isTransformation(node) ? node.to.annotations[MetadataAnnotationId] : undefined)) as
        | ErrorMetadata
        | undefined
    const cls = metadata && catalog.byTag(metadata.tag)
    if (cls) found.push(cls)
  }
  visit(ast)
  return found
}

/**
 * The 51 errors of the seed documents.
 *
 * @since 0.1.0
 */
export const seed: Catalog<SeedError> = make(...seedErrors)

/**
 * The errors Errata ships: the 51 seed errors and the framework's own (405, 413, 415).
 *
 * @since 0.1.0
 */
export const builtin: Catalog<BuiltinError> = make(...seedErrors, ...frameworkErrors)

/**
 * The union of the 51 seed errors.
 *
 * @since 0.1.0
 */
export type SeedError = InstanceOf<typeof seedErrors>

/**
 * The union of every error Errata ships.
 *
 * @since 0.1.0
 */
export type BuiltinError = SeedError | InstanceOf<typeof frameworkErrors>
