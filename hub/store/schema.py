"""The store's tables, as numbered schema steps.

A store file records in ``PRAGMA user_version`` how many steps have run, and
opening it (``hub.store.opening.connect``) runs the rest. A step that has
shipped is never edited: stores out there already ran it, so a change to the
schema is a new step at the end. Opening also checks that a store's tables,
columns, indexes and triggers are exactly what its steps made (a file that
differs is damaged, and set aside), so the schema changes only through steps.
The entries table's columns are ``hub.store.rules.EntryRow``'s fields and the
feeds table's are ``FeedState``'s, in order; the media table is read and
written by ``Store.media_map`` and ``Store.record_media``; the revision table
is kept by triggers and read by ``Store.revision``; the derived table by
``hub.store.opening``; the api_accounts table by ``Store.api_states`` and
``Store.record_api_state``; the history and screened tables by
``hub.store.history``; the host_holds table by ``Store.host_holds``,
``Store.record_host_hold`` and ``Store.drop_host_holds``.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE feeds (
            source TEXT PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'new',
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            next_attempt TEXT,
            etag TEXT,
            last_modified TEXT,
            content_hash TEXT,
            moved_to TEXT,
            gone INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE entries (
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            content TEXT NOT NULL,
            link TEXT,
            published TEXT,
            updated TEXT,
            author TEXT,
            categories TEXT NOT NULL,
            media TEXT NOT NULL,
            language TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            withdrawn_at TEXT,
            effective TEXT NOT NULL,
            PRIMARY KEY (source, id)
        )""",
        # The home page reads the newest live entries of everything.
        """CREATE INDEX entries_latest ON entries (effective DESC, source, id)
            WHERE withdrawn_at IS NULL""",
        # Per-source pages, counts and latest dates.
        """CREATE INDEX entries_by_source ON entries (source, effective DESC)
            WHERE withdrawn_at IS NULL""",
    ),
    (
        # Feed images copied into the cache (hub.feeds.images): a saved file, or why not.
        """CREATE TABLE media (
            url TEXT PRIMARY KEY,
            file TEXT,
            width INTEGER,
            height INTEGER,
            error TEXT,
            attempted_at TEXT NOT NULL,
            CHECK ((file IS NULL) != (error IS NULL))
        )""",
    ),
    (
        # What a build shows changes only when entries do: every change to the
        # entries table counts (but last_seen, which every fetch refreshes and
        # no page shows), so a build can tell "nothing new" without reading
        # them (hub.publish.buildstate). The random id tells one store file from another
        # that happens to have counted as far.
        """CREATE TABLE revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            store TEXT NOT NULL,
            number INTEGER NOT NULL
        )""",
        "INSERT INTO revision VALUES (1, lower(hex(randomblob(16))), 0)",
        """CREATE TRIGGER entries_inserted AFTER INSERT ON entries
            BEGIN UPDATE revision SET number = number + 1; END""",
        """CREATE TRIGGER entries_updated AFTER UPDATE ON entries
            WHEN OLD.title IS NOT NEW.title
                OR OLD.summary IS NOT NEW.summary
                OR OLD.content IS NOT NEW.content
                OR OLD.link IS NOT NEW.link
                OR OLD.published IS NOT NEW.published
                OR OLD.updated IS NOT NEW.updated
                OR OLD.author IS NOT NEW.author
                OR OLD.categories IS NOT NEW.categories
                OR OLD.media IS NOT NEW.media
                OR OLD.language IS NOT NEW.language
                OR OLD.first_seen IS NOT NEW.first_seen
                OR OLD.withdrawn_at IS NOT NEW.withdrawn_at
                OR OLD.effective IS NOT NEW.effective
            BEGIN UPDATE revision SET number = number + 1; END""",
        """CREATE TRIGGER entries_deleted AFTER DELETE ON entries
            BEGIN UPDATE revision SET number = number + 1; END""",
    ),
    (
        # Each entry's excerpt and fingerprint (hub.feeds.posttext), worked out when it
        # is saved so that builds need not parse its HTML again; NULL until then.
        # ``texts`` is the hub.feeds.posttext.VERSION they were made by (opening the
        # store forgets texts made by another). Not counted as changes to entries:
        # they follow from the columns that are.
        "ALTER TABLE entries ADD COLUMN excerpt TEXT",
        "ALTER TABLE entries ADD COLUMN fingerprint TEXT",
        """CREATE TABLE derived (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            texts INTEGER NOT NULL
        )""",
        "INSERT INTO derived VALUES (1, 0)",
    ),
    (
        # Accounts read through their platform's API (hub.feeds.connectors.api): the
        # platform's id for the account where a read needs it, where the next read
        # starts (X's since_id), and no read before not_before (a rate limit near
        # its ceiling). Never a token.
        """CREATE TABLE api_accounts (
            source TEXT PRIMARY KEY,
            account_id TEXT,
            cursor TEXT,
            not_before TEXT
        )""",
    ),
    (
        # When an account read from a cursor (X's since_id), which shows no deletion,
        # was last read whole: once a day, so that posts deleted there are withdrawn.
        "ALTER TABLE api_accounts ADD COLUMN full_read TEXT",
    ),
    (
        # The audit trail (hub.store.history): per post, its first version, each
        # earlier version when its text changed, its withdrawals and returns, and
        # what content/curation.yaml did to it; never published, pruned after
        # site.audit.keep_days. ``seq`` orders events of the same moment. No
        # trigger counts these rows: they change nothing the site shows.
        """CREATE TABLE history (
            seq INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            title TEXT,
            summary TEXT,
            content TEXT,
            link TEXT,
            published TEXT,
            reason TEXT
        )""",
        "CREATE INDEX history_by_time ON history (at)",
        # What curation kept off the site at the last published build, per post:
        # the next build writes an event only where that changed.
        """CREATE TABLE screened (
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (source, id)
        )""",
    ),
    (
        # Hosts that answered 429 or 503 with a Retry-After (hub.feeds.holds), and API
        # tokens rate limited with a time to come back: none of their feeds is asked
        # before ``until``, in any run. ``host`` is hub.feeds.holds.host_key (or
        # api_key); ``source`` the feed whose request got the answer. Deleted once over.
        """CREATE TABLE host_holds (
            host TEXT PRIMARY KEY,
            until TEXT NOT NULL,
            status INTEGER NOT NULL,
            why TEXT NOT NULL,
            said TEXT NOT NULL,
            source TEXT NOT NULL
        )""",
    ),
)
"""Schema steps; the store's ``PRAGMA user_version`` is how many have run."""
