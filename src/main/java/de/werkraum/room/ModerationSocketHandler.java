package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import de.werkraum.web.WriteLimits;
import de.werkraum.web.WriteLimits.Kind;
import de.werkraum.web.socket.Connection;
import de.werkraum.web.socket.Request;
import de.werkraum.web.socket.SocketHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
      case "mod_floor_only" -> moderation.setFlag(p, room, "floor_only", "floor_only", flag(r, "on"));
      case "mod_lock" -> moderation.setFlag(p, room, flag(r, "locked") ? "lock" : "unlock", "locked", flag(r, "locked"));
      case "mod_hide_participants" -> moderation.setFlag(p, room, "hide_participants", "hide_participants", flag(r, "hidden"));
      case "mod_slow_mode" -> moderation.slowMode(p, room, (int) Math.min(r.id("seconds"), Integer.MAX_VALUE));
      case "mod_mute" -> {
        String who = participant(r);
        Long seconds = r.optionalId("seconds");
        boolean reactions = optionalFlag(r, "reactions");
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
      case "mod_result" -> moderation.markResult(p, room, r.id("message"), flag(r, "result"));
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

  private static boolean flag(Request r, String field) {
    Object value = r.body().getValue(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    if (!(value instanceof Boolean b)) {
      throw ApiError.invalid(field, "must be true or false");
    }
    return b;
  }

  private static boolean optionalFlag(Request r, String field) {
    return r.body().getValue(field) != null && flag(r, field);
  }

  private static String reason(Request r, boolean required) {
    Object value = r.body().getValue("reason");
    if (value == null && !required) {
      return "";
    }
    String text = r.text("reason").strip();
    if (required && text.isEmpty()) {
      throw ApiError.missing("reason");
    }
    if (text.length() > ModerationService.MAX_REASON) {
      throw ApiError.tooLong("reason", ModerationService.MAX_REASON);
    }
    return text;
  }

  private static PollStore.PollDraft pollDraft(Request r) {
    String question = r.text("question").strip();
    if (question.isEmpty()) {
      throw ApiError.missing("question");
    }
    if (question.length() > MAX_QUESTION) {
      throw ApiError.tooLong("question", MAX_QUESTION);
    }
    Object raw = r.body().getValue("options");
    if (raw == null) {
      throw ApiError.missing("options");
    }
    if (!(raw instanceof JsonArray array) || array.size() < 2 || array.size() > 10) {
      throw ApiError.invalid("options", "must be a list of 2 to 10 texts");
    }
    List<String> options = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s) || s.isBlank() || s.strip().length() > MAX_OPTION) {
        throw ApiError.invalid("options", "must hold texts of 1 to " + MAX_OPTION + " characters");
      }
      options.add(s.strip());
    }
    Long seconds = r.optionalId("seconds");
    if (seconds != null && (seconds < 10 || seconds > MAX_POLL_SECONDS)) {
      throw ApiError.invalid("seconds", "must be 10 to " + MAX_POLL_SECONDS + ", or absent for no time limit");
    }
    return new PollStore.PollDraft(question, options, optionalFlag(r, "multiple"), optionalFlag(r, "anonymous"),
        seconds == null ? null : seconds.intValue());
  }

  private static int[] choices(Request r) {
    Object raw = r.body().getValue("choices");
    if (raw == null) {
      throw ApiError.missing("choices");
    }
    if (!(raw instanceof JsonArray array) || array.size() > 10) {
      throw ApiError.invalid("choices", "must be a list of option numbers");
    }
    int[] choices = new int[array.size()];
    for (int i = 0; i < choices.length; i++) {
      if (!(array.getValue(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 0) {
        throw ApiError.invalid("choices", "must be a list of option numbers");
      }
      choices[i] = n.intValue();
    }
    return choices;
  }
}
