package de.werkraum.ot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random documents and random changes that apply to them, with formats and removals of formats. */
final class RandomDeltas {

  private static final List<String> TEXTS = List.of("a", "bc", "Quartier", " ", "\n", "äöü", "ß", "Zeche ", "x\ny", "Ruhr");
  private static final List<String> KEYS = List.of("bold", "italic", "header", "link", "list");

  private final Random random;

  RandomDeltas(long seed) {
    this.random = new Random(seed);
  }

  Map<String, Object> attributes(boolean allowNull) {
    if (random.nextInt(3) > 0) {
      return null;
    }
    Map<String, Object> attrs = new HashMap<>();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      String key = KEYS.get(random.nextInt(KEYS.size()));
      Object value = switch (key) {
        case "bold", "italic" -> true;
        case "header" -> (long) (1 + random.nextInt(3));
        case "link" -> random.nextBoolean() ? "https://werkraum.example/a" : "https://werkraum.example/b";
        default -> random.nextBoolean() ? "bullet" : "ordered";
      };
      attrs.put(key, allowNull && random.nextInt(4) == 0 ? null : value);
    }
    return attrs;
  }

  String text() {
    return TEXTS.get(random.nextInt(TEXTS.size()));
  }

  Delta document() {
    Delta.Builder b = Delta.builder();
    int parts = random.nextInt(6);
    for (int i = 0; i < parts; i++) {
      b.insert(text(), attributes(false));
    }
    return b.build();
  }

  /** A change that applies to a document of the given length (never retains or deletes past its end). */
  Delta change(int docLength) {
    Delta.Builder b = Delta.builder();
    int pos = 0;
    int steps = 1 + random.nextInt(5);
    for (int i = 0; i < steps; i++) {
      int left = docLength - pos;
      int kind = random.nextInt(3);
      if (kind == 0 || left == 0) {
        b.insert(text(), attributes(false));
      } else {
        int n = 1 + random.nextInt(left);
        if (kind == 1) {
          b.retain(n, attributes(true));
        } else {
          b.delete(n);
        }
        pos += n;
      }
    }
    return b.build();
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean nextBoolean() {
    return random.nextBoolean();
  }
}
