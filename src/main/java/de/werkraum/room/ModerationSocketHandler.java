package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import de.werkraum.web.WriteLimits;
import de.werkraum.web.WriteLimits.Kind;
import de.werkraum.web.socket.Connection;
import de.werkraum.web.socket.Request;
import de.werkraum.web.socket.SocketHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The moderation requests of the WebSocket protocol ({@code mod_*}, {@code hand_*}, {@code poll_*},
 * {@code report}); see docs/protocol.md. Reads and checks the fields; the rights are checked by
 * {@link ModerationService} in the database on every request.
 */
public final class ModerationSocketHandler implements SocketHandler {

  /** Every request only a room's moderators may send. */
  public static final Set<String> MODERATOR_TYPES = Set.of("mod_state", "mod_floor_give", "mod_floor_take", "mod_hands_clear",
      "mod_floor_only", "mod_mute", "mod_unmute", "mod_remove_participant", "mod_ban", "mod_unban", "mod_lobby_admit",
      "mod_lobby_deny", "mod_lobby_admit_all", "mod_promote", "mod_demote", "mod_lock", "mod_slow_mode", "mod_hide_participants",
      "mod_pin", "mod_unpin", "mod_remove_message", "mod_end_session", "mod_report_dismiss", "mod_result", "poll_create",
      "poll_close", "poll_publish");
  /** Requests every participant of a room may send. */
  public static final Set<String> PARTICIPANT_TYPES = Set.of("hand_raise", "hand_lower", "poll_vote", "poll_list", "report");
  /** The write limit of each participant request that changes something (moderators' requests have none). */
  static final Map<String, Kind> LIMITED = Map.of("hand_raise", Kind.HAND, "hand_lower", Kind.HAND, "poll_vote", Kind.POLL_VOTE,
      "report", Kind.REPORT);

  public static final int MAX_QUESTION = 300;
  public static final int MAX_OPTION = 200;
  public static final int MAX_POLL_SECONDS = 24 * 3600;
  private static final Pattern PARTICIPANT = Pattern.compile("[ug][1-9][0-9]{0,17}");

  private final ModerationService moderation;
  private final PollService polls;
  private final WriteLimits limits;

  public ModerationSocketHandler(ModerationService moderation, PollService polls, WriteLimits limits) {
    this.moderation = moderation;
    this.polls = polls;
    this.limits = limits;
  }

  @Override
  public Set<String> types() {
    Set<String> all = new java.util.HashSet<>(MODERATOR_TYPES);
    all.addAll(PARTICIPANT_TYPES);
    return all;
  }

  @Override
  public void handle(Connection c, Request r) {
    Participant p = c.participant();
    long room = r.id("room");
    Kind kind = LIMITED.get(r.type());
    if (kind != null) {
      limits.check(kind, p.key(), room);
    }
    c.reply(r, switch (r.type()) {
      case "hand_raise" -> moderation.raiseHand(p, room);
      case "hand_lower" -> moderation.lowerHand(p, room);
      case "mod_state" -> moderation.moderatorState(p, room);
      case "mod_floor_give" -> moderation.giveFloor(p, room, participant(r));
      case "mod_floor_take" -> moderation.takeFloor(p, room);
      case "mod_hands_clear" -> moderation.clearHands(p, room);
      case "mod_floor_only" -> moderation.setFlag(p, room, "floor_only", "floor_only", r.flag("on"));
      case "mod_lock" -> moderation.setFlag(p, room, r.flag("locked") ? "lock" : "unlock", "locked", r.flag("locked"));
      case "mod_hide_participants" -> moderation.setFlag(p, room, "hide_participants", "hide_participants", r.flag("hidden"));
      case "mod_slow_mode" -> moderation.slowMode(p, room, (int) Math.min(r.id("seconds"), Integer.MAX_VALUE));
      case "mod_mute" -> {
        String who = participant(r);
        Long seconds = r.optionalId("seconds");
        boolean reactions = r.optionalFlag("reactions");
        yield moderation.mute(p, room, who, seconds == null ? null : (int) Math.min(seconds, Integer.MAX_VALUE), reactions, reason(r, false));
      }
      case "mod_unmute" -> moderation.unmute(p, room, participant(r));
      case "mod_remove_participant" -> moderation.removeParticipant(p, room, participant(r), false, reason(r, false));
      case "mod_ban" -> moderation.removeParticipant(p, room, participant(r), true, reason(r, false));
      case "mod_unban" -> moderation.unban(p, room, participant(r));
      case "mod_lobby_admit" -> moderation.lobby(p, room, r.id("guest"), true);
      case "mod_lobby_deny" -> moderation.lobby(p, room, r.id("guest"), false);
      case "mod_lobby_admit_all" -> moderation.lobby(p, room, null, true);
      case "mod_promote" -> moderation.promote(p, room, participant(r), true);
      case "mod_demote" -> moderation.promote(p, room, participant(r), false);
      case "mod_pin" -> moderation.pin(p, room, r.id("message"), true);
      case "mod_unpin" -> moderation.pin(p, room, r.id("message"), false);
      case "mod_remove_message" -> moderation.removeMessage(p, room, r.id("message"), reason(r, false));
      case "mod_end_session" -> moderation.endSession(p, room);
      case "mod_result" -> moderation.markResult(p, room, r.id("message"), r.flag("result"));
      case "report" -> moderation.report(p, room, r.id("message"), reason(r, true));
      case "mod_report_dismiss" -> moderation.dismissReport(p, room, r.id("report"));
      case "poll_create" -> polls.createPoll(p, room, pollDraft(r));
      case "poll_vote" -> polls.vote(p, room, r.id("poll"), choices(r));
      case "poll_close" -> polls.closePoll(p, room, r.id("poll"), false);
      case "poll_publish" -> polls.closePoll(p, room, r.id("poll"), true);
      case "poll_list" -> polls.polls(p, room);
      default -> Future.failedFuture(new ApiError(400, "unknown_type", "Unknown request type '" + r.type() + "'"));
    });
  }

  @Override
  public void closed(Connection connection) {
    // Nothing is held per connection.
  }

  private static String participant(Request r) {
    String key = r.text("participant");
    if (!PARTICIPANT.matcher(key).matches()) {
      throw ApiError.invalid("participant", "must be a participant key such as u12 or g3");
    }
    return key;
  }

  private static String reason(Request r, boolean required) {
    return r.trimmedText("reason", ModerationService.MAX_REASON, required);
  }

  private static PollStore.PollDraft pollDraft(Request r) {
    String question = r.trimmedText("question", MAX_QUESTION, true);
    List<String> options = r.texts("options", 2, 10, MAX_OPTION);
    Long seconds = r.optionalId("seconds");
    if (seconds != null && (seconds < 10 || seconds > MAX_POLL_SECONDS)) {
      throw ApiError.invalid("seconds", "must be 10 to " + MAX_POLL_SECONDS + ", or absent for no time limit");
    }
    return new PollStore.PollDraft(question, options, r.optionalFlag("multiple"), r.optionalFlag("anonymous"),
        seconds == null ? null : seconds.intValue());
  }

  private static int[] choices(Request r) {
    return r.integers("choices", 10, 0, Integer.MAX_VALUE);
  }
}
