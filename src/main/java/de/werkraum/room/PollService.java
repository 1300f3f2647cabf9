package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.room.ModerationStore.Done;
import de.werkraum.room.ModerationStore.Log;
import de.werkraum.room.ModerationStore.Need;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

/**
 * The rules of live polls: moderators create, close and publish them; participants vote once (a new
 * vote replaces the old) until the poll closes. Runs through {@link ModerationService}'s transaction,
 * log and publishing.
 */
public final class PollService {

  private final ModerationService moderation;

  public PollService(ModerationService moderation) {
    this.moderation = moderation;
  }

  Future<JsonObject> createPoll(Participant p, long roomId, PollStore.PollDraft draft) {
    return moderation.run(p, roomId, Need.MODERATOR, true, (tx, space) -> PollStore.create(tx, roomId, p, draft)
        .compose(id -> PollStore.locked(tx, roomId, id))
        .map(poll -> new Done(new JsonObject().put("poll", poll), new Log("poll_create", null, null,
            new JsonObject().put("poll", poll.getLong("id")).put("question", draft.question()), null),
            new JsonObject().put("kind", Events.POLL).put("poll", poll), false)))
        .onSuccess(r -> {
          JsonObject poll = r.getJsonObject("poll");
          if (poll.getString("closesAt") != null) {
            announceClose(roomId, poll.getLong("id"), poll.getString("closesAt"));
          }
        });
  }

  /**
   * When a poll's time runs out, tells everyone ({@code poll_closed} with {@code expired: true}) unless a
   * moderator closed it before. Voting ends at {@code closesAt} in the database whatever happens here;
   * the timer lives on the node that created the poll.
   */
  private void announceClose(long roomId, long pollId, String closesAt) {
    long delay = Math.max(1, java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(closesAt)).toMillis() + 50);
    moderation.later(delay, () -> moderation.store.pool()
        .preparedQuery("SELECT 1 FROM polls WHERE id = $1 AND closed_at IS NULL").execute(Tuple.of(pollId))
        .onSuccess(rows -> {
          if (rows.size() > 0) {
            moderation.notice(roomId, ModerationService.EVERYONE, new JsonObject().put("kind", "poll_closed").put("poll", pollId)
                .put("expired", true));
          }
        }));
  }

  Future<JsonObject> vote(Participant p, long roomId, long pollId, int[] choices) {
    JsonObject[] after = new JsonObject[1];
    return moderation.run(p, roomId, Need.READER, true, (tx, space) -> PollStore.locked(tx, roomId, pollId).compose(poll -> {
          if (poll.getBoolean("closed")) {
            return Future.failedFuture(new ApiError(409, "poll_closed", "This poll is closed"));
          }
          int n = poll.getJsonArray("options").size();
          java.util.Set<Integer> seen = new java.util.HashSet<>();
          for (int c : choices) {
            if (c < 0 || c >= n || !seen.add(c)) {
              return Future.failedFuture(ApiError.invalid("choices", "must be distinct option numbers from 0 to " + (n - 1)));
            }
          }
          if (choices.length == 0 || (!poll.getBoolean("multiple") && choices.length != 1)) {
            return Future.failedFuture(ApiError.invalid("choices", poll.getBoolean("multiple") ? "must choose at least one option" : "must choose exactly one option"));
          }
          return PollStore.vote(tx, pollId, p, choices).compose(v -> PollStore.results(tx, poll)).map(results -> {
            after[0] = poll.put("results", results);
            return Done.of(new JsonObject().put("poll", pollId).put("choices", new JsonArray(java.util.Arrays.stream(choices).boxed().toList())), null, false);
          });
        }))
        .onSuccess(r -> pollResults(roomId, after[0]));
  }

  Future<JsonObject> closePoll(Participant p, long roomId, long pollId, boolean publish) {
    return moderation.run(p, roomId, Need.MODERATOR, false, (tx, space) -> PollStore.locked(tx, roomId, pollId).compose(poll -> {
          if (!publish && poll.getBoolean("closed")) {
            return Future.failedFuture(new ApiError(409, "poll_closed", "This poll is closed already"));
          }
          return (publish ? PollStore.publish(tx, pollId) : PollStore.close(tx, pollId))
              .compose(v -> PollStore.locked(tx, roomId, pollId))
              .compose(updated -> !updated.getBoolean("published") ? Future.succeededFuture(updated)
                  : PollStore.results(tx, updated).map(res -> updated.put("results", res)));
        })
        .map(poll -> new Done(new JsonObject().put("poll", poll), new Log(publish ? "poll_publish" : "poll_close", null, null,
            new JsonObject().put("poll", pollId), null), new JsonObject().put("kind", Events.POLL).put("poll", poll), false)));
  }

  /** The room's polls, with results where the participant may see them (moderators, or published polls). */
  Future<JsonObject> polls(Participant p, long roomId) {
    return moderation.run(p, roomId, Need.READER, false, (tx, space) -> tx.preparedQuery("SELECT " + RoomAccess.canModerate("r", "$2") + " FROM rooms r WHERE r.id = $1")
        .execute(Tuple.of(roomId, p.userId()))
        .compose(rows -> {
          boolean moderator = rows.iterator().next().getBoolean(0);
          return PollStore.ofRoom(tx, roomId, p.key()).compose(list -> {
            Future<Void> chain = Future.succeededFuture();
            for (JsonObject poll : list) {
              if (moderator || poll.getBoolean("published")) {
                chain = chain.compose(v -> PollStore.results(tx, poll).map(res -> {
                  poll.put("results", res);
                  return null;
                }));
              }
            }
            return chain.map(v -> Done.of(new JsonObject().put("polls", new JsonArray(new java.util.ArrayList<>(list))), null, false));
          });
        }));
  }

  private void pollResults(long roomId, JsonObject poll) {
    JsonObject frame = new JsonObject().put("kind", "poll_results").put("poll", poll.getLong("id")).put("results", poll.getJsonObject("results"));
    moderation.notice(roomId, poll.getBoolean("published") ? ModerationService.EVERYONE : ModerationService.MODERATORS, frame);
  }
}
