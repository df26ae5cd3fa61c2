/**
 * The reference service, for tests and benchmarks that start it in-process.
 *
 * @since 0.1.0
 */
export * as Database from "./Database.js"
export * as ReferenceServer from "./ReferenceServer.js"
export * from "./Users.js"
export * from "./UsersRepository.js"
