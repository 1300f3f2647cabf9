package de.werkraum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The simulated participants, spread over the generator's event loops (one {@link LoadLoop} each), driven
 * from the benchmark's main thread: connect, post at a rate, open and close measured windows, and drain
 * (wait until every post is answered and every open receiver has every acknowledged seq of its room).
 */
final class LoadGenerator implements AutoCloseable {

  /** How connecting went: sockets joined to their room, failures by cause, and the frames seen meanwhile besides acks. */
  record Connected(int held, int failed, double seconds, Map<String, Long> failures, long otherFrames, long otherChars) {}

  /** One measured window, merged over the loops. */
  record WindowResult(double seconds, long deliveries, long postsSent, LatencyHistogram delivery, LatencyHistogram ack,
      LatencyHistogram timerLag, long[] worstBySecond) {}

  /** All loops' counters merged; {@code outstanding} is what open receivers still miss. */
  record Totals(long[] roomMaxAcked, long sent, long answered, long acked, long duplicateKeys, long deliveries, long gaps,
      long duplicates, long outstanding, long earlyEvents, int open, int joined, Map<String, Long> errors,
      Map<Integer, Long> closes, long otherFrames, long otherChars) {

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long closeCount() {
      return closes.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Vertx vertx;
  private final List<LoadLoop> loops;
  private final List<String> deployments;
  private final int participants;

  private LoadGenerator(Vertx vertx, List<LoadLoop> loops, List<String> deployments, int participants) {
    this.vertx = vertx;
    this.loops = loops;
    this.deployments = deployments;
    this.participants = participants;
  }

  /**
   * Deploys one loop per event loop. Participant {@code i} goes to loop {@code (i / rooms) % loops}, so every
   * room has receivers on every loop and each loop's senders cycle through all rooms.
   */
  static LoadGenerator deploy(Vertx vertx, int loopCount, List<LoadLoop.Participant> all, LoadLoop.Target target,
      String runTag, int rooms) {
    List<List<LoadLoop.Participant>> shares = new ArrayList<>();
    for (int l = 0; l < loopCount; l++) {
      shares.add(new ArrayList<>());
    }
    for (LoadLoop.Participant p : all) {
      shares.get((p.index() / rooms) % loopCount).add(p);
    }
    List<LoadLoop> loops = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int l = 0; l < loopCount; l++) {
      LoadLoop loop = new LoadLoop(l, shares.get(l), target, runTag, rooms);
      ids.add(await(vertx.deployVerticle(loop), 30));
      loops.add(loop);
    }
    return new LoadGenerator(vertx, loops, ids, all.size());
  }

  /** Connects everyone, {@code inFlight} handshakes at a time in total; bounded by {@code timeout}. */
  Connected connect(int inFlight, Duration timeout) {
    long start = System.nanoTime();
    int perLoop = Math.max(1, inFlight / loops.size());
    List<Future<Map<String, Long>>> all = new ArrayList<>();
    for (LoadLoop loop : loops) {
      all.add(loop.call(() -> loop.connectAll(perLoop)));
    }
    Map<String, Long> failures = new TreeMap<>();
    try {
      await(Future.join(new ArrayList<>(all)), timeout.toSeconds());
    } catch (IllegalStateException e) {
      failures.put("connect phase did not finish: " + e.getMessage(), 1L);
    }
    for (Future<Map<String, Long>> f : all) {
      if (f.succeeded()) {
        f.result().forEach((k, v) -> failures.merge(k, v, Long::sum));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Totals t = totals(null);
    return new Connected(t.joined(), participants - t.joined(), seconds, failures, t.otherFrames(), t.otherChars());
  }

  /** Posts {@code postsPerSecond} in total, each loop in proportion to its joined participants. */
  void startPosting(double postsPerSecond) {
    List<LoadLoop.State> states = each(loop -> loop.state(null));
    int joined = states.stream().mapToInt(LoadLoop.State::joined).sum();
    List<Future<Void>> started = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      LoadLoop loop = loops.get(i);
      double share = joined == 0 ? 0 : postsPerSecond * states.get(i).joined() / joined;
      started.add(loop.call(() -> loop.startPosting(share)));
    }
    await(Future.all(new ArrayList<>(started)), 10);
  }

  void stopPosting() {
    each(LoadLoop::stopPosting);
  }

  void openWindow() {
    each(LoadLoop::openWindow);
  }

  WindowResult closeWindow() {
    List<MeasuredWindow> windows = each(LoadLoop::closeWindow);
    LatencyHistogram delivery = new LatencyHistogram();
    LatencyHistogram ack = new LatencyHistogram();
    LatencyHistogram lag = new LatencyHistogram();
    double seconds = 0;
    long[] worst = new long[0];
    long deliveries = 0;
    long posts = 0;
    for (MeasuredWindow w : windows) {
      if (w == null) {
        continue;
      }
      delivery.add(w.delivery);
      ack.add(w.ack);
      lag.add(w.timerLag);
      deliveries += w.deliveries;
      posts += w.postsSent;
      seconds = Math.max(seconds, (w.endNanos - w.startNanos) / 1e9);
      int length = (int) Math.min(w.worstBySecond.length, Math.ceil((w.endNanos - w.startNanos) / 1e9));
      if (worst.length < length) {
        worst = java.util.Arrays.copyOf(worst, length);
      }
      for (int i = 0; i < length; i++) {
        worst[i] = Math.max(worst[i], w.worstBySecond[i]);
      }
    }
    return new WindowResult(seconds, deliveries, posts, delivery, ack, lag, worst);
  }

  /** Counters of all loops; with {@code roomLast}, also what open receivers miss against it. */
  Totals totals(long[] roomLast) {
    List<LoadLoop.State> states = each(loop -> loop.state(roomLast));
    long[] max = null;
    long sent = 0;
    long answered = 0;
    long acked = 0;
    long dupKeys = 0;
    long deliveries = 0;
    long gaps = 0;
    long dups = 0;
    long outstanding = 0;
    long early = 0;
    int open = 0;
    int joined = 0;
    long other = 0;
    long otherChars = 0;
    Map<String, Long> errors = new TreeMap<>();
    Map<Integer, Long> closes = new TreeMap<>();
    for (LoadLoop.State s : states) {
      if (max == null) {
        max = s.roomMaxAcked().clone();
      } else {
        for (int i = 0; i < max.length; i++) {
          max[i] = Math.max(max[i], s.roomMaxAcked()[i]);
        }
      }
      sent += s.sent();
      answered += s.answered();
      acked += s.acked();
      dupKeys += s.duplicateKeys();
      deliveries += s.deliveries();
      gaps += s.gaps();
      dups += s.duplicates();
      outstanding += s.outstanding();
      early += s.earlyEvents();
      open += s.open();
      joined += s.joined();
      other += s.otherFrames();
      otherChars += s.otherChars();
      s.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
      s.closes().forEach((k, v) -> closes.merge(k, v, Long::sum));
    }
    return new Totals(max == null ? new long[0] : max, sent, answered, acked, dupKeys, deliveries, gaps, dups, outstanding,
        early, open, joined, errors, closes, other, otherChars);
  }

  /**
   * Waits until every post sent has an answer and every open receiver has seen every acknowledged seq of
   * its room, or until {@code max} has passed; answers the totals at that point.
   */
  Totals drain(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long[] roomLast = totals(null).roomMaxAcked();
      Totals t = totals(roomLast);
      if ((t.sent() == t.answered() && t.outstanding() == 0) || System.nanoTime() > deadline) {
        return t;
      }
      sleep(100);
    }
  }

  /** Closes every socket (closes from now on are not counted) and undeploys the loops. */
  @Override
  public void close() {
    try {
      each(LoadLoop::stopping);
    } catch (RuntimeException ignored) {
      // undeploy anyway
    }
    for (String id : deployments) {
      try {
        await(vertx.undeploy(id), 60);
      } catch (RuntimeException ignored) {
        // the Vert.x instance is closed at the end anyway
      }
    }
  }

  private <T> List<T> each(Function<LoadLoop, Future<T>> action) {
    return GeneratorLoop.onEach(loops, action, 30);
  }

  static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
