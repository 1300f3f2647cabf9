package de.werkraum.account;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** SQL for invitations. Only a digest of each invitation token is stored. */
public final class InvitationStore {

  /** The space an invitation leads into. */
  public record SpaceRef(long id, String name) {}

  /** An invitation as inviters list it. */
  public record Invitation(long id, String email, boolean admin, SpaceRef space, String spaceRole,
      String invitedBy, String createdAt, String expiresAt, String status) {}

  /** An invitation found by its token, with what accepting it needs. */
  public record Pending(long id, String email, boolean admin, SpaceRef space, String spaceRole,
      OffsetDateTime expiresAt, boolean used, boolean revoked) {}

  private static final String SELECT = """
      SELECT i.id, i.email, i.admin, s.id, s.name, i.space_role, u.display_name, i.created_at, i.expires_at,
             CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked' WHEN i.used_at IS NOT NULL THEN 'used'
                  WHEN i.expires_at < now() THEN 'expired' ELSE 'pending' END
      FROM invitations i JOIN users u ON u.id = i.invited_by LEFT JOIN spaces s ON s.id = i.space_id
      """;
  private static final String VISIBLE = """
      WHERE ($1 OR i.space_id IN (SELECT space_id FROM space_members WHERE user_id = $2 AND role = 'coordinator'))
        AND ($3::bigint IS NULL OR i.space_id = $3)
      """;

  private final Pool pool;

  public InvitationStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Long> insert(String token, String email, boolean admin, Long spaceId, String spaceRole,
      long invitedBy, OffsetDateTime expiresAt) {
    return pool.preparedQuery("""
            INSERT INTO invitations (token_hash, email, admin, space_id, space_role, invited_by, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""")
        .execute(Tuple.from(new Object[] {Buffer.buffer(Tokens.digest(token)), email, admin, spaceId, spaceRole, invitedBy, expiresAt}))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Invitation> byId(long id) {
    return pool.preparedQuery(SELECT + " WHERE i.id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : invitation(rows.iterator().next()));
  }

  /** Invitations the user may see: all for admins, their spaces' for coordinators. */
  public Future<List<Invitation>> list(boolean all, long userId, Long spaceId, int limit, int offset) {
    return pool.preparedQuery(SELECT + VISIBLE + " ORDER BY i.created_at DESC, i.id DESC LIMIT $4 OFFSET $5")
        .execute(Tuple.of(all, userId, spaceId, limit, offset))
        .map(rows -> {
          List<Invitation> list = new ArrayList<>();
          rows.forEach(r -> list.add(invitation(r)));
          return list;
        });
  }

  public Future<Long> count(boolean all, long userId, Long spaceId) {
    return pool.preparedQuery("SELECT count(*) FROM invitations i " + VISIBLE).execute(Tuple.of(all, userId, spaceId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Invitation invitation(Row r) {
    SpaceRef space = r.getLong(3) == null ? null : new SpaceRef(r.getLong(3), r.getString(4));
    return new Invitation(r.getLong(0), r.getString(1), r.getBoolean(2), space, r.getString(5), r.getString(6),
        r.getOffsetDateTime(7).toInstant().toString(), r.getOffsetDateTime(8).toInstant().toString(), r.getString(9));
  }

  /** Finds by token; with a transaction client, locks the row so it can be used once only. */
  public Future<Pending> byToken(SqlClient client, String token, boolean lock) {
    return client.preparedQuery("""
            SELECT i.id, i.email, i.admin, s.id, s.name, i.space_role, i.expires_at, i.used_at IS NOT NULL, i.revoked_at IS NOT NULL
            FROM invitations i LEFT JOIN spaces s ON s.id = i.space_id WHERE i.token_hash = $1""" + (lock ? " FOR UPDATE OF i" : ""))
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token))))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          SpaceRef space = r.getLong(3) == null ? null : new SpaceRef(r.getLong(3), r.getString(4));
          return new Pending(r.getLong(0), r.getString(1), r.getBoolean(2), space, r.getString(5),
              r.getOffsetDateTime(6), r.getBoolean(7), r.getBoolean(8));
        });
  }

  public Future<Void> markUsed(SqlClient client, long id, long userId) {
    return client.preparedQuery("UPDATE invitations SET used_at = now(), used_by = $2 WHERE id = $1")
        .execute(Tuple.of(id, userId)).mapEmpty();
  }

  public Future<Void> revoke(long id) {
    return pool.preparedQuery("UPDATE invitations SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL AND used_at IS NULL")
        .execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Boolean> spaceExists(long spaceId) {
    return pool.preparedQuery("SELECT 1 FROM spaces WHERE id = $1").execute(Tuple.of(spaceId)).map(rows -> rows.size() > 0);
  }
}
