package de.werkraum.profile;

import de.werkraum.account.CurrentUser;
import de.werkraum.account.Roles;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of profiles outside editing: who may list, create and read them, change their status and
 * tags, and have a snapshot stored (members of the space, admins).
 */
public final class ProfileService {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);

  private final Vertx vertx;
  private final ProfileStore store;
  private final ProfileEngines engines;
  private final Roles roles;
  private final ProfileEditing editing;

  public ProfileService(Vertx vertx, Pool pool, ProfileEngines engines, Roles roles, ProfileEditing editing) {
    this.vertx = vertx;
    this.store = new ProfileStore(pool);
    this.engines = engines;
    this.roles = roles;
    this.editing = editing;
  }

  private Future<Void> spaceMember(CurrentUser user, long spaceId) {
    return roles.roleIn(user.id(), spaceId).compose(role -> role != null || user.admin()
        ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden()));
  }

  /** The profile's row if the user may edit it: not_found, forbidden otherwise. */
  private Future<JsonObject> editable(CurrentUser user, long id) {
    return store.access(id, user.id()).compose(row -> {
      if (row == null) {
        return Future.failedFuture(ApiError.notFound("Profile"));
      }
      if (!row.getBoolean("allowed")) {
        return Future.failedFuture(ApiError.forbidden());
      }
      return Future.succeededFuture(row);
    });
  }

  /** The space's profiles; {@code status} and {@code tag} filter when not null. */
  Future<List<JsonObject>> ofSpace(CurrentUser user, long spaceId, String status, String tag) {
    return spaceMember(user, spaceId).compose(v -> store.ofSpace(spaceId, status, tag))
        .map(list -> {
          list.forEach(p -> p.put("editing", editing.editors(p.getLong("id"))));
          return list;
        });
  }

  Future<JsonObject> create(CurrentUser user, long spaceId) {
    return spaceMember(user, spaceId)
        .compose(v -> store.create(spaceId, user.id()))
        .compose(id -> id == null ? Future.failedFuture(ApiError.notFound("Space")) : store.access(id, user.id()))
        .onSuccess(p -> LOG.info("profile created id={} space={} by={}", p.getLong("id"), spaceId, user.id()))
        .map(p -> {
          JsonObject answer = p.copy();
          answer.remove("allowed");
          return answer;
        });
  }

  /** The committed documents of every field, with the version they are at. */
  Future<JsonObject> profile(CurrentUser user, long id) {
    return editable(user, id).compose(row ->
      engines.snapshot(id).map(snap -> new JsonObject().put("id", id).put("spaceId", row.getLong("spaceId"))
          .put("title", row.getString("title")).put("status", row.getString("status"))
          .put("tags", row.getJsonArray("tags")).put("metaVersion", row.getInteger("metaVersion"))
          .put("version", snap.getLong("version")).put("fields", snap.getJsonObject("fields"))));
  }

  /**
   * Sets the status and/or the tags (null: unchanged) if {@code metaVersion} is current, else
   * {@code stale_version}; then tells everyone who has the profile open ({@code profile_meta}).
   */
  Future<JsonObject> updateMeta(CurrentUser user, long id, String status, List<String> tags, int metaVersion) {
    return editable(user, id)
        .compose(row -> store.updateMeta(id, status, tags, metaVersion))
        .compose(meta -> meta == null ? Future.failedFuture(ApiError.staleVersion()) : Future.succeededFuture(meta))
        .map(meta -> {
          LOG.info("profile meta changed id={} metaVersion={} by={}", id, meta.getInteger("metaVersion"), user.id());
          ProfileChannel.publishMeta(vertx, id, meta, user);
          return meta.copy().put("id", id);
        });
  }

  /** Stores a snapshot of the committed documents at the current version (through the profile's single writer). */
  Future<JsonObject> snapshot(CurrentUser user, long id) {
    return editable(user, id)
        .compose(row -> engines.snapshotNow(id))
        .onSuccess(version -> LOG.info("profile snapshot id={} version={} by={}", id, version, user.id()))
        .map(version -> new JsonObject().put("version", version));
  }
}
