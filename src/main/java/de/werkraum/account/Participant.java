package de.werkraum.account;

/**
 * Who is on a WebSocket: a member (an account) or a guest of one session. {@code key} names the author
 * in messages and reactions: {@code u<user id>} or {@code g<guest id>}.
 */
public record Participant(String key, Long userId, Long guestId, String name, boolean admin) {

  public static Participant member(long userId, String name, boolean admin) {
    return new Participant("u" + userId, userId, null, name, admin);
  }

  public static Participant guest(long guestId, String name) {
    return new Participant("g" + guestId, null, guestId, name, false);
  }

  public boolean isGuest() {
    return guestId != null;
  }
}
