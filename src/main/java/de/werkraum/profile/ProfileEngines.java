package de.werkraum.profile;

import de.werkraum.ot.Delta;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;

/**
 * The node's profile engines, all on this verticle's one event loop, so that each profile's edits are
 * numbered by a single writer on this node. Callers get their answers back on their own context.
 */
public final class ProfileEngines extends VerticleBase {

  private final ProfileStore store;
  private final Map<Long, ProfileEngine> engines = new HashMap<>();

  public ProfileEngines(Pool pool) {
    this.store = new ProfileStore(pool);
  }

  Future<ProfileEngine.Result> submit(long profileId, String field, Delta delta, long baseVersion, String client, long seq, long author) {
    Context caller = vertx.getOrCreateContext();
    Promise<ProfileEngine.Result> answer = Promise.promise();
    context.runOnContext(v -> {
      Promise<ProfileEngine.Result> inner = Promise.promise();
      inner.future().onComplete(ar -> caller.runOnContext(x -> answer.handle(ar)));
      engine(profileId).submit(new ProfileEngine.Submit(field, delta, baseVersion, client, seq, author, inner));
    });
    return answer.future();
  }

  /** The committed documents and their version. */
  Future<JsonObject> snapshot(long profileId) {
    Context caller = vertx.getOrCreateContext();
    Promise<JsonObject> answer = Promise.promise();
    context.runOnContext(v -> engine(profileId).snapshot().onComplete(ar -> caller.runOnContext(x -> answer.handle(ar))));
    return answer.future();
  }

  /** Stores a snapshot of the committed documents now; answers the version it holds. */
  Future<Long> snapshotNow(long profileId) {
    Context caller = vertx.getOrCreateContext();
    Promise<Long> answer = Promise.promise();
    context.runOnContext(v -> engine(profileId).snapshotNow().onComplete(ar -> caller.runOnContext(x -> answer.handle(ar))));
    return answer.future();
  }

  private ProfileEngine engine(long profileId) {
    return engines.computeIfAbsent(profileId, id -> new ProfileEngine(vertx, store, id));
  }
}
