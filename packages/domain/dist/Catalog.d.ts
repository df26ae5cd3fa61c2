/**
 * A `Catalog` is a set of catalog error classes with constant-time lookup by wire code and by tag. `Catalog.seed`
 * holds the errors of the seed documents, `Catalog.builtin` adds the framework's own, and `Catalog.fromApi` gathers
 * the classes an `HttpApi` declares (on the API, its groups and its endpoints).
 *
 * @since 0.1.0
 */
import { HttpApi } from "@effect/platform";
import type { Pipeable } from "effect";
import * as CatalogError from "./CatalogError.js";
import * as Errors from "./Errors.js";
import * as FrameworkErrors from "./FrameworkErrors.js";
/**
 * @since 0.1.0
 * @category models
 */
export interface Catalog<E extends CatalogError.CatalogError = CatalogError.CatalogError> extends Pipeable.Pipeable {
    readonly errors: ReadonlyArray<CatalogError.AnyClass<E>>;
    /** The class of a wire code, compared after case folding (`NOT_FOUND` finds `not_found`). */
    readonly byCode: (code: string) => CatalogError.AnyClass<E> | undefined;
    readonly byTag: (tag: string) => CatalogError.AnyClass<E> | undefined;
}
/**
 * The instance type of a catalog's errors.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorOf<C> = C extends Catalog<infer E> ? E : never;
/**
 * The union of the instance types of a list of classes.
 *
 * @since 0.1.0
 * @category models
 */
export type InstanceOf<Classes extends ReadonlyArray<CatalogError.AnyClass<any>>> = InstanceType<Classes[number]>;
/**
 * Builds a catalog. Two classes with the same code (after case folding) or the same tag are a definition mistake,
 * reported at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export declare const make: <const Classes extends ReadonlyArray<CatalogError.AnyClass<any>>>(...classes: Classes) => Catalog<InstanceOf<Classes>>;
/**
 * A catalog with more classes; classes it already has are not added twice.
 *
 * @since 0.1.0
 * @category combinators
 */
export declare const add: {
    <const Classes extends ReadonlyArray<CatalogError.AnyClass<any>>>(...classes: Classes): <E extends CatalogError.CatalogError>(self: Catalog<E>) => Catalog<E | InstanceOf<Classes>>;
    <E extends CatalogError.CatalogError, const Classes extends ReadonlyArray<CatalogError.AnyClass<any>>>(self: Catalog<E>, ...classes: Classes): Catalog<E | InstanceOf<Classes>>;
};
/**
 * The catalog error classes an API declares, each with the endpoints that declare it: API-level and group-level
 * errors count for every endpoint beneath them. Found through `HttpApi.reflect`.
 *
 * @since 0.1.0
 * @category reflection
 */
export declare const declaredBy: (api: HttpApi.HttpApi.Any) => ReadonlyMap<string, ReadonlyArray<CatalogError.AnyClass>>;
/**
 * The catalog of every error class an API declares, anywhere.
 *
 * @since 0.1.0
 * @category reflection
 */
export declare const fromApi: (api: HttpApi.HttpApi.Any) => Catalog;
/**
 * The union of the seed errors.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedError = InstanceType<(typeof Errors)[keyof typeof Errors]>;
/**
 * The union of every error Errata ships.
 *
 * @since 0.1.0
 * @category models
 */
export type BuiltinError = SeedError | InstanceType<(typeof FrameworkErrors)[keyof typeof FrameworkErrors]>;
/**
 * The errors of the seed documents: the classes of `Errors`.
 *
 * @since 0.1.0
 * @category catalogs
 */
export declare const seed: Catalog<SeedError>;
/**
 * The errors Errata ships: the seed errors and the framework's own (`FrameworkErrors`).
 *
 * @since 0.1.0
 * @category catalogs
 */
export declare const builtin: Catalog<BuiltinError>;
//# sourceMappingURL=Catalog.d.ts.map