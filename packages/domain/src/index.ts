/**
 * @since 0.1.0
 */
export * from "./AdminApi.js"
export * as Catalog from "./Catalog.js"
export * from "./CatalogError.js"
export * as CatalogDocument from "./CatalogDocument.js"
export * from "./Errors.js"
export * from "./UnknownApiError.js"
export * as WireFormat from "./WireFormat.js"
export * from "./User.js"
