package de.werkraum.room;

import de.werkraum.account.CurrentUser;
import de.werkraum.account.Participant;
import de.werkraum.account.Roles;
import de.werkraum.room.ModerationStore.Acted;
import de.werkraum.room.ModerationStore.Done;
import de.werkraum.room.ModerationStore.Log;
import de.werkraum.room.ModerationStore.Need;
import de.werkraum.room.ModerationStore.Target;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import de.werkraum.web.socket.AccessChange;

/**
 * The rules of moderating a room: speaking order, participant controls, room controls, polls, reports
 * and session results. Each action is checked against the database, committed with its log entry, then
 * published (numbered room events for what everyone sees; unnumbered notices for moderators or one
 * participant), then acknowledged.
 */
public final class ModerationService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModerationService.class);

  public static final int MAX_REASON = 500;
  public static final int MAX_PINS = 50;
  public static final int MAX_SLOW_MODE_SECONDS = 3600;
  public static final int MAX_MUTE_SECONDS = 7 * 24 * 3600;

  public static final int LOG_PAGE_MAX = 200;

  private final Vertx vertx;
  private final Roles roles;
  final ModerationStore store;

  public ModerationService(Vertx vertx, Pool pool, Roles roles) {
    this.vertx = vertx;
    this.roles = roles;
    this.store = new ModerationStore(pool);
  }

  // ---- read over HTTP

  /** The room's moderation log, newest first: for the space's coordinators and admins. */
  Future<JsonObject> log(CurrentUser user, long roomId, Long before, int limit) {
    return store.roomInfo(roomId).compose(room -> room == null ? Future.failedFuture(ApiError.notFound("Room"))
            : roles.requireCoordinator(user, room.getLong("spaceId")))
        .compose(v -> store.logOf(roomId, before == null ? Long.MAX_VALUE : before, limit + 1))
        .map(list -> {
          boolean more = list.size() > limit;
          if (more) {
            list.remove(limit);
          }
          return new JsonObject().put("items", list).put("hasMore", more);
        });
  }

  /** The messages marked as results of a session, for anyone who may read its room. */
  Future<JsonObject> results(CurrentUser user, long sessionId) {
    return store.results(sessionId).compose(results -> results == null ? Future.failedFuture(ApiError.notFound("Session"))
        : store.pool().preparedQuery("SELECT " + RoomAccess.canRead("r", "$2", "NULL") + " FROM rooms r WHERE r.id = $1")
            .execute(Tuple.of(results.getLong("roomId"), user.id()))
            .compose(rows -> rows.iterator().next().getBoolean(0) ? Future.succeededFuture(results) : Future.failedFuture(ApiError.forbidden())));
  }

  /** The results as a Markdown document: a heading, the session's facts, one list item per result. */
  static String resultsMarkdown(JsonObject results) {
    StringBuilder md = new StringBuilder();
    md.append("# Ergebnisse: ").append(oneLine(results.getString("title"))).append("\n\n");
    md.append("- Innovationsraum: ").append(oneLine(results.getString("spaceName"))).append('\n');
    md.append("- Beginn: ").append(results.getString("startsAt")).append('\n');
    md.append("- Ende: ").append(results.getString("endsAt")).append("\n\n");
    JsonArray list = results.getJsonArray("results");
    if (list.isEmpty()) {
      md.append("_Keine Ergebnisse markiert._\n");
    }
    for (Object o : list) {
      JsonObject r = (JsonObject) o;
      String text = r.getString("text").strip().replace("\r\n", "\n").replace("\n", "\n  ");
      md.append("- ").append(text).append(" — ").append(oneLine(r.getString("author"))).append('\n');
    }
    return md.toString();
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  // ---- speaking order

  Future<JsonObject> raiseHand(Participant p, long roomId) {
    return run(p, roomId, Need.READER, true, (tx, space) -> tx.preparedQuery(
            "INSERT INTO room_hands (room_id, participant, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(roomId, p.key(), p.name()))
        .map(rows -> Done.of(new JsonObject(), null, rows.rowCount() == 1)));
  }

  Future<JsonObject> lowerHand(Participant p, long roomId) {
    return run(p, roomId, Need.READER, true, (tx, space) -> tx.preparedQuery("DELETE FROM room_hands WHERE room_id = $1 AND participant = $2")
        .execute(Tuple.of(roomId, p.key()))
        .map(rows -> Done.of(new JsonObject(), null, rows.rowCount() == 1)));
  }

  Future<JsonObject> giveFloor(Participant p, long roomId, String key) {
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> reader(tx, roomId, key)
        .compose(t -> tx.preparedQuery("UPDATE rooms SET floor_holder = $2, floor_holder_name = $3 WHERE id = $1")
            .execute(Tuple.of(roomId, t.key(), t.name()))
            .compose(v -> tx.preparedQuery("DELETE FROM room_hands WHERE room_id = $1 AND participant = $2").execute(Tuple.of(roomId, t.key())))
            .map(v -> Done.of(new JsonObject(), new Log("floor_give", t.key(), t.name(), null, null), true))));
  }

  Future<JsonObject> takeFloor(Participant p, long roomId) {
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> tx.preparedQuery(
            "UPDATE rooms r SET floor_holder = NULL, floor_holder_name = NULL FROM rooms old WHERE r.id = $1 AND old.id = r.id"
                + " RETURNING old.floor_holder, old.floor_holder_name")
        .execute(Tuple.of(roomId))
        .map(rows -> {
          var r = rows.iterator().next();
          return Done.of(new JsonObject(), new Log("floor_take", r.getString(0), r.getString(1), null, null), true);
        }));
  }

  Future<JsonObject> clearHands(Participant p, long roomId) {
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> tx.preparedQuery("DELETE FROM room_hands WHERE room_id = $1")
        .execute(Tuple.of(roomId))
        .map(rows -> Done.of(new JsonObject(), new Log("hands_clear", null, null, new JsonObject().put("hands", rows.rowCount()), null), true)));
  }

  // ---- room controls

  Future<JsonObject> setFlag(Participant p, long roomId, String action, String column, boolean on) {
    // column is one of our own constants, never client input.
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> tx.preparedQuery("UPDATE rooms SET " + column + " = $2 WHERE id = $1")
        .execute(Tuple.of(roomId, on))
        .map(v -> Done.of(new JsonObject(), new Log(action, null, null, new JsonObject().put("on", on), null), true)));
  }

  Future<JsonObject> slowMode(Participant p, long roomId, int seconds) {
    if (seconds < 0 || seconds > MAX_SLOW_MODE_SECONDS) {
      return Future.failedFuture(ApiError.invalid("seconds", "must be 0 (off) to " + MAX_SLOW_MODE_SECONDS));
    }
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> tx.preparedQuery("UPDATE rooms SET slow_mode_seconds = $2 WHERE id = $1")
        .execute(Tuple.of(roomId, seconds))
        .map(v -> Done.of(new JsonObject(), new Log("slow_mode", null, null, new JsonObject().put("seconds", seconds), null), true)));
  }

  Future<JsonObject> pin(Participant p, long roomId, long seq, boolean pinned) {
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> liveMessage(tx, roomId, seq).compose(author -> pinned
        ? tx.preparedQuery("SELECT count(*) FROM room_pins WHERE room_id = $1").execute(Tuple.of(roomId)).compose(rows -> {
            if (rows.iterator().next().getLong(0) >= MAX_PINS) {
              return Future.failedFuture(new ApiError(409, "too_many_pins", "At most " + MAX_PINS + " pinned messages; unpin one first"));
            }
            return tx.preparedQuery("INSERT INTO room_pins (room_id, message_seq, pinned_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(roomId, seq, p.key()));
          })
        : tx.preparedQuery("DELETE FROM room_pins WHERE room_id = $1 AND message_seq = $2").execute(Tuple.of(roomId, seq)))
        .map(v -> Done.of(new JsonObject(), new Log(pinned ? "pin" : "unpin", null, null, new JsonObject().put("message", seq), null), true)));
  }

  /** Removes any message: a tombstone for everyone; open reports of it are settled as removed. */
  Future<JsonObject> removeMessage(Participant p, long roomId, long seq, String reason) {
    JsonObject[] removed = new JsonObject[1];
    return run(p, roomId, Need.MODERATOR, false, (tx, space) -> liveMessage(tx, roomId, seq).compose(author -> tx.preparedQuery("""
                UPDATE messages SET deleted_at = now(), removed_by = $3, removed_by_name = $4, removal_reason = $5
                WHERE room_id = $1 AND seq = $2 RETURNING author, author_name""")
            .execute(Tuple.of(roomId, seq, p.key(), p.name(), reason))
            .compose(rows -> {
              var r = rows.iterator().next();
              removed[0] = new JsonObject().put("key", r.getString(0)).put("name", r.getString(1));
              return tx.preparedQuery("DELETE FROM reactions WHERE room_id = $1 AND message_seq = $2").execute(Tuple.of(roomId, seq));
            })
            .compose(v -> tx.preparedQuery("DELETE FROM room_pins WHERE room_id = $1 AND message_seq = $2").execute(Tuple.of(roomId, seq)))
            .compose(v -> tx.preparedQuery("""
                    UPDATE reports SET status = 'removed', resolved_by = $3, resolved_at = now()
                    WHERE room_id = $1 AND message_seq = $2 AND status = 'open' RETURNING id""")
                .execute(Tuple.of(roomId, seq, p.key())))
            .map(rows -> {
              JsonArray reports = new JsonArray();
              rows.forEach(r -> reports.add(r.getLong(0)));
              return new Done(new JsonObject().put("reports", reports),
                  new Log("remove_message", removed[0].getString("key"), removed[0].getString("name"),
                      new JsonObject().put("message", seq).put("reports", reports), reason),
                  new JsonObject().put("kind", Events.MESSAGE_REMOVED).put("message", new JsonObject().put("seq", seq)), false);
            })))
        .onSuccess(r -> {
          notice(roomId, removed[0].getString("key"), new JsonObject().put("kind", "message_removed").put("message", seq)
              .put("by", p.name()).put("reason", reason));
          notice(roomId, MODERATORS, new JsonObject().put("kind", "message_removed").put("message", seq).put("by", p.name()).put("reason", reason));
        });
  }

  Future<JsonObject> endSession(Participant p, long roomId) {
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> tx.preparedQuery("""
            UPDATE sessions SET starts_at = least(starts_at, now() - interval '1 millisecond'), ends_at = now()
            WHERE room_id = $1 RETURNING id""")
        .execute(Tuple.of(roomId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notASession())
            : Future.succeededFuture(Done.of(new JsonObject(), new Log("end_session", null, null,
                new JsonObject().put("session", rows.iterator().next().getLong(0)), null), true))))
        // Guests may read the room only while its session runs.
        .map(r -> {
          AccessChange.inRoom(roomId, "session_ended").publish(vertx);
          return r;
        });
  }

  // ---- participant controls

  Future<JsonObject> mute(Participant p, long roomId, String key, Integer seconds, boolean reactions, String reason) {
    if (seconds != null && (seconds < 1 || seconds > MAX_MUTE_SECONDS)) {
      return Future.failedFuture(ApiError.invalid("seconds", "must be 1 to " + MAX_MUTE_SECONDS + ", or absent for until lifted"));
    }
    JsonObject[] mute = new JsonObject[1];
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> notModerator(tx, roomId, key).compose(t -> tx.preparedQuery("""
                INSERT INTO room_mutes (room_id, participant, until, reason, with_reactions, muted_by)
                VALUES ($1, $2, CASE WHEN $3::int IS NULL THEN NULL ELSE now() + make_interval(secs => $3::int) END, $4, $5, $6)
                ON CONFLICT (room_id, participant) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason,
                  with_reactions = EXCLUDED.with_reactions, muted_by = EXCLUDED.muted_by, created_at = now()
                RETURNING until""")
            .execute(Tuple.of(roomId, t.key(), seconds, reason, reactions, p.key()))
            .map(rows -> {
              var until = rows.iterator().next().getOffsetDateTime(0);
              mute[0] = new JsonObject().put("kind", "muted").put("participant", t.key()).put("name", t.name())
                  .put("until", until == null ? null : until.toInstant().toString()).put("reason", reason).put("reactions", reactions);
              return Done.of(new JsonObject().put("until", mute[0].getString("until")), new Log("mute", t.key(), t.name(),
                  new JsonObject().put("seconds", seconds).put("until", mute[0].getString("until")).put("reactions", reactions), reason), false);
            })))
        .onSuccess(r -> {
          notice(roomId, mute[0].getString("participant"), mute[0]);
          notice(roomId, MODERATORS, mute[0]);
          if (seconds != null) {
            announceMuteEnd(roomId, mute[0].getString("participant"), mute[0].getString("until"));
          }
        });
  }

  /**
   * When a timed mute runs out, tells the participant and the moderators ({@code unmuted} with
   * {@code expired: true}) — unless it was lifted or replaced meanwhile. The mute ends in the database at
   * {@code until} whatever happens here; this timer lives on the node that muted (a restart loses it, and
   * clients still have {@code until}).
   */
  private void announceMuteEnd(long roomId, String key, String until) {
    long delay = Math.max(1, java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(until)).toMillis() + 50);
    // Still there and run out: not lifted (deleted), not replaced by a longer or an open-ended mute.
    vertx.setTimer(delay, t -> store.pool().preparedQuery(
            "SELECT 1 FROM room_mutes WHERE room_id = $1 AND participant = $2 AND until IS NOT NULL AND until <= now()")
        .execute(Tuple.of(roomId, key))
        .onFailure(e -> LOG.warn("mute end not announced room={} participant={}", roomId, key, e))
        .onSuccess(rows -> {
          if (rows.size() > 0) {
            JsonObject n = new JsonObject().put("kind", "unmuted").put("participant", key).put("expired", true);
            notice(roomId, key, n);
            notice(roomId, MODERATORS, n);
          }
        }));
  }

  Future<JsonObject> unmute(Participant p, long roomId, String key) {
    return run(p, roomId, Need.MODERATOR, false, (tx, space) -> tx.preparedQuery(
            "DELETE FROM room_mutes WHERE room_id = $1 AND participant = $2 AND (until IS NULL OR until > now())")
        .execute(Tuple.of(roomId, key))
        .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(new ApiError(409, "not_muted", "This participant is not muted"))
            : store.target(tx, roomId, key))
        .map(t -> Done.of(new JsonObject(), new Log("unmute", key, t == null ? null : t.name(), null, null), false)))
        .onSuccess(r -> {
          JsonObject n = new JsonObject().put("kind", "unmuted").put("participant", key);
          notice(roomId, key, n);
          notice(roomId, MODERATORS, n);
        });
  }

  /** Removes a participant from the room now (they may join again); a ban also keeps them out. */
  Future<JsonObject> removeParticipant(Participant p, long roomId, String key, boolean ban, String reason) {
    Target[] target = new Target[1];
    return run(p, roomId, Need.MODERATOR, !ban, (tx, space) -> notModerator(tx, roomId, key).compose(t -> {
          target[0] = t;
          Future<?> banned = !ban ? Future.succeededFuture()
              : tx.preparedQuery("INSERT INTO room_bans (room_id, participant, name, reason, banned_by) VALUES ($1, $2, $3, $4, $5)"
                  + " ON CONFLICT DO NOTHING").execute(Tuple.of(roomId, t.key(), t.name(), reason, p.key()));
          return banned
              .compose(v -> tx.preparedQuery("DELETE FROM room_hands WHERE room_id = $1 AND participant = $2").execute(Tuple.of(roomId, t.key())))
              .compose(v -> tx.preparedQuery("UPDATE rooms SET floor_holder = NULL, floor_holder_name = NULL WHERE id = $1 AND floor_holder = $2")
                  .execute(Tuple.of(roomId, t.key())))
              .map(v -> Done.of(new JsonObject(), new Log(ban ? "ban" : "remove_participant", t.key(), t.name(), null, reason), true));
        }))
        .onSuccess(r -> {
          JsonObject n = new JsonObject().put("kind", ban ? "banned" : "removed").put("participant", target[0].key())
              .put("name", target[0].name()).put("by", p.name()).put("reason", reason);
          notice(roomId, MODERATORS, n);
          evict(roomId, target[0].key(), n);
        });
  }

  Future<JsonObject> unban(Participant p, long roomId, String key) {
    return run(p, roomId, Need.MODERATOR, false, (tx, space) -> tx.preparedQuery("DELETE FROM room_bans WHERE room_id = $1 AND participant = $2 RETURNING name")
        .execute(Tuple.of(roomId, key))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new ApiError(409, "not_banned", "This participant is not banned from the room"))
            : Future.succeededFuture(Done.of(new JsonObject(), new Log("unban", key, rows.iterator().next().getString(0), null, null), false))))
        .onSuccess(r -> notice(roomId, MODERATORS, new JsonObject().put("kind", "unbanned").put("participant", key)));
  }

  /** Admits or turns away one guest waiting in the lobby of the room's session, or admits all of them (guestId null). */
  Future<JsonObject> lobby(Participant p, long roomId, Long guestId, boolean admit) {
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> tx.preparedQuery("""
            UPDATE guests g SET status = $3 FROM sessions s
            WHERE s.id = g.session_id AND s.room_id = $1 AND g.status = 'lobby' AND ($2::bigint IS NULL OR g.id = $2)
            RETURNING g.id, g.display_name""")
        .execute(Tuple.of(roomId, guestId, admit ? "admitted" : "denied"))
        .compose(rows -> {
          if (guestId != null && rows.size() == 0) {
            return Future.failedFuture(new ApiError(404, "unknown_guest", "No guest " + guestId + " is waiting in this session's lobby"));
          }
          JsonArray guests = new JsonArray();
          rows.forEach(r -> guests.add(new JsonObject().put("key", "g" + r.getLong(0)).put("name", r.getString(1))));
          String action = guestId == null ? "lobby_admit_all" : admit ? "lobby_admit" : "lobby_deny";
          Log log = guestId == null ? new Log(action, null, null, new JsonObject().put("guests", guests), null)
              : new Log(action, "g" + guestId, guests.getJsonObject(0).getString("name"), null, null);
          return Future.succeededFuture(Done.of(new JsonObject().put("guests", guests), log, false));
        }))
        .onSuccess(r -> {
          notice(roomId, MODERATORS, new JsonObject().put("kind", "lobby").put("admitted", admit).put("guests", r.getJsonArray("guests")));
          // The guests are not in the room yet: their sockets hear it directly.
          for (Object o : r.getJsonArray("guests")) {
            String key = ((JsonObject) o).getString("key");
            vertx.eventBus().publish(de.werkraum.web.socket.WebSocketGateway.TO_PARTICIPANT, new JsonObject().put("key", key)
                .put("frame", new JsonObject().put("type", "moderation").put("room", roomId).put("kind", admit ? "admitted" : "denied")));
          }
        });
  }

  /** Makes a member of the space a moderator of this session (or no longer one). */
  Future<JsonObject> promote(Participant p, long roomId, String key, boolean promote) {
    if (!key.startsWith("u")) {
      return Future.failedFuture(ApiError.invalid("participant", "must be a member (u<id>); guests cannot moderate"));
    }
    long userId = Long.parseLong(key.substring(1));
    return run(p, roomId, Need.MODERATOR, true, (tx, space) -> store.target(tx, roomId, key).compose(t -> {
          if (t == null || !t.canRead()) {
            return Future.failedFuture(unknownParticipant(key));
          }
          return (promote
              ? tx.preparedQuery("""
                  INSERT INTO session_moderators (session_id, user_id)
                  SELECT s.id, $2 FROM sessions s WHERE s.room_id = $1
                    AND EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = s.space_id AND sm.user_id = $2)
                  ON CONFLICT DO NOTHING RETURNING session_id""")
              : tx.preparedQuery("""
                  DELETE FROM session_moderators sm USING sessions s WHERE s.id = sm.session_id AND s.room_id = $1 AND sm.user_id = $2
                  RETURNING sm.session_id"""))
              .execute(Tuple.of(roomId, userId))
              .compose(rows -> rows.size() > 0 ? Future.succeededFuture(t)
                  : tx.preparedQuery("SELECT 1 FROM sessions WHERE room_id = $1").execute(Tuple.of(roomId)).compose(s -> Future.failedFuture(
                      s.size() == 0 ? notASession()
                          : promote ? new ApiError(409, "already_moderator", "This participant already moderates the session, or is not a member of its space")
                          : new ApiError(409, "not_a_moderator", "This participant is not a moderator of the session"))));
        })
        .map(t -> Done.of(new JsonObject(), new Log(promote ? "promote" : "demote", t.key(), t.name(), null, null), false)))
        .compose(r -> store.pool().preparedQuery("SELECT " + RoomAccess.canModerate("r", "$2") + " FROM rooms r WHERE r.id = $1")
            .execute(Tuple.of(roomId, userId)).map(rows -> {
              boolean moderates = rows.iterator().next().getBoolean(0);
              JsonObject n = new JsonObject().put("kind", promote ? "promoted" : "demoted").put("participant", key)
                  .put("role", moderates ? "moderator" : "member");
              // The participant's own copy is a whole notice frame too (type, room), and sets their role on every node.
              JsonObject frame = new JsonObject().put("type", "moderation").put("room", roomId).mergeIn(n);
              vertx.eventBus().publish(Events.noticeAddress(roomId), new JsonObject().put("to", key).put("role", n.getString("role")).put("frame", frame));
              notice(roomId, MODERATORS, n);
              return r;
            }));
  }

  // ---- reports

  Future<JsonObject> report(Participant p, long roomId, long seq, String reason) {
    JsonObject[] report = new JsonObject[1];
    return run(p, roomId, Need.READER, false, (tx, space) -> liveMessage(tx, roomId, seq).compose(author -> tx.preparedQuery("""
                INSERT INTO reports (room_id, message_seq, reporter, reporter_name, reason) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING RETURNING id, created_at""")
            .execute(Tuple.of(roomId, seq, p.key(), p.name(), reason))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(new ApiError(409, "already_reported", "You have reported this message already"));
              }
              var r = rows.iterator().next();
              report[0] = new JsonObject().put("id", r.getLong(0)).put("message", seq).put("reporter", p.key()).put("reporterName", p.name())
                  .put("reason", reason).put("at", r.getOffsetDateTime(1).toInstant().toString());
              return Future.succeededFuture(Done.of(new JsonObject().put("report", r.getLong(0)), null, false));
            })))
        .onSuccess(r -> notice(roomId, MODERATORS, new JsonObject().put("kind", "report").put("report", report[0])));
  }

  Future<JsonObject> dismissReport(Participant p, long roomId, long reportId) {
    return run(p, roomId, Need.MODERATOR, false, (tx, space) -> tx.preparedQuery("""
            UPDATE reports SET status = 'dismissed', resolved_by = $3, resolved_at = now()
            WHERE id = $2 AND room_id = $1 AND status = 'open' RETURNING message_seq, reporter, reporter_name""")
        .execute(Tuple.of(roomId, reportId, p.key()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiError(404, "unknown_report", "There is no open report " + reportId + " in this room"));
          }
          var r = rows.iterator().next();
          return Future.succeededFuture(Done.of(new JsonObject(), new Log("report_dismiss", r.getString(1), r.getString(2),
              new JsonObject().put("report", reportId).put("message", r.getLong(0)), null), false));
        }))
        .onSuccess(r -> notice(roomId, MODERATORS, new JsonObject().put("kind", "report_settled").put("report", reportId).put("status", "dismissed")));
  }

  // ---- session results

  Future<JsonObject> markResult(Participant p, long roomId, long seq, boolean result) {
    return run(p, roomId, Need.MODERATOR, false, (tx, space) -> liveMessage(tx, roomId, seq)
        .compose(author -> tx.preparedQuery("UPDATE messages SET result = $3 WHERE room_id = $1 AND seq = $2").execute(Tuple.of(roomId, seq, result)))
        .map(v -> new Done(new JsonObject(), new Log(result ? "result_mark" : "result_unmark", null, null, new JsonObject().put("message", seq), null),
            new JsonObject().put("kind", Events.RESULT).put("message", seq).put("result", result), false)));
  }

  // ---- what moderators and participants see on entering

  /** The moderator's view of the room: its state plus lobby, mutes, bans and open reports. */
  Future<JsonObject> moderatorState(Participant p, long roomId) {
    return run(p, roomId, Need.MODERATOR, false, (tx, space) -> store.state(tx, roomId)
            .map(state -> Done.of(new JsonObject().put("state", state), null, false)))
        .compose(r -> store.moderatorView(roomId).map(view -> r.mergeIn(view)));
  }

  /** What the join answer carries: the room's moderation state and the participant's own standing. */
  Future<JsonObject> joinSnapshot(Participant p, long roomId) {
    Future<JsonObject> state = store.state(store.pool(), roomId);
    Future<JsonObject> you = store.standing(p, roomId);
    return Future.all(state, you).map(v -> new JsonObject().put("state", state.result()).put("you", you.result()));
  }

  // ---- plumbing

  static final String MODERATORS = "moderators";
  static final String EVERYONE = "all";

  Future<JsonObject> run(Participant p, long roomId, Need need, boolean needsOpen, ModerationStore.Action action) {
    return store.act(p, roomId, need, needsOpen, action).map(acted -> {
      if (acted.frame() != null) {
        vertx.eventBus().publish(Events.address(roomId), acted.frame().encode(),
            new DeliveryOptions().addHeader("seq", Long.toString(acted.frame().getLong("seq"))));
        if (Events.ROOM_STATE.equals(acted.frame().getString("kind"))) {
          boolean hide = acted.frame().getJsonObject("state").getBoolean("hideParticipants");
          vertx.eventBus().publish(Events.noticeAddress(roomId), new JsonObject().put("hideParticipants", hide));
        }
        acted.result().put("seq", acted.frame().getLong("seq"));
      }
      return acted.result();
    });
  }

  /** Runs {@code action} after {@code millis} on this service's event loop. */
  void later(long millis, Runnable action) {
    vertx.setTimer(millis, t -> action.run());
  }

  /** An unnumbered notice to the room's moderators, everyone, or one participant (by key), on every node. */
  void notice(long roomId, String to, JsonObject body) {
    JsonObject frame = new JsonObject().put("type", "moderation").put("room", roomId).mergeIn(body);
    vertx.eventBus().publish(Events.noticeAddress(roomId), new JsonObject().put("to", to).put("frame", frame));
  }

  /** Tells the participant's sockets why, then takes them out of the room on every node. */
  private void evict(long roomId, String key, JsonObject body) {
    JsonObject frame = new JsonObject().put("type", "moderation").put("room", roomId).mergeIn(body);
    vertx.eventBus().publish(Events.noticeAddress(roomId), new JsonObject().put("to", key).put("evict", true)
        .put("reason", body.getString("kind")).put("frame", frame));
  }

  private Future<Target> reader(SqlConnection tx, long roomId, String key) {
    return store.target(tx, roomId, key).compose(t -> t == null || !t.canRead()
        ? Future.failedFuture(unknownParticipant(key)) : Future.succeededFuture(t));
  }

  private Future<Target> notModerator(SqlConnection tx, long roomId, String key) {
    return reader(tx, roomId, key).compose(t -> t.moderator()
        ? Future.failedFuture(new ApiError(409, "target_is_moderator", "Moderators cannot be muted, removed or banned; demote them first"))
        : Future.succeededFuture(t));
  }

  /** The author of a message of the room that is not deleted; fails unknown_message or message_deleted. */
  private static Future<String> liveMessage(SqlConnection tx, long roomId, long seq) {
    return tx.preparedQuery("SELECT author, deleted_at IS NOT NULL FROM messages WHERE room_id = $1 AND seq = $2")
        .execute(Tuple.of(roomId, seq))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiError(404, "unknown_message", "There is no message " + seq + " in this room"));
          }
          var r = rows.iterator().next();
          return r.getBoolean(1) ? Future.failedFuture(new ApiError(409, "message_deleted", "This message has been deleted"))
              : Future.succeededFuture(r.getString(0));
        });
  }

  private static ApiError unknownParticipant(String key) {
    return new ApiError(404, "unknown_participant", "There is no participant " + key + " in this room");
  }

  private static ApiError notASession() {
    return new ApiError(409, "not_a_session", "This room is not a session's room");
  }
}
