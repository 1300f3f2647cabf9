package de.werkraum.bench;

/** What one generator event loop saw during a measured window. Touched only on that loop. */
final class MeasuredWindow {

  final long startNanos = System.nanoTime();
  long endNanos;
  /** Send → delivery at every receiver, µs. */
  final LatencyHistogram delivery = new LatencyHistogram();
  /** Send → ack at the sender, µs: the server's commit path. */
  final LatencyHistogram ack = new LatencyHistogram();
  /** How late the 5 ms posting tick fired, µs: a sign of an overloaded generator. */
  final LatencyHistogram timerLag = new LatencyHistogram();
  /** The worst delivery latency (µs) in each second of the window: shows stalls, and whether they recur. */
  final long[] worstBySecond = new long[600];
  long deliveries;
  long postsSent;

  void delivered(long now, long sentAt) {
    deliveries++;
    if (sentAt < 0) {
      return;
    }
    long micros = (now - sentAt) / 1000;
    delivery.record(micros);
    int second = (int) Math.min(worstBySecond.length - 1, (now - startNanos) / 1_000_000_000L);
    if (micros > worstBySecond[second]) {
      worstBySecond[second] = micros;
    }
  }
}
