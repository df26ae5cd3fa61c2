import { BadRequest, InvalidJson, ValidationError, ValidationFailed } from "../Errors.js";
import type * as WireFormat from "../WireFormat.js";
/** Seeds 000 and 001. */
export declare const oauthStyle: WireFormat.Envelope<typeof ValidationFailed, typeof BadRequest>;
/** Seed 002. */
export declare const codeMessage: WireFormat.Envelope<typeof ValidationError, typeof BadRequest>;
/** Seed 003: it prints only the envelope's structure, so codes are sent in the catalog's lower snake case. */
export declare const nestedError: WireFormat.Envelope<typeof ValidationError, typeof BadRequest>;
/** Seed 004; `request_id` comes from its logging example (`request_id: error.request_id`). */
export declare const oauthDetails: WireFormat.Envelope<typeof ValidationError, typeof InvalidJson>;
/** RFC 9457, with the catalog code, field errors, retry delay and request id as extension members. */
export declare const problemDetails: WireFormat.Envelope<typeof ValidationError, typeof InvalidJson>;
//# sourceMappingURL=envelopes.d.ts.map