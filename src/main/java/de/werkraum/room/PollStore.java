package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL for live polls of a room: the poll, its options, one vote row per voter. Runs inside moderation transactions. */
final class PollStore {

  /** What a poll request asks for. */
  record PollDraft(String question, List<String> options, boolean multiple, boolean anonymous, Integer seconds) {}

  private static final String COLUMNS = """
      p.id, p.question, p.options, p.multiple, p.anonymous, p.closes_at,
      p.closed_at IS NOT NULL OR (p.closes_at IS NOT NULL AND p.closes_at <= now()), p.published, p.created_at, p.closed_at""";

  private PollStore() {}

  static Future<Long> create(SqlClient tx, long roomId, Participant by, PollDraft d) {
    return tx.preparedQuery("""
            INSERT INTO polls (room_id, question, options, multiple, anonymous, closes_at, created_by)
            VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(secs => $6::int) END, $7) RETURNING id""")
        .execute(Tuple.from(new Object[] {roomId, d.question(), new JsonArray(new ArrayList<>(d.options())), d.multiple(), d.anonymous(),
            d.seconds(), by.key()}))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The poll of the room, locked against concurrent votes and closing; fails unknown_poll. */
  static Future<JsonObject> locked(SqlClient tx, long roomId, long pollId) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM polls p WHERE p.id = $1 AND p.room_id = $2 FOR UPDATE")
        .execute(Tuple.of(pollId, roomId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ApiError(404, "unknown_poll", "There is no poll " + pollId + " in this room"))
            : Future.succeededFuture(poll(rows.iterator().next())));
  }

  /** Stores the voter's choices, replacing an earlier vote. */
  static Future<Void> vote(SqlClient tx, long pollId, Participant voter, int[] choices) {
    Integer[] boxed = new Integer[choices.length];
    for (int i = 0; i < choices.length; i++) {
      boxed[i] = choices[i];
    }
    return tx.preparedQuery("""
            INSERT INTO poll_votes (poll_id, voter, name, choices) VALUES ($1, $2, $3, $4)
            ON CONFLICT (poll_id, voter) DO UPDATE SET choices = EXCLUDED.choices, voted_at = now()""")
        .execute(Tuple.of(pollId, voter.key(), voter.name(), boxed))
        .mapEmpty();
  }

  static Future<Void> close(SqlClient tx, long pollId) {
    return tx.preparedQuery("UPDATE polls SET closed_at = coalesce(closed_at, now()) WHERE id = $1").execute(Tuple.of(pollId)).mapEmpty();
  }

  static Future<Void> publish(SqlClient tx, long pollId) {
    return tx.preparedQuery("UPDATE polls SET published = true WHERE id = $1").execute(Tuple.of(pollId)).mapEmpty();
  }

  /** Counts per option, number of voters, and (named polls) who chose each option. */
  static Future<JsonObject> results(SqlClient client, JsonObject poll) {
    return client.preparedQuery("SELECT choices, name FROM poll_votes WHERE poll_id = $1 ORDER BY voted_at, voter")
        .execute(Tuple.of(poll.getLong("id")))
        .map(rows -> {
          int n = poll.getJsonArray("options").size();
          long[] counts = new long[n];
          List<JsonArray> names = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            names.add(new JsonArray());
          }
          for (Row r : rows) {
            for (Integer c : r.getArrayOfIntegers(0)) {
              counts[c]++;
              names.get(c).add(r.getString(1));
            }
          }
          JsonArray countList = new JsonArray();
          for (long c : counts) {
            countList.add(c);
          }
          JsonObject results = new JsonObject().put("counts", countList).put("voters", rows.size());
          if (!poll.getBoolean("anonymous")) {
            results.put("names", new JsonArray(new ArrayList<>(names)));
          }
          return results;
        });
  }

  /** Every poll of the room, oldest first, with the participant's own choices. */
  static Future<List<JsonObject>> ofRoom(SqlClient client, long roomId, String participant) {
    return client.preparedQuery("SELECT " + COLUMNS + ", (SELECT v.choices FROM poll_votes v WHERE v.poll_id = p.id AND v.voter = $2)"
            + " FROM polls p WHERE p.room_id = $1 ORDER BY p.id LIMIT 200")
        .execute(Tuple.of(roomId, participant))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          for (Row r : rows) {
            JsonObject poll = poll(r);
            Integer[] mine = r.getArrayOfIntegers(10);
            poll.put("myChoices", mine == null ? null : new JsonArray(List.of((Object[]) mine)));
            list.add(poll);
          }
          return list;
        });
  }

  private static JsonObject poll(Row r) {
    return new JsonObject().put("id", r.getLong(0)).put("question", r.getString(1)).put("options", (JsonArray) r.getValue(2))
        .put("multiple", r.getBoolean(3)).put("anonymous", r.getBoolean(4))
        .put("closesAt", r.getOffsetDateTime(5) == null ? null : r.getOffsetDateTime(5).toInstant().toString())
        .put("closed", r.getBoolean(6)).put("published", r.getBoolean(7))
        .put("createdAt", r.getOffsetDateTime(8).toInstant().toString());
  }
}
