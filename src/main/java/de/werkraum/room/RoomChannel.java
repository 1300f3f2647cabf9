package de.werkraum.room;

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
 * One room as seen by one gateway instance: the single event-bus consumer for the room on this instance,
 * the instance's own sockets in the room, and strict in-order delivery by seq. Events that arrive out of
 * order wait briefly; a gap still open after {@link #GAP_WAIT_MS} is filled from the database (a published
 * seq implies every smaller seq is committed). Touched only on the owning instance's event loop.
 */
final class RoomChannel {

  static final long GAP_WAIT_MS = 150;

  /** A socket in the room: the last seq it has, and while it catches up, the live events held back. */
  static final class Subscriber {
    final Connection connection;
    /** Everything live goes through it: it holds frames while the socket's right to read is re-checked. */
    final DeliveryGate gate;
    String role;
    long seq;
    List<Map.Entry<Long, String>> held = new ArrayList<>();

    Subscriber(Connection connection) {
      this.connection = connection;
      this.gate = new DeliveryGate(connection);
    }

    boolean live() {
      return held == null;
    }
  }

  final long roomId;
  private final Vertx vertx;
  private final MessageStore store;
  private final Presence presence;
  private final Map<Connection, Subscriber> subscribers = new LinkedHashMap<>();
  private final TreeMap<Long, String> early = new TreeMap<>();
  private final MessageConsumer<String> events;
  private final MessageConsumer<JsonObject> notices;
  private final Consumer<Connection> evicted;
  private final Future<Void> ready;
  /** The participant list is shown only to moderators (a room control); others see moderators and themselves. */
  private boolean hideParticipants;
  private String lastPresenceFrame;
  private JsonArray lastPresence = new JsonArray();
  private long delivered = -1;
  private long gapTimer = -1;
  private int pendingJoins;
  /** The room's space, once read (null before). */
  private Long spaceId;

  RoomChannel(Vertx vertx, MessageStore store, long roomId, String instanceId, Consumer<Connection> evicted) {
    this.vertx = vertx;
    this.store = store;
    this.roomId = roomId;
    this.evicted = evicted;
    this.events = vertx.eventBus().consumer(Events.address(roomId), this::onEvent);
    this.notices = vertx.eventBus().consumer(Events.noticeAddress(roomId), msg -> onNotice(msg.body()));
    this.presence = new Presence(vertx, Events.presenceAddress(roomId), instanceId,
        members -> {
          lastPresence = members;
          lastPresenceFrame = presenceFrame(members);
          return lastPresenceFrame;
        },
        frame -> {
          if (frame == lastPresenceFrame) {
            sendPresence();
          } else {
            sendToLive(frame);
          }
        }, null);
    this.ready = Future.all(events.completion(), notices.completion(), presence.start())
        .compose(v -> store.channelStart(roomId))
        .map(start -> {
          hideParticipants = start.hideParticipants();
          spaceId = start.spaceId();
          delivered = start.lastSeq();
          drainEarly();
          return null;
        });
  }

  private String presenceFrame(JsonArray members) {
    return new JsonObject().put("type", "presence").put("room", roomId).put("members", members).encode();
  }

  static boolean moderates(String role) {
    return "moderator".equals(role) || "coordinator".equals(role) || "admin".equals(role);
  }

  /** The participant list as this socket may see it. */
  JsonArray presenceFor(Connection c, String role) {
    JsonArray all = presence.merged();
    if (!hideParticipants || moderates(role)) {
      return all;
    }
    JsonArray visible = new JsonArray();
    for (Object o : all) {
      JsonObject e = (JsonObject) o;
      if (moderates(e.getString("role")) || c.participant().key().equals(e.getString("key"))) {
        visible.add(e);
      }
    }
    return visible;
  }

  private void sendPresence() {
    for (Subscriber s : subscribers.values()) {
      if (s.live()) {
        s.gate.send(!hideParticipants || moderates(s.role) ? lastPresenceFrame : presenceFrame(presenceFor(s.connection, s.role)));
      }
    }
  }

  /** Moderation notices: to moderators, everyone, or one participant's sockets (which it may also take out of the room). */
  private void onNotice(JsonObject msg) {
    if (msg.containsKey("hideParticipants")) {
      boolean hide = msg.getBoolean("hideParticipants");
      if (hide != hideParticipants) {
        hideParticipants = hide;
        lastPresenceFrame = presenceFrame(presence.merged());
        sendPresence();
      }
      return;
    }
    String to = msg.getString("to");
    String frame = msg.getJsonObject("frame").encode();
    String role = msg.getString("role");
    boolean evict = msg.getBoolean("evict", false);
    for (Subscriber s : List.copyOf(subscribers.values())) {
      boolean match = ModerationService.EVERYONE.equals(to)
          || (ModerationService.MODERATORS.equals(to) && moderates(s.role))
          || s.connection.participant().key().equals(to);
      if (!match) {
        continue;
      }
      if (role != null) {
        s.role = role;
      }
      if (evict) {
        // Final: what the gate may hold (a re-check running) is never sent.
        s.gate.drop();
        s.connection.send(frame);
        s.connection.send(AccessChange.notice("room", roomId, msg.getString("reason")));
        evicted.accept(s.connection);
      } else {
        s.gate.send(frame);
      }
    }
  }

  Future<Void> ready() {
    return ready;
  }

  /** No sockets and no join on its way: the channel can be closed. */
  boolean isEmpty() {
    return subscribers.isEmpty() && pendingJoins == 0;
  }

  void joinStarting() {
    pendingJoins++;
  }

  void joinSettled() {
    pendingJoins--;
  }

  Subscriber subscriber(Connection c) {
    return subscribers.get(c);
  }

  /** Adds a socket in catching-up mode: live events are held for it until {@link #goLive}. */
  Subscriber add(Connection c) {
    Subscriber s = new Subscriber(c);
    subscribers.put(c, s);
    return s;
  }

  /** Sends the events held back during catch-up that the socket does not have yet, then delivers live. */
  void goLive(Subscriber s) {
    for (Map.Entry<Long, String> e : s.held) {
      if (e.getKey() > s.seq) {
        s.gate.send(forRecipient(e.getValue(), s.role, s.connection.participant().key()));
        s.seq = e.getKey();
      }
    }
    s.held = null;
    Participant p = s.connection.participant();
    if (!presence.has(p.key())) {
      presence.put(p.key(), presenceEntry(p, s.role));
    }
  }

  private static JsonObject presenceEntry(Participant p, String role) {
    JsonObject entry = new JsonObject().put("key", p.key()).put("name", p.name()).put("role", role).put("guest", p.isGuest());
    if (p.userId() != null) {
      entry.put("userId", p.userId());
    }
    return entry;
  }

  void remove(Connection c) {
    Subscriber s = subscribers.remove(c);
    if (s != null && s.live()) {
      boolean stillHere = subscribers.keySet().stream().anyMatch(o -> o.participant().key().equals(c.participant().key()));
      if (!stillHere) {
        presence.remove(c.participant().key());
      }
    }
  }

  void typing(Connection c) {
    Participant p = c.participant();
    presence.relay(new JsonObject().put("type", "typing").put("room", roomId)
        .put("participant", new JsonObject().put("key", p.key()).put("name", p.name())));
  }

  void close() {
    vertx.cancelTimer(gapTimer);
    events.unregister();
    notices.unregister();
    presence.stop();
  }

  private void onEvent(Message<String> msg) {
    long seq = Long.parseLong(msg.headers().get("seq"));
    accept(seq, msg.body());
  }

  private void accept(long seq, String frame) {
    if (delivered < 0) {
      early.put(seq, frame);
      return;
    }
    if (seq <= delivered) {
      return;
    }
    if (seq == delivered + 1) {
      deliver(seq, frame);
      drainEarly();
      return;
    }
    early.put(seq, frame);
    if (gapTimer < 0) {
      gapTimer = vertx.setTimer(GAP_WAIT_MS, t -> fillGap());
    }
  }

  private void drainEarly() {
    while (!early.isEmpty()) {
      long first = early.firstKey();
      if (first <= delivered) {
        early.pollFirstEntry();
      } else if (first == delivered + 1) {
        deliver(first, early.pollFirstEntry().getValue());
      } else {
        return;
      }
    }
  }

  private void fillGap() {
    gapTimer = -1;
    if (early.isEmpty() || early.firstKey() == delivered + 1) {
      drainEarly();
      return;
    }
    long from = delivered;
    int missing = (int) (early.firstKey() - delivered - 1);
    store.eventsSince(roomId, from, missing).onSuccess(list -> {
      for (JsonObject frame : list) {
        accept(frame.getLong("seq"), frame.encode());
      }
      drainEarly();
    });
  }

  private void deliver(long seq, String frame) {
    delivered = seq;
    boolean perRecipient = frame.contains(ROOM_STATE_MARK);
    for (Subscriber s : subscribers.values()) {
      if (!s.live()) {
        s.held.add(Map.entry(seq, frame));
      } else if (seq > s.seq) {
        s.seq = seq;
        s.gate.send(perRecipient ? forRecipient(frame, s.role, s.connection.participant().key()) : frame);
      }
    }
  }

  private static final String ROOM_STATE_MARK = "\"kind\":\"" + Events.ROOM_STATE + "\"";

  /**
   * An event as one participant may see it: while the participant list is hidden, a {@code room_state}
   * shows a participant who does not moderate only their own raised hand, and how many hands are up.
   */
  static String forRecipient(String frame, String role, String key) {
    if (!frame.contains(ROOM_STATE_MARK)) {
      return frame;
    }
    JsonObject event = new JsonObject(frame);
    JsonObject state = event.getJsonObject("state");
    return state == null ? frame : event.put("state", stateFor(state, role, key)).encode();
  }

  /** The moderation state as {@link #forRecipient} describes it. */
  static JsonObject stateFor(JsonObject state, String role, String key) {
    if (!state.getBoolean("hideParticipants", false) || moderates(role)) {
      return state;
    }
    io.vertx.core.json.JsonArray hands = state.getJsonArray("hands", new io.vertx.core.json.JsonArray());
    io.vertx.core.json.JsonArray own = new io.vertx.core.json.JsonArray();
    Integer place = null;
    for (int i = 0; i < hands.size(); i++) {
      if (key.equals(hands.getJsonObject(i).getString("key"))) {
        own.add(hands.getJsonObject(i));
        place = i + 1;
      }
    }
    return state.copy().put("hands", own).put("handCount", hands.size()).put("handPlace", place);
  }

  private void sendToLive(String frame) {
    for (Subscriber s : subscribers.values()) {
      if (s.live()) {
        s.gate.send(frame);
      }
    }
  }

  /** Whether a change of rights in this scope may concern this room. */
  boolean inScope(AccessChange change) {
    return change.covers(spaceId, roomId);
  }

  /**
   * Someone's right to read may have ended: holds everything for the sockets concerned at once (so nothing
   * published after the change reaches them), asks the database who of them may still read the room, and
   * takes the others out: an {@code access_ended} frame, then nothing. Those who stay get what was held,
   * with their role as it is now (a coordinator who became a member no longer gets moderators' notices).
   * If the database cannot answer, they are taken out too: they may join again.
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
    List<Participant> who = concerned.stream().map(s -> s.connection.participant()).distinct().toList();
    store.readers(roomId, who).onComplete(result -> {
      if (result.failed()) {
        org.slf4j.LoggerFactory.getLogger(RoomChannel.class).warn("right to read not re-checked room={}", roomId, result.cause());
      }
      Map<String, String> roles = result.succeeded() ? result.result() : Map.of();
      for (Subscriber s : concerned) {
        if (subscribers.get(s.connection) != s) {
          continue;
        }
        String role = roles.get(s.connection.participant().key());
        if (role == null) {
          s.gate.drop();
          s.connection.send(AccessChange.notice("room", roomId, change.reason()));
          evicted.accept(s.connection);
          continue;
        }
        if (s.role != null && !role.equals(s.role)) {
          s.role = role;
          JsonObject entry = presence.has(s.connection.participant().key()) ? presenceEntry(s.connection.participant(), role) : null;
          if (entry != null) {
            presence.put(entry.getString("key"), entry);
          }
        }
        s.gate.checked();
      }
    });
  }
}
