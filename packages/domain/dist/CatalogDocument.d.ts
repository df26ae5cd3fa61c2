/**
 * A catalog as data (`toJson`) and as an error reference page in the style of the seed documents (`toMarkdown`).
 *
 * @since 0.1.0
 */
import type { Catalog } from "./Catalog.js";
import type { RetryClass } from "./CatalogError.js";
/**
 * One catalog error as data.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
    readonly tag: string;
    readonly code: string;
    readonly status: number;
    readonly category: string;
    readonly retry: RetryClass;
    readonly description: string;
    readonly resolution: string;
}
/**
 * The catalog's errors, ordered by status, then code.
 *
 * @since 0.1.0
 * @category data
 */
export declare const entries: (catalog: Catalog<any>) => ReadonlyArray<Entry>;
/**
 * The catalog as JSON: one entry per error.
 *
 * @since 0.1.0
 * @category data
 */
export declare const toJson: (catalog: Catalog<any>) => string;
/**
 * How the reference page words each retry class (seed 002's "Retryable" column).
 *
 * @since 0.1.0
 * @category reference page
 */
export declare const retryableText: Record<RetryClass, string>;
/**
 * The error reference page, in the style of the seed documents: a section per status, a row per code.
 *
 * @since 0.1.0
 * @category reference page
 */
export declare const toMarkdown: (catalog: Catalog<any>) => string;
//# sourceMappingURL=CatalogDocument.d.ts.map