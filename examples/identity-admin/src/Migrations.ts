/**
 * The service's schema, one migration at a time, in SQL that SQLite and PostgreSQL both run: `TEXT`, `BIGINT` for
 * numbers and timestamps (milliseconds), `INTEGER` 0/1 for flags.
 */
import { Migrator, SqlClient } from "@effect/sql"
import { Effect } from "effect"

export const loader = Migrator.fromRecord({
  "0001_create_users": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )
    `
  }),
  "0002_security": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'`
    yield* sql`ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member'`
    yield* sql`ALTER TABLE users ADD COLUMN locked_until BIGINT`
    yield* sql`ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0`
    yield* sql`ALTER TABLE users ADD COLUMN failed_since BIGINT`
    yield* sql`
      CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        roles TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      )
    `
    yield* sql`
      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        client_id TEXT NOT NULL,
        user_id TEXT,
        scopes TEXT NOT NULL,
        family TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        used_at BIGINT,
        created_at BIGINT NOT NULL
      )
    `
    yield* sql`CREATE INDEX tokens_by_family ON tokens (family)`
    yield* sql`
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        csrf_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL
      )
    `
  })
})
