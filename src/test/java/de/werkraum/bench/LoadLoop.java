package de.werkraum.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's share of the simulated participants: their sockets, their posts, and the checks on
 * what each of them receives. Everything here runs on the loop's own thread; the coordinator talks to it
 * only through {@link #call}. Frames are read with {@code indexOf}, not parsed as JSON, so the generator
 * leaves as much CPU as it can to the server it measures.
 */
final class LoadLoop extends GeneratorLoop {

  /** Who participant {@code index} is: their room and their session cookie. */
  record Participant(int index, int roomIndex, long roomId, String cookie) {}

  /** Where the server is and which Origin it expects. */
  record Target(String host, int port, String origin) {}

  /** The loop's counters since it started, and the receivers' state against the rooms' last acknowledged seq. */
  record State(long[] roomMaxAcked, long sent, long answered, long acked, long duplicateKeys, long deliveries,
      long gaps, long duplicates, long outstanding, long earlyEvents, int open, int joined,
      Map<String, Long> errors, Map<Integer, Long> closes, long otherFrames, long otherChars) {}

  private static final long POST_TICK_MS = 5;
  private static final int CONNECT_ATTEMPTS = 3;
  private static final long JOIN_TIMEOUT_MS = 60_000;

  private final int loopIndex;
  private final List<Participant> participants;
  private final Target target;
  private final String runTag;
  private final List<Conn> conns = new ArrayList<>();
  private final long[] roomMaxAcked;
  private final Map<String, Long> errors = new HashMap<>();
  private final Map<Integer, Long> closes = new HashMap<>();
  private final Map<String, Long> connectFailures = new HashMap<>();
  private WebSocketClient client;
  private MeasuredWindow window;
  private boolean stopping;
  private long sent;
  private long answered;
  private long acked;
  private long duplicateKeys;
  private long deliveries;
  private long earlyEvents;
  private long otherFrames;
  private long otherChars;
  private long keys;
  private long postTimer = -1;
  private double postsPerSecond;
  private long postStart;
  private long postedSinceStart;
  private long lastTick;
  private int nextSender;

  /** One participant's socket and what it has received. */
  private static final class Conn {
    final Participant who;
    final Promise<Void> joinedPromise = Promise.promise();
    WebSocket ws;
    boolean open;
    boolean joined;
    boolean abandoned;
    long expected;
    long gaps;
    long duplicates;
    long joinTimer = -1;

    Conn(Participant who) {
      this.who = who;
    }
  }

  LoadLoop(int loopIndex, List<Participant> participants, Target target, String runTag, int rooms) {
    this.loopIndex = loopIndex;
    this.participants = participants;
    this.target = target;
    this.runTag = runTag;
    this.roomMaxAcked = new long[rooms];
  }

  @Override
  public Future<?> start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(participants.size() + 16)
        .setConnectTimeout(30_000)
        .setClosingTimeout(2)
        .setMaxFrameSize(1024 * 1024)
        .setMaxMessageSize(4 * 1024 * 1024));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return client.close();
  }

  // --- connecting ---------------------------------------------------------------------------------

  /** Connects and joins every participant of this loop, at most {@code inFlight} handshakes at a time. */
  Future<Map<String, Long>> connectAll(int inFlight) {
    Promise<Map<String, Long>> done = Promise.promise();
    int[] next = {0};
    int[] running = {0};
    int[] finished = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (running[0] < inFlight && next[0] < participants.size()) {
        Participant p = participants.get(next[0]++);
        running[0]++;
        connect(p, 1).onComplete(ar -> {
          running[0]--;
          finished[0]++;
          if (ar.failed()) {
            String cause = String.valueOf(ar.cause().getMessage());
            connectFailures.merge(cause.length() > 80 ? cause.substring(0, 80) : cause, 1L, Long::sum);
          }
          if (finished[0] == participants.size()) {
            done.complete(new HashMap<>(connectFailures));
          } else {
            pump[0].run();
          }
        });
      }
    };
    if (participants.isEmpty()) {
      done.complete(Map.of());
    } else {
      pump[0].run();
    }
    return done.future();
  }

  private Future<Void> connect(Participant p, int attempt) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(target.host()).setPort(target.port()).setURI("/ws")
        .addHeader("Origin", target.origin())
        .addHeader("Cookie", "werkraum_session=" + p.cookie());
    Promise<Void> result = Promise.promise();
    client.connect(options).onComplete(ar -> {
      if (ar.failed()) {
        result.fail(ar.cause());
        return;
      }
      Conn c = new Conn(p);
      c.ws = ar.result();
      c.open = true;
      conns.add(c);
      c.ws.textMessageHandler(text -> onFrame(c, text));
      c.ws.exceptionHandler(e -> { });
      c.ws.closeHandler(v -> onClose(c));
      c.joinTimer = vertx.setTimer(JOIN_TIMEOUT_MS, t -> c.joinedPromise.tryFail("no answer to join"));
      c.ws.writeTextMessage(Frames.join(p.roomId()));
      c.joinedPromise.future().onFailure(e -> {
        // A socket that did not get into its room is dropped; a retry opens a new one.
        c.abandoned = true;
        conns.remove(c);
        if (c.open) {
          c.ws.close();
        }
      }).onComplete(result);
    });
    return result.future().recover(e -> {
      if (attempt >= CONNECT_ATTEMPTS) {
        return Future.failedFuture(e);
      }
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(500L * attempt, t -> connect(p, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  // --- receiving ----------------------------------------------------------------------------------

  private void onFrame(Conn c, String s) {
    long now = System.nanoTime();
    switch (Frames.kind(s)) {
      case EVENT -> onEvent(c, s, now);
      case ACK -> onAck(c, s, now);
      case ERROR -> onError(c, s);
      default -> {
        otherFrames++;
        otherChars += s.length();
      }
    }
  }

  /** Each receiver must get every seq of its room once, in order: a jump is a gap, a step back a duplicate. */
  private void onEvent(Conn c, String s, long now) {
    if (!c.joined) {
      earlyEvents++;
      return;
    }
    long seq = Frames.seq(s);
    if (seq < c.expected) {
      c.duplicates++;
      return;
    }
    if (seq > c.expected) {
      c.gaps += seq - c.expected;
    }
    c.expected = seq + 1;
    deliveries++;
    MeasuredWindow w = window;
    if (w != null) {
      w.delivered(now, Frames.sentAt(s));
    }
  }

  private void onAck(Conn c, String s, long now) {
    if (Frames.isJoinAck(s)) {
      long last = Frames.lastSeq(s);
      if (last < 0) {
        c.joinedPromise.tryFail("join answered without lastSeq");
        return;
      }
      c.expected = last + 1;
      c.joined = true;
      vertx.cancelTimer(c.joinTimer);
      c.joinedPromise.tryComplete();
      return;
    }
    answered++;
    acked++;
    long seq = Frames.seq(s);
    int room = c.who.roomIndex();
    if (seq > roomMaxAcked[room]) {
      roomMaxAcked[room] = seq;
    }
    if (Frames.isDuplicate(s)) {
      duplicateKeys++;
    }
    MeasuredWindow w = window;
    if (w != null) {
      w.ack.record((now - Frames.ackedPostSentAt(s)) / 1000);
    }
  }

  private void onError(Conn c, String s) {
    String code = Frames.errorCode(s);
    errors.merge(code, 1L, Long::sum);
    if (!c.joined) {
      c.joinedPromise.tryFail("join refused: " + code);
    } else if (!Frames.answersNoPost(s)) {
      answered++;
    }
  }

  private void onClose(Conn c) {
    c.open = false;
    vertx.cancelTimer(c.joinTimer);
    c.joinedPromise.tryFail("closed before join (" + c.ws.closeStatusCode() + ")");
    if (!stopping && !c.abandoned) {
      Short code = c.ws.closeStatusCode();
      closes.merge(code == null ? -1 : (int) code, 1L, Long::sum);
    }
  }

  // --- posting ------------------------------------------------------------------------------------

  /** Posts at {@code rate} per second from this loop's participants in turn (open loop: acks are not awaited). */
  Future<Void> startPosting(double rate) {
    stopPostingNow();
    postsPerSecond = rate;
    postStart = System.nanoTime();
    lastTick = postStart;
    postedSinceStart = 0;
    if (rate > 0) {
      postTimer = vertx.setPeriodic(POST_TICK_MS, t -> postDue());
    }
    return Future.succeededFuture();
  }

  Future<Void> stopPosting() {
    stopPostingNow();
    return Future.succeededFuture();
  }

  private void stopPostingNow() {
    if (postTimer >= 0) {
      vertx.cancelTimer(postTimer);
      postTimer = -1;
    }
  }

  private void postDue() {
    long now = System.nanoTime();
    MeasuredWindow w = window;
    if (w != null) {
      w.timerLag.record(Math.max(0, (now - lastTick) / 1000 - POST_TICK_MS * 1000));
    }
    lastTick = now;
    long due = (long) ((now - postStart) * postsPerSecond / 1e9);
    int budget = 5_000;
    while (postedSinceStart < due && budget-- > 0) {
      Conn c = nextSender();
      if (c == null) {
        return;
      }
      post(c);
      postedSinceStart++;
    }
  }

  private Conn nextSender() {
    for (int tries = 0; tries < conns.size(); tries++) {
      Conn c = conns.get(nextSender);
      nextSender = (nextSender + 1) % conns.size();
      if (c.open && c.joined) {
        return c;
      }
    }
    return null;
  }

  private void post(Conn c) {
    long now = System.nanoTime();
    String key = runTag + "-" + loopIndex + "-" + (++keys);
    c.ws.writeTextMessage(Frames.post(c.who.roomId(), key, now));
    sent++;
    MeasuredWindow w = window;
    if (w != null) {
      w.postsSent++;
    }
  }

  // --- measuring ----------------------------------------------------------------------------------

  Future<Void> openWindow() {
    window = new MeasuredWindow();
    return Future.succeededFuture();
  }

  Future<MeasuredWindow> closeWindow() {
    MeasuredWindow w = window;
    window = null;
    if (w != null) {
      w.endNanos = System.nanoTime();
    }
    return Future.succeededFuture(w);
  }

  /** Counters, and how many deliveries the open receivers still miss against {@code roomLast} (null: own acks). */
  Future<State> state(long[] roomLast) {
    long gaps = 0;
    long duplicates = 0;
    long outstanding = 0;
    int open = 0;
    int joinedCount = 0;
    for (Conn c : conns) {
      gaps += c.gaps;
      duplicates += c.duplicates;
      if (c.open) {
        open++;
      }
      if (c.open && c.joined) {
        joinedCount++;
        if (roomLast != null) {
          outstanding += Math.max(0, roomLast[c.who.roomIndex()] - (c.expected - 1));
        }
      }
    }
    return Future.succeededFuture(new State(roomMaxAcked.clone(), sent, answered, acked, duplicateKeys, deliveries, gaps, duplicates,
        outstanding, earlyEvents, open, joinedCount, new HashMap<>(errors), new HashMap<>(closes), otherFrames, otherChars));
  }

  /** From now on closes are expected and not counted. */
  Future<Void> stopping() {
    stopping = true;
    stopPostingNow();
    return Future.succeededFuture();
  }
}
