package de.werkraum.network;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL for innovation spaces and their memberships. */
public final class SpaceStore {

  /** A space in the list of all spaces, with the caller's role in it. */
  public record SpaceSummary(long id, String name, String description, long memberCount, String myRole) {}

  /** A space's page: its coordinators and size. */
  public record SpaceDetail(long id, String name, String description, int version, String myRole,
      List<Refs.PersonRef> coordinators, long memberCount) {}

  /** One person in a space's member list. */
  public record SpaceMember(long id, String displayName, String position, Refs.OrganisationRef organisation, String role) {}

  private final Pool pool;

  public SpaceStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<SpaceSummary>> list(long userId) {
    return pool.preparedQuery("""
            SELECT s.id, s.name, s.description,
                   (SELECT count(*) FROM space_members m JOIN users u ON u.id = m.user_id WHERE m.space_id = s.id AND u.active),
                   (SELECT role FROM space_members m WHERE m.space_id = s.id AND m.user_id = $1)
            FROM spaces s ORDER BY lower(s.name), s.id""")
        .execute(Tuple.of(userId))
        .map(rows -> {
          List<SpaceSummary> list = new ArrayList<>();
          rows.forEach(r -> list.add(new SpaceSummary(r.getLong(0), r.getString(1), r.getString(2), r.getLong(3), r.getString(4))));
          return list;
        });
  }

  public Future<SpaceDetail> detail(long id, long userId) {
    return pool.preparedQuery("""
            SELECT s.id, s.name, s.description, s.version,
                   (SELECT role FROM space_members m WHERE m.space_id = s.id AND m.user_id = $2),
                   (SELECT count(*) FROM space_members m JOIN users u ON u.id = m.user_id WHERE m.space_id = s.id AND u.active),
                   (SELECT coalesce(json_agg(json_build_object('id', u.id, 'displayName', u.display_name, 'position', u.position)
                                             ORDER BY lower(u.display_name)), '[]'::json)
                      FROM space_members m JOIN users u ON u.id = m.user_id
                     WHERE m.space_id = s.id AND m.role = 'coordinator' AND u.active)
            FROM spaces s WHERE s.id = $1""")
        .execute(Tuple.of(id, userId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          List<Refs.PersonRef> coordinators = new ArrayList<>();
          for (Object o : (io.vertx.core.json.JsonArray) r.getValue(6)) {
            var p = (io.vertx.core.json.JsonObject) o;
            coordinators.add(new Refs.PersonRef(p.getLong("id"), p.getString("displayName"), p.getString("position")));
          }
          return new SpaceDetail(r.getLong(0), r.getString(1), r.getString(2), r.getInteger(3), r.getString(4), coordinators, r.getLong(5));
        });
  }

  public Future<List<SpaceMember>> members(long spaceId, int limit, int offset) {
    return pool.preparedQuery("""
            SELECT u.id, u.display_name, u.position, o.id, o.name, o.sector, m.role
            FROM space_members m JOIN users u ON u.id = m.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
            WHERE m.space_id = $1 AND u.active
            ORDER BY m.role, lower(u.display_name), u.id LIMIT $2 OFFSET $3""")
        .execute(Tuple.of(spaceId, limit, offset))
        .map(rows -> {
          List<SpaceMember> list = new ArrayList<>();
          rows.forEach(r -> list.add(new SpaceMember(r.getLong(0), r.getString(1), r.getString(2),
              Refs.organisation(r.getLong(3), r.getString(4), r.getString(5)), r.getString(6))));
          return list;
        });
  }

  public Future<Long> memberCount(long spaceId) {
    return pool.preparedQuery("SELECT count(*) FROM space_members m JOIN users u ON u.id = m.user_id WHERE m.space_id = $1 AND u.active")
        .execute(Tuple.of(spaceId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Boolean> exists(long spaceId) {
    return pool.preparedQuery("SELECT 1 FROM spaces WHERE id = $1").execute(Tuple.of(spaceId)).map(rows -> rows.size() > 0);
  }

  public Future<Long> insert(SqlClient client, String name, String description) {
    return client.preparedQuery("INSERT INTO spaces (name, description) VALUES ($1, $2) RETURNING id")
        .execute(Tuple.of(name, description))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Void> update(long id, String name, String description, int version) {
    return pool.preparedQuery("UPDATE spaces SET name = $3, description = $4, version = version + 1 WHERE id = $1 AND version = $2")
        .execute(Tuple.of(id, version, name, description))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : exists(id)
            .compose(found -> Future.failedFuture(found ? ApiError.staleVersion() : ApiError.notFound("Space"))));
  }

  public Future<Void> setRole(SqlClient client, long spaceId, long userId, String role) {
    return client.preparedQuery("""
            INSERT INTO space_members (space_id, user_id, role) VALUES ($1, $2, $3)
            ON CONFLICT (space_id, user_id) DO UPDATE SET role = EXCLUDED.role""")
        .execute(Tuple.of(spaceId, userId, role))
        .recover(e -> Future.failedFuture(e instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? ApiError.notFound("Member or space") : e))
        .mapEmpty();
  }

  /** Removes a membership; true when there was one. */
  public Future<Boolean> remove(long spaceId, long userId) {
    return pool.preparedQuery("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .execute(Tuple.of(spaceId, userId))
        .map(rows -> rows.rowCount() == 1);
  }
}
