/**
 * The errors of the seed documents: every error they describe, one class per distinct wire code after case folding,
 * each naming the seeds it comes from. `Catalog.seed` is this module's classes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect";
import * as CatalogError from "./CatalogError.js";
declare const BadRequest_base: CatalogError.DefinedClass<BadRequest, "BadRequest", "bad_request", {}>;
/**
 * Malformed request (seeds 000, 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class BadRequest extends BadRequest_base {
}
declare const ValidationFailed_base: CatalogError.DefinedClass<ValidationFailed, "ValidationFailed", "validation_failed", {}>;
/**
 * Request validation failed (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ValidationFailed extends ValidationFailed_base {
}
declare const InvalidParameter_base: CatalogError.DefinedClass<InvalidParameter, "InvalidParameter", "invalid_parameter", {}>;
/**
 * Invalid parameter value (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidParameter extends InvalidParameter_base {
}
declare const InvalidRequest_base: CatalogError.DefinedClass<InvalidRequest, "InvalidRequest", "invalid_request", {}>;
/**
 * Invalid request format (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidRequest extends InvalidRequest_base {
}
declare const InvalidJson_base: CatalogError.DefinedClass<InvalidJson, "InvalidJson", "invalid_json", {}>;
/**
 * JSON parsing failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidJson extends InvalidJson_base {
}
declare const FlowInactive_base: CatalogError.DefinedClass<FlowInactive, "FlowInactive", "flow_inactive", {}>;
/**
 * Flow is inactive (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class FlowInactive extends FlowInactive_base {
}
declare const JobCancelled_base: CatalogError.DefinedClass<JobCancelled, "JobCancelled", "job_cancelled", {}>;
/**
 * Job was cancelled (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class JobCancelled extends JobCancelled_base {
}
declare const UnauthorizedClient_base: CatalogError.DefinedClass<UnauthorizedClient, "UnauthorizedClient", "unauthorized_client", {}>;
/**
 * Invalid credentials (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class UnauthorizedClient extends UnauthorizedClient_base {
}
declare const InvalidToken_base: CatalogError.DefinedClass<InvalidToken, "InvalidToken", "invalid_token", {}>;
/**
 * Token is invalid or expired (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidToken extends InvalidToken_base {
}
declare const TokenExpired_base: CatalogError.DefinedClass<TokenExpired, "TokenExpired", "token_expired", {}>;
/**
 * Token has expired (seeds 000, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class TokenExpired extends TokenExpired_base {
}
declare const Unauthorized_base: CatalogError.DefinedClass<Unauthorized, "Unauthorized", "unauthorized", {}>;
/**
 * Missing or invalid authentication (seeds 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class Unauthorized extends Unauthorized_base {
}
declare const InvalidCredentials_base: CatalogError.DefinedClass<InvalidCredentials, "InvalidCredentials", "invalid_credentials", {}>;
/**
 * Invalid username or password (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidCredentials extends InvalidCredentials_base {
}
declare const SessionExpired_base: CatalogError.DefinedClass<SessionExpired, "SessionExpired", "session_expired", {}>;
/**
 * Session has expired (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class SessionExpired extends SessionExpired_base {
}
declare const InvalidSignature_base: CatalogError.DefinedClass<InvalidSignature, "InvalidSignature", "invalid_signature", {}>;
/**
 * Webhook signature validation failed (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidSignature extends InvalidSignature_base {
}
declare const TokenRevoked_base: CatalogError.DefinedClass<TokenRevoked, "TokenRevoked", "token_revoked", {}>;
/**
 * Token has been revoked (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class TokenRevoked extends TokenRevoked_base {
}
declare const Forbidden_base: CatalogError.DefinedClass<Forbidden, "Forbidden", "forbidden", {}>;
/**
 * Authenticated but not authorized (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class Forbidden extends Forbidden_base {
}
declare const AccessDenied_base: CatalogError.DefinedClass<AccessDenied, "AccessDenied", "access_denied", {}>;
/**
 * Access denied for this resource (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class AccessDenied extends AccessDenied_base {
}
declare const CsrfValidationFailed_base: CatalogError.DefinedClass<CsrfValidationFailed, "CsrfValidationFailed", "csrf_validation_failed", {}>;
/**
 * CSRF token missing or invalid (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class CsrfValidationFailed extends CsrfValidationFailed_base {
}
declare const AccountDisabled_base: CatalogError.DefinedClass<AccountDisabled, "AccountDisabled", "account_disabled", {}>;
/**
 * User account is disabled (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class AccountDisabled extends AccountDisabled_base {
}
declare const InsufficientScope_base: CatalogError.DefinedClass<InsufficientScope, "InsufficientScope", "insufficient_scope", {
    readonly requiredScope: Schema.PropertySignature<"?:", string | undefined, "required_scope", "?:", string | undefined, false, never>;
}>;
/**
 * Required scope is missing (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InsufficientScope extends InsufficientScope_base {
}
declare const UserSuspended_base: CatalogError.DefinedClass<UserSuspended, "UserSuspended", "user_suspended", {}>;
/**
 * User is suspended (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class UserSuspended extends UserSuspended_base {
}
declare const UserLocked_base: CatalogError.DefinedClass<UserLocked, "UserLocked", "user_locked", {}>;
/**
 * User is locked (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class UserLocked extends UserLocked_base {
}
declare const ClientDisabled_base: CatalogError.DefinedClass<ClientDisabled, "ClientDisabled", "client_disabled", {}>;
/**
 * Client is disabled (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ClientDisabled extends ClientDisabled_base {
}
declare const NotFound_base: CatalogError.DefinedClass<NotFound, "NotFound", "not_found", {}>;
/**
 * Resource not found (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class NotFound extends NotFound_base {
}
declare const ResourceNotFound_base: CatalogError.DefinedClass<ResourceNotFound, "ResourceNotFound", "resource_not_found", {}>;
/**
 * Specific resource not found (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ResourceNotFound extends ResourceNotFound_base {
}
declare const UserNotFound_base: CatalogError.DefinedClass<UserNotFound, "UserNotFound", "user_not_found", {
    readonly userId: Schema.PropertySignature<"?:", string | undefined, "user_id", "?:", string | undefined, false, never>;
}>;
/**
 * User not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class UserNotFound extends UserNotFound_base {
}
declare const ClientNotFound_base: CatalogError.DefinedClass<ClientNotFound, "ClientNotFound", "client_not_found", {}>;
/**
 * Client not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ClientNotFound extends ClientNotFound_base {
}
declare const OrganizationNotFound_base: CatalogError.DefinedClass<OrganizationNotFound, "OrganizationNotFound", "organization_not_found", {}>;
/**
 * Organization not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class OrganizationNotFound extends OrganizationNotFound_base {
}
declare const RoleNotFound_base: CatalogError.DefinedClass<RoleNotFound, "RoleNotFound", "role_not_found", {}>;
/**
 * Role not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class RoleNotFound extends RoleNotFound_base {
}
declare const PolicyNotFound_base: CatalogError.DefinedClass<PolicyNotFound, "PolicyNotFound", "policy_not_found", {}>;
/**
 * Policy not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class PolicyNotFound extends PolicyNotFound_base {
}
declare const FlowNotFound_base: CatalogError.DefinedClass<FlowNotFound, "FlowNotFound", "flow_not_found", {}>;
/**
 * Flow not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class FlowNotFound extends FlowNotFound_base {
}
declare const JobNotFound_base: CatalogError.DefinedClass<JobNotFound, "JobNotFound", "job_not_found", {}>;
/**
 * Job not found (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class JobNotFound extends JobNotFound_base {
}
declare const Conflict_base: CatalogError.DefinedClass<Conflict, "Conflict", "conflict", {}>;
/**
 * Resource conflict (e.g., already exists) (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class Conflict extends Conflict_base {
}
declare const DuplicateName_base: CatalogError.DefinedClass<DuplicateName, "DuplicateName", "duplicate_name", {}>;
/**
 * Name already exists (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class DuplicateName extends DuplicateName_base {
}
declare const EmailAlreadyExists_base: CatalogError.DefinedClass<EmailAlreadyExists, "EmailAlreadyExists", "email_already_exists", {
    readonly email: Schema.optional<typeof Schema.String>;
}>;
/**
 * Email address is already in use (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class EmailAlreadyExists extends EmailAlreadyExists_base {
}
declare const ClientIdAlreadyExists_base: CatalogError.DefinedClass<ClientIdAlreadyExists, "ClientIdAlreadyExists", "client_id_already_exists", {}>;
/**
 * Client ID is already in use (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ClientIdAlreadyExists extends ClientIdAlreadyExists_base {
}
declare const RoleAlreadyAssigned_base: CatalogError.DefinedClass<RoleAlreadyAssigned, "RoleAlreadyAssigned", "role_already_assigned", {}>;
/**
 * Role is already assigned (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class RoleAlreadyAssigned extends RoleAlreadyAssigned_base {
}
declare const UnprocessableEntity_base: CatalogError.DefinedClass<UnprocessableEntity, "UnprocessableEntity", "unprocessable_entity", {}>;
/**
 * Semantic error in request (seeds 002).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class UnprocessableEntity extends UnprocessableEntity_base {
}
declare const ValidationError_base: CatalogError.DefinedClass<ValidationError, "ValidationError", "validation_error", {}>;
/**
 * Field validation failed (seeds 002, 003, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ValidationError extends ValidationError_base {
}
declare const InvalidEmail_base: CatalogError.DefinedClass<InvalidEmail, "InvalidEmail", "invalid_email", {}>;
/**
 * Invalid email address format (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidEmail extends InvalidEmail_base {
}
declare const InvalidPassword_base: CatalogError.DefinedClass<InvalidPassword, "InvalidPassword", "invalid_password", {}>;
/**
 * Password does not meet requirements (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InvalidPassword extends InvalidPassword_base {
}
declare const ImportFailed_base: CatalogError.DefinedClass<ImportFailed, "ImportFailed", "import_failed", {}>;
/**
 * Import processing failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ImportFailed extends ImportFailed_base {
}
declare const RateLimitExceeded_base: CatalogError.DefinedClass<RateLimitExceeded, "RateLimitExceeded", "rate_limit_exceeded", {}>;
/**
 * Too many requests (seeds 000, 002, 003, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class RateLimitExceeded extends RateLimitExceeded_base {
}
declare const InternalError_base: CatalogError.DefinedClass<InternalError, "InternalError", "internal_error", {}>;
/**
 * Unexpected server error (seeds 000, 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class InternalError extends InternalError_base {
}
declare const ServerError_base: CatalogError.DefinedClass<ServerError, "ServerError", "server_error", {}>;
/**
 * Unexpected server error (seeds 000).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ServerError extends ServerError_base {
}
declare const DatabaseError_base: CatalogError.DefinedClass<DatabaseError, "DatabaseError", "database_error", {}>;
/**
 * Database operation failed (seeds 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class DatabaseError extends DatabaseError_base {
}
declare const JobFailed_base: CatalogError.DefinedClass<JobFailed, "JobFailed", "job_failed", {}>;
/**
 * Job execution failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class JobFailed extends JobFailed_base {
}
declare const ExportFailed_base: CatalogError.DefinedClass<ExportFailed, "ExportFailed", "export_failed", {}>;
/**
 * Export processing failed (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ExportFailed extends ExportFailed_base {
}
declare const BadGateway_base: CatalogError.DefinedClass<BadGateway, "BadGateway", "bad_gateway", {}>;
/**
 * An upstream server returned an invalid response (seeds 003).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class BadGateway extends BadGateway_base {
}
declare const ServiceUnavailable_base: CatalogError.DefinedClass<ServiceUnavailable, "ServiceUnavailable", "service_unavailable", {}>;
/**
 * Service temporarily unavailable (seeds 002, 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class ServiceUnavailable extends ServiceUnavailable_base {
}
declare const Timeout_base: CatalogError.DefinedClass<Timeout, "Timeout", "timeout", {}>;
/**
 * Request timeout (seeds 004).
 *
 * @since 0.1.0
 * @category errors
 */
export declare class Timeout extends Timeout_base {
}
export {};
//# sourceMappingURL=Errors.d.ts.map