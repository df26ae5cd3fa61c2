/**
 * @since 0.1.0
 */
export * as ErrataClient from "./ErrataClient.js"
export * as Retry from "./Retry.js"
export * as RetryBudget from "./RetryBudget.js"
export * from "./TransportError.js"
export * as UserMessage from "./UserMessage.js"
