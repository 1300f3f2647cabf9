package de.werkraum.bench;

import java.util.Map;

/** What one run of one server yields: its idle figures and one entry per load step. */
final class Measurements {

  private Measurements() {}

  /** The server holding every participant's socket, joined, before any post. Memory in KiB. */
  record Idle(String server, int series, int held, int failed, double connectSeconds, Map<String, Long> failures,
      long heapEmptyKib, long heapIdleKib, long rssEmptyKib, long rssIdleKib, long otherFrames, long otherChars) {

    /** Heap per held connection after GC, in KiB. */
    double heapPerConnectionKib() {
      return held == 0 || heapIdleKib < 0 || heapEmptyKib < 0 ? Double.NaN : (heapIdleKib - heapEmptyKib) / (double) held;
    }
  }

  /** One measured window at one offered rate (deliveries per second). */
  record Step(String server, int series, String scenario, int offeredRate, double postsPerSecond, double seconds,
      double deliveriesPerSecond, LatencyHistogram.Summary latency, LatencyHistogram.Summary ack, LatencyHistogram.Summary timerLag,
      long postsSent, long lost, long duplicates, long errors, Map<String, Long> errorCodes, long closes,
      Map<Integer, Long> closeCodes, long unanswered, ProcessProbe.CpuShare cpu, long serverRssKib, long heapAfterKib,
      long[] worstBySecondMs, boolean repeated) {

    Step asRepeated() {
      return new Step(server, series, scenario, offeredRate, postsPerSecond, seconds, deliveriesPerSecond, latency, ack, timerLag,
          postsSent, lost, duplicates, errors, errorCodes, closes, closeCodes, unanswered, cpu, serverRssKib, heapAfterKib,
          worstBySecondMs, true);
    }


    /** Delivered what it had to, at the rate asked for, without sockets closed. */
    boolean clean() {
      return lost == 0 && duplicates == 0 && closes == 0 && unanswered == 0 && errors == 0;
    }
  }
}
