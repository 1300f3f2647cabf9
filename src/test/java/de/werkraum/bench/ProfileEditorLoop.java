package de.werkraum.bench;

import de.werkraum.ot.Delta;
import de.werkraum.ot.Op;
import de.werkraum.profile.DeltaCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One event loop's share of the simulated profile editors. Each editor is a real WebSocket client that
 * speaks the profile protocol as the browser does: it keeps its own copy of the field, at most one edit in
 * flight, later edits composed into a buffer, and transforms both against everyone else's ops. Every
 * inserted run carries the time it was typed ({@code ~<µs since start in base 36>;}), so whoever receives
 * it can tell how long it took to arrive. Everything here runs on the loop's thread; the coordinator talks
 * to it only through {@link #call}.
 */
final class ProfileEditorLoop extends GeneratorLoop {

  /** Who editor {@code index} is. */
  record Editor(int index, String cookie) {}

  /** Counters since the last {@link #resetWindow}, and the state of the editors now. */
  record State(LatencyHistogram ack, LatencyHistogram remote, long edits, long submits, long acks, long maxVersion,
      Map<String, Long> errors, Map<Integer, Long> closes, int open, int settled, long badStamps, List<String> texts) {}

  static final String FIELD = "summary";
  /** The field is kept around this many characters: above it, edits delete rather than insert. */
  private static final int TARGET_LENGTH = 1_500;
  private static final int STAMP_DIGITS = 9;

  private final List<Editor> editors;
  private final long profileId;
  private final String host;
  private final int port;
  private final String origin;
  private final long epochNanos;
  private final List<Ed> eds = new ArrayList<>();
  private WebSocketClient client;
  private LatencyHistogram ack = new LatencyHistogram();
  private LatencyHistogram remote = new LatencyHistogram();
  private long edits;
  private long submits;
  private long acks;
  private long maxVersion;
  private long badStamps;
  private final Map<String, Long> errors = new HashMap<>();
  private final Map<Integer, Long> closes = new HashMap<>();
  private boolean closedLoop;
  private boolean editing;

  /** One editor's socket and documents. */
  private final class Ed {
    final Editor who;
    final String clientId;
    final Random random;
    WebSocket ws;
    boolean open;
    Promise<Void> opened = Promise.promise();
    /** The field's text: the benchmark compares texts, so a plain buffer is the cheapest faithful copy. */
    StringBuilder doc = new StringBuilder();
    long version;
    Delta inflight;
    long inflightSeq;
    final Map<Long, Long> sentAt = new HashMap<>();
    Delta buffer;
    long nextSeq = 1;
    long nextRequest = 1;
    long timer = -1;

    Ed(Editor who, String runTag) {
      this.who = who;
      this.clientId = "bench-" + runTag + "-" + who.index();
      this.random = new Random(31L * who.index() + runTag.hashCode());
    }
  }

  ProfileEditorLoop(List<Editor> editors, long profileId, String host, int port, String origin, long epochNanos) {
    this.editors = editors;
    this.profileId = profileId;
    this.host = host;
    this.port = port;
    this.origin = origin;
    this.epochNanos = epochNanos;
  }

  @Override
  public Future<?> start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(editors.size() + 16)
        .setConnectTimeout(30_000)
        .setClosingTimeout(2)
        .setMaxFrameSize(4 * 1024 * 1024)
        .setMaxMessageSize(16 * 1024 * 1024));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    editing = false;
    for (Ed e : eds) {
      vertx.cancelTimer(e.timer);
    }
    return client.close();
  }

  // --- connecting ---------------------------------------------------------------------------------

  /** Connects every editor of this loop and opens the profile; done when all have the document. */
  Future<Void> openAll(String runTag) {
    List<Future<Void>> all = new ArrayList<>();
    for (Editor who : editors) {
      Ed e = new Ed(who, runTag);
      eds.add(e);
      all.add(connect(e));
    }
    return Future.all(new ArrayList<>(all)).mapEmpty();
  }

  private Future<Void> connect(Ed e) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws")
        .addHeader("Origin", origin).addHeader("Cookie", "werkraum_session=" + e.who.cookie());
    return client.connect(options).compose(ws -> {
      e.ws = ws;
      e.open = true;
      ws.textMessageHandler(text -> guarded(() -> onFrame(e, text)));
      ws.exceptionHandler(x -> { });
      ws.closeHandler(v -> {
        e.open = false;
        closes.merge((int) (ws.closeStatusCode() == null ? -1 : ws.closeStatusCode()), 1L, Long::sum);
        e.opened.tryFail("closed before the profile opened");
      });
      ws.writeTextMessage(new JsonObject().put("type", "profile_open").put("id", "open").put("profile", profileId).encode());
      return e.opened.future();
    });
  }

  // --- editing ------------------------------------------------------------------------------------

  /**
   * Open loop: every editor edits {@code perSecond} times a second (first edit at a random moment of the
   * period). Closed loop: every editor edits again as soon as its previous edit is committed.
   */
  Future<Void> startEditing(double perSecond, boolean closed) {
    editing = true;
    closedLoop = closed;
    for (Ed e : eds) {
      if (closed) {
        edit(e);
      } else {
        long period = Math.max(1, Math.round(1000 / perSecond));
        e.timer = vertx.setTimer(1 + e.random.nextInt((int) period), t -> {
          e.timer = vertx.setPeriodic(period, p -> guarded(() -> edit(e)));
          guarded(() -> edit(e));
        });
      }
    }
    return Future.succeededFuture();
  }

  Future<Void> stopEditing() {
    editing = false;
    for (Ed e : eds) {
      vertx.cancelTimer(e.timer);
      e.timer = -1;
    }
    return Future.succeededFuture();
  }

  /** A local edit: an insert stamped with the time, or (when the field is long) a short delete. */
  private void edit(Ed e) {
    if (!editing || !e.open) {
      return;
    }
    int length = e.doc.length();
    Delta change;
    if (length > TARGET_LENGTH && e.random.nextInt(3) > 0) {
      int at = e.random.nextInt(length - 20);
      change = Delta.builder().retain(at).delete(1 + e.random.nextInt(20)).build();
    } else {
      int at = e.random.nextInt(length + 1);
      change = Delta.builder().retain(at).insert(stamp(System.nanoTime())).build();
    }
    edits++;
    apply(e.doc, change);
    if (e.inflight == null) {
      e.inflight = change;
      e.inflightSeq = e.nextSeq++;
      send(e);
    } else {
      e.buffer = e.buffer == null ? change : e.buffer.compose(change);
    }
  }

  /** Runs a handler; what it throws is counted as an error of the run, not lost in a log. */
  private void guarded(Runnable handler) {
    try {
      handler.run();
    } catch (RuntimeException x) {
      errors.merge("exception " + x.getClass().getSimpleName() + ": " + x.getMessage(), 1L, Long::sum);
    }
  }

  private void send(Ed e) {
    long id = e.nextRequest++;
    e.sentAt.put(id, System.nanoTime());
    submits++;
    e.ws.writeTextMessage(new JsonObject().put("type", "profile_submit").put("id", id).put("profile", profileId)
        .put("field", FIELD).put("delta", DeltaCodec.write(e.inflight)).put("baseVersion", e.version)
        .put("client", e.clientId).put("seq", e.inflightSeq).encode());
  }

  private String stamp(long nanos) {
    String digits = Long.toString((nanos - epochNanos) / 1000, 36);
    return "~" + "0".repeat(Math.max(0, STAMP_DIGITS - digits.length())) + digits + ";";
  }

  // --- receiving ----------------------------------------------------------------------------------

  private void onFrame(Ed e, String text) {
    long now = System.nanoTime();
    JsonObject f = new JsonObject(text);
    switch (f.getString("type")) {
      case "profile_ops" -> {
        for (Object o : f.getJsonArray("ops")) {
          receive(e, (JsonObject) o, now);
        }
      }
      case "ack" -> {
        if ("open".equals(f.getValue("id"))) {
          JsonObject result = f.getJsonObject("result");
          e.doc = new StringBuilder(DeltaCodec.read(result.getJsonObject("fields").getJsonArray(FIELD)).text());
          e.version = result.getLong("version");
          maxVersion = Math.max(maxVersion, e.version);
          e.opened.tryComplete();
        } else {
          Long sent = e.sentAt.remove(((Number) f.getValue("id")).longValue());
          if (sent != null) {
            acks++;
            ack.record((now - sent) / 1000);
          }
        }
      }
      case "error" -> {
        errors.merge(f.getString("code"), 1L, Long::sum);
        e.opened.tryFail(f.getString("code"));
      }
      default -> { }
    }
  }

  private void receive(Ed e, JsonObject op, long now) {
    long v = op.getLong("version");
    if (v <= e.version) {
      return;
    }
    if (v != e.version + 1) {
      errors.merge("gap", 1L, Long::sum);
    }
    e.version = v;
    maxVersion = Math.max(maxVersion, v);
    if (e.inflight != null && e.clientId.equals(op.getString("client")) && op.getLong("seq") == e.inflightSeq) {
      e.inflight = null;
      if (e.buffer != null) {
        e.inflight = e.buffer;
        e.buffer = null;
        e.inflightSeq = e.nextSeq++;
        send(e);
      } else if (closedLoop) {
        edit(e);
      }
      return;
    }
    Delta delta = plain(op.getJsonArray("delta"));
    recordArrival(delta, now);
    // Inserts at one index: the editor whose client id sorts first goes first (docs/protocol.md).
    boolean remoteFirst = Delta.firstAtTie(op.getString("client"), e.clientId);
    if (e.inflight != null) {
      Delta next = delta.transform(e.inflight, remoteFirst);
      delta = e.inflight.transform(delta, !remoteFirst);
      e.inflight = next;
    }
    if (e.buffer != null) {
      Delta next = delta.transform(e.buffer, remoteFirst);
      delta = e.buffer.transform(delta, !remoteFirst);
      e.buffer = next;
    }
    apply(e.doc, delta);
  }

  /**
   * A received change without its formats (the author stamps): the editors compare texts, and formats
   * never move text, so the generator spares itself copying them.
   */
  private static Delta plain(io.vertx.core.json.JsonArray ops) {
    Delta.Builder b = Delta.builder();
    for (int i = 0; i < ops.size(); i++) {
      JsonObject o = ops.getJsonObject(i);
      Object insert = o.getValue("insert");
      if (insert != null) {
        b.insert(insert.toString());
      } else if (o.containsKey("retain")) {
        b.retain(o.getInteger("retain"));
      } else {
        b.delete(o.getInteger("delete"));
      }
    }
    return b.build();
  }

  /** Applies a change to the text (formats do not matter to the text). */
  private static void apply(StringBuilder text, Delta change) {
    int at = 0;
    for (Op op : change.ops()) {
      if (op.isRetain()) {
        at += op.length();
      } else if (op.isInsert()) {
        text.insert(at, op.text());
        at += op.length();
      } else {
        text.delete(at, at + op.length());
      }
    }
  }

  /** Remote arrival: for every stamp in the op's inserted text, now minus the moment it was typed. */
  private void recordArrival(Delta delta, long now) {
    long nowMicros = (now - epochNanos) / 1000;
    for (Op op : delta.ops()) {
      if (!op.isInsert()) {
        continue;
      }
      String s = op.text();
      for (int i = s.indexOf('~'); i >= 0; i = s.indexOf('~', i + 1)) {
        int end = i + 1 + STAMP_DIGITS;
        if (end < s.length() && s.charAt(end) == ';') {
          try {
            long typed = Long.parseLong(s, i + 1, end, 36);
            if (typed <= nowMicros && nowMicros - typed < 600_000_000L) {
              remote.record(nowMicros - typed);
              continue;
            }
          } catch (NumberFormatException cut) {
            // a stamp cut by a delete: not counted
          }
        }
        badStamps++;
      }
    }
  }

  // --- reporting ----------------------------------------------------------------------------------

  Future<Void> resetWindow() {
    ack = new LatencyHistogram();
    remote = new LatencyHistogram();
    edits = 0;
    submits = 0;
    acks = 0;
    badStamps = 0;
    errors.clear();
    closes.clear();
    return Future.succeededFuture();
  }

  /** The counters, and (if asked) every editor's text of the field. */
  Future<State> state(boolean withTexts) {
    int open = 0;
    int settled = 0;
    List<String> texts = new ArrayList<>();
    for (Ed e : eds) {
      if (e.open) {
        open++;
      }
      if (e.inflight == null && e.buffer == null) {
        settled++;
      }
      if (withTexts) {
        texts.add(e.version + ":" + e.doc);
      }
    }
    return Future.succeededFuture(new State(ack, remote, edits, submits, acks, maxVersion, new HashMap<>(errors), new HashMap<>(closes),
        open, settled, badStamps, texts));
  }

  /** The lowest version any editor has applied. */
  Future<Long> lowestVersion() {
    return Future.succeededFuture(eds.stream().mapToLong(e -> e.version).min().orElse(Long.MAX_VALUE));
  }

  Future<Void> closeAll() {
    editing = false;
    List<Future<Void>> all = new ArrayList<>();
    for (Ed e : eds) {
      vertx.cancelTimer(e.timer);
      if (e.open) {
        all.add(e.ws.close());
      }
    }
    return Future.join(new ArrayList<>(all)).mapEmpty();
  }
}
