import type * as CatalogError from "./CatalogError.js";
import { InvalidJson, ValidationFailed } from "./Errors.js";
import * as WireFormat from "./WireFormat.js";
/**
 * The `@type` of each detail this format writes and reads.
 *
 * @since 0.1.0
 * @category constants
 */
export declare const detailTypes: {
    readonly errorInfo: "type.googleapis.com/google.rpc.ErrorInfo";
    readonly badRequest: "type.googleapis.com/google.rpc.BadRequest";
    readonly retryInfo: "type.googleapis.com/google.rpc.RetryInfo";
    readonly requestInfo: "type.googleapis.com/google.rpc.RequestInfo";
    readonly help: "type.googleapis.com/google.rpc.Help";
    readonly debugInfo: "type.googleapis.com/google.rpc.DebugInfo";
};
/**
 * The `google.rpc.Code` name of an error, by its HTTP status as AIP-193 maps them; a 400 about the state of a
 * resource is `FAILED_PRECONDITION`, a 409 for something that exists already `ALREADY_EXISTS`.
 *
 * @since 0.1.0
 * @category codes
 */
export declare const statusName: (metadata: CatalogError.Metadata) => string;
/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
    /** `ErrorInfo.domain`: the service or product the reasons belong to. Default `errata`. */
    readonly domain?: string;
}
/**
 * The envelope, for a format with another `domain` or over another catalog: `WireFormat.make(GoogleRpc.envelope({
 * domain: "billing.example.com" }), { catalog })`.
 *
 * @since 0.1.0
 * @category envelopes
 */
export declare const envelope: (options?: Options) => WireFormat.Envelope<typeof ValidationFailed, typeof InvalidJson>;
/**
 * Google's error model over the built-in catalog, with the `errata` domain.
 *
 * @since 0.1.0
 * @category formats
 */
export declare const format: WireFormat.WireFormat<import("./Catalog.js").BuiltinError, typeof ValidationFailed, typeof InvalidJson>;
//# sourceMappingURL=GoogleRpc.d.ts.map