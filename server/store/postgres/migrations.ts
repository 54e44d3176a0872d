/**
 * PostgreSQL schema migrations: the same tables as store/sqlite/migrations.ts in
 * PostgreSQL's types (BIGINT milliseconds, 0/1 integers for booleans, so the shared SQL
 * reads the same values from both; text in byte order, COLLATE "C", as SQLite compares,
 * whatever locale the database was made with). Replicas that start together migrate one at a time
 * under an advisory lock; each migration commits with its version.
 */
import type pg from 'pg';

export type PgMigration = { version: number; name: string; up: string };

export const POSTGRES_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'initial schema (the SQLite migrations 1 to 6 in one)',
    up: `
      CREATE TABLE users (
        id TEXT COLLATE "C" PRIMARY KEY,
        email TEXT COLLATE "C",
        display_name TEXT COLLATE "C" NOT NULL,
        role TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin', 'staff', 'member')),
        active INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT COLLATE "C",
        password_changed_at BIGINT
      );
      CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

      CREATE TABLE badges (
        credential_hash TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
        label TEXT COLLATE "C",
        roster_hash TEXT COLLATE "C",
        hint TEXT COLLATE "C",
        added_at BIGINT
      );
      CREATE INDEX badges_user ON badges(user_id);
      CREATE UNIQUE INDEX badges_roster_hash ON badges(roster_hash) WHERE roster_hash IS NOT NULL;

      CREATE TABLE items (
        id TEXT COLLATE "C" PRIMARY KEY,
        tag TEXT COLLATE "C" NOT NULL UNIQUE,
        name TEXT COLLATE "C" NOT NULL,
        category TEXT COLLATE "C" NOT NULL,
        loan_days INTEGER NOT NULL CHECK (loan_days > 0),
        restricted_to TEXT COLLATE "C" CHECK (restricted_to IN ('admin', 'staff', 'member')),
        locker_slot TEXT COLLATE "C",
        retired INTEGER NOT NULL DEFAULT 0,
        -- the id of the transaction that last changed it (see store/postgres/postgres-db.ts)
        version BIGINT NOT NULL
      );
      CREATE INDEX items_version ON items(version);

      CREATE TABLE kiosks (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        public_jwk TEXT COLLATE "C",
        enrollment_code_hash TEXT COLLATE "C" UNIQUE,
        enrollment_expires_at BIGINT,
        enrolled_at BIGINT,
        revoked_at BIGINT
      );

      CREATE TABLE loans (
        id TEXT COLLATE "C" PRIMARY KEY,
        item_id TEXT COLLATE "C" NOT NULL REFERENCES items(id),
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
        kiosk_id TEXT COLLATE "C",
        borrow_tx_id TEXT COLLATE "C" NOT NULL,
        borrowed_at BIGINT NOT NULL,
        due_at BIGINT NOT NULL,
        returned_at BIGINT,
        return_tx_id TEXT COLLATE "C"
      );
      -- physical truth: an item is in at most one person's hands
      CREATE UNIQUE INDEX loans_open_item ON loans(item_id) WHERE returned_at IS NULL;
      CREATE INDEX loans_user ON loans(user_id);
      CREATE INDEX loans_user_open ON loans(user_id) WHERE returned_at IS NULL;
      CREATE INDEX loans_due_open ON loans(due_at) WHERE returned_at IS NULL;
      CREATE INDEX loans_return_tx ON loans(return_tx_id);

      CREATE TABLE transactions (
        id TEXT COLLATE "C" PRIMARY KEY,
        kiosk_id TEXT COLLATE "C" NOT NULL,
        seq BIGINT NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        item_id TEXT COLLATE "C" NOT NULL,
        user_id TEXT COLLATE "C" NOT NULL,
        occurred_at BIGINT NOT NULL,
        clock_trusted INTEGER NOT NULL,
        received_at BIGINT NOT NULL,
        note TEXT COLLATE "C",
        status TEXT COLLATE "C" NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict')),
        code TEXT COLLATE "C",
        loan_id TEXT COLLATE "C",
        resolved_at BIGINT,
        resolved_by TEXT COLLATE "C",
        resolution TEXT COLLATE "C"
      );
      CREATE INDEX transactions_kiosk_seq ON transactions(kiosk_id, seq);
      CREATE INDEX transactions_unsettled ON transactions(received_at) WHERE status != 'applied';
      CREATE INDEX transactions_received ON transactions(received_at);
      CREATE INDEX transactions_item ON transactions(item_id, occurred_at);

      CREATE TABLE auth_sessions (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
        mode TEXT COLLATE "C" NOT NULL CHECK (mode IN ('bearer', 'cookie')),
        csrf_hash TEXT COLLATE "C" NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT COLLATE "C"
      );
      CREATE INDEX auth_sessions_user ON auth_sessions(user_id);
      CREATE INDEX auth_sessions_expires ON auth_sessions(expires_at);

      CREATE TABLE refresh_tokens (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        session_id TEXT COLLATE "C" NOT NULL REFERENCES auth_sessions(id),
        issued_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      );
      CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

      CREATE TABLE revoked_jtis (jti TEXT COLLATE "C" PRIMARY KEY, expires_at BIGINT NOT NULL);
      CREATE INDEX revoked_jtis_expires ON revoked_jtis(expires_at);

      CREATE TABLE audit_log (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        actor_kind TEXT COLLATE "C" NOT NULL CHECK (actor_kind IN ('user', 'kiosk', 'system')),
        actor_id TEXT COLLATE "C",
        actor_name TEXT COLLATE "C",
        via TEXT COLLATE "C",
        action TEXT COLLATE "C" NOT NULL,
        target_kind TEXT COLLATE "C",
        target_id TEXT COLLATE "C",
        detail TEXT COLLATE "C"
      );
      CREATE INDEX audit_log_at ON audit_log(at);

      CREATE TABLE kiosk_heartbeats (
        kiosk_id TEXT COLLATE "C" PRIMARY KEY REFERENCES kiosks(id),
        received_at BIGINT NOT NULL,
        queue_depth INTEGER NOT NULL,
        oldest_unsynced_age_s DOUBLE PRECISION,
        readers TEXT COLLATE "C" NOT NULL,
        clock_offset_ms DOUBLE PRECISION,
        app_version TEXT COLLATE "C" NOT NULL
      );

      CREATE TABLE unknown_badge_taps (
        id TEXT COLLATE "C" PRIMARY KEY,
        credential_hash TEXT COLLATE "C" NOT NULL UNIQUE,
        hint TEXT COLLATE "C" NOT NULL,
        kiosk_id TEXT COLLATE "C" NOT NULL,
        last_at BIGINT NOT NULL,
        count INTEGER NOT NULL
      );

      CREATE TABLE rosters (
        id TEXT COLLATE "C" PRIMARY KEY,
        kiosk_id TEXT COLLATE "C" NOT NULL REFERENCES kiosks(id),
        issued_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'shared state, signing keys and secrets in the database',
    up: `
      CREATE TABLE shared_state (key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL, expires_at BIGINT NOT NULL);
      CREATE INDEX shared_state_expires ON shared_state(expires_at);
      CREATE TABLE signing_keys (kid TEXT COLLATE "C" PRIMARY KEY, created_at BIGINT NOT NULL, sealed_jwk TEXT COLLATE "C" NOT NULL);
      CREATE TABLE secrets (name TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'per-kiosk offline roster keys, sealed badge secrets, offline proofs (SQLite 8)',
    up: `
      ALTER TABLE kiosks ADD COLUMN roster_generation INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE transactions ADD COLUMN offline_proof TEXT COLLATE "C";
      CREATE UNIQUE INDEX transactions_offline_proof ON transactions(offline_proof)
        WHERE offline_proof IS NOT NULL;
      UPDATE badges SET roster_hash = NULL WHERE roster_hash IS NOT NULL AND roster_hash NOT LIKE 'rs1.%';
      CREATE TABLE roster_entries (
        kiosk_id TEXT COLLATE "C" NOT NULL,
        generation INTEGER NOT NULL,
        badge_secret TEXT COLLATE "C" NOT NULL,
        entry TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (kiosk_id, generation, badge_secret)
      );
    `,
  },
  {
    version: 4,
    name: 'each transaction keeps the time the sync placed it at, on its item timeline (SQLite 9)',
    up: `
      ALTER TABLE transactions ADD COLUMN effective_at BIGINT;
      UPDATE transactions SET effective_at = LEAST(occurred_at, received_at);
      CREATE INDEX transactions_item_time ON transactions(item_id, effective_at);
      CREATE INDEX loans_item ON loans(item_id);
    `,
  },
  {
    version: 5,
    name: 'server processes and their heartbeats (issue 21; SQLite 10)',
    up: `
      CREATE TABLE server_replicas (
        id TEXT COLLATE "C" PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        version TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        beat_at BIGINT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('alive', 'draining', 'stopped')),
        figures TEXT
      );
    `,
  },
  {
    version: 6,
    name: 'item condition (needs check, in repair, lost) and its history (issue 16; SQLite 11)',
    up: `
      ALTER TABLE items ADD COLUMN condition TEXT NOT NULL DEFAULT 'ok'
        CHECK (condition IN ('ok', 'needs_check', 'in_repair', 'lost'));
      ALTER TABLE items ADD COLUMN condition_report TEXT;
      ALTER TABLE items ADD COLUMN condition_note TEXT;
      ALTER TABLE items ADD COLUMN condition_at BIGINT;
      CREATE TABLE item_conditions (
        id TEXT COLLATE "C" PRIMARY KEY,
        item_id TEXT COLLATE "C" NOT NULL,
        at BIGINT NOT NULL,
        condition TEXT NOT NULL,
        -- What the person returning it reported ('damaged', 'incomplete'), for a kiosk's report.
        report TEXT,
        note TEXT,
        by_kind TEXT NOT NULL CHECK (by_kind IN ('kiosk', 'user')),
        by_name TEXT,
        tx_id TEXT
      );
      CREATE INDEX item_conditions_item ON item_conditions(item_id, at);
    `,
  },
  {
    version: 7,
    name: "a kiosk's open conflicts, counted at each heartbeat (SQLite 12)",
    up: `
      CREATE INDEX transactions_open_by_kiosk ON transactions(kiosk_id)
        WHERE status != 'applied' AND resolved_at IS NULL;
    `,
  },
  {
    version: 8,
    name: "each server process's figures over the last hour (issue 21; SQLite 13)",
    up: `
      CREATE TABLE server_replica_beats (
        replica_id TEXT COLLATE "C" NOT NULL,
        at BIGINT NOT NULL,
        figures TEXT NOT NULL,
        PRIMARY KEY (replica_id, at)
      );
      CREATE INDEX server_replica_beats_at ON server_replica_beats(at);
    `,
  },
  {
    version: 9,
    name: "the organisation's directory: SCIM people and groups, provisioning tokens, sign-on identities (issue 20; SQLite 14)",
    up: `
      ALTER TABLE users ADD COLUMN user_name TEXT;
      ALTER TABLE users ADD COLUMN external_id TEXT;
      ALTER TABLE users ADD COLUMN employee_number TEXT;
      ALTER TABLE users ADD COLUMN department TEXT;
      ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'scim'));
      ALTER TABLE users ADD COLUMN created_at BIGINT;
      ALTER TABLE users ADD COLUMN updated_at BIGINT;
      CREATE UNIQUE INDEX users_user_name ON users(lower(user_name)) WHERE user_name IS NOT NULL;

      CREATE TABLE scim_tokens (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
        created_by TEXT,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        revoked_at BIGINT
      );

      CREATE TABLE scim_groups (
        id TEXT COLLATE "C" PRIMARY KEY,
        display_name TEXT NOT NULL,
        external_id TEXT,
        role TEXT CHECK (role IN ('admin', 'staff', 'member')),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX scim_groups_name ON scim_groups(lower(display_name));
      CREATE TABLE scim_group_members (
        group_id TEXT COLLATE "C" NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX scim_group_members_user ON scim_group_members(user_id);

      CREATE TABLE user_identities (
        issuer TEXT COLLATE "C" NOT NULL,
        subject TEXT COLLATE "C" NOT NULL,
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
        created_at BIGINT NOT NULL,
        last_login_at BIGINT,
        PRIMARY KEY (issuer, subject)
      );
      CREATE INDEX user_identities_user ON user_identities(user_id);
    `,
  },
  {
    version: 10,
    name: 'lending policies (rules per category and role, hours, closed days) and suspensions (issue 16)',
    up: `
      CREATE TABLE lending_policies (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        updated_by TEXT
      );
      ALTER TABLE users ADD COLUMN suspended_until TEXT COLLATE "C";
      ALTER TABLE users ADD COLUMN suspension_note TEXT;
    `,
  },
  {
    version: 11,
    name: 'the items and loans lists paged and sorted on the server (issue 17; SQLite 16)',
    up: `
      CREATE INDEX items_name ON items(name, id);
      CREATE INDEX items_category ON items(category, id);
      CREATE INDEX items_category_name ON items(category, name, id);
      -- the loans list, newest first, all or only those still out
      CREATE INDEX loans_borrowed ON loans(borrowed_at, id);
      CREATE INDEX loans_open_borrowed ON loans(borrowed_at, id) WHERE returned_at IS NULL;
    `,
  },
  {
    version: 12,
    name: 'an item page: serial number, notes and a photo (issue 17; SQLite 17)',
    up: `
      -- The tag stays the unique asset tag; a maker's serial number is free text (Snipe-IT's rule).
      ALTER TABLE items ADD COLUMN serial TEXT;
      ALTER TABLE items ADD COLUMN notes TEXT;
      -- The content hash of the item's photo (item_photos.hash); null: none.
      ALTER TABLE items ADD COLUMN photo TEXT;
      -- One photo per item, re-encoded by the server: at most 640 px on its long side, and a
      -- small thumbnail for the kiosk's list. Served by hash, so a URL never changes meaning.
      CREATE TABLE item_photos (
        item_id TEXT PRIMARY KEY REFERENCES items(id),
        hash TEXT NOT NULL UNIQUE,
        image BYTEA NOT NULL,
        thumb BYTEA NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: 'audit log, conflicts and unknown badges paged and filtered on the server; audit changes (issue 17; SQLite 18)',
    up: `
      -- what an edit changed, as JSON [{field, before, after}] (server/audit/record.ts)
      ALTER TABLE audit_log ADD COLUMN changes TEXT;
      -- the part of the action before its dot (person, item, kiosk…), the audit filter
      ALTER TABLE audit_log ADD COLUMN action_kind TEXT COLLATE "C";
      UPDATE audit_log SET action_kind = split_part(action, '.', 1);
      CREATE INDEX audit_log_page ON audit_log(at, seq);
      CREATE INDEX audit_log_actor ON audit_log(actor_id, at, seq);
      CREATE INDEX audit_log_target ON audit_log(target_id, at, seq);
      CREATE INDEX audit_log_kind ON audit_log(action_kind, at, seq);
      -- the merged audit log pages on (time, key) from each side: the log and the transactions
      CREATE INDEX transactions_received_page ON transactions(received_at, id);
      CREATE INDEX transactions_user_received ON transactions(user_id, received_at, id);
      CREATE INDEX transactions_item_received ON transactions(item_id, received_at, id);
      -- conflicts: never applied, newest first, by state, kiosk or code
      CREATE INDEX transactions_conflicts_page ON transactions(received_at, id) WHERE status != 'applied';
      CREATE INDEX transactions_conflicts_open ON transactions(received_at, id)
        WHERE status != 'applied' AND resolved_at IS NULL;
      CREATE INDEX transactions_conflicts_kiosk ON transactions(kiosk_id, received_at, id) WHERE status != 'applied';
      CREATE INDEX transactions_conflicts_code ON transactions(code, received_at, id) WHERE status != 'applied';
      -- unknown badges, newest tap first, all or at one kiosk
      CREATE INDEX unknown_badge_taps_last ON unknown_badge_taps(last_at, id);
      CREATE INDEX unknown_badge_taps_kiosk ON unknown_badge_taps(kiosk_id, last_at, id);
    `,
  },
  {
    version: 14,
    name: 'renewals: how many times each loan was extended (issue 16; SQLite 19)',
    up: `
      ALTER TABLE loans ADD COLUMN renewals INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 15,
    name: 'reports: loans by return time (issue 17; SQLite 20)',
    up: `
      -- Usage per item over a period reads the returned loans that end inside it (and the open
      -- ones through loans_open_borrowed); covering, so the loan rows are not visited.
      CREATE INDEX loans_returned ON loans(returned_at, borrowed_at, item_id);
    `,
  },
  {
    version: 16,
    name: "badges: labels are the admin's, not where the badge came from (issue 17; SQLite 21)",
    up: `
      -- A badge's label is the admin's own name for the card ("spare card"), shown on the
      -- dashboard. Labels that were written by the code to say where a badge came from (with
      -- internal kiosk and person ids) are not that: who added a badge is in the audit log now.
      UPDATE badges SET label = NULL
      WHERE label LIKE 'enrolled at kiosk %'
         OR label IN ('added by admin CLI', 'CSV import', 'demo badge', 'demo admin badge');
    `,
  },
  {
    version: 17,
    name: 'reservations of an item or one of a category (issue 16; SQLite 22)',
    up: `
      -- An item reserved by name, or "any one of" a category (exactly one of the two), for a
      -- person over a half-open window [starts_at, ends_at). Double booking is refused by the
      -- domain (protocol/reservations.ts) in a transaction that serialises on the category.
      CREATE TABLE reservations (
        id TEXT COLLATE "C" PRIMARY KEY,
        item_id TEXT COLLATE "C" REFERENCES items(id),
        category TEXT COLLATE "C",
        user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
        starts_at BIGINT NOT NULL,
        ends_at BIGINT NOT NULL,
        status TEXT COLLATE "C" NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'picked_up', 'cancelled', 'expired')),
        created_by TEXT COLLATE "C",
        created_at BIGINT NOT NULL,
        -- the loan that picked it up; once (a borrow picks up one reservation at most)
        loan_id TEXT COLLATE "C" REFERENCES loans(id),
        ended_at BIGINT,
        CHECK ((item_id IS NULL) <> (category IS NULL)),
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX reservations_item_active ON reservations(item_id, starts_at) WHERE status = 'active';
      CREATE INDEX reservations_category_active ON reservations(category, starts_at) WHERE status = 'active';
      CREATE INDEX reservations_user ON reservations(user_id, starts_at, id);
      CREATE INDEX reservations_start ON reservations(starts_at, id);
      CREATE UNIQUE INDEX reservations_loan ON reservations(loan_id) WHERE loan_id IS NOT NULL;
    `,
  },
  {
    version: 18,
    name: 'the items search by part of a word: trigram indexes (issue 17; SQLite 23)',
    up: `
      -- ILIKE '%part%' on these columns is answered from trigram indexes instead of reading
      -- every item (pg_trgm ships with PostgreSQL and is a trusted extension since 13). The
      -- index follows every write by itself; a pattern of one or two characters has no trigram
      -- and is still answered correctly, by reading the index or the table.
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX items_tag_trgm ON items USING gin (tag gin_trgm_ops);
      CREATE INDEX items_name_trgm ON items USING gin (name gin_trgm_ops);
      CREATE INDEX items_category_trgm ON items USING gin (category gin_trgm_ops);
      CREATE INDEX items_serial_trgm ON items USING gin (serial gin_trgm_ops);
      CREATE INDEX users_display_name_trgm ON users USING gin (display_name gin_trgm_ops);
    `,
  },
  {
    version: 19,
    name: "reports: one category's usage reads its items' loans by item (issue 17; SQLite 24)",
    up: `
      -- Usage in one category goes through the category's items and each one's loans of the
      -- period (returned after its start, or open), which come grouped by item; covering.
      CREATE INDEX loans_item_returned ON loans(item_id, returned_at, borrowed_at);
    `,
  },
  {
    version: 20,
    name: 'reports: items in use counted per category from an index (issue 17; SQLite 25)',
    up: `
      -- The usage report counts the items not retired, in all or in one category: from this
      -- index alone instead of every item's row (one category: 39 ms -> 1 ms at 100,000 items).
      CREATE INDEX items_retired_category ON items(retired, category);
    `,
  },
  {
    version: 21,
    name: 'items: the (retired, category) index gives way to one of retired items only (issue 17; SQLite 26)',
    up: `
      -- items_retired_category led the planner to answer "not retired" (every list's filter)
      -- from it and sort, instead of walking the sort order's index (first page of the items
      -- list: 6 -> 740 ms). Retired items are few: counted from this partial index, the items
      -- in use are the category's (items_category) or all items less these.
      DROP INDEX IF EXISTS items_retired_category;
      CREATE INDEX items_retired ON items(category) WHERE retired = 1;
    `,
  },
  {
    version: 22,
    name: 'items: kits of named parts, and the parts a return reported missing (issue 16; SQLite 27)',
    up: `
      -- A kit's named parts (JSON array of strings; '[]': no kit), and the parts a return
      -- reported missing: on the item while it waits for a check, and in its history.
      ALTER TABLE items ADD COLUMN parts TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE items ADD COLUMN condition_missing TEXT;
      ALTER TABLE item_conditions ADD COLUMN missing_parts TEXT;
    `,
  },
];

/** Applies what is pending. Safe to call from several replicas at once. */
export async function migratePostgres(pool: pg.Pool, migrations = POSTGRES_MIGRATIONS): Promise<void> {
  const client = await pool.connect();
  try {
    // A session lock, so it spans the migrations' own transactions.
    await client.query("SELECT pg_advisory_lock(hashtextextended('rental:migrations', 0))");
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ v: number | null }>(
        'SELECT MAX(version) AS v FROM schema_migrations',
      );
      const current = rows[0]?.v ?? 0;
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (m.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.up);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            m.version,
            m.name,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended('rental:migrations', 0))");
    }
  } finally {
    client.release();
  }
}
