package de.werkraum.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** One event loop of a load generator: its state is touched only on its own thread, reached through {@link #call}. */
abstract class GeneratorLoop extends VerticleBase {

  /** Runs {@code action} on this loop and hands back its result. */
  <T> Future<T> call(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** Runs {@code action} on each loop at once, waits up to {@code seconds} for all, and gives the results in order. */
  static <L extends GeneratorLoop, T> List<T> onEach(List<L> loops, Function<L, Future<T>> action, long seconds) {
    List<Future<T>> futures = new ArrayList<>();
    for (L loop : loops) {
      futures.add(loop.call(() -> action.apply(loop)));
    }
    LoadGenerator.await(Future.all(new ArrayList<>(futures)), seconds);
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.result());
    }
    return results;
  }
}
