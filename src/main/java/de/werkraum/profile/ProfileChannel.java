package de.werkraum.profile;

import de.werkraum.account.CurrentUser;
import de.werkraum.account.Participant;
import de.werkraum.web.socket.AccessChange;
import de.werkraum.web.socket.Connection;
import de.werkraum.web.socket.DeliveryGate;
import de.werkraum.web.socket.Presence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One profile as seen by one gateway instance: its single event-bus consumer, the instance's sockets
 * that have the profile open, and delivery of committed ops strictly in version order (a frame may carry
 * several ops; a gap is filled from the database after a short wait). Changes of status and tags
 * ({@code profile_meta}) come on the same address; only the newest (by metaVersion) is passed on.
 * Cursors of the instance's editors are relayed together ({@link ProfileCursors}). Owned by one event loop.
 */
final class ProfileChannel {

  static final long GAP_WAIT_MS = 150;

  static String address(long profileId) {
    return "profile." + profileId;
  }

  /** Tells every node that the profile's status or tags changed (after the change committed). */
  static void publishMeta(Vertx vertx, long profileId, JsonObject meta, CurrentUser by) {
    JsonObject frame = new JsonObject().put("type", "profile_meta").put("profile", profileId)
        .put("status", meta.getString("status")).put("tags", meta.getJsonArray("tags"))
        .put("metaVersion", meta.getInteger("metaVersion")).put("updatedAt", meta.getString("updatedAt"))
        .put("by", new JsonObject().put("userId", by.id()).put("name", by.displayName()));
    vertx.eventBus().publish(address(profileId), frame.encode());
  }

  /** A socket with the profile open: the last version it has, and frames held while it catches up. */
  static final class Subscriber {
    final Connection connection;
    /** Everything live goes through it: it holds frames while the socket's right to the profile is re-checked. */
    final DeliveryGate gate;
    long version;
    List<JsonObject> held = new ArrayList<>();

    Subscriber(Connection connection) {
      this.connection = connection;
      this.gate = new DeliveryGate(connection);
    }

    boolean live() {
      return held == null;
    }
  }

  final long profileId;
  final long spaceId;
  private final Vertx vertx;
  private final ProfileStore store;
  private final Map<Connection, Subscriber> subscribers = new LinkedHashMap<>();
  private final TreeMap<Long, Frame> early = new TreeMap<>();
  private final MessageConsumer<String> consumer;
  private final Future<Void> ready;
  private final Presence presence;
  private final ProfileCursors cursors;
  private final Consumer<Connection> lostAccess;
  private long delivered = -1;
  private long gapTimer = -1;
  /** Frames in order, not yet sent because the last send was less than {@link #interval} ago. */
  private final List<Frame> coalescing = new ArrayList<>();
  private long coalesceTimer = -1;
  private long lastSentNanos;
  private int pendingOpens;
  /** The newest status and tags this channel knows: {@code {"status","tags","metaVersion"}}. */
  private JsonObject meta;

  ProfileChannel(Vertx vertx, ProfileStore store, long profileId, long spaceId, long committedVersion, String instanceId,
      ProfileEditing editing, Consumer<Connection> lostAccess) {
    this.vertx = vertx;
    this.store = store;
    this.profileId = profileId;
    this.spaceId = spaceId;
    this.lostAccess = lostAccess;
    this.consumer = vertx.eventBus().consumer(address(profileId), this::onFrame);
    this.presence = new Presence(vertx, address(profileId) + ".presence", instanceId,
        editors -> new JsonObject().put("type", "profile_presence").put("profile", profileId).put("editors", editors).encode(),
        this::sendToLive, editors -> editing.update(profileId, instanceId, editors));
    // Sockets on the profile: those here, or (when the editors are spread over instances) one per editor.
    this.cursors = new ProfileCursors(vertx, profileId, presence::relay, () -> Math.max(subscribers.size(), presence.size()));
    this.ready = Future.all(consumer.completion(), presence.start()).compose(v -> store.access(profileId, 0)).map(row -> {
      delivered = row == null ? committedVersion : row.getLong("version");
      if (row != null) {
        newerMeta(row);
      }
      drainEarly();
      return null;
    });
  }

  Future<Void> ready() {
    return ready;
  }

  boolean isEmpty() {
    return subscribers.isEmpty() && pendingOpens == 0;
  }

  void openStarting() {
    pendingOpens++;
  }

  void openSettled() {
    pendingOpens--;
  }

  Subscriber subscriber(Connection c) {
    return subscribers.get(c);
  }

  Subscriber add(Connection c) {
    Subscriber s = new Subscriber(c);
    subscribers.put(c, s);
    return s;
  }

  void goLive(Subscriber s) {
    for (JsonObject frame : s.held) {
      sendNewer(s, frame, null);
    }
    s.held = null;
    Participant p = s.connection.participant();
    if (!presence.has(p.key())) {
      presence.put(p.key(), editor(p, null));
    }
    s.gate.send(new JsonObject().put("type", "profile_presence").put("profile", profileId).put("editors", presence.merged()).encode());
  }

  /** A cursor or selection moved: the editor's field is updated, the cursor relayed with the others' (see ProfileCursors). */
  void cursor(Participant p, String field, long index, long length, long version) {
    presence.put(p.key(), editor(p, field));
    cursors.moved(p.key(), new JsonObject()
        .put("participant", new JsonObject().put("key", p.key()).put("name", p.name()).put("userId", p.userId()).put("color", color(p)))
        .put("field", field).put("index", index).put("length", length).put("version", version));
  }

  void remove(Connection c) {
    Subscriber s = subscribers.remove(c);
    if (s != null && s.live()) {
      boolean stillHere = subscribers.keySet().stream().anyMatch(o -> o.participant().key().equals(c.participant().key()));
      if (!stillHere) {
        cursors.left(c.participant().key());
        presence.remove(c.participant().key());
      }
    }
  }

  void close() {
    vertx.cancelTimer(gapTimer);
    vertx.cancelTimer(coalesceTimer);
    cursors.close();
    consumer.unregister();
    presence.stop();
  }

  private static JsonObject editor(Participant p, String field) {
    return new JsonObject().put("key", p.key()).put("name", p.name()).put("userId", p.userId()).put("color", color(p)).put("field", field);
  }

  /** A participant's stable colour, from a palette readable on white. */
  static String color(Participant p) {
    String[] palette = {"#b3261e", "#1d6b2f", "#0b57d0", "#8a3ffc", "#a15c00", "#00677f", "#c2185b", "#5d4037", "#3949ab", "#2e7d32", "#6d4c41", "#ad1457"};
    return palette[(int) (Math.abs(p.userId() == null ? p.key().hashCode() : p.userId()) % palette.length)];
  }

  private void sendToLive(String frame) {
    for (Subscriber s : subscribers.values()) {
      if (s.live()) {
        s.gate.send(frame);
      }
    }
  }

  /**
   * Someone's right to the profile may have ended: holds everything for the sockets concerned at once,
   * asks the database which of their accounts may still edit it, and takes the others out (an
   * {@code access_ended} frame, then nothing: no ops, cursors, presence or status). If the database
   * cannot answer, they are taken out too: they may open it again.
   */
  void recheck(AccessChange change) {
    List<Subscriber> concerned = new ArrayList<>();
    for (Subscriber s : subscribers.values()) {
      if (change.concerns(s.connection.participant().key())) {
        concerned.add(s);
        s.gate.hold();
      }
    }
    if (concerned.isEmpty()) {
      return;
    }
    List<Long> users = concerned.stream().map(s -> s.connection.participant().userId()).distinct().toList();
    store.editors(profileId, users).onComplete(result -> {
      if (result.failed()) {
        org.slf4j.LoggerFactory.getLogger(ProfileChannel.class).warn("right to edit not re-checked profile={}", profileId, result.cause());
      }
      java.util.Set<Long> allowed = result.succeeded() ? result.result() : java.util.Set.of();
      for (Subscriber s : concerned) {
        if (subscribers.get(s.connection) != s) {
          continue;
        }
        if (allowed.contains(s.connection.participant().userId())) {
          s.gate.checked();
        } else {
          s.gate.drop();
          s.connection.send(AccessChange.notice("profile", profileId, change.reason()));
          lostAccess.accept(s.connection);
        }
      }
    });
  }

  /** The frame of committed ops after {@code version}, as sent to a socket that has up to it. */
  static JsonObject frame(long profileId, List<ProfileStore.CommittedOp> ops) {
    return new JsonObject().put("type", "profile_ops").put("profile", profileId).put("ops", ProfileStore.toJson(ops));
  }

  private void onFrame(Message<String> msg) {
    String body = msg.body();
    JsonObject frame = new JsonObject(body);
    if ("profile_meta".equals(frame.getString("type"))) {
      if (newerMeta(frame)) {
        sendToLive(body);
      }
    } else {
      accept(new Frame(frame, body));
    }
  }

  /** A frame of ops, with its text when it came encoded (sent on as it is, not encoded again). */
  private record Frame(JsonObject json, String encoded) {
    String text() {
      return encoded != null ? encoded : json.encode();
    }
  }

  /** Keeps the metadata if newer than what the channel knows (frames from two nodes may cross). */
  private boolean newerMeta(JsonObject source) {
    Integer version = source.getInteger("metaVersion");
    if (version == null || (meta != null && meta.getInteger("metaVersion") >= version)) {
      return false;
    }
    meta = new JsonObject().put("status", source.getString("status")).put("tags", source.getJsonArray("tags"))
        .put("metaVersion", version);
    return true;
  }

  /**
   * Status, tags and metaVersion for an open's answer: the newer of the row read while opening and
   * what the channel has heard since (a change between the two went only to live sockets).
   */
  JsonObject metaFor(JsonObject row) {
    return meta != null && meta.getInteger("metaVersion") > row.getInteger("metaVersion") ? meta.copy()
        : new JsonObject().put("status", row.getString("status")).put("tags", row.getJsonArray("tags"))
            .put("metaVersion", row.getInteger("metaVersion"));
  }

  private void accept(JsonObject frame) {
    accept(new Frame(frame, null));
  }

  private void accept(Frame f) {
    JsonObject frame = f.json();
    JsonArray ops = frame.getJsonArray("ops");
    long first = ops.getJsonObject(0).getLong("version");
    long last = ops.getJsonObject(ops.size() - 1).getLong("version");
    if (delivered < 0) {
      early.put(first, f);
      return;
    }
    if (last <= delivered) {
      return;
    }
    if (first <= delivered + 1) {
      deliver(f, last);
      drainEarly();
      return;
    }
    early.put(first, f);
    if (gapTimer < 0) {
      gapTimer = vertx.setTimer(GAP_WAIT_MS, t -> fillGap());
    }
  }

  private void drainEarly() {
    while (!early.isEmpty() && early.firstKey() <= delivered + 1) {
      Frame f = early.pollFirstEntry().getValue();
      JsonArray ops = f.json().getJsonArray("ops");
      long last = ops.getJsonObject(ops.size() - 1).getLong("version");
      if (last > delivered) {
        deliver(f, last);
      }
    }
  }

  private void fillGap() {
    gapTimer = -1;
    if (early.isEmpty() || early.firstKey() <= delivered + 1) {
      drainEarly();
      return;
    }
    int missing = (int) (early.firstKey() - delivered - 1);
    store.opsSince(profileId, delivered, missing).onSuccess(ops -> {
      if (!ops.isEmpty()) {
        accept(frame(profileId, ops));
      }
      drainEarly();
    });
  }

  /**
   * The least time between two frames of ops to the same sockets, growing with their number (1 ms per 20
   * sockets, at most {@value #MAX_INTERVAL_MS} ms): a busy profile with many editors sends each of them one
   * frame per interval with every op committed meanwhile, instead of one per commit. With few editors, none.
   */
  long interval() {
    return Math.min(MAX_INTERVAL_MS, subscribers.size() / 20);
  }

  static final long MAX_INTERVAL_MS = 40;

  private void deliver(Frame f, long last) {
    delivered = last;
    long now = System.nanoTime();
    long waitMs = interval() - (now - lastSentNanos) / 1_000_000;
    if (coalescing.isEmpty() && waitMs <= 0) {
      lastSentNanos = now;
      distribute(f);
      return;
    }
    coalescing.add(f);
    if (coalesceTimer < 0) {
      coalesceTimer = vertx.setTimer(Math.max(1, waitMs), t -> {
        coalesceTimer = -1;
        lastSentNanos = System.nanoTime();
        JsonArray ops = new JsonArray();
        for (Frame part : coalescing) {
          ops.addAll(part.json().getJsonArray("ops"));
        }
        coalescing.clear();
        distribute(new Frame(new JsonObject().put("type", "profile_ops").put("profile", profileId).put("ops", ops), null));
      });
    }
  }

  private void distribute(Frame f) {
    String encoded = null;
    for (Subscriber s : subscribers.values()) {
      if (s.live()) {
        if (encoded == null) {
          encoded = f.text();
        }
        sendNewer(s, f.json(), encoded);
      } else {
        s.held.add(f.json());
      }
    }
  }

  /** Sends the ops of the frame the socket does not have yet (the whole frame, encoded once, when it has none of them). */
  private static void sendNewer(Subscriber s, JsonObject frame, String encoded) {
    JsonArray ops = frame.getJsonArray("ops");
    long first = ops.getJsonObject(0).getLong("version");
    long last = ops.getJsonObject(ops.size() - 1).getLong("version");
    if (last <= s.version) {
      return;
    }
    if (first > s.version) {
      s.gate.send(encoded != null ? encoded : frame.encode());
    } else {
      JsonArray newer = new JsonArray();
      for (Object o : ops) {
        if (((JsonObject) o).getLong("version") > s.version) {
          newer.add(o);
        }
      }
      s.gate.send(frame.copy().put("ops", newer).encode());
    }
    s.version = last;
  }
}
