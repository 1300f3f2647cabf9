package de.werkraum.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Two people type their names at one spot of a field at the same time, letter by letter, over a
 * network that delivers in order but at any pace: the server transforms each edit against the ops
 * committed since its base, each editor transforms its pending edits and its caret against the others'
 * ops, all with the tie rule {@link Delta#firstAtTie}. Each name must end up in one piece.
 */
class TypingAtOneSpotTest {

  /** A committed op and whose it is. */
  record Committed(Delta delta, String client) {}

  /** An edit on its way to the server. */
  record Submit(Delta delta, long base, String client) {}

  static final class Server {
    Delta doc = Delta.EMPTY;
    final List<Committed> log = new ArrayList<>();

    Committed receive(Submit s) {
      Delta delta = s.delta();
      for (int i = (int) s.base(); i < log.size(); i++) {
        Committed op = log.get(i);
        delta = op.delta().transform(delta, Delta.firstAtTie(op.client(), s.client()));
      }
      doc = doc.compose(delta);
      Committed c = new Committed(delta, s.client());
      log.add(c);
      return c;
    }
  }

  /** An editor as in the browser: one edit in flight, later ones composed; the caret moves like Quill's. */
  static final class Editor {
    final String client;
    final String name;
    int typed;
    Delta doc = Delta.EMPTY;
    int caret;
    long version;
    Delta inflight;
    Delta buffer;
    final ArrayDeque<Submit> toServer = new ArrayDeque<>();
    final ArrayDeque<Committed> fromServer = new ArrayDeque<>();

    Editor(String client, String name) {
      this.client = client;
      this.name = name;
    }

    boolean typing() {
      return typed < name.length();
    }

    void typeNext() {
      Delta change = Delta.builder().retain(caret).insert(name.substring(typed, typed + 1)).build();
      typed++;
      doc = doc.compose(change);
      caret++;
      if (inflight == null) {
        inflight = change;
        toServer.add(new Submit(inflight, version, client));
      } else {
        buffer = buffer == null ? change : buffer.compose(change);
      }
    }

    void receive(Committed op) {
      version++;
      if (op.client().equals(client)) {
        inflight = null;
        if (buffer != null) {
          inflight = buffer;
          buffer = null;
          toServer.add(new Submit(inflight, version, client));
        }
        return;
      }
      Delta remote = op.delta();
      boolean remoteFirst = Delta.firstAtTie(op.client(), client);
      if (inflight != null) {
        Delta next = remote.transform(inflight, remoteFirst);
        remote = inflight.transform(remote, !remoteFirst);
        inflight = next;
      }
      if (buffer != null) {
        Delta next = remote.transform(buffer, remoteFirst);
        remote = buffer.transform(remote, !remoteFirst);
        buffer = next;
      }
      // Quill moves the selection through a change that is not the user's with priority: an insert
      // exactly at the caret goes after it.
      caret = remote.transformPosition(caret, true);
      doc = doc.compose(remote);
    }
  }

  /** Runs one session; answers the final text, after checking that everyone has it. */
  static String type(long seed, Editor... editors) {
    Random random = new Random(seed);
    Server server = new Server();
    List<Editor> all = List.of(editors);
    while (true) {
      List<Runnable> steps = new ArrayList<>();
      for (Editor e : all) {
        if (e.typing()) {
          steps.add(e::typeNext);
        }
        if (!e.toServer.isEmpty()) {
          steps.add(() -> {
            Committed c = server.receive(e.toServer.poll());
            all.forEach(x -> x.fromServer.add(c));
          });
        }
        if (!e.fromServer.isEmpty()) {
          steps.add(() -> e.receive(e.fromServer.poll()));
        }
      }
      if (steps.isEmpty()) {
        break;
      }
      steps.get(random.nextInt(steps.size())).run();
    }
    for (Editor e : all) {
      assertEquals(server.doc.text(), e.doc.text(), e.client + " converged");
    }
    return server.doc.text();
  }

  @Property(tries = 1000)
  void twoTypistsAtOneSpotEachKeepTheirNameTogether(@ForAll long seed) {
    String text = type(seed, new Editor("tab-7c1e", "Petra"), new Editor("tab-03fa", "Maria"));
    assertTrue(text.equals("PetraMaria") || text.equals("MariaPetra"), text);
  }

  @Property(tries = 500)
  void threeTypistsAtOneSpotEachKeepTheirNameTogether(@ForAll long seed) {
    String text = type(seed, new Editor("c", "Petra Schmidt "), new Editor("a", "Maria Weber "), new Editor("b", "Ümit Yılmaz "));
    assertTrue(text.contains("Petra Schmidt ") && text.contains("Maria Weber ") && text.contains("Ümit Yılmaz "), text);
  }

  @Test
  void theRuleIsAFixedOrderOfTheEditors() {
    assertTrue(Delta.firstAtTie("a", "b"));
    assertTrue(!Delta.firstAtTie("b", "a"));
    assertTrue(Delta.firstAtTie("tab-1", "tab-1"), "one editor's own ops keep the committed-first order");
    // UTF-16 code units, as JavaScript compares strings: U+1F600 (the pair D83D DE00) sorts before U+FF5E,
    // though by code points it would come after.
    assertTrue(Delta.firstAtTie("\ud83d\ude00", "\uff5e"));
  }
}
