/** Server schema migrations, applied in order on open; an existing file upgrades in place. */
import type { Migration } from './open-database.ts';

export const SERVER_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO meta (key, value) VALUES ('catalog_version', 0);

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'member')),
        active INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT
      );

      CREATE TABLE badges (
        credential_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        label TEXT
      );
      CREATE INDEX badges_user ON badges(user_id);

      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        tag TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        loan_days INTEGER NOT NULL CHECK (loan_days > 0),
        restricted_to TEXT CHECK (restricted_to IN ('admin', 'staff', 'member')),
        locker_slot TEXT,
        retired INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL
      );
      CREATE INDEX items_version ON items(version);

      CREATE TABLE kiosks (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_jwk TEXT,
        enrollment_code_hash TEXT UNIQUE,
        enrollment_expires_at INTEGER,
        enrolled_at INTEGER,
        revoked_at INTEGER
      );

      CREATE TABLE loans (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES items(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        kiosk_id TEXT,
        borrow_tx_id TEXT NOT NULL,
        borrowed_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        returned_at INTEGER,
        return_tx_id TEXT
      );
      -- physical truth: an item is in at most one person's hands
      CREATE UNIQUE INDEX loans_open_item ON loans(item_id) WHERE returned_at IS NULL;
      CREATE INDEX loans_user ON loans(user_id);

      CREATE TABLE transactions (
        id TEXT PRIMARY KEY,
        kiosk_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        item_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        clock_trusted INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        note TEXT,
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict')),
        code TEXT,
        loan_id TEXT
      );
      CREATE INDEX transactions_kiosk_seq ON transactions(kiosk_id, seq);
    `,
  },
  {
    version: 2,
    name: 'sign-in sessions, refresh tokens, access denylist, roster badge hashes',
    up: `
      -- One row per sign-in: the family every rotated refresh token of that sign-in belongs to.
      CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        mode TEXT NOT NULL CHECK (mode IN ('bearer', 'cookie')),
        csrf_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_reason TEXT
      );
      CREATE INDEX auth_sessions_user ON auth_sessions(user_id);

      -- Refresh tokens are stored only as SHA-256 hashes; used_at set means spent.
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES auth_sessions(id),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

      -- Access-token jtis denylisted at logout, kept until the token would have expired.
      CREATE TABLE revoked_jtis (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);

      ALTER TABLE users ADD COLUMN password_changed_at INTEGER;

      -- Offline roster: a second keyed hash of the badge under the roster key that kiosks hold,
      -- filled when the badge is added or next tapped online (the raw credential exists only then).
      ALTER TABLE badges ADD COLUMN roster_hash TEXT;
      CREATE UNIQUE INDEX badges_roster_hash ON badges(roster_hash) WHERE roster_hash IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'dashboard: audit log, kiosk heartbeats, unknown badge taps, conflict resolution',
    up: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'kiosk', 'system')),
        actor_id TEXT,
        actor_name TEXT,
        via TEXT,
        action TEXT NOT NULL,
        target_kind TEXT,
        target_id TEXT,
        detail TEXT
      );
      CREATE INDEX audit_log_at ON audit_log(at);

      -- the latest report of each kiosk; history is not kept
      CREATE TABLE kiosk_heartbeats (
        kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(id),
        received_at INTEGER NOT NULL,
        queue_depth INTEGER NOT NULL,
        oldest_unsynced_age_s REAL,
        readers TEXT NOT NULL,
        clock_offset_ms REAL,
        app_version TEXT NOT NULL
      );

      -- badges tapped at a kiosk that belong to nobody, so an admin can give one to a person
      CREATE TABLE unknown_badge_taps (
        id TEXT PRIMARY KEY,
        credential_hash TEXT NOT NULL UNIQUE,
        hint TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        last_at INTEGER NOT NULL,
        count INTEGER NOT NULL
      );

      ALTER TABLE badges ADD COLUMN hint TEXT;
      ALTER TABLE badges ADD COLUMN added_at INTEGER;

      ALTER TABLE transactions ADD COLUMN resolved_at INTEGER;
      ALTER TABLE transactions ADD COLUMN resolved_by TEXT;
      ALTER TABLE transactions ADD COLUMN resolution TEXT;
      CREATE INDEX transactions_unsettled ON transactions(received_at) WHERE status != 'applied';
      CREATE INDEX transactions_received ON transactions(received_at);
      CREATE INDEX transactions_item ON transactions(item_id, occurred_at);
      CREATE INDEX loans_due_open ON loans(due_at) WHERE returned_at IS NULL;
    `,
  },
  {
    version: 4,
    name: 'issued offline rosters',
    up: `
      -- Which roster a kiosk was given, so an offline row's proof can be checked at sync.
      CREATE TABLE rosters (
        id TEXT PRIMARY KEY,
        kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'open loans by person',
    up: `
      -- The loan limit counts a person's open loans on every borrow at sync; the plain
      -- loans_user index walks their whole history, which only grows (npm run bench: sync).
      CREATE INDEX loans_user_open ON loans(user_id) WHERE returned_at IS NULL;
    `,
  },
  {
    version: 6,
    name: 'email lookups by lower(email)',
    up: `
      -- The shared queries (store/sql) compare lower(email) on both databases.
      CREATE INDEX users_email_lower ON users(lower(email));
    `,
  },
  {
    version: 7,
    name: 'shared state, signing keys and secrets in the database',
    up: `
      -- Small expiring values (seen-once claims, throttles, job claims); see shared-state-store.ts.
      CREATE TABLE shared_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX shared_state_expires ON shared_state(expires_at);
      -- Signing keys and named secrets, sealed under the master key (used when one is set).
      CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, created_at INTEGER NOT NULL, sealed_jwk TEXT NOT NULL);
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL);
    `,
  },
  {
    version: 8,
    name: 'per-kiosk offline roster keys, sealed badge secrets, offline proofs',
    up: `
      -- Each kiosk's roster key is derived for its generation; revoking a kiosk moves it on.
      ALTER TABLE kiosks ADD COLUMN roster_generation INTEGER NOT NULL DEFAULT 1;
      -- Each offline row's proof is accepted once: a copy under another id is not a new tap.
      ALTER TABLE transactions ADD COLUMN offline_proof TEXT;
      CREATE UNIQUE INDEX transactions_offline_proof ON transactions(offline_proof)
        WHERE offline_proof IS NOT NULL;
      -- roster_hash now holds the sealed badge secret (auth/badge-hash.ts). The old values were
      -- fast HMACs under the key every kiosk held: dropped, refilled at each badge's next online tap.
      UPDATE badges SET roster_hash = NULL WHERE roster_hash IS NOT NULL AND roster_hash NOT LIKE 'rs1.%';
      -- Each kiosk's roster entries, derived once per key generation (each is a slow hash).
      CREATE TABLE roster_entries (
        kiosk_id TEXT NOT NULL,
        generation INTEGER NOT NULL,
        badge_secret TEXT NOT NULL,
        entry TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, generation, badge_secret)
      );
    `,
  },
  {
    version: 9,
    name: 'each transaction keeps the time the sync placed it at, on its item timeline',
    up: `
      -- Where the row stands on its item's timeline (server/sync/item-timeline.ts): the time the
      -- sync judged it at. Older rows: their claimed time, the best there is.
      ALTER TABLE transactions ADD COLUMN effective_at INTEGER;
      UPDATE transactions SET effective_at = MIN(occurred_at, received_at);
      CREATE INDEX transactions_item_time ON transactions(item_id, effective_at);
      CREATE INDEX loans_item ON loans(item_id);
    `,
  },
  {
    version: 10,
    name: 'server processes and their heartbeats (issue 21)',
    up: `
      CREATE TABLE server_replicas (
        id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        version TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        beat_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('alive', 'draining', 'stopped')),
        figures TEXT
      );
    `,
  },
  {
    version: 11,
    name: 'item condition (needs check, in repair, lost) and its history (issue 16)',
    up: `
      ALTER TABLE items ADD COLUMN condition TEXT NOT NULL DEFAULT 'ok'
        CHECK (condition IN ('ok', 'needs_check', 'in_repair', 'lost'));
      ALTER TABLE items ADD COLUMN condition_report TEXT;
      ALTER TABLE items ADD COLUMN condition_note TEXT;
      ALTER TABLE items ADD COLUMN condition_at INTEGER;
      -- Every change of an item's condition: a return reported damaged or incomplete, or staff.
      CREATE TABLE item_conditions (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL,
        at INTEGER NOT NULL,
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
    version: 12,
    name: "a kiosk's open conflicts, counted at each heartbeat",
    up: `
      CREATE INDEX transactions_open_by_kiosk ON transactions(kiosk_id)
        WHERE status != 'applied' AND resolved_at IS NULL;
    `,
  },
  {
    version: 13,
    name: "each server process's figures over the last hour, for the System page's charts (issue 21)",
    up: `
      CREATE TABLE server_replica_beats (
        replica_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        figures TEXT NOT NULL,
        PRIMARY KEY (replica_id, at)
      );
      CREATE INDEX server_replica_beats_at ON server_replica_beats(at);
    `,
  },
  {
    version: 14,
    name: "the organisation's directory: SCIM-provisioned people and groups, provisioning tokens, single sign-on identities (issue 20)",
    up: `
      -- SCIM attributes of a person. user_name is SCIM's userName (unique, case-insensitive);
      -- external_id is the directory's own id for the person; source says who owns the record.
      ALTER TABLE users ADD COLUMN user_name TEXT;
      ALTER TABLE users ADD COLUMN external_id TEXT;
      ALTER TABLE users ADD COLUMN employee_number TEXT;
      ALTER TABLE users ADD COLUMN department TEXT;
      ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'scim'));
      ALTER TABLE users ADD COLUMN created_at INTEGER;
      ALTER TABLE users ADD COLUMN updated_at INTEGER;
      CREATE UNIQUE INDEX users_user_name ON users(user_name COLLATE NOCASE) WHERE user_name IS NOT NULL;

      -- Bearer tokens of provisioning clients; only a hash is kept.
      CREATE TABLE scim_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );

      -- SCIM groups; a group may map to a role (the highest mapped role of a person's groups wins).
      CREATE TABLE scim_groups (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        external_id TEXT,
        role TEXT CHECK (role IN ('admin', 'staff', 'member')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX scim_groups_name ON scim_groups(display_name COLLATE NOCASE);
      CREATE TABLE scim_group_members (
        group_id TEXT NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id),
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX scim_group_members_user ON scim_group_members(user_id);

      -- Who signed in through an OpenID provider: (issuer, subject) is the person at that provider.
      CREATE TABLE user_identities (
        issuer TEXT NOT NULL,
        subject TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        last_login_at INTEGER,
        PRIMARY KEY (issuer, subject)
      );
      CREATE INDEX user_identities_user ON user_identities(user_id);
    `,
  },
  {
    version: 15,
    name: 'lending policies (rules per category and role, hours, closed days) and suspensions (issue 16)',
    up: `
      -- One row: the policy set as JSON (protocol/wire/policies.ts), checked by the domain
      -- (protocol/policies.ts validatePolicies) before it is written.
      CREATE TABLE lending_policies (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT
      );
      -- An admin's suspension: no borrowing before this local date (YYYY-MM-DD) of the room.
      ALTER TABLE users ADD COLUMN suspended_until TEXT;
      ALTER TABLE users ADD COLUMN suspension_note TEXT;
    `,
  },
  {
    version: 16,
    name: 'the items and loans lists paged and sorted on the server: an index per sort order (issue 17)',
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
    version: 17,
    name: 'an item page: serial number, notes and a photo (issue 17)',
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
        image BLOB NOT NULL,
        thumb BLOB NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 18,
    name: 'audit log, conflicts and unknown badges paged and filtered on the server; audit changes (issue 17)',
    up: `
      -- what an edit changed, as JSON [{field, before, after}] (server/audit/record.ts)
      ALTER TABLE audit_log ADD COLUMN changes TEXT;
      -- the part of the action before its dot (person, item, kiosk…), the audit filter
      ALTER TABLE audit_log ADD COLUMN action_kind TEXT;
      UPDATE audit_log SET action_kind = CASE WHEN instr(action, '.') > 0
        THEN substr(action, 1, instr(action, '.') - 1) ELSE action END;
      -- seq is the rowid, so each of these ends in it: (…, at, seq)
      CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
      CREATE INDEX audit_log_target ON audit_log(target_id, at);
      CREATE INDEX audit_log_kind ON audit_log(action_kind, at);
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
    version: 19,
    name: 'renewals: how many times each loan was extended (issue 16)',
    up: `
      -- Counted against the lending policy's maxRenewals (protocol/renewals.ts); the due date
      -- itself moves in due_at. Each renewal is also a transaction (kind 'renew').
      ALTER TABLE loans ADD COLUMN renewals INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 20,
    name: 'reports: loans by return time (issue 17)',
    up: `
      -- Usage per item over a period reads the returned loans that end inside it (and the open
      -- ones through loans_open_borrowed); covering, so the loan rows are not visited.
      CREATE INDEX loans_returned ON loans(returned_at, borrowed_at, item_id);
    `,
  },
  {
    version: 21,
    name: "badges: labels are the admin's, not where the badge came from (issue 17)",
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
    version: 22,
    name: 'reservations of an item or one of a category (issue 16)',
    up: `
      -- An item reserved by name, or "any one of" a category (exactly one of the two), for a
      -- person over a half-open window [starts_at, ends_at). Double booking is refused by the
      -- domain (protocol/reservations.ts) in a transaction that serialises on the category.
      CREATE TABLE reservations (
        id TEXT PRIMARY KEY,
        item_id TEXT REFERENCES items(id),
        category TEXT,
        user_id TEXT NOT NULL REFERENCES users(id),
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'picked_up', 'cancelled', 'expired')),
        created_by TEXT,
        created_at INTEGER NOT NULL,
        -- the loan that picked it up; once (a borrow picks up one reservation at most)
        loan_id TEXT REFERENCES loans(id),
        ended_at INTEGER,
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
    version: 23,
    name: "the items search by part of a word: trigram indexes of items and of people's names (issue 17)",
    up: `
      -- A search for part of a word (any case, Korean or Latin) reads these instead of every
      -- item (server/store/sql/item-search.ts). Each value is kept as SQLite's lower() (ASCII
      -- only, as LIKE folds) followed by two char(1): every character of a value then starts a
      -- trigram, so a search of one or two characters is any of the trigrams that begin with it
      -- (listed by the *_terms vocabularies), and three or more is a phrase of trigrams. Triggers keep
      -- them in step with every write to items and users, whichever code path makes it.
      CREATE VIRTUAL TABLE items_search USING fts5(tag, name, category, serial, tokenize = 'trigram case_sensitive 1');
      CREATE VIRTUAL TABLE items_search_terms USING fts5vocab(items_search, 'row');
      INSERT INTO items_search (rowid, tag, name, category, serial)
        SELECT rowid, lower(tag) || char(1, 1), lower(name) || char(1, 1), lower(category) || char(1, 1),
          coalesce(lower(serial), '') || char(1, 1) FROM items;
      CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_search (rowid, tag, name, category, serial)
        VALUES (new.rowid, lower(new.tag) || char(1, 1), lower(new.name) || char(1, 1),
          lower(new.category) || char(1, 1), coalesce(lower(new.serial), '') || char(1, 1));
      END;
      CREATE TRIGGER items_search_update AFTER UPDATE OF tag, name, category, serial ON items BEGIN
        DELETE FROM items_search WHERE rowid = old.rowid;
        INSERT INTO items_search (rowid, tag, name, category, serial)
        VALUES (new.rowid, lower(new.tag) || char(1, 1), lower(new.name) || char(1, 1),
          lower(new.category) || char(1, 1), coalesce(lower(new.serial), '') || char(1, 1));
      END;
      CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
        DELETE FROM items_search WHERE rowid = old.rowid;
      END;

      CREATE VIRTUAL TABLE users_search USING fts5(display_name, tokenize = 'trigram case_sensitive 1');
      CREATE VIRTUAL TABLE users_search_terms USING fts5vocab(users_search, 'row');
      INSERT INTO users_search (rowid, display_name) SELECT rowid, lower(display_name) || char(1, 1) FROM users;
      CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
        INSERT INTO users_search (rowid, display_name) VALUES (new.rowid, lower(new.display_name) || char(1, 1));
      END;
      CREATE TRIGGER users_search_update AFTER UPDATE OF display_name ON users BEGIN
        DELETE FROM users_search WHERE rowid = old.rowid;
        INSERT INTO users_search (rowid, display_name) VALUES (new.rowid, lower(new.display_name) || char(1, 1));
      END;
      CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
        DELETE FROM users_search WHERE rowid = old.rowid;
      END;
    `,
  },
  {
    version: 24,
    name: "reports: one category's usage reads its items' loans by item (issue 17)",
    up: `
      -- Usage in one category goes through the category's items and each one's loans of the
      -- period (returned after its start, or open), which come grouped by item; covering.
      CREATE INDEX loans_item_returned ON loans(item_id, returned_at, borrowed_at);
    `,
  },
  {
    version: 25,
    name: 'reports: items in use counted per category from an index (issue 17)',
    up: `
      -- The usage report counts the items not retired, in all or in one category: from this
      -- index alone instead of every item's row (one category: 39 ms -> 1 ms at 100,000 items).
      CREATE INDEX items_retired_category ON items(retired, category);
    `,
  },
  {
    version: 26,
    name: 'items: the (retired, category) index gives way to one of retired items only (issue 17)',
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
    version: 27,
    name: 'items: kits of named parts, and the parts a return reported missing (issue 16)',
    up: `
      -- A kit's named parts (JSON array of strings; '[]': no kit), and the parts a return
      -- reported missing: on the item while it waits for a check, and in its history.
      ALTER TABLE items ADD COLUMN parts TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE items ADD COLUMN condition_missing TEXT;
      ALTER TABLE item_conditions ADD COLUMN missing_parts TEXT;
    `,
  },
];
