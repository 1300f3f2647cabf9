package de.werkraum.account;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Space roles of an account, read fresh from the database whenever a request needs them. */
public final class Roles {

  public static final String COORDINATOR = "coordinator";
  public static final String MEMBER = "member";

  private final Pool pool;

  public Roles(Pool pool) {
    this.pool = pool;
  }

  /** The user's role in the space ({@code coordinator}, {@code member}) or null. */
  public Future<String> roleIn(long userId, long spaceId) {
    return pool.preparedQuery("SELECT role FROM space_members WHERE user_id = $1 AND space_id = $2")
        .execute(Tuple.of(userId, spaceId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** Succeeds for admins and the space's coordinators, fails with forbidden otherwise. */
  public Future<Void> requireCoordinator(CurrentUser user, long spaceId) {
    if (user.admin()) {
      return Future.succeededFuture();
    }
    return roleIn(user.id(), spaceId).compose(role ->
        COORDINATOR.equals(role) ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden()));
  }

  /** Succeeds for admins and anyone who coordinates at least one space. */
  public Future<Void> requireAnyCoordinator(CurrentUser user) {
    if (user.admin()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("SELECT 1 FROM space_members WHERE user_id = $1 AND role = 'coordinator' LIMIT 1")
        .execute(Tuple.of(user.id()))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden()));
  }
}
