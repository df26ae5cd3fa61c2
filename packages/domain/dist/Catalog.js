/**
 * A `Catalog` is a set of catalog error classes with constant-time lookup by wire code and by tag. `Catalog.seed`
 * holds the errors of the seed documents, `Catalog.builtin` adds the framework's own, and `Catalog.fromApi` gathers
 * the classes an `HttpApi` declares (on the API, its groups and its endpoints).
 *
 * @since 0.1.0
 */
import { HttpApi } from "@effect/platform";
import { Option } from "effect";
import { dual } from "effect/Function";
import { pipeArguments } from "effect/Pipeable";
import * as CatalogError from "./CatalogError.js";
import * as Errors from "./Errors.js";
import * as FrameworkErrors from "./FrameworkErrors.js";
/**
 * Builds a catalog. Two classes with the same code (after case folding) or the same tag are a definition mistake,
 * reported at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (...classes) => {
    const codes = new Map();
    const tags = new Map();
    for (const cls of classes) {
        const { code, tag } = cls.metadata;
        const sameCode = codes.get(code);
        if (sameCode !== undefined && sameCode !== cls) {
            throw new Error(`Catalog: ${tag} and ${sameCode.metadata.tag} share the code "${code}"`);
        }
        const sameTag = tags.get(tag);
        if (sameTag !== undefined && sameTag !== cls) {
            throw new Error(`Catalog: two classes are tagged "${tag}"`);
        }
        codes.set(code, cls);
        tags.set(tag, cls);
    }
    const errors = Array.from(codes.values());
    return {
        errors,
        byCode: (code) => codes.get(code) ?? codes.get(code.toLowerCase()),
        byTag: (tag) => tags.get(tag),
        pipe() {
            return pipeArguments(this, arguments);
        }
    };
};
const isCatalog = (u) => typeof u === "object" && u !== null && "errors" in u && "byCode" in u;
/**
 * A catalog with more classes; classes it already has are not added twice.
 *
 * @since 0.1.0
 * @category combinators
 */
export const add = dual((args) => isCatalog(args[0]), (self, ...classes) => make(...self.errors, ...classes.filter((cls) => !self.errors.includes(cls))));
/**
 * The catalog error classes an API declares, each with the endpoints that declare it: API-level and group-level
 * errors count for every endpoint beneath them. Found through `HttpApi.reflect`.
 *
 * @since 0.1.0
 * @category reflection
 */
export const declaredBy = (api) => {
    const byEndpoint = new Map();
    HttpApi.reflect(api, {
        onGroup: () => { },
        onEndpoint: ({ endpoint, errors, group }) => {
            const classes = new Set();
            for (const { ast } of errors.values()) {
                if (Option.isSome(ast))
                    CatalogError.classesIn(ast.value).forEach((cls) => classes.add(cls));
            }
            byEndpoint.set(`${group.identifier}.${endpoint.name}`, Array.from(classes));
        }
    });
    return byEndpoint;
};
/**
 * The catalog of every error class an API declares, anywhere.
 *
 * @since 0.1.0
 * @category reflection
 */
export const fromApi = (api) => {
    const classes = new Set();
    for (const declared of declaredBy(api).values())
        declared.forEach((cls) => classes.add(cls));
    return make(...classes);
};
/**
 * The errors of the seed documents: the classes of `Errors`.
 *
 * @since 0.1.0
 * @category catalogs
 */
export const seed = make(...Object.values(Errors));
/**
 * The errors Errata ships: the seed errors and the framework's own (`FrameworkErrors`).
 *
 * @since 0.1.0
 * @category catalogs
 */
export const builtin = make(...Object.values(Errors), ...Object.values(FrameworkErrors));
//# sourceMappingURL=Catalog.js.map