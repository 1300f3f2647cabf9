package de.werkraum.network;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL for organisations, including the German full-text search of the directory. */
public final class OrganisationStore {

  /** An organisation of the network. */
  public record Organisation(long id, String name, String sector, String city, String website, String description, int version) {}

  /** An organisation with its members, for its own page. */
  public record OrganisationDetail(long id, String name, String sector, String city, String website, String description,
      int version, List<Refs.PersonRef> members) {}

  /** The fields a create or update writes. */
  public record OrganisationDraft(String name, String sector, String city, String website, String description) {}

  private static final String COLUMNS = "o.id, o.name, o.sector, o.city, o.website, o.description, o.version";
  // $1 search text, $2 LIKE pattern of it, $3 sector
  private static final String FILTER = """
      WHERE ($1::text IS NULL OR o.search @@ websearch_to_tsquery('german', $1) OR o.name ILIKE $2)
        AND ($3::text IS NULL OR o.sector = $3)""";

  private final Pool pool;

  public OrganisationStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Organisation>> search(String q, String sector, int limit, int offset) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM organisations o " + FILTER + """
             ORDER BY CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(o.search, websearch_to_tsquery('german', $1)) END DESC,
                      lower(o.name), o.id
             LIMIT $4 OFFSET $5""")
        .execute(Tuple.of(q, Refs.likePattern(q), sector, limit, offset))
        .map(rows -> {
          List<Organisation> list = new ArrayList<>();
          rows.forEach(r -> list.add(organisation(r)));
          return list;
        });
  }

  public Future<Long> count(String q, String sector) {
    return pool.preparedQuery("SELECT count(*) FROM organisations o " + FILTER)
        .execute(Tuple.of(q, Refs.likePattern(q), sector))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<OrganisationDetail> detail(long id) {
    Future<Organisation> org = pool.preparedQuery("SELECT " + COLUMNS + " FROM organisations o WHERE o.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : organisation(rows.iterator().next()));
    Future<List<Refs.PersonRef>> members = pool.preparedQuery("""
            SELECT id, display_name, position FROM users WHERE organisation_id = $1 AND active
            ORDER BY lower(display_name), id LIMIT 500""")
        .execute(Tuple.of(id))
        .map(rows -> {
          List<Refs.PersonRef> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Refs.PersonRef(r.getLong(0), r.getString(1), r.getString(2))));
          return list;
        });
    return Future.all(org, members).map(v -> {
      Organisation o = org.result();
      return o == null ? null : new OrganisationDetail(o.id(), o.name(), o.sector(), o.city(), o.website(),
          o.description(), o.version(), members.result());
    });
  }

  public Future<Long> insert(SqlClient client, OrganisationDraft d) {
    return client.preparedQuery("INSERT INTO organisations (name, sector, city, website, description) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .execute(Tuple.of(d.name(), d.sector(), d.city(), d.website(), d.description()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Writes the draft if {@code version} is current; fails with stale_version or not_found otherwise. */
  public Future<Void> update(long id, OrganisationDraft d, int version) {
    return pool.preparedQuery("""
            UPDATE organisations SET name = $3, sector = $4, city = $5, website = $6, description = $7, version = version + 1
            WHERE id = $1 AND version = $2""")
        .execute(Tuple.from(new Object[] {id, version, d.name(), d.sector(), d.city(), d.website(), d.description()}))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : staleOrMissing(id));
  }

  private Future<Void> staleOrMissing(long id) {
    return pool.preparedQuery("SELECT 1 FROM organisations WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> Future.failedFuture(rows.size() == 0 ? ApiError.notFound("Organisation") : ApiError.staleVersion()));
  }

  private static Organisation organisation(Row r) {
    return new Organisation(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getInteger(6));
  }
}
