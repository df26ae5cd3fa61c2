/**
 * The provisioning webhook's events: an HR system creates, suspends, disables and reactivates users, by email. Each
 * request is signed (`Webhook-Signature`) with a secret the two systems share.
 */
import { Schema } from "effect"
import { EmailInput, UserName } from "./User.js"

export class UserCreated extends Schema.Class<UserCreated>("UserCreated")({
  type: Schema.Literal("user.created"),
  data: Schema.Struct({ email: EmailInput, name: UserName })
}) {}

export class UserStatusChanged extends Schema.Class<UserStatusChanged>("UserStatusChanged")({
  type: Schema.Literal("user.suspended", "user.disabled", "user.reactivated"),
  data: Schema.Struct({ email: EmailInput })
}) {}

export const ProvisioningEvent = Schema.Union(UserCreated, UserStatusChanged)

export type ProvisioningEvent = typeof ProvisioningEvent.Type
