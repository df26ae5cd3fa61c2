/**
 * The errors of the seed documents: every error they describe, one class per distinct wire code after case folding,
 * each naming the seeds it comes from. `Catalog.seed` is this module's classes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect";
import * as CatalogError from "./CatalogError.js";
// 400
/**
 * Malformed request (seeds 000, 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends CatalogError.Class()("BadRequest", {
    code: "bad_request",
    status: 400,
    category: "validation",
    description: "Malformed request",
    resolution: "Check request syntax and parameters"
}) {
}
/**
 * Request validation failed (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationFailed extends CatalogError.Class()("ValidationFailed", {
    code: "validation_failed",
    status: 400,
    category: "validation",
    description: "Request validation failed",
    resolution: "Check the listed fields: supply the required ones and fix invalid values"
}) {
}
/**
 * Invalid parameter value (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParameter extends CatalogError.Class()("InvalidParameter", {
    code: "invalid_parameter",
    status: 400,
    category: "validation",
    description: "Invalid parameter value",
    resolution: "Check the parameter against the endpoint's documentation and send a valid value"
}) {
}
/**
 * Invalid request format (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends CatalogError.Class()("InvalidRequest", {
    code: "invalid_request",
    status: 400,
    category: "validation",
    description: "Invalid request format",
    resolution: "Send a well-formed request with the content type and structure the endpoint expects"
}) {
}
/**
 * JSON parsing failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidJson extends CatalogError.Class()("InvalidJson", {
    code: "invalid_json",
    status: 400,
    category: "validation",
    description: "JSON parsing failed",
    resolution: "Send a syntactically valid JSON body"
}) {
}
/**
 * Flow is inactive (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class FlowInactive extends CatalogError.Class()("FlowInactive", {
    code: "flow_inactive",
    status: 400,
    category: "state",
    description: "Flow is inactive",
    resolution: "Activate the flow before using it"
}) {
}
/**
 * Job was cancelled (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class JobCancelled extends CatalogError.Class()("JobCancelled", {
    code: "job_cancelled",
    status: 400,
    category: "job",
    description: "Job was cancelled",
    resolution: "Start a new job if the work is still needed"
}) {
}
// 401
/**
 * Invalid credentials (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnauthorizedClient extends CatalogError.Class()("UnauthorizedClient", {
    code: "unauthorized_client",
    status: 401,
    category: "authentication",
    description: "Invalid credentials",
    resolution: "Check the client's credentials"
}) {
}
/**
 * Token is invalid or expired (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidToken extends CatalogError.Class()("InvalidToken", {
    code: "invalid_token",
    status: 401,
    category: "authentication",
    description: "Token is invalid or expired",
    resolution: "Check the token and the Authorization header format, or obtain a new token"
}) {
}
/**
 * Token has expired (seeds 000, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenExpired extends CatalogError.Class()("TokenExpired", {
    code: "token_expired",
    status: 401,
    category: "authentication",
    description: "Token has expired",
    resolution: "Refresh the token and retry the request"
}) {
}
/**
 * Missing or invalid authentication (seeds 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends CatalogError.Class()("Unauthorized", {
    code: "unauthorized",
    status: 401,
    category: "authentication",
    description: "Missing or invalid authentication",
    resolution: "Provide valid API key or session cookie"
}) {
}
/**
 * Invalid username or password (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCredentials extends CatalogError.Class()("InvalidCredentials", {
    code: "invalid_credentials",
    status: 401,
    category: "authentication",
    description: "Invalid username or password",
    resolution: "Check login credentials"
}) {
}
/**
 * Session has expired (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class SessionExpired extends CatalogError.Class()("SessionExpired", {
    code: "session_expired",
    status: 401,
    category: "authentication",
    description: "Session has expired",
    resolution: "Re-authenticate to get new session"
}) {
}
/**
 * Webhook signature validation failed (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends CatalogError.Class()("InvalidSignature", {
    code: "invalid_signature",
    status: 401,
    category: "authentication",
    description: "Webhook signature validation failed",
    resolution: "Verify webhook secret configuration"
}) {
}
/**
 * Token has been revoked (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenRevoked extends CatalogError.Class()("TokenRevoked", {
    code: "token_revoked",
    status: 401,
    category: "authentication",
    description: "Token has been revoked",
    resolution: "Obtain a new token by authenticating again"
}) {
}
// 403
/**
 * Authenticated but not authorized (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends CatalogError.Class()("Forbidden", {
    code: "forbidden",
    status: 403,
    category: "authorization",
    description: "Authenticated but not authorized",
    resolution: "Check user role and permissions"
}) {
}
/**
 * Access denied for this resource (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccessDenied extends CatalogError.Class()("AccessDenied", {
    code: "access_denied",
    status: 403,
    category: "authorization",
    description: "Access denied for this resource",
    resolution: "Check the resource's access restrictions and the caller's permissions on it"
}) {
}
/**
 * CSRF token missing or invalid (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class CsrfValidationFailed extends CatalogError.Class()("CsrfValidationFailed", {
    code: "csrf_validation_failed",
    status: 403,
    category: "authorization",
    description: "CSRF token missing or invalid",
    resolution: "Include valid CSRF token in request"
}) {
}
/**
 * User account is disabled (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountDisabled extends CatalogError.Class()("AccountDisabled", {
    code: "account_disabled",
    status: 403,
    category: "state",
    description: "User account is disabled",
    resolution: "Contact administrator"
}) {
}
/**
 * Required scope is missing (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class InsufficientScope extends CatalogError.Class()("InsufficientScope", {
    code: "insufficient_scope",
    status: 403,
    category: "authorization",
    description: "Required scope is missing",
    resolution: "Request a token with the required scope",
    fields: { requiredScope: Schema.optional(Schema.String).pipe(Schema.fromKey("required_scope")) }
}) {
}
/**
 * User is suspended (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class UserSuspended extends CatalogError.Class()("UserSuspended", {
    code: "user_suspended",
    status: 403,
    category: "state",
    description: "User is suspended",
    resolution: "Contact an administrator to lift the suspension"
}) {
}
/**
 * User is locked (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class UserLocked extends CatalogError.Class()("UserLocked", {
    code: "user_locked",
    status: 403,
    category: "state",
    description: "User is locked",
    resolution: "Wait for the lock to expire or ask an administrator to unlock the user"
}) {
}
/**
 * Client is disabled (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ClientDisabled extends CatalogError.Class()("ClientDisabled", {
    code: "client_disabled",
    status: 403,
    category: "state",
    description: "Client is disabled",
    resolution: "Ask an administrator to enable the client"
}) {
}
// 404
/**
 * Resource not found (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends CatalogError.Class()("NotFound", {
    code: "not_found",
    status: 404,
    category: "not_found",
    description: "Resource not found",
    resolution: "Verify resource ID exists"
}) {
}
/**
 * Specific resource not found (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class ResourceNotFound extends CatalogError.Class()("ResourceNotFound", {
    code: "resource_not_found",
    status: 404,
    category: "not_found",
    description: "Specific resource not found",
    resolution: "Verify the resource name (case-sensitive) and the project or environment context"
}) {
}
/**
 * User not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class UserNotFound extends CatalogError.Class()("UserNotFound", {
    code: "user_not_found",
    status: 404,
    category: "not_found",
    description: "User not found",
    resolution: "Verify the user ID exists",
    fields: { userId: Schema.optional(Schema.String).pipe(Schema.fromKey("user_id")) }
}) {
}
/**
 * Client not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ClientNotFound extends CatalogError.Class()("ClientNotFound", {
    code: "client_not_found",
    status: 404,
    category: "not_found",
    description: "Client not found",
    resolution: "Verify the client ID exists"
}) {
}
/**
 * Organization not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationNotFound extends CatalogError.Class()("OrganizationNotFound", {
    code: "organization_not_found",
    status: 404,
    category: "not_found",
    description: "Organization not found",
    resolution: "Verify the organization ID exists"
}) {
}
/**
 * Role not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class RoleNotFound extends CatalogError.Class()("RoleNotFound", {
    code: "role_not_found",
    status: 404,
    category: "not_found",
    description: "Role not found",
    resolution: "Verify the role exists"
}) {
}
/**
 * Policy not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class PolicyNotFound extends CatalogError.Class()("PolicyNotFound", {
    code: "policy_not_found",
    status: 404,
    category: "not_found",
    description: "Policy not found",
    resolution: "Verify the policy exists"
}) {
}
/**
 * Flow not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class FlowNotFound extends CatalogError.Class()("FlowNotFound", {
    code: "flow_not_found",
    status: 404,
    category: "not_found",
    description: "Flow not found",
    resolution: "Verify the flow exists"
}) {
}
/**
 * Job not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class JobNotFound extends CatalogError.Class()("JobNotFound", {
    code: "job_not_found",
    status: 404,
    category: "not_found",
    description: "Job not found",
    resolution: "Verify the job ID exists; finished jobs may have been purged"
}) {
}
// 409
/**
 * Resource conflict (e.g., already exists) (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends CatalogError.Class()("Conflict", {
    code: "conflict",
    status: 409,
    category: "conflict",
    description: "Resource conflict (e.g., already exists)",
    resolution: "Action already completed or duplicate resource"
}) {
}
/**
 * Name already exists (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateName extends CatalogError.Class()("DuplicateName", {
    code: "duplicate_name",
    status: 409,
    category: "conflict",
    description: "Name already exists",
    resolution: "Choose another name"
}) {
}
/**
 * Email address is already in use (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class EmailAlreadyExists extends CatalogError.Class()("EmailAlreadyExists", {
    code: "email_already_exists",
    status: 409,
    category: "conflict",
    description: "Email address is already in use",
    resolution: "Use another email address, or update the existing user",
    fields: { email: Schema.optional(Schema.String) }
}) {
}
/**
 * Client ID is already in use (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ClientIdAlreadyExists extends CatalogError.Class()("ClientIdAlreadyExists", {
    code: "client_id_already_exists",
    status: 409,
    category: "conflict",
    description: "Client ID is already in use",
    resolution: "Choose another client ID"
}) {
}
/**
 * Role is already assigned (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class RoleAlreadyAssigned extends CatalogError.Class()("RoleAlreadyAssigned", {
    code: "role_already_assigned",
    status: 409,
    category: "conflict",
    description: "Role is already assigned",
    resolution: "Nothing to do: the role is already assigned"
}) {
}
// 422
/**
 * Semantic error in request (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnprocessableEntity extends CatalogError.Class()("UnprocessableEntity", {
    code: "unprocessable_entity",
    status: 422,
    category: "validation",
    description: "Semantic error in request",
    resolution: "Check request logic and data validity"
}) {
}
/**
 * Field validation failed (seeds 002, 003, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationError extends CatalogError.Class()("ValidationError", {
    code: "validation_error",
    status: 422,
    category: "validation",
    description: "Field validation failed",
    resolution: "See details for field-specific errors"
}) {
}
/**
 * Invalid email address format (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidEmail extends CatalogError.Class()("InvalidEmail", {
    code: "invalid_email",
    status: 422,
    category: "validation",
    description: "Invalid email address format",
    resolution: "Send a valid email address"
}) {
}
/**
 * Password does not meet requirements (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidPassword extends CatalogError.Class()("InvalidPassword", {
    code: "invalid_password",
    status: 422,
    category: "validation",
    description: "Password does not meet requirements",
    resolution: "Choose a password that meets the password policy"
}) {
}
/**
 * Import processing failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportFailed extends CatalogError.Class()("ImportFailed", {
    code: "import_failed",
    status: 422,
    category: "job",
    description: "Import processing failed",
    resolution: "Fix the rejected records in the import data and import again"
}) {
}
// 429
/**
 * Too many requests (seeds 000, 002, 003, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitExceeded extends CatalogError.Class()("RateLimitExceeded", {
    code: "rate_limit_exceeded",
    status: 429,
    category: "rate_limit",
    description: "Too many requests",
    resolution: "Wait and retry with exponential backoff, no sooner than Retry-After"
}) {
}
// 500
/**
 * Unexpected server error (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalError extends CatalogError.Class()("InternalError", {
    code: "internal_error",
    status: 500,
    category: "system",
    description: "Unexpected server error",
    resolution: "Check server logs, contact support"
}) {
}
/**
 * Unexpected server error (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends CatalogError.Class()("ServerError", {
    code: "server_error",
    status: 500,
    category: "system",
    description: "Unexpected server error",
    resolution: "Retry the request; contact support if it persists"
}) {
}
/**
 * Database operation failed (seeds 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseError extends CatalogError.Class()("DatabaseError", {
    code: "database_error",
    status: 500,
    category: "system",
    description: "Database operation failed",
    resolution: "Check database connectivity"
}) {
}
/**
 * Job execution failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class JobFailed extends CatalogError.Class()("JobFailed", {
    code: "job_failed",
    status: 500,
    category: "job",
    description: "Job execution failed",
    resolution: "Inspect the job's result and run it again"
}) {
}
/**
 * Export processing failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ExportFailed extends CatalogError.Class()("ExportFailed", {
    code: "export_failed",
    status: 500,
    category: "job",
    description: "Export processing failed",
    resolution: "Run the export again; contact support if it persists"
}) {
}
// 502
/**
 * An upstream server returned an invalid response (seeds 003).
 *
 * @since 0.1.0
 * @category errors
 */
export class BadGateway extends CatalogError.Class()("BadGateway", {
    code: "bad_gateway",
    status: 502,
    category: "system",
    description: "An upstream server returned an invalid response",
    resolution: "Retry with backoff; if it persists, note the timestamp and request details and contact support"
}) {
}
// 503
/**
 * Service temporarily unavailable (seeds 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceUnavailable extends CatalogError.Class()("ServiceUnavailable", {
    code: "service_unavailable",
    status: 503,
    category: "system",
    description: "Service temporarily unavailable",
    resolution: "Retry later, no sooner than Retry-After"
}) {
}
// 504
/**
 * Request timeout (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends CatalogError.Class()("Timeout", {
    code: "timeout",
    status: 504,
    category: "system",
    description: "Request timeout",
    resolution: "Retry with backoff; if it keeps timing out, reduce the size of the request"
}) {
}
//# sourceMappingURL=Errors.js.map