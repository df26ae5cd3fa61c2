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
  }),
  "0003_directory": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    // Names are unique as written ("Acme" and "acme" are two): TEXT compares case-sensitively in SQLite and PostgreSQL.
    yield* sql`
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
      )
    `
    yield* sql`
      CREATE TABLE organization_members (
        organization_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (organization_id, user_id)
      )
    `
    yield* sql`CREATE INDEX organization_members_by_user ON organization_members (user_id)`
    yield* sql`
      CREATE TABLE roles (
        id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (organization_id, name)
      )
    `
    yield* sql`
      CREATE TABLE policies (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        permissions TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )
    `
    yield* sql`
      CREATE TABLE role_policies (
        role_id TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (role_id, policy_id)
      )
    `
    yield* sql`
      CREATE TABLE role_assignments (
        user_id TEXT NOT NULL,
        role_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, role_id)
      )
    `
    yield* sql`
      CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        steps TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )
    `
  }),
  "0004_jobs": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        payload TEXT NOT NULL,
        progress_done BIGINT NOT NULL DEFAULT 0,
        progress_total BIGINT,
        row_errors TEXT NOT NULL DEFAULT '[]',
        failure_code TEXT,
        failure_message TEXT,
        result TEXT,
        attempts BIGINT NOT NULL DEFAULT 0,
        claimed_by TEXT,
        lease_until BIGINT,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        updated_at BIGINT NOT NULL
      )
    `
    yield* sql`CREATE INDEX jobs_by_status ON jobs (status, created_at)`
  })
})
