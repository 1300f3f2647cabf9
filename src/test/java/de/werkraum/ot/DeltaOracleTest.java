package de.werkraum.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java Delta against the real quill-delta npm package (run by Node): identical results for
 * compose, transform (both priorities), transformPosition and invert on random cases.
 */
class DeltaOracleTest {

  static final int CASES_PER_KIND = 4_000;

  record Case(String op, Delta a, Delta b, boolean priority, int index, Object javaResult) {}

  @Test
  void javaDeltaAgreesWithQuillDeltaOnRandomCases() throws Exception {
    long seed = System.nanoTime();
    RandomDeltas random = new RandomDeltas(seed);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < CASES_PER_KIND; i++) {
      Delta doc = random.document();
      Delta a = random.change(doc.length());
      Delta b = random.change(doc.length());
      boolean priority = random.nextBoolean();
      cases.add(new Case("transform", a, b, priority, 0, a.transform(b, priority)));
      Delta docAfterA = doc.compose(a);
      Delta next = random.change(docAfterA.length());
      cases.add(new Case("compose", a, next, false, 0, a.compose(next)));
      cases.add(new Case("compose", doc, a, false, 0, doc.compose(a)));
      int index = random.nextInt(doc.length() + 2);
      cases.add(new Case("transformPosition", a, null, priority, index, a.transformPosition(index, priority)));
      cases.add(new Case("invert", a, doc, false, 0, a.invert(doc)));
    }
    List<String> answers = runOracle(cases);
    assertEquals(cases.size(), answers.size(), "one answer per case");
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String answer = answers.get(i);
      if (c.op().equals("transformPosition")) {
        assertEquals(Integer.parseInt(answer.trim()), c.javaResult(), () -> "seed " + seed + ": " + c);
      } else {
        Delta expected = new DeltaExpect(DeltaJson.fromJson(new JsonArray(answer))).delta;
        assertEquals(expected, c.javaResult(), () -> "seed " + seed + ": " + c.op() + " a=" + c.a() + " b=" + c.b()
            + " priority=" + c.priority());
      }
    }
    assertTrue(cases.size() >= 10_000, "at least 10,000 cases per run");
  }

  /** quill-delta's ops taken as they are (they are already normal), as a Delta to compare with. */
  private static final class DeltaExpect {
    final Delta delta;

    DeltaExpect(List<Op> ops) {
      Delta d = Delta.of(ops);
      assertEquals(ops, d.ops(), "the oracle's answer is normalised");
      this.delta = d;
    }
  }

  private static List<String> runOracle(List<Case> cases) throws IOException, InterruptedException {
    Path input = Files.createTempFile("delta-cases", ".jsonl");
    StringBuilder lines = new StringBuilder();
    for (Case c : cases) {
      JsonObject o = new JsonObject().put("op", c.op()).put("a", DeltaJson.toJson(c.a())).put("priority", c.priority())
          .put("index", c.index());
      if (c.b() != null) {
        o.put("b", DeltaJson.toJson(c.b()));
      }
      lines.append(o.encode()).append('\n');
    }
    Files.writeString(input, lines, StandardCharsets.UTF_8);
    Process node = new ProcessBuilder("node", "src/test/js/delta-oracle.mjs")
        .redirectInput(input.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "oracle finished");
    assertEquals(0, node.exitValue(), "oracle exit code (is quill-delta installed? the build runs npm ci)");
    Files.delete(input);
    List<String> answers = new ArrayList<>(List.of(out.split("\n")));
    answers.removeIf(String::isBlank);
    return answers;
  }
}
