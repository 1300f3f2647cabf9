package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL for profiles, their op log and snapshots. */
final class ProfileStore {

  /** One committed edit. */
  record CommittedOp(long version, String field, Delta delta, long author, String client, long seq) {
    JsonObject toJson() {
      return new JsonObject().put("version", version).put("field", field).put("delta", DeltaCodec.write(delta))
          .put("author", author).put("client", client).put("seq", seq);
    }
  }

  /**
   * A profile's documents at a version, built from the latest snapshot; with the ops committed after
   * {@code logFrom} (up to {@code keep} before the snapshot, so late edits can still be transformed).
   */
  record State(long version, Map<String, Delta> fields, List<CommittedOp> log, long logFrom, long snapshotVersion) {}

  /** The commit lost a race with another node: reload and redo. */
  static final class Conflict extends RuntimeException {
    Conflict() {
      super("version conflict", null, false, false);
    }
  }

  /** Authors in the group no longer allowed to edit the profile: their edits are refused, the rest redone. */
  static final class Forbidden extends RuntimeException {
    final java.util.Set<Long> authors;

    Forbidden(java.util.Set<Long> authors) {
      super("authors without the right to edit", null, false, false);
      this.authors = authors;
    }
  }

  private final Pool pool;

  /**
   * The one rule of who may edit a profile, written once for every statement that checks it (open, live
   * re-check, commit): an active account that is an admin or a member of the profile's space.
   */
  static String mayEdit(String profile, String user) {
    // Leading space: text blocks before it lose their trailing blanks.
    return " EXISTS (SELECT 1 FROM users u WHERE u.id = " + user + " AND u.active AND (u.admin"
        + " OR EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = " + profile + ".space_id AND sm.user_id = " + user + ")))";
  }

  /** {@link #mayEdit} for the authors {@code a.id} of a commit group. */
  private static final String MAY_EDIT_A = mayEdit("p", "a.id");

  ProfileStore(Pool pool) {
    this.pool = pool;
  }

  /** A new profile in the space; null when there is no such space (an admin may name any id). */
  Future<Long> create(long spaceId, long userId) {
    return pool.preparedQuery("INSERT INTO profiles (space_id, created_by) SELECT id, $2 FROM spaces WHERE id = $1 RETURNING id")
        .execute(Tuple.of(spaceId, userId)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
  }

  /** The space's profiles, last changed first; {@code status} and {@code tag} (ignoring case) filter when not null. */
  Future<List<JsonObject>> ofSpace(long spaceId, String status, String tag) {
    return pool.preparedQuery("""
            SELECT p.id, p.title, p.status, p.version, p.updated_at, u.display_name, p.tags, p.meta_version
            FROM profiles p JOIN users u ON u.id = p.created_by
            WHERE p.space_id = $1 AND ($2::text IS NULL OR p.status = $2)
              AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM unnest(p.tags) AS t (tag) WHERE lower(t.tag) = lower($3)))
            ORDER BY p.updated_at DESC, p.id DESC LIMIT 500""")
        .execute(Tuple.of(spaceId, status, tag))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new JsonObject().put("id", r.getLong(0)).put("title", r.getString(1)).put("status", r.getString(2))
                .put("tags", tags(r, 6)).put("metaVersion", r.getInteger(7))
                .put("version", r.getLong(3)).put("updatedAt", r.getOffsetDateTime(4).toInstant().toString())
                .put("createdBy", r.getString(5)));
          }
          return list;
        });
  }

  /** The profile's space and whether the user may edit it (a member of the space, or an admin); null if unknown. */
  Future<JsonObject> access(long profileId, long userId) {
    return pool.preparedQuery("""
            SELECT p.space_id, p.title, p.status, p.version, p.tags, p.meta_version,
                   """ + mayEdit("p", "$2") + """
            FROM profiles p WHERE p.id = $1""")
        .execute(Tuple.of(profileId, userId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("id", profileId).put("spaceId", r.getLong(0)).put("title", r.getString(1))
              .put("status", r.getString(2)).put("tags", tags(r, 4)).put("metaVersion", r.getInteger(5))
              .put("version", r.getLong(3)).put("allowed", r.getBoolean(6));
        });
  }

  /** Of these accounts, those who may edit the profile now (the same rule as {@link #access}). */
  Future<java.util.Set<Long>> editors(long profileId, List<Long> userIds) {
    return pool.preparedQuery("""
            SELECT a.id FROM profiles p, unnest($2::bigint[]) a(id)
            WHERE p.id = $1 AND """ + mayEdit("p", "a.id"))
        .execute(Tuple.of(profileId, userIds.toArray(new Long[0])))
        .map(rows -> {
          java.util.Set<Long> ids = new java.util.HashSet<>();
          rows.forEach(r -> ids.add(r.getLong(0)));
          return ids;
        });
  }

  /**
   * Sets status and/or tags (null: unchanged) if {@code metaVersion} is the current one, and counts the
   * metadata version up. Answers the new metadata, or null when the version was stale or the profile gone.
   */
  Future<JsonObject> updateMeta(long profileId, String status, List<String> tags, int metaVersion) {
    return pool.preparedQuery("""
            UPDATE profiles SET status = coalesce($3, status), tags = coalesce($4, tags),
                   meta_version = meta_version + 1, updated_at = now()
            WHERE id = $1 AND meta_version = $2
            RETURNING status, tags, meta_version, updated_at""")
        .execute(Tuple.of(profileId, metaVersion, status, tags == null ? null : tags.toArray(new String[0])))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("status", r.getString(0)).put("tags", tags(r, 1)).put("metaVersion", r.getInteger(2))
              .put("updatedAt", r.getOffsetDateTime(3).toInstant().toString());
        });
  }

  private static JsonArray tags(Row r, int column) {
    String[] tags = r.getArrayOfStrings(column);
    return tags == null ? new JsonArray() : new JsonArray(List.of((Object[]) tags));
  }

  /**
   * The profile from its latest snapshot on, with the ops of up to {@code keep} versions before that
   * snapshot too: not needed for the documents, but edits based before the snapshot can still be
   * transformed after a reload, as before it.
   */
  Future<State> load(long profileId, int keep) {
    return pool.preparedQuery("SELECT version, fields FROM profile_snapshots WHERE profile_id = $1 ORDER BY version DESC LIMIT 1")
        .execute(Tuple.of(profileId))
        .compose(rows -> {
          long snapshotVersion = 0;
          Map<String, Delta> fields = new HashMap<>();
          if (rows.size() > 0) {
            Row r = rows.iterator().next();
            snapshotVersion = r.getLong(0);
            JsonObject stored = (JsonObject) r.getValue(1);
            for (String field : stored.fieldNames()) {
              fields.put(field, DeltaCodec.read(stored.getJsonArray(field)));
            }
          }
          long snapshot = snapshotVersion;
          long from = Math.max(0, snapshot - keep);
          return opsSince(profileId, from, Integer.MAX_VALUE).map(ops -> {
            Map<String, Delta> docs = new HashMap<>(fields);
            long version = snapshot;
            for (CommittedOp op : ops) {
              if (op.version() > snapshot) {
                docs.put(op.field(), docs.getOrDefault(op.field(), Delta.EMPTY).compose(op.delta()));
                version = op.version();
              }
            }
            return new State(version, docs, ops, from, snapshot);
          });
        });
  }

  Future<List<CommittedOp>> opsSince(long profileId, long version, int limit) {
    return pool.preparedQuery("""
            SELECT version, field, delta, author, client, seq FROM profile_ops
            WHERE profile_id = $1 AND version > $2 ORDER BY version LIMIT $3""")
        .execute(Tuple.of(profileId, version, limit))
        .map(rows -> {
          List<CommittedOp> ops = new ArrayList<>();
          for (Row r : rows) {
            ops.add(new CommittedOp(r.getLong(0), r.getString(1), DeltaCodec.read(r.getValue(2)), r.getLong(3), r.getString(4), r.getLong(5)));
          }
          return ops;
        });
  }

  /** The version an earlier submit of (client, seq) was committed as, or null. */
  Future<Long> versionOf(long profileId, String client, long seq) {
    return pool.preparedQuery("SELECT version FROM profile_ops WHERE profile_id = $1 AND client = $2 AND seq = $3")
        .execute(Tuple.of(profileId, client, seq))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
  }

  /**
   * Commits consecutive ops in one statement (so one round trip and one transaction), guarded by the
   * profile's version and by the authors' rights: every author must still be an active member of the
   * profile's space, or an admin, at the moment of the commit. If another node committed first, fails
   * with {@link Conflict}; if an author lost the right, with {@link Forbidden}; either way nothing is stored.
   */
  Future<Void> commit(long profileId, List<CommittedOp> batch, String title) {
    long first = batch.get(0).version();
    long last = batch.get(batch.size() - 1).version();
    int n = batch.size();
    Long[] versions = new Long[n];
    String[] fields = new String[n];
    String[] deltas = new String[n];
    Long[] authors = new Long[n];
    String[] clients = new String[n];
    Long[] seqs = new Long[n];
    for (int i = 0; i < n; i++) {
      CommittedOp op = batch.get(i);
      versions[i] = op.version();
      fields[i] = op.field();
      deltas[i] = DeltaCodec.write(op.delta()).encode();
      authors[i] = op.author();
      clients[i] = op.client();
      seqs[i] = op.seq();
    }
    Long[] distinctAuthors = java.util.Arrays.stream(authors).distinct().toArray(Long[]::new);
    return pool.preparedQuery("""
            WITH bump AS (
              UPDATE profiles p SET version = $3, title = coalesce($4, p.title),
                -- "Last change" to the second: left as it is within a second, the row's indexed columns stay
                -- unchanged and PostgreSQL updates it in place (HOT) instead of adding index entries per commit.
                updated_at = CASE WHEN p.updated_at < now() - interval '1 second' THEN now() ELSE p.updated_at END
              WHERE p.id = $1 AND p.version = $2
                AND NOT EXISTS (SELECT 1 FROM unnest($5::bigint[]) a(id) WHERE NOT """ + MAY_EDIT_A + """
                )
              RETURNING p.id)
            INSERT INTO profile_ops (profile_id, version, field, delta, author, client, seq)
            SELECT bump.id, t.v, t.f, t.d::jsonb, t.a, t.c, t.s
            FROM bump, unnest($6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::bigint[]) AS t(v, f, d, a, c, s)""")
        .execute(Tuple.from(new Object[] {profileId, first - 1, last, title, distinctAuthors, versions, fields, deltas, authors, clients, seqs}))
        .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState()) ? new Conflict() : e))
        .compose(rows -> rows.rowCount() == n ? Future.<Void>succeededFuture() : whyNotCommitted(profileId, distinctAuthors));
  }

  /** Nothing was stored: either an author lost the right to edit, or another node took the versions. */
  private Future<Void> whyNotCommitted(long profileId, Long[] authors) {
    return pool.preparedQuery("""
            SELECT a.id FROM profiles p, unnest($2::bigint[]) a(id)
            WHERE p.id = $1 AND NOT """ + MAY_EDIT_A)
        .execute(Tuple.tuple().addLong(profileId).addArrayOfLong(authors))
        .compose(rows -> {
          java.util.Set<Long> refused = new java.util.HashSet<>();
          rows.forEach(r -> refused.add(r.getLong(0)));
          return Future.failedFuture(refused.isEmpty() ? new Conflict() : new Forbidden(refused));
        });
  }

  /** Stores the documents at a version; storing the same version again changes nothing. */
  Future<Void> snapshot(long profileId, long version, Map<String, Delta> fields) {
    JsonObject stored = new JsonObject();
    fields.forEach((field, doc) -> stored.put(field, DeltaCodec.write(doc)));
    return pool.preparedQuery("INSERT INTO profile_snapshots (profile_id, version, fields) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(profileId, version, stored)).mapEmpty();
  }

  static ApiError notFound() {
    return new ApiError(404, "unknown_profile", "There is no such profile");
  }

  static JsonArray toJson(List<CommittedOp> ops) {
    JsonArray list = new JsonArray();
    ops.forEach(op -> list.add(op.toJson()));
    return list;
  }
}
