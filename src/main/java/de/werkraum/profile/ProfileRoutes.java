package de.werkraum.profile;

import de.werkraum.account.CurrentUser;
import de.werkraum.web.ApiRoutes;
import de.werkraum.web.Query;
import de.werkraum.web.Respond;
import io.vertx.ext.web.Router;
import java.util.Map;

/** HTTP routes of profiles: the list per space, creating one, and reading one. Editing goes over /ws. */
public final class ProfileRoutes implements ApiRoutes {

  private final ProfileService profiles;

  public ProfileRoutes(ProfileService profiles) {
    this.profiles = profiles;
  }

  @Override
  public void mount(Router api) {
    api.get("/spaces/:id/profiles").handler(ctx -> Respond.with(ctx, 200,
        profiles.ofSpace(CurrentUser.of(ctx), Query.pathId(ctx, "id")).map(list -> Map.of("items", list))));
    api.post("/spaces/:id/profiles").handler(ctx -> Respond.with(ctx, 201, profiles.create(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.get("/profiles/:id").handler(ctx -> Respond.with(ctx, 200, profiles.profile(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
  }
}
