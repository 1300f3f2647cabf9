package de.werkraum.web;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Writes JSON answers; failures of the given futures go to the failure handler. */
public final class Respond {

  /** One page of a list. */
  public record Page<T>(List<T> items, int page, int size, long total) {}

  private Respond() {}

  public static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body instanceof JsonObject j ? j.encode() : Json.encode(body));
  }

  public static <T> void with(RoutingContext ctx, int status, Future<T> result) {
    result.onSuccess(body -> {
      if (body == null) {
        ctx.fail(ApiError.notFound("Resource"));
      } else {
        json(ctx, status, body);
      }
    }).onFailure(ctx::fail);
  }

  public static void noContent(RoutingContext ctx, Future<?> result) {
    result.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  public static <T> void page(RoutingContext ctx, Query query, Future<List<T>> items, Future<Long> total) {
    Future.all(items, total)
        .onSuccess(v -> json(ctx, 200, new Page<>(items.result(), query.page(), query.size(), total.result())))
        .onFailure(ctx::fail);
  }
}
