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
   * A profile's documents at a version, built from the snapshot at {@code snapshotVersion}, and the ops
   * committed after {@code horizon} (at or before the snapshot).
   */
  record State(long version, Map<String, Delta> fields, List<CommittedOp> ops, long snapshotVersion, long horizon) {}

  /** The commit lost a race with another node: reload and redo. */
  static final class Conflict extends RuntimeException {
    Conflict() {
      super("version conflict", null, false, false);
    }
  }

  private final Pool pool;

  ProfileStore(Pool pool) {
    this.pool = pool;
  }

  Future<Long> create(long spaceId, long userId) {
    return pool.preparedQuery("INSERT INTO profiles (space_id, created_by) VALUES ($1, $2) RETURNING id")
        .execute(Tuple.of(spaceId, userId)).map(rows -> rows.iterator().next().getLong(0));
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
                   EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.active AND (u.admin
                           OR EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = p.space_id AND sm.user_id = $2)))
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
   * The profile from its latest snapshot on, with the ops of up to {@code keepBefore} versions before
   * that snapshot too: they are not needed for the documents, but let edits based a little before the
   * snapshot still be transformed after a reload, as before it.
   */
  Future<State> load(long profileId, long keepBefore) {
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
          long from = snapshotVersion;
          long horizon = Math.max(0, snapshotVersion - keepBefore);
          return opsSince(profileId, horizon, Integer.MAX_VALUE).map(ops -> {
            Map<String, Delta> docs = new HashMap<>(fields);
            long version = from;
            for (CommittedOp op : ops) {
              if (op.version() > from) {
                docs.put(op.field(), docs.getOrDefault(op.field(), Delta.EMPTY).compose(op.delta()));
                version = op.version();
              }
            }
            return new State(version, docs, ops, from, horizon);
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
   * Commits consecutive ops in one transaction, guarded by the profile's version: if another node
   * committed first, fails with {@link Conflict} and nothing is stored.
   */
  Future<Void> commit(long profileId, List<CommittedOp> batch, String title) {
    long first = batch.get(0).version();
    long last = batch.get(batch.size() - 1).version();
    List<Tuple> rows = new ArrayList<>();
    for (CommittedOp op : batch) {
      rows.add(Tuple.of(profileId, op.version(), op.field(), DeltaCodec.write(op.delta()), op.author(), op.client(), op.seq()));
    }
    return pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE profiles SET version = $3, title = coalesce($4, title), updated_at = now()
                WHERE id = $1 AND version = $2""")
            .execute(Tuple.of(profileId, first - 1, last, title))
            .compose(updated -> updated.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(new Conflict()))
            .compose(v -> tx.preparedQuery("""
                    INSERT INTO profile_ops (profile_id, version, field, delta, author, client, seq)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .executeBatch(rows))
            .<Void>mapEmpty())
        .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState()) ? new Conflict() : e));
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
