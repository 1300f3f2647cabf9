package de.werkraum.web;

import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How fast a participant may write over the socket: one token bucket per participant, room or profile,
 * and kind of write (a burst, refilled at a steady rate), plus one bucket per room for all the numbered
 * events its participants cause, so that a few people cannot push a room past the resume window. Counted
 * on this node; shared by the node's gateway instances. The table is in docs/protocol.md (*Write limits*).
 */
public final class WriteLimits {

  /** A bucket's size and how fast it refills; {@code perMinute} 0 means no refill (for tests). */
  public record Rate(int burst, double perMinute) {

    double perNano() {
      return perMinute / 60e9;
    }
  }

  /** Every kind of write a participant can make, with its default rate. */
  public enum Kind {
    POST(30, 30, true),
    EDIT(10, 20, true),
    DELETE(10, 20, true),
    REACT(20, 60, true),
    HAND(6, 12, true),
    TYPING(5, 30, false),
    POLL_VOTE(10, 30, false),
    REPORT(5, 10, false),
    PROFILE_SUBMIT(60, 1200, false),
    PROFILE_CURSOR(20, 600, false),
    /** Not a request: all numbered events the participants of one room cause together. */
    ROOM_EVENTS(500, 1200, false);

    final Rate defaultRate;
    private final String wireName = name().toLowerCase(Locale.ROOT);
    /** Whether each such write also counts against its room's {@link #ROOM_EVENTS}. */
    final boolean numbered;

    Kind(int burst, double perMinute, boolean numbered) {
      this.defaultRate = new Rate(burst, perMinute);
      this.numbered = numbered;
    }

    /** The name in the protocol's error details and in {@code WERKRAUM_WRITE_LIMITS}. */
    public String wireName() {
      return wireName;
    }
  }

  private record Bucket(double tokens, long at) {}

  /** Whose bucket: one participant's writes of one kind in one room or profile; for ROOM_EVENTS the whole room (participant null). */
  private record Key(Kind kind, String participant, long scope) {}

  private static final int SWEEP_ABOVE = 100_000;
  private static final long SWEEP_EVERY_NANOS = 10_000_000_000L;

  private final Map<Kind, Rate> rates;
  private final LongSupplier clock;
  private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  WriteLimits(Map<Kind, Rate> rates, LongSupplier clock) {
    this.rates = rates;
    this.clock = clock;
    this.lastSweep = new AtomicLong(clock.getAsLong());
  }

  /** The default table. */
  public static WriteLimits defaults() {
    return fromSetting(null);
  }

  /**
   * The default table with the overrides of {@code WERKRAUM_WRITE_LIMITS}: comma-separated
   * {@code kind=burst/perMinute} or {@code kind=off}, e.g. {@code profile_submit=off,edit=5/10}.
   *
   * @throws IllegalArgumentException for a setting that cannot be read
   */
  public static WriteLimits fromSetting(String setting) {
    return new WriteLimits(table(setting), System::nanoTime);
  }

  /** The rate of every kind: the defaults with the setting's overrides; a kind that is off has none. */
  static Map<Kind, Rate> table(String setting) {
    Map<Kind, Rate> rates = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      rates.put(k, k.defaultRate);
    }
    if (setting != null && !setting.isBlank()) {
      for (String part : setting.split(",")) {
        String[] kv = part.trim().split("=", 2);
        Kind kind = null;
        for (Kind k : Kind.values()) {
          if (k.wireName().equals(kv[0].trim())) {
            kind = k;
          }
        }
        if (kind == null || kv.length != 2) {
          throw new IllegalArgumentException("WERKRAUM_WRITE_LIMITS: '" + part.trim() + "' is not kind=burst/perMinute or kind=off");
        }
        String value = kv[1].trim();
        if (value.equals("off")) {
          rates.put(kind, null);
          continue;
        }
        String[] bp = value.split("/", 2);
        try {
          int burst = Integer.parseInt(bp[0].trim());
          double perMinute = Double.parseDouble(bp[1].trim());
          if (burst < 1 || !(perMinute >= 0) || Double.isInfinite(perMinute)) {
            throw new NumberFormatException();
          }
          rates.put(kind, new Rate(burst, perMinute));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("WERKRAUM_WRITE_LIMITS: '" + part.trim()
              + "' needs a burst of at least 1 and a rate per minute of 0 or more, e.g. edit=10/20");
        }
      }
    }
    return rates;
  }

  /** The rate of a kind, or null if it is not limited. */
  public Rate rate(Kind kind) {
    return rates.get(kind);
  }

  /**
   * Counts one write of {@code kind} by {@code participant} in room or profile {@code scope}.
   *
   * @throws ApiError {@code rate_limited} when the participant (or, for numbered events, the room) has
   *     used up its writes of the moment; nothing is counted then
   */
  public void check(Kind kind, String participant, long scope) {
    ApiError refusal = take(kind, participant, scope);
    if (refusal != null) {
      throw refusal;
    }
  }

  /** As {@link #check}, but answers the refusal (null when the write may go ahead). */
  public ApiError take(Kind kind, String participant, long scope) {
    long now = clock.getAsLong();
    sweep(now);
    Key own = new Key(kind, participant, scope);
    ApiError refusal = takeFrom(own, now);
    if (refusal == null && kind.numbered) {
      refusal = takeFrom(new Key(Kind.ROOM_EVENTS, null, scope), now);
      if (refusal != null) {
        giveBack(own);
      }
    }
    return refusal;
  }

  /** Gives back a write counted by {@link #take} that turned out to change nothing (a resend answered as a duplicate). */
  public void refund(Kind kind, String participant, long scope) {
    giveBack(new Key(kind, participant, scope));
    if (kind.numbered) {
      giveBack(new Key(Kind.ROOM_EVENTS, null, scope));
    }
  }

  private ApiError takeFrom(Key key, long now) {
    Rate rate = rates.get(key.kind());
    if (rate == null) {
      return null;
    }
    double[] left = new double[1];
    boolean[] ok = new boolean[1];
    buckets.compute(key, (k, b) -> {
      double tokens = b == null ? rate.burst() : Math.min(rate.burst(), b.tokens() + (now - b.at()) * rate.perNano());
      ok[0] = tokens >= 1;
      left[0] = tokens;
      return new Bucket(ok[0] ? tokens - 1 : tokens, now);
    });
    return ok[0] ? null : refusal(key.kind(), rate, left[0]);
  }

  private void giveBack(Key key) {
    Rate rate = rates.get(key.kind());
    if (rate != null) {
      buckets.computeIfPresent(key, (k, b) -> new Bucket(Math.min(rate.burst(), b.tokens() + 1), b.at()));
    }
  }

  private static ApiError refusal(Kind kind, Rate rate, double tokens) {
    JsonObject details = new JsonObject().put("kind", kind.wireName()).put("burst", rate.burst());
    if (rate.perMinute() == Math.rint(rate.perMinute())) {
      details.put("perMinute", (long) rate.perMinute());
    } else {
      details.put("perMinute", rate.perMinute());
    }
    String wait = "";
    if (rate.perMinute() > 0) {
      long millis = (long) Math.ceil((1 - tokens) / rate.perMinute() * 60_000);
      details.put("retryAfterMs", Math.max(1, millis)).put("retryAfter", Math.max(1, (millis + 999) / 1000));
      wait = "; retry in " + Math.max(1, (millis + 999) / 1000) + " s";
    }
    String message = kind == Kind.ROOM_EVENTS
        ? "Too much is happening in this room right now (at most " + rate.burst() + " changes at once, " + perMinute(rate) + " a minute)" + wait
        : "Too many '" + kind.wireName() + "' requests in a short time (at most " + rate.burst() + " at once, " + perMinute(rate) + " a minute)" + wait;
    return new ApiError(429, "rate_limited", message).withDetails(details);
  }

  private static String perMinute(Rate rate) {
    return rate.perMinute() == Math.rint(rate.perMinute()) ? Long.toString((long) rate.perMinute()) : Double.toString(rate.perMinute());
  }

  /** How many buckets are kept (for tests). */
  int size() {
    return buckets.size();
  }

  /** Drops buckets that have refilled completely (they are as good as new) once there are many. */
  private void sweep(long now) {
    long last = lastSweep.get();
    if (buckets.size() < SWEEP_ABOVE || now - last < SWEEP_EVERY_NANOS || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    buckets.entrySet().removeIf(e -> {
      Rate rate = rates.get(e.getKey().kind());
      return rate == null || rate.perMinute() > 0 && e.getValue().tokens() + (now - e.getValue().at()) * rate.perNano() >= rate.burst();
    });
  }
}
