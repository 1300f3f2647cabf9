package de.werkraum.profile;

import de.werkraum.account.Participant;
import de.werkraum.ot.Delta;
import de.werkraum.web.ApiError;
import de.werkraum.web.WriteLimits;
import de.werkraum.web.WriteLimits.Kind;
import de.werkraum.web.socket.AccessChange;
import de.werkraum.web.socket.Connection;
import de.werkraum.web.socket.Request;
import de.werkraum.web.socket.SocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The profile requests of the WebSocket protocol, for one gateway instance (see docs/protocol.md). */
public final class ProfileSocketHandler implements SocketHandler {

  public static final int MAX_PROFILES_PER_CONNECTION = 20;
  public static final int MAX_CATCH_UP_OPS = 5_000;
  public static final int MAX_CLIENT_ID = 64;

  private final Vertx vertx;
  private final ProfileStore store;
  private final ProfileEngines engines;
  private final Map<Long, ProfileChannel> channels = new HashMap<>();
  private final Map<Connection, Set<Long>> open = new HashMap<>();
  /** Which open of a profile on a connection is the current one: a newer open supersedes an older one still on its way. */
  private final Map<Connection, Map<Long, Long>> generations = new HashMap<>();
  private long nextGeneration;
  /** How many changes of rights this instance has heard of (an open in progress checks again if one came). */
  private long accessChanges;
  private final ProfileEditing editing;
  private final WriteLimits limits;
  private final String instanceId = java.util.UUID.randomUUID().toString();

  public ProfileSocketHandler(Vertx vertx, Pool pool, ProfileEngines engines, ProfileEditing editing, WriteLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.store = new ProfileStore(pool);
    this.engines = engines;
    this.editing = editing;
  }

  @Override
  public Set<String> types() {
    return Set.of("profile_open", "profile_close", "profile_submit", "profile_cursor");
  }

  @Override
  public void handle(Connection c, Request r) {
    switch (r.type()) {
      case "profile_open" -> openProfile(c, r);
      case "profile_close" -> {
        close(c, r.id("profile"));
        c.ack(r, new JsonObject());
      }
      case "profile_submit" -> submit(c, r);
      case "profile_cursor" -> {
        long profile = r.id("profile");
        String field = r.text("field");
        ProfileFields.checkField(field);
        long index = r.id("index");
        Long length = r.optionalId("length");
        long version = r.id("version");
        Set<Long> mine = open.get(c);
        ProfileChannel channel = channels.get(profile);
        if (mine == null || !mine.contains(profile) || channel == null || channel.subscriber(c) == null || !channel.subscriber(c).live()) {
          throw new ApiError(409, "not_open", "Open profile " + profile + " first");
        }
        limits.check(Kind.PROFILE_CURSOR, c.participant().key(), profile);
        channel.cursor(member(c), field, index, length == null ? 0 : length, version);
        c.ack(r, new JsonObject());
      }
      default -> throw new ApiError(400, "unknown_type", "Unknown request type '" + r.type() + "'");
    }
  }

  private void submit(Connection c, Request r) {
    long profile = r.id("profile");
    String field = r.text("field");
    ProfileFields.checkField(field);
    if (r.body().getValue("delta") == null) {
      throw ApiError.missing("delta");
    }
    Delta delta = DeltaCodec.read(r.body().getValue("delta"), DeltaCodec.MAX_OPS);
    long base = r.id("baseVersion");
    String client = r.text("client");
    if (client.isEmpty() || client.length() > MAX_CLIENT_ID) {
      throw ApiError.invalid("client", "must have 1 to " + MAX_CLIENT_ID + " characters");
    }
    long seq = r.id("seq");
    Participant p = member(c);
    Set<Long> mine = open.get(c);
    if (mine == null || !mine.contains(profile)) {
      throw new ApiError(409, "not_open", "Open profile " + profile + " first");
    }
    Delta stamped = ProfileFields.checkAndStamp(field, delta, p.key());
    // The right to edit is checked in the commit itself (see ProfileStore.commit); an answer without a
    // commit (a resubmit of an edit already stored) checks it here.
    c.reply(r, limitedSubmit(p, profile, field, stamped, base, client, seq)
        .compose(result -> result.duplicate() ? allowed(p, profile).map(row -> result) : Future.succeededFuture(result))
        .map(result -> new JsonObject().put("version", result.version()).put("duplicate", result.duplicate())));
  }

  /**
   * A submit within the editor's limit; over it, a resubmit of an edit committed earlier is still answered
   * with its version (a duplicate), anything else is refused. A resubmit answered as a duplicate does not count.
   */
  private Future<ProfileEngine.Result> limitedSubmit(Participant p, long profile, String field, Delta delta, long base, String client,
      long seq) {
    ApiError limited = limits.take(Kind.PROFILE_SUBMIT, p.key(), profile);
    if (limited != null) {
      return store.versionOf(profile, client, seq).compose(version -> version != null
          ? Future.succeededFuture(new ProfileEngine.Result(version, true)) : Future.failedFuture(limited));
    }
    return engines.submit(profile, field, delta, base, client, seq, p.userId()).onSuccess(result -> {
      if (result.duplicate()) {
        limits.refund(Kind.PROFILE_SUBMIT, p.key(), profile);
      }
    });
  }

  private void openProfile(Connection c, Request r) {
    long profileId = r.id("profile");
    Long since = r.optionalId("since");
    Participant p = member(c);
    Set<Long> already = open.get(c);
    if (already != null && already.contains(profileId)) {
      close(c, profileId);
    } else if (already != null && already.size() >= MAX_PROFILES_PER_CONNECTION) {
      throw new ApiError(429, "too_many_profiles", "At most " + MAX_PROFILES_PER_CONNECTION + " profiles per connection");
    }
    // Fetched again: close() drops the set when it empties it.
    open.computeIfAbsent(c, k -> new HashSet<>()).add(profileId);
    long generation = ++nextGeneration;
    generations.computeIfAbsent(c, k -> new HashMap<>()).put(profileId, generation);
    long changesBefore = accessChanges;
    Future<JsonObject> result = allowed(p, profileId).compose(row -> {
      if (!current(c, profileId, generation)) {
        return Future.failedFuture(new ApiError(409, "superseded", "A newer profile_open of this profile replaced this one"));
      }
      ProfileChannel channel = channels.computeIfAbsent(profileId, id -> new ProfileChannel(vertx, store, id, row.getLong("spaceId"),
          row.getLong("version"), instanceId, editing, c2 -> close(c2, id)));
      channel.openStarting();
      return channel.ready().eventually(() -> {
        channel.openSettled();
        return Future.succeededFuture();
      }).compose(v -> {
        if (!c.isOpen() || !current(c, profileId, generation)) {
          return Future.failedFuture(new ApiError(409, "superseded", "A newer profile_open of this profile replaced this one"));
        }
        ProfileChannel.Subscriber sub = channel.add(c);
        // From here on the channel re-checks this socket at every change of rights; one that came after the
        // check above but before this socket was in the channel is caught by checking again.
        Future<?> stillAllowed = accessChanges == changesBefore ? Future.succeededFuture() : allowed(p, profileId);
        Future<JsonObject> start;
        if (since == null) {
          start = stillAllowed.compose(x -> engines.snapshot(profileId)).map(snap -> {
            sub.version = snap.getLong("version");
            return snap;
          });
        } else {
          start = stillAllowed.compose(x -> store.opsSince(profileId, since, MAX_CATCH_UP_OPS + 1)).compose(ops -> {
            if (ops.size() > MAX_CATCH_UP_OPS) {
              return Future.failedFuture(new ApiError(409, "resync_required",
                  "Too many edits missed; open the profile without since and offer unsent text back to the user"));
            }
            long current = ops.isEmpty() ? since : ops.get(ops.size() - 1).version();
            if (ops.isEmpty() && since > row.getLong("version")) {
              return Future.failedFuture(ApiError.invalid("since", "is ahead of the profile"));
            }
            if (!ops.isEmpty()) {
              c.send(ProfileChannel.frame(profileId, ops));
            }
            sub.version = current;
            return Future.succeededFuture(new JsonObject().put("version", current));
          });
        }
        return start.compose(answer -> {
          if (!c.isOpen() || channel.subscriber(c) != sub || !current(c, profileId, generation)) {
            return Future.failedFuture(new ApiError(409, "not_open", "The profile was closed while opening"));
          }
          channel.goLive(sub);
          answer.put("version", sub.version);
          return Future.succeededFuture(answer.put("profile", channel.metaFor(row).put("id", profileId)
              .put("spaceId", row.getLong("spaceId"))));
        });
      });
    });
    result.onFailure(e -> {
      if (current(c, profileId, generation)) {
        close(c, profileId);
      }
    });
    c.reply(r, result);
  }

  private boolean current(Connection c, long profileId, long generation) {
    Map<Long, Long> mine = generations.get(c);
    return mine != null && Long.valueOf(generation).equals(mine.get(profileId));
  }

  /** The profile's row if the participant may edit it now (checked against the database on every request). */
  private Future<JsonObject> allowed(Participant p, long profileId) {
    return store.access(profileId, p.userId()).compose(row -> {
      if (row == null) {
        return Future.failedFuture(ProfileStore.notFound());
      }
      if (!row.getBoolean("allowed")) {
        return Future.failedFuture(new ApiError(403, "forbidden", "Only members of the profile's space may open it"));
      }
      return Future.succeededFuture(row);
    });
  }

  private static Participant member(Connection c) {
    Participant p = c.participant();
    if (p.isGuest()) {
      throw new ApiError(403, "forbidden", "Guests cannot edit profiles");
    }
    return p;
  }

  private void close(Connection c, long profileId) {
    Map<Long, Long> gens = generations.get(c);
    if (gens != null) {
      gens.remove(profileId);
      if (gens.isEmpty()) {
        generations.remove(c);
      }
    }
    Set<Long> mine = open.get(c);
    if (mine != null) {
      mine.remove(profileId);
      if (mine.isEmpty()) {
        open.remove(c);
      }
    }
    ProfileChannel channel = channels.get(profileId);
    if (channel != null) {
      channel.remove(c);
      if (channel.isEmpty()) {
        channels.remove(profileId);
        channel.close();
      }
    }
  }

  @Override
  public void accessChanged(AccessChange change) {
    accessChanges++;
    for (ProfileChannel channel : List.copyOf(channels.values())) {
      if (change.covers(channel.spaceId, null)) {
        channel.recheck(change);
      }
    }
  }

  @Override
  public void closed(Connection c) {
    Set<Long> mine = open.get(c);
    if (mine != null) {
      for (Long id : List.copyOf(mine)) {
        close(c, id);
      }
    }
  }
}
