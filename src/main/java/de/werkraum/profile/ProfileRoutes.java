package de.werkraum.profile;

import de.werkraum.account.CurrentUser;
import de.werkraum.web.ApiError;
import de.werkraum.web.ApiRoutes;
import de.werkraum.web.Input;
import de.werkraum.web.Query;
import de.werkraum.web.Respond;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * HTTP routes of profiles: the list per space, creating one, reading one, changing its status and
 * tags, and storing a snapshot. Editing the documents goes over /ws.
 */
public final class ProfileRoutes implements ApiRoutes {

  private final ProfileService profiles;

  public ProfileRoutes(ProfileService profiles) {
    this.profiles = profiles;
  }

  @Override
  public void mount(Router api) {
    api.get("/spaces/:id/profiles").handler(this::list);
    api.post("/spaces/:id/profiles").handler(ctx -> Respond.with(ctx, 201, profiles.create(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.get("/profiles/:id").handler(ctx -> Respond.with(ctx, 200, profiles.profile(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.patch("/profiles/:id").handler(this::updateMeta);
    api.post("/profiles/:id/snapshots").handler(ctx -> Respond.with(ctx, 201, profiles.snapshot(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
  }

  private void list(RoutingContext ctx) {
    CurrentUser user = CurrentUser.of(ctx);
    long space = Query.pathId(ctx, "id");
    String status = ProfileMeta.statusFilter(Query.param(ctx, "status"));
    String tag = ProfileMeta.tagFilter(Query.param(ctx, "tag"));
    Respond.with(ctx, 200, profiles.ofSpace(user, space, status, tag).map(list -> Map.of("items", list)));
  }

  private void updateMeta(RoutingContext ctx) {
    CurrentUser user = CurrentUser.of(ctx);
    long id = Query.pathId(ctx, "id");
    Input in = Input.of(ctx);
    String status = in.optionalOneOf("status", ProfileMeta.STATUSES);
    List<String> tags = in.has("tags") ? ProfileMeta.tags(in.texts("tags", ProfileMeta.MAX_TAGS, ProfileMeta.MAX_TAG_LENGTH)) : null;
    int metaVersion = in.version("metaVersion");
    if (status == null && tags == null) {
      throw new ApiError(400, "missing_field", "Send status, tags or both", "status");
    }
    Respond.with(ctx, 200, profiles.updateMeta(user, id, status, tags, metaVersion));
  }
}
