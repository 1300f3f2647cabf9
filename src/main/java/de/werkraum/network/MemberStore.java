package de.werkraum.network;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL for member profiles (the people of the network) and the people directory. */
public final class MemberStore {

  /** A member as the directory lists them. */
  public record MemberSummary(long id, String displayName, String position, Refs.OrganisationRef organisation,
      List<Refs.SpaceRole> spaces) {}

  /** A member's full profile; email only for themself and admins. */
  public record Member(long id, String email, String displayName, boolean admin, Refs.OrganisationRef organisation,
      String position, String bio, int version, List<Refs.SpaceRole> spaces) {

    public Member withoutEmail() {
      return new Member(id, null, displayName, admin, organisation, position, bio, version, spaces);
    }
  }

  /** The fields a member edits on their profile. */
  public record ProfileDraft(String displayName, Long organisationId, String position, String bio) {}

  // $1 search text, $2 LIKE pattern of it, $3 sector, $4 space id
  private static final String FILTER = """
      WHERE u.active
        AND ($1::text IS NULL OR u.search @@ websearch_to_tsquery('german', $1)
             OR to_tsvector('german', coalesce(o.name, '')) @@ websearch_to_tsquery('german', $1)
             OR u.display_name ILIKE $2 OR o.name ILIKE $2)
        AND ($3::text IS NULL OR o.sector = $3)
        AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM space_members f WHERE f.user_id = u.id AND f.space_id = $4))""";

  private final Pool pool;

  public MemberStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<MemberSummary>> search(String q, String sector, Long spaceId, int limit, int offset) {
    return pool.preparedQuery("SELECT u.id, u.display_name, u.position, o.id, o.name, o.sector, " + Refs.SPACES_OF_USER
            + " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id " + FILTER + """
             ORDER BY CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(u.search, websearch_to_tsquery('german', $1)) END DESC,
                      lower(u.display_name), u.id
             LIMIT $5 OFFSET $6""")
        .execute(Tuple.from(new Object[] {q, Refs.likePattern(q), sector, spaceId, limit, offset}))
        .map(rows -> {
          List<MemberSummary> list = new ArrayList<>();
          rows.forEach(r -> list.add(new MemberSummary(r.getLong(0), r.getString(1), r.getString(2),
              Refs.organisation(r.getLong(3), r.getString(4), r.getString(5)), Refs.spaceRoles(r.getValue(6)))));
          return list;
        });
  }

  public Future<Long> count(String q, String sector, Long spaceId) {
    return pool.preparedQuery("SELECT count(*) FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id " + FILTER)
        .execute(Tuple.of(q, Refs.likePattern(q), sector, spaceId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** A member's profile; deactivated accounts are found only when {@code includeInactive}. */
  public Future<Member> byId(long id, boolean includeInactive) {
    return pool.preparedQuery("SELECT u.id, u.email, u.display_name, u.admin, o.id, o.name, o.sector, u.position, u.bio, u.version, "
            + Refs.SPACES_OF_USER + " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id"
            + " WHERE u.id = $1 AND (u.active OR $2)")
        .execute(Tuple.of(id, includeInactive))
        .map(rows -> rows.size() == 0 ? null : member(rows.iterator().next()));
  }

  private static Member member(Row r) {
    return new Member(r.getLong(0), r.getString(1), r.getString(2), r.getBoolean(3),
        Refs.organisation(r.getLong(4), r.getString(5), r.getString(6)), r.getString(7), r.getString(8),
        r.getInteger(9), Refs.spaceRoles(r.getValue(10)));
  }

  /** Writes the profile if {@code version} is current; stale_version, not_found or an unknown organisation otherwise. */
  public Future<Void> update(long id, ProfileDraft d, int version) {
    return pool.preparedQuery("""
            UPDATE users SET display_name = $3, organisation_id = $4, position = $5, bio = $6, version = version + 1
            WHERE id = $1 AND version = $2""")
        .execute(Tuple.from(new Object[] {id, version, d.displayName(), d.organisationId(), d.position(), d.bio()}))
        .recover(e -> Future.failedFuture(e instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? ApiError.invalid("organisationId", "names no organisation") : e))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : staleOrMissing(id));
  }

  private Future<Void> staleOrMissing(long id) {
    return pool.preparedQuery("SELECT 1 FROM users WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> Future.failedFuture(rows.size() == 0 ? ApiError.notFound("Member") : ApiError.staleVersion()));
  }
}
