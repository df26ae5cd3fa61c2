/**
 * @since 0.1.0
 */
export * as DebugInfo from "./DebugInfo.js"
export * as ErrataConfig from "./ErrataConfig.js"
export * as ErrataServer from "./ErrataServer.js"
export * as Logging from "./Logging.js"
export * as OpenApiDocs from "./OpenApiDocs.js"
export * as RateLimit from "./RateLimit.js"
export * as RequestId from "./RequestId.js"
export * as RouteTable from "./RouteTable.js"
export * as ServerFailure from "./ServerFailure.js"
