package de.werkraum.bench;

/**
 * Latencies in microseconds, counted in log-linear buckets: exact below 128 µs, then 64 buckets per
 * power of two (under 1.6 % error). Not thread-safe: each event loop of the generator keeps its own,
 * and they are merged after the measured window.
 */
final class LatencyHistogram {

  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = (64 - SUB_BITS + 1) * SUB;

  /** The figures a report needs, in milliseconds. */
  record Summary(long count, double p50, double p95, double p99, double max) {
    static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long max;

  void record(long micros) {
    long v = Math.max(0, micros);
    counts[index(v)]++;
    count++;
    if (v > max) {
      max = v;
    }
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    max = Math.max(max, other.max);
  }

  long count() {
    return count;
  }

  /** The latency (µs) at or below which {@code percent} of the samples lie. */
  long percentile(double percent) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, middle(i));
      }
    }
    return max;
  }

  Summary summary() {
    if (count == 0) {
      return Summary.EMPTY;
    }
    return new Summary(count, percentile(50) / 1000.0, percentile(95) / 1000.0, percentile(99) / 1000.0, max / 1000.0);
  }

  static int index(long v) {
    int msb = 63 - Long.numberOfLeadingZeros(v | 1);
    int shift = Math.max(0, msb - SUB_BITS);
    return shift * SUB + (int) (v >>> shift);
  }

  /** A representative value of bucket {@code i}: the middle of the values it holds. */
  static long middle(int i) {
    int shift = Math.max(0, i / SUB - 1);
    long low = (long) (i - shift * SUB) << shift;
    return low + ((1L << shift) >> 1);
  }
}
