package de.werkraum.profile;

import de.werkraum.account.CurrentUser;
import de.werkraum.account.Roles;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules of profiles outside editing: who may list, create and read them (members of the space, admins). */
public final class ProfileService {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);

  private final ProfileStore store;
  private final ProfileEngines engines;
  private final Roles roles;
  private final ProfileEditing editing;

  public ProfileService(Pool pool, ProfileEngines engines, Roles roles, ProfileEditing editing) {
    this.store = new ProfileStore(pool);
    this.engines = engines;
    this.roles = roles;
    this.editing = editing;
  }

  private Future<Void> spaceMember(CurrentUser user, long spaceId) {
    return roles.roleIn(user.id(), spaceId).compose(role -> role != null || user.admin()
        ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden()));
  }

  Future<List<JsonObject>> ofSpace(CurrentUser user, long spaceId) {
    return spaceMember(user, spaceId).compose(v -> store.ofSpace(spaceId))
        .map(list -> {
          list.forEach(p -> p.put("editing", editing.editors(p.getLong("id"))));
          return list;
        });
  }

  Future<JsonObject> create(CurrentUser user, long spaceId) {
    return spaceMember(user, spaceId)
        .compose(v -> store.create(spaceId, user.id()))
        .compose(id -> store.access(id, user.id()))
        .onSuccess(p -> LOG.info("profile created id={} space={} by={}", p.getLong("id"), spaceId, user.id()))
        .map(p -> {
          JsonObject answer = p.copy();
          answer.remove("allowed");
          return answer;
        });
  }

  /** The committed documents of every field, with the version they are at. */
  Future<JsonObject> profile(CurrentUser user, long id) {
    return store.access(id, user.id()).compose(row -> {
      if (row == null) {
        return Future.failedFuture(ApiError.notFound("Profile"));
      }
      if (!row.getBoolean("allowed")) {
        return Future.failedFuture(ApiError.forbidden());
      }
      return engines.snapshot(id).map(snap -> new JsonObject().put("id", id).put("spaceId", row.getLong("spaceId"))
          .put("title", row.getString("title")).put("status", row.getString("status"))
          .put("version", snap.getLong("version")).put("fields", snap.getJsonObject("fields")));
    });
  }
}
