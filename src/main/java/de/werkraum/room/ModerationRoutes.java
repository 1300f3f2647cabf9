package de.werkraum.room;

import de.werkraum.account.CurrentUser;
import de.werkraum.web.Query;
import de.werkraum.web.Respond;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** HTTP routes of moderation: a room's moderation log, and a session's results (JSON and Markdown). */
public final class ModerationRoutes implements de.werkraum.web.ApiRoutes {

  private final ModerationService service;

  public ModerationRoutes(ModerationService service) {
    this.service = service;
  }

  @Override
  public void mount(Router api) {
    api.get("/rooms/:id/moderation-log").handler(this::log);
    api.get("/sessions/:id/results").handler(ctx -> Respond.with(ctx, 200, service.results(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.get("/sessions/:id/results.md").handler(this::resultsMarkdown);
  }

  private void log(RoutingContext ctx) {
    Long before = Query.optionalId(ctx, "before");
    Long limit = Query.optionalId(ctx, "limit");
    int n = limit == null ? 50 : (int) Math.min(Math.max(limit, 1), ModerationService.LOG_PAGE_MAX);
    Respond.with(ctx, 200, service.log(CurrentUser.of(ctx), Query.pathId(ctx, "id"), before, n));
  }

  private void resultsMarkdown(RoutingContext ctx) {
    service.results(CurrentUser.of(ctx), Query.pathId(ctx, "id")).onSuccess(results -> ctx.response()
            .putHeader("Content-Type", "text/markdown; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"ergebnisse-" + results.getLong("sessionId") + ".md\"")
            .putHeader("Cache-Control", "no-store")
            .end(ModerationService.resultsMarkdown(results)))
        .onFailure(ctx::fail);
  }
}
