package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authoritative state of one profile on this node: the current document of every field and the ops
 * since the last snapshot. Submits are handled one at a time on the engines' event loop: transformed
 * against the same field's ops since their base version, checked against the document, numbered, and
 * committed in groups — while one group commits, the next gathers. Acknowledged only after commit.
 * If another node committed the same versions first, the state is reloaded and the group redone. If a
 * group fails for another reason, it is redone in halves until the edit that cannot be stored is alone:
 * only that one fails.
 */
final class ProfileEngine {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileEngine.class);
  /** A snapshot every so many versions; the ops of one more such period are kept for late edits. */
  static final int SNAPSHOT_EVERY = 500;
  /**
   * Ops kept in memory to transform late edits against (at least this many, at most one snapshot period
   * more): at 2,500 committed ops/s, four seconds; an edit based further back gets {@code base_too_old}.
   */
  static final int KEEP_OPS = 10_000;
  /** Submits numbered ahead of the commits at most: what a failed group may have to redo. */
  static final int MAX_AHEAD = 500;
  /** How long a client whose edit the database refused has its edits committed one at a time. */
  static final long SUSPECT_MILLIS = 60_000;

  /** A client's edit waiting for its version. */
  record Submit(String field, Delta delta, long baseVersion, String client, long seq, long author, Promise<Result> result) {}

  /** The answer to a submit. */
  record Result(long version, boolean duplicate) {}

  private final Vertx vertx;
  private final ProfileStore store;
  final long profileId;
  private final ArrayDeque<Submit> inbox = new ArrayDeque<>();
  private final List<Submit> waiting = new ArrayList<>();
  private final List<Submit> deferred = new ArrayList<>();
  private final List<ProfileStore.CommittedOp> batch = new ArrayList<>();
  private final List<Submit> batchSubmits = new ArrayList<>();
  private boolean loaded;
  /** Documents with every numbered op applied, and with only the committed ones. */
  private Map<String, Delta> docs = new HashMap<>();
  private Map<String, Delta> committedDocs = new HashMap<>();
  /** Recent ops, oldest first; clients based before {@code horizon} cannot be transformed any more. */
  private List<ProfileStore.CommittedOp> log = new ArrayList<>();
  private long horizon;
  private long version;
  private long committed;
  private final Map<String, Long> versionByClientSeq = new HashMap<>();
  /**
   * Clients whose edit could not be stored even alone, until when: their next edits are numbered and
   * committed alone with nothing numbered after them, so that another failure costs no one else a redo.
   */
  private final Map<String, Long> suspects = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > 1_000;
    }
  };
  /** Submits of a failed commit group: the largest group each may be committed in now (halved on every failure). */
  private final Map<Submit, Integer> groupCap = new IdentityHashMap<>();
  private boolean loading;
  private boolean committing;
  private long snapshotted;

  ProfileEngine(Vertx vertx, ProfileStore store, long profileId) {
    this.vertx = vertx;
    this.store = store;
    this.profileId = profileId;
  }

  /** Current committed documents, for a client opening the profile. Runs on the engines' loop. */
  Future<JsonObject> snapshot() {
    return ensureLoaded().map(v -> {
      JsonObject fields = new JsonObject();
      for (String f : ProfileFields.FIELDS) {
        fields.put(f, DeltaCodec.write(committedDocs.getOrDefault(f, Delta.EMPTY)));
      }
      return new JsonObject().put("version", committed).put("fields", fields);
    });
  }

  /** Stores a snapshot of the committed documents now (once per version); answers its version. */
  Future<Long> snapshotNow() {
    return ensureLoaded().compose(v -> {
      long at = committed;
      return storeSnapshot(at).map(at);
    });
  }

  void submit(Submit s) {
    inbox.add(s);
    drain();
  }

  private Future<Void> ensureLoaded() {
    if (loaded) {
      return Future.succeededFuture();
    }
    return store.load(profileId, KEEP_OPS).map(state -> {
      if (!loaded) {
        adopt(state);
      }
      return null;
    });
  }

  private void adopt(ProfileStore.State state) {
    loaded = true;
    docs = new HashMap<>(state.fields());
    committedDocs = new HashMap<>(state.fields());
    log = new ArrayList<>(state.log());
    horizon = state.logFrom();
    snapshotted = state.snapshotVersion();
    version = state.version();
    committed = state.version();
    versionByClientSeq.clear();
    for (ProfileStore.CommittedOp op : log) {
      versionByClientSeq.put(op.client() + ":" + op.seq(), op.version());
    }
  }

  private void drain() {
    if (loading) {
      return;
    }
    if (!loaded) {
      loading = true;
      ensureLoaded().onComplete(ar -> {
        loading = false;
        if (ar.failed()) {
          failAll(ar.cause());
        } else {
          drain();
        }
      });
      return;
    }
    while (!inbox.isEmpty() && batch.size() < MAX_AHEAD) {
      Submit next = inbox.peek();
      boolean suspect = suspect(next.client());
      if (suspect && (committing || !batch.isEmpty())) {
        break; // its turn comes when nothing else waits for a commit (see SUSPECT_MILLIS)
      }
      Submit s = inbox.poll();
      try {
        apply(s);
        if (suspect && !batchSubmits.isEmpty() && batchSubmits.get(batchSubmits.size() - 1) == s) {
          groupCap.put(s, 1);
          break;
        }
      } catch (ApiError e) {
        groupCap.remove(s);
        s.result().fail(e);
      } catch (OldBase old) {
        groupCap.remove(s);
        // Rare: a very late resubmit. It may have been committed long ago; only the database knows.
        loading = true;
        store.versionOf(profileId, s.client(), s.seq()).onComplete(ar -> {
          loading = false;
          if (ar.succeeded() && ar.result() != null) {
            s.result().complete(new Result(ar.result(), true));
          } else {
            s.result().fail(new ApiError(409, "base_too_old",
                "baseVersion " + s.baseVersion() + " is older than the server keeps; reopen the profile", "baseVersion"));
          }
          drain();
        });
        flush();
        return;
      } catch (RuntimeException e) {
        // A bug, not the client's doing: this edit fails alone (apply changes nothing before its checks pass).
        LOG.error("profile submit failed profile={}", profileId, e);
        groupCap.remove(s);
        s.result().fail(new ApiError(500, "internal", "The edit could not be applied"));
      }
    }
    flush();
  }

  private boolean suspect(String client) {
    if (suspects.isEmpty()) {
      return false;
    }
    Long until = suspects.get(client);
    if (until != null && until < System.currentTimeMillis()) {
      suspects.remove(client);
      return false;
    }
    return until != null;
  }

  /** Transforms, checks and numbers one submit; it joins the next commit group. */
  private void apply(Submit s) {
    Long earlier = versionByClientSeq.get(s.client() + ":" + s.seq());
    if (earlier != null) {
      groupCap.remove(s);
      if (earlier <= committed) {
        s.result().complete(new Result(earlier, true));
      } else {
        waiting.add(new Submit(s.field(), null, earlier, s.client(), s.seq(), s.author(), s.result()));
      }
      return;
    }
    if (s.baseVersion() > committed && s.baseVersion() <= version) {
      // The client already read that version from the database (its commit is done, our callback not yet run).
      deferred.add(s);
      return;
    }
    if (s.baseVersion() > committed) {
      throw new ApiError(400, "version_ahead", "baseVersion " + s.baseVersion() + " is ahead of the profile (" + committed + ")", "baseVersion");
    }
    if (s.baseVersion() < horizon) {
      throw new OldBase();
    }
    Delta delta = s.delta();
    try {
      // The log holds versions horizon + 1 … version, in order: start right after the base.
      for (int i = (int) (s.baseVersion() - horizon); i < log.size(); i++) {
        ProfileStore.CommittedOp op = log.get(i);
        if (op.field().equals(s.field())) {
          delta = op.delta().transform(delta, Delta.firstAtTie(op.client(), s.client()));
        }
      }
    } catch (ArithmeticException overflow) {
      // Lengths past Op.MAX_LENGTH (only a hand-made delta has them): far past the end of any field.
      throw mismatch(s.field());
    }
    Delta next = checkedApply(s.field(), docs.getOrDefault(s.field(), Delta.EMPTY), delta);
    version++;
    docs.put(s.field(), next);
    ProfileStore.CommittedOp op = new ProfileStore.CommittedOp(version, s.field(), delta, s.author(), s.client(), s.seq());
    log.add(op);
    versionByClientSeq.put(s.client() + ":" + s.seq(), version);
    batch.add(op);
    batchSubmits.add(s);
  }

  private static ApiError mismatch(String field) {
    return new ApiError(400, "delta_mismatch", "The delta retains or deletes past the end of " + field, "delta");
  }

  /**
   * The document of {@code field} after a (transformed) edit, if the edit fits it: it may not retain or
   * delete past the end ({@code delta_mismatch}) nor grow the field past its limit ({@code field_too_long}).
   */
  static Delta checkedApply(String field, Delta doc, Delta delta) {
    Delta next;
    try {
      if (delta.baseLength() > doc.length()) {
        throw mismatch(field);
      }
      next = doc.applied(delta);
    } catch (ArithmeticException overflow) {
      // Lengths past Op.MAX_LENGTH (only a hand-made delta has them): far past the end of any field.
      throw mismatch(field);
    }
    int max = ProfileFields.TITLE.equals(field) ? ProfileFields.MAX_TITLE_LENGTH : ProfileFields.MAX_FIELD_LENGTH;
    if (next.length() > max) {
      throw new ApiError(413, "field_too_long", field + " would be longer than " + max + " characters", "delta");
    }
    return next;
  }

  private void flush() {
    if (committing || batch.isEmpty()) {
      return;
    }
    committing = true;
    int size = groupSize();
    List<ProfileStore.CommittedOp> group = new ArrayList<>(batch.subList(0, size));
    List<Submit> submits = new ArrayList<>(batchSubmits.subList(0, size));
    batch.subList(0, size).clear();
    batchSubmits.subList(0, size).clear();
    Map<String, Delta> docsAfterGroup;
    if (batch.isEmpty()) {
      // The group holds every numbered op not yet committed, so the documents now are those at its last version.
      docsAfterGroup = new HashMap<>(docs);
    } else {
      docsAfterGroup = new HashMap<>(committedDocs);
      for (ProfileStore.CommittedOp op : group) {
        docsAfterGroup.put(op.field(), docsAfterGroup.getOrDefault(op.field(), Delta.EMPTY).applied(op.delta()));
      }
    }
    boolean titleChanged = group.stream().anyMatch(op -> ProfileFields.TITLE.equals(op.field()));
    String title = titleChanged ? docsAfterGroup.getOrDefault(ProfileFields.TITLE, Delta.EMPTY).text().strip() : null;
    store.commit(profileId, group, title).onComplete(ar -> {
      committing = false;
      if (ar.succeeded()) {
        committed = group.get(group.size() - 1).version();
        committedDocs = docsAfterGroup;
        publish(group);
        for (int i = 0; i < group.size(); i++) {
          if (!groupCap.isEmpty()) {
            groupCap.remove(submits.get(i));
          }
          submits.get(i).result().complete(new Result(group.get(i).version(), false));
        }
        releaseWaiting();
        maybeSnapshot();
        if (!deferred.isEmpty()) {
          inbox.addAll(deferred);
          deferred.clear();
        }
        drain();
        flush();
      } else if (ar.cause() instanceof ProfileStore.Conflict) {
        // Another node won these versions: reload, then redo every submit not yet committed, in order.
        LOG.info("profile commit conflict, reloading profile={}", profileId);
        redoAfterReload(submits, null);
      } else if (ar.cause() instanceof ProfileStore.Forbidden refused) {
        // An author lost the right to edit: their edits are refused, every other one is redone.
        LOG.info("profile commit refused for authors={}, redoing the others profile={}", refused.authors, profileId);
        redoAfterReload(submits, sub -> {
          if (refused.authors.contains(sub.author())) {
            sub.result().fail(new ApiError(403, "forbidden", "Only members of the profile's space may edit it"));
            return true;
          }
          return false;
        });
      } else if (group.size() == 1) {
        // Committed alone, the edit still failed: it is the guilty one, and fails alone.
        Submit guilty = submits.get(0);
        LOG.warn("profile edit not stored profile={} client={} seq={}", profileId, guilty.client(), guilty.seq(), ar.cause());
        ApiError refusal = notStored(ar.cause());
        guilty.result().fail(refusal);
        if ("edit_refused".equals(refusal.code())) {
          suspects.put(guilty.client(), System.currentTimeMillis() + SUSPECT_MILLIS);
        }
        redoAfterRollback(List.of());
      } else {
        // Something in the group cannot be stored (or the database failed): commit it again in halves, and
        // halves of halves, until the edits that fail are alone; the others are committed and acknowledged.
        LOG.warn("profile commit of {} edits failed, splitting the group profile={}", group.size(), profileId, ar.cause());
        int half = (group.size() + 1) / 2;
        for (Submit s : submits) {
          groupCap.merge(s, half, Math::min);
        }
        redoAfterRollback(submits);
      }
    });
  }

  /** How many of the numbered ops the next group takes: all, unless a member of a failed group limits it. */
  private int groupSize() {
    if (groupCap.isEmpty()) {
      return batchSubmits.size();
    }
    int cap = Integer.MAX_VALUE;
    int n = 0;
    for (Submit s : batchSubmits) {
      Integer limit = groupCap.get(s);
      if (limit != null) {
        cap = Math.min(cap, limit);
      }
      if (n + 1 > cap) {
        break;
      }
      n++;
    }
    return n;
  }

  /**
   * Forgets every numbered op not committed, reloads the profile and redoes, in order, the submits of the
   * failed group and every later one; {@code refuse} answers (and drops) some of them first.
   */
  private void redoAfterReload(List<Submit> failedGroup, java.util.function.Predicate<Submit> refuse) {
    List<Submit> redo = new ArrayList<>(failedGroup);
    redo.addAll(batchSubmits);
    redo.addAll(deferred);
    redo.addAll(inbox);
    if (refuse != null) {
      redo.removeIf(refuse);
    }
    Set<Submit> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    kept.addAll(redo);
    groupCap.keySet().retainAll(kept);
    failStaleWaiting();
    deferred.clear();
    batch.clear();
    batchSubmits.clear();
    inbox.clear();
    inbox.addAll(redo);
    loaded = false;
    drain();
  }

  /**
   * Nothing of the failed group was stored (one statement): forgets every op numbered after the committed
   * version and redoes, in order, the submits of the failed group and every later one. Had the group been
   * stored after all (its answer lost), the redo meets those versions in the database and reloads.
   */
  private void redoAfterRollback(List<Submit> failedGroup) {
    for (int i = log.size() - 1; i >= 0 && log.get(i).version() > committed; i--) {
      ProfileStore.CommittedOp op = log.remove(i);
      versionByClientSeq.remove(op.client() + ":" + op.seq());
    }
    version = committed;
    docs = new HashMap<>(committedDocs);
    failStaleWaiting();
    List<Submit> redo = new ArrayList<>(failedGroup);
    redo.addAll(batchSubmits);
    redo.addAll(deferred);
    redo.addAll(inbox);
    deferred.clear();
    batch.clear();
    batchSubmits.clear();
    inbox.clear();
    inbox.addAll(redo);
    drain();
  }

  /** The answer to an edit that could not be stored even alone. */
  private static ApiError notStored(Throwable cause) {
    String state = cause instanceof PgException pg ? pg.getSqlState() : null;
    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
      // The database refused the data itself (a data exception or a constraint): sent again, it fails again.
      return new ApiError(422, "edit_refused", "The edit holds something that cannot be stored; it was not applied", "delta");
    }
    return new ApiError(500, "internal", "The edit could not be stored; resend it");
  }

  /** Resubmits waiting for a version that will be numbered anew: asked to send again (then they find it). */
  private void failStaleWaiting() {
    waiting.removeIf(w -> {
      if (w.baseVersion() > committed) {
        w.result().fail(new ApiError(500, "internal", "The edit could not be stored yet; resend it"));
        return true;
      }
      return false;
    });
  }

  private void releaseWaiting() {
    waiting.removeIf(w -> {
      if (w.baseVersion() <= committed) {
        w.result().complete(new Result(w.baseVersion(), true));
        return true;
      }
      return false;
    });
  }

  /** Every SNAPSHOT_EVERY versions: a snapshot of the committed documents. */
  private void maybeSnapshot() {
    if (committed - snapshotted >= SNAPSHOT_EVERY) {
      storeSnapshot(committed);
    }
  }

  /** Stores the committed documents at {@code at}; once stored, forgets ops more than KEEP_OPS older. */
  private Future<Void> storeSnapshot(long at) {
    snapshotted = Math.max(snapshotted, at);
    Map<String, Delta> fields = new HashMap<>();
    for (String f : ProfileFields.FIELDS) {
      fields.put(f, committedDocs.getOrDefault(f, Delta.EMPTY));
    }
    return store.snapshot(profileId, at, fields).onSuccess(v -> {
      long keepFrom = at - KEEP_OPS;
      if (keepFrom > horizon) {
        log.removeIf(op -> op.version() <= keepFrom);
        versionByClientSeq.values().removeIf(ver -> ver <= keepFrom);
        horizon = keepFrom;
      }
    });
  }

  private void publish(List<ProfileStore.CommittedOp> group) {
    JsonObject frame = new JsonObject().put("type", "profile_ops").put("profile", profileId).put("ops", ProfileStore.toJson(group));
    vertx.eventBus().publish(ProfileChannel.address(profileId), frame.encode(), new DeliveryOptions()
        .addHeader("first", Long.toString(group.get(0).version())).addHeader("last", Long.toString(group.get(group.size() - 1).version())));
  }

  /** Signals the slow path of {@link #apply}: a base older than the kept ops. */
  private static final class OldBase extends RuntimeException {
    OldBase() {
      super(null, null, false, false);
    }
  }

  private void failAll(Throwable cause) {
    ApiError error = new ApiError(500, "internal", "The profile could not be loaded");
    LOG.error("profile load failed profile={}", profileId, cause);
    groupCap.clear();
    while (!inbox.isEmpty()) {
      inbox.poll().result().fail(error);
    }
  }
}
