package de.werkraum.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The Markdown summary of a run: medians over the series, the p99 crossing per server, and the targets of the issue. */
final class BenchReport {

  /** Where p99 crossed the limit in one series: a rate, or only a bound ({@code <} below the first step, {@code >} above the last). */
  record Crossing(double rate, String bound) {
    String text() {
      return bound + thousands(rate);
    }
  }

  private final BenchSettings settings;
  private final List<Measurements.Idle> idles;
  private final List<Measurements.Step> steps;
  private final Map<String, List<String>> statements;
  private final double minutes;

  BenchReport(BenchSettings settings, List<Measurements.Idle> idles, List<Measurements.Step> steps,
      Map<String, List<String>> statements, double minutes) {
    this.settings = settings;
    this.idles = idles;
    this.steps = steps;
    this.statements = statements;
    this.minutes = minutes;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Room benchmark ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append("\n\n");
    machine(md);
    md.append(String.format(Locale.ROOT, "%s run: %d series; %,d connections in %d rooms × %d; load window %d s after %d s warm-up; "
            + "steps %s deliveries/s, %d s each after %d s warm-up; %d generator event loops; server heap -Xmx%s; %.1f minutes in all.%n%n",
        settings.quick() ? "Quick" : "Full", settings.series(), settings.connections(), settings.rooms(), settings.roomSize(),
        settings.measureSeconds(), settings.warmupSeconds(), settings.stepRates(), settings.stepMeasureSeconds(),
        settings.stepWarmupSeconds(), settings.loops(), settings.serverHeap(), minutes));
    if (!settings.realServerEnv().isEmpty()) {
      md.append("Extra environment of the real server: `").append(settings.realServerEnv()).append("`.\n\n");
    }
    idle(md);
    load(md);
    stepTable(md);
    crossings(md);
    targets(md);
    problems(md);
    statements(md);
    return md.toString();
  }

  private void machine(StringBuilder md) {
    md.append("Machine: ").append(ProcessProbe.CORES).append(" cores (").append(cpuModel()).append("), memory ")
        .append(memory()).append(", ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(", Linux ").append(System.getProperty("os.version"))
        .append(". Generator, both servers and PostgreSQL share these cores.\n\n");
  }

  private void idle(StringBuilder md) {
    if (idles.isEmpty()) {
      return;
    }
    md.append("## Idle: connections held, joined, before any post (median of ").append(settings.series()).append(")\n\n");
    md.append("| server | held | failed | connect + join | heap after GC, empty | heap after GC, all joined | per connection | RSS, all joined | other frames while joining |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String server : settings.servers()) {
      List<Measurements.Idle> rows = idles.stream().filter(i -> i.server().equals(server)).toList();
      if (rows.isEmpty()) {
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f s | %s | %s | %.1f KiB | %s | %s (%.0f MB) |%n", server,
          thousands(median(rows, Measurements.Idle::held)), thousands(median(rows, Measurements.Idle::failed)),
          median(rows, Measurements.Idle::connectSeconds), mib(median(rows, Measurements.Idle::heapEmptyKib)),
          mib(median(rows, Measurements.Idle::heapIdleKib)), median(rows, Measurements.Idle::heapPerConnectionKib),
          mib(median(rows, Measurements.Idle::rssIdleKib)), thousands(median(rows, Measurements.Idle::otherFrames)),
          median(rows, i -> i.otherChars() / 1e6)));
    }
    md.append("\nPer run (heap after GC with all joined): ");
    md.append(idles.stream().map(i -> i.server() + " #" + i.series() + " " + mib(i.heapIdleKib())
        + (i.failures().isEmpty() ? "" : " failures " + i.failures())).collect(Collectors.joining(", ")));
    md.append(".\n\n");
  }

  private void load(StringBuilder md) {
    List<Measurements.Step> rows = steps.stream().filter(s -> s.scenario().equals("load")).toList();
    if (rows.isEmpty()) {
      return;
    }
    md.append(String.format(Locale.ROOT, "## Load: %d rooms × %d, %s deliveries/s (%.0f posts/s), real server%n%n",
        settings.rooms(), settings.roomSize(), thousands(settings.loadRate()), settings.postsFor(settings.loadRate())));
    md.append("| run | delivered/s | p50 | p95 | p99 | max | ack p50 / p99 | lost | dup | errors | closes | CPU server | generator | PostgreSQL | others | steal | heap after GC |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Measurements.Step s : rows) {
      md.append(stepRow("#" + s.series(), List.of(s), true));
    }
    md.append(stepRow("**median**", rows, true));
    md.append("\nLatencies in ms, send → delivery at every receiver; CPU in % of one core over the measured window.\n\n");
  }

  private void stepTable(StringBuilder md) {
    List<Measurements.Step> all = steps.stream().filter(s -> s.scenario().equals("step")).toList();
    if (all.isEmpty()) {
      return;
    }
    md.append("## Step series (median over the runs that reached the step)\n\n");
    md.append("| offered/s | server | runs | delivered/s | p50 | p95 | p99 | p99 per run | max | ack p50 / p99 | lost | dup | errors | closes | CPU server | generator | PostgreSQL | others | steal |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int rate : settings.stepRates()) {
      for (String server : settings.servers()) {
        List<Measurements.Step> rows = all.stream().filter(s -> s.offeredRate() == rate && s.server().equals(server)).toList();
        if (rows.isEmpty()) {
          md.append("| ").append(thousands(rate)).append(" | ").append(server).append(" | 0 | saturated below |").append(" |".repeat(15)).append('\n');
          continue;
        }
        String perRun = rows.stream().map(s -> ms(s.latency().p99())).collect(Collectors.joining(" / "));
        String row = stepRow(thousands(rate) + " | " + server + " | " + rows.size(), rows, false);
        md.append(row.replaceFirst("\\| p99RUNS \\|", "| " + perRun + " |"));
      }
    }
    md.append("\n");
  }

  /** One table row of medians; {@code heap} adds the heap-after-GC column (load), otherwise a per-run p99 column. */
  private static String stepRow(String head, List<Measurements.Step> rows, boolean heap) {
    StringBuilder r = new StringBuilder("| ").append(head).append(" | ");
    r.append(thousands(median(rows, Measurements.Step::deliveriesPerSecond))).append(" | ");
    r.append(ms(median(rows, s -> s.latency().p50()))).append(" | ");
    r.append(ms(median(rows, s -> s.latency().p95()))).append(" | ");
    r.append(ms(median(rows, s -> s.latency().p99()))).append(" | ");
    if (!heap) {
      r.append("p99RUNS | ");
    }
    r.append(ms(median(rows, s -> s.latency().max()))).append(" | ");
    r.append(ms(median(rows, s -> s.ack().p50()))).append(" / ").append(ms(median(rows, s -> s.ack().p99()))).append(" | ");
    r.append(thousands(rows.stream().mapToLong(Measurements.Step::lost).sum())).append(" | ");
    r.append(thousands(rows.stream().mapToLong(Measurements.Step::duplicates).sum())).append(" | ");
    r.append(thousands(rows.stream().mapToLong(Measurements.Step::errors).sum())).append(" | ");
    r.append(thousands(rows.stream().mapToLong(Measurements.Step::closes).sum())).append(" | ");
    r.append(pct(median(rows, s -> s.cpu().server()))).append(" | ");
    r.append(pct(median(rows, s -> s.cpu().generator()))).append(" | ");
    r.append(pct(median(rows, s -> s.cpu().postgres()))).append(" | ");
    r.append(pct(median(rows, s -> s.cpu().others()))).append(" | ");
    r.append(pct(median(rows, s -> s.cpu().steal())));
    if (heap) {
      r.append(" | ").append(mib(median(rows, s -> s.heapAfterKib())));
    }
    return r.append(" |\n").toString();
  }

  private void crossings(StringBuilder md) {
    if (steps.stream().noneMatch(s -> s.scenario().equals("step"))) {
      return;
    }
    md.append(String.format(Locale.ROOT, "## Delivered rate at which p99 crosses %.0f ms%n%n", settings.p99LimitMs()));
    md.append("| server |");
    for (int i = 1; i <= settings.series(); i++) {
      md.append(" series ").append(i).append(" |");
    }
    md.append(" median |\n|---|").append("---:|".repeat(settings.series() + 1)).append('\n');
    Map<String, Crossing> medians = new TreeMap<>();
    for (String server : settings.servers()) {
      md.append("| ").append(server).append(" |");
      List<Crossing> list = new ArrayList<>();
      for (int i = 1; i <= settings.series(); i++) {
        Crossing c = crossing(server, i);
        list.add(c);
        md.append(' ').append(c == null ? "–" : c.text()).append(" |");
      }
      Crossing m = medianCrossing(list);
      medians.put(server, m);
      md.append(' ').append(m == null ? "–" : "**" + m.text() + "**").append(" |\n");
    }
    Crossing bare = medians.get("bare");
    Crossing real = medians.get("real");
    if (bare != null && real != null) {
      md.append(String.format(Locale.ROOT, "%nReal / bare: **%.0f %%**%s (target: at least 80 %%).%n", 100 * real.rate() / bare.rate(),
          bare.bound().isEmpty() && real.bound().isEmpty() ? "" : " (a bound is involved: " + real.text() + " / " + bare.text() + ")"));
    }
    md.append("\nA step fails when its p99 is over the limit or it lost deliveries or closed sockets. Noise from other processes "
        + "can only make a step worse, so the crossing is placed after the highest step that passed, interpolated linearly "
        + "towards the next step (conservative, as p99 rises steeply); a failed step below it is taken for noise.\n\n");
  }

  /**
   * Where p99 crosses the limit in one series. Noise on a shared machine can only make a step look worse,
   * never better, so a step that passed shows the server can carry that rate: the crossing lies after the
   * highest step that passed, interpolated towards the next one (a slower step below it counts as noise).
   */
  Crossing crossing(String server, int series) {
    List<Measurements.Step> list = steps.stream()
        .filter(s -> s.scenario().equals("step") && s.server().equals(server) && s.series() == series)
        .sorted((a, b) -> Integer.compare(a.offeredRate(), b.offeredRate())).toList();
    if (list.isEmpty()) {
      return null;
    }
    int passed = -1;
    for (int k = 0; k < list.size(); k++) {
      if (!over(list.get(k))) {
        passed = k;
      }
    }
    if (passed < 0) {
      return new Crossing(list.get(0).offeredRate(), "< ");
    }
    Measurements.Step low = list.get(passed);
    if (passed == list.size() - 1) {
      return new Crossing(low.offeredRate(), "> ");
    }
    Measurements.Step high = list.get(passed + 1);
    double limit = settings.p99LimitMs();
    if (high.latency().p99() > limit && high.latency().p99() > low.latency().p99()) {
      double f = (limit - low.latency().p99()) / (high.latency().p99() - low.latency().p99());
      return new Crossing(low.offeredRate() + f * (high.offeredRate() - low.offeredRate()), "");
    }
    return new Crossing(low.offeredRate(), "");
  }

  private boolean over(Measurements.Step s) {
    return s.latency().p99() > settings.p99LimitMs() || s.lost() > 0 || s.closes() > 0 || s.unanswered() > 0;
  }

  private static Crossing medianCrossing(List<Crossing> list) {
    List<Crossing> present = list.stream().filter(c -> c != null).sorted((a, b) -> Double.compare(a.rate(), b.rate())).toList();
    if (present.isEmpty()) {
      return null;
    }
    // The middle one; of two, the lower (the conservative choice).
    return present.get((present.size() - 1) / 2);
  }

  private void targets(StringBuilder md) {
    md.append("## Targets of the issue\n\n| target | measured (median) | met |\n|---|---|---|\n");
    List<Measurements.Idle> realIdle = idles.stream().filter(i -> i.server().equals("real")).toList();
    if (!realIdle.isEmpty()) {
      double heap = median(realIdle, Measurements.Idle::heapIdleKib);
      double held = median(realIdle, Measurements.Idle::held);
      md.append(String.format(Locale.ROOT, "| %s concurrent connections, heap under 1 GB | %s held, heap after GC %s | %s |%n",
          thousands(settings.connections()), thousands(held), mib(heap),
          held >= settings.connections() && heap < 1024 * 1024 ? "yes" : "no"));
    }
    List<Measurements.Step> load = steps.stream().filter(s -> s.scenario().equals("load")).toList();
    if (!load.isEmpty()) {
      double p99 = median(load, s -> s.latency().p99());
      long lost = load.stream().mapToLong(Measurements.Step::lost).sum();
      long closes = load.stream().mapToLong(Measurements.Step::closes).sum();
      md.append(String.format(Locale.ROOT, "| %d rooms × %d at %s deliveries/s, p99 ≤ %.0f ms, zero loss | p99 %s ms (runs: %s), lost %d, closes %d | %s |%n",
          settings.rooms(), settings.roomSize(), thousands(settings.loadRate()), settings.p99LimitMs(), ms(p99),
          load.stream().map(s -> ms(s.latency().p99())).collect(Collectors.joining(" / ")), lost, closes,
          p99 <= settings.p99LimitMs() && lost == 0 && closes == 0 ? "yes" : "no"));
    }
    List<Crossing> bare = new ArrayList<>();
    List<Crossing> real = new ArrayList<>();
    for (int i = 1; i <= settings.series(); i++) {
      bare.add(crossing("bare", i));
      real.add(crossing("real", i));
    }
    Crossing b = medianCrossing(bare);
    Crossing r = medianCrossing(real);
    if (b != null && r != null) {
      double ratio = r.rate() / b.rate();
      md.append(String.format(Locale.ROOT, "| p99 crossing of %.0f ms at least 80 %% of the bare server's | %s vs %s deliveries/s = %.0f %% | %s |%n",
          settings.p99LimitMs(), r.text(), b.text(), 100 * ratio, ratio >= 0.8 ? "yes" : "no"));
    }
    md.append('\n');
  }

  private void problems(StringBuilder md) {
    List<String> lines = new ArrayList<>();
    for (Measurements.Step s : steps) {
      if (!s.clean()) {
        lines.add(String.format(Locale.ROOT, "- %s #%d %s %s/s: lost %d, duplicates %d, errors %s, closes %s, unanswered posts %d",
            s.server(), s.series(), s.scenario(), thousands(s.offeredRate()), s.lost(), s.duplicates(), s.errorCodes(),
            s.closeCodes(), s.unanswered()));
      }
    }
    md.append("## Runs with loss, errors or closed sockets\n\n");
    md.append(lines.isEmpty() ? "None.\n" : String.join("\n", lines) + "\n");
    String repeated = steps.stream().filter(Measurements.Step::repeated)
        .map(s -> s.server() + " #" + s.series() + " " + s.scenario() + " " + thousands(s.offeredRate()) + " (kept: others "
            + pct(s.cpu().others()) + ")").collect(Collectors.joining(", "));
    md.append("\nWindows measured twice because other processes took more than ")
        .append(pct(settings.noisyOthersPercent())).append(" of a core: ").append(repeated.isEmpty() ? "none" : repeated).append(".\n");
    md.append("\nGenerator timer lag (p99 of the 5 ms posting tick, a sign of an overloaded generator) per step: ");
    md.append(steps.stream().map(s -> s.server() + " #" + s.series() + " " + thousands(s.offeredRate()) + ": " + ms(s.timerLag().p99()))
        .collect(Collectors.joining(", ")));
    md.append(" ms.\n");
  }

  private void statements(StringBuilder md) {
    if (statements.isEmpty()) {
      return;
    }
    md.append("\n## Where PostgreSQL's time goes (pg_stat_statements, measured window)\n");
    statements.forEach((window, rows) -> {
      md.append("\n").append(window).append("\n\n| calls | total ms | mean ms | planning ms | statement |\n|---:|---:|---:|---:|---|\n");
      rows.forEach(r -> md.append(r).append('\n'));
    });
  }

  /** Every measured window, one line each, for a closer look or another summary. */
  String csv() {
    StringBuilder out = new StringBuilder("server,series,scenario,offered,delivered,p50_ms,p95_ms,p99_ms,max_ms,ack_p50_ms,ack_p99_ms,"
        + "lost,duplicates,errors,closes,unanswered,cpu_server,cpu_generator,cpu_postgres,cpu_others,cpu_steal,repeated\n");
    for (Measurements.Step s : steps) {
      out.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%.0f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%b%n",
          s.server(), s.series(), s.scenario(), s.offeredRate(), s.deliveriesPerSecond(), s.latency().p50(), s.latency().p95(),
          s.latency().p99(), s.latency().max(), s.ack().p50(), s.ack().p99(), s.lost(), s.duplicates(), s.errors(), s.closes(),
          s.unanswered(), s.cpu().server(), s.cpu().generator(), s.cpu().postgres(), s.cpu().others(), s.cpu().steal(), s.repeated()));
    }
    return out.toString();
  }

  static <T> double median(List<T> rows, ToDoubleFunction<T> f) {
    double[] v = rows.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f %%", v);
  }

  static String mib(double kib) {
    return Double.isNaN(kib) || kib < 0 ? "–" : String.format(Locale.ROOT, "%,.0f MiB", kib / 1024);
  }

  static String thousands(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memory() {
    try {
      Process p = new ProcessBuilder("free", "-h").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(5, TimeUnit.SECONDS);
      return Arrays.stream(out.split("\n")).filter(l -> l.startsWith("Mem:")).findFirst()
          .map(l -> {
            String[] f = l.trim().split("\\s+");
            return f[1] + " total, " + f[f.length - 1] + " available at the end";
          }).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
