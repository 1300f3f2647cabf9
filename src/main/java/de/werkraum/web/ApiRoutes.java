package de.werkraum.web;

import io.vertx.ext.web.Router;

/** A feature's HTTP routes under {@code /api}: some reachable without a session, the rest behind the session guard. */
public interface ApiRoutes {

  /** Routes that need no account session (login, invitation accept, guest join). */
  default void mountPublic(Router api) {}

  /** Routes behind the session guard; each handler still checks the caller's role. */
  void mount(Router api);
}
