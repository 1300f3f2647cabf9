package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authoritative state of one profile on this node: the current document of every field and the ops
 * since the last snapshot. Submits are handled one at a time on the engines' event loop: transformed
 * against the same field's ops since their base version, checked against the document, numbered, and
 * committed in groups — while one group commits, the next gathers. Acknowledged only after commit.
 * If another node committed the same versions first, the state is reloaded and the group redone.
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
    while (!inbox.isEmpty()) {
      Submit s = inbox.poll();
      try {
        apply(s);
      } catch (ApiError e) {
        s.result().fail(e);
      } catch (OldBase old) {
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
      }
    }
    flush();
  }

  /** Transforms, checks and numbers one submit; it joins the next commit group. */
  private void apply(Submit s) {
    Long earlier = versionByClientSeq.get(s.client() + ":" + s.seq());
    if (earlier != null) {
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
    // The log holds versions horizon + 1 … version, in order: start right after the base.
    for (int i = (int) (s.baseVersion() - horizon); i < log.size(); i++) {
      ProfileStore.CommittedOp op = log.get(i);
      if (op.field().equals(s.field())) {
        delta = op.delta().transform(delta, true);
      }
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

  /**
   * The document of {@code field} after a (transformed) edit, if the edit fits it: it may not retain or
   * delete past the end ({@code delta_mismatch}) nor grow the field past its limit ({@code field_too_long}).
   */
  static Delta checkedApply(String field, Delta doc, Delta delta) {
    if (delta.baseLength() > doc.length()) {
      throw new ApiError(400, "delta_mismatch", "The delta retains or deletes past the end of " + field, "delta");
    }
    Delta next = doc.applied(delta);
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
    List<ProfileStore.CommittedOp> group = new ArrayList<>(batch);
    List<Submit> submits = new ArrayList<>(batchSubmits);
    // The group holds every numbered op not yet committed, so the documents now are those at its last version.
    Map<String, Delta> docsAfterGroup = new HashMap<>(docs);
    batch.clear();
    batchSubmits.clear();
    boolean titleChanged = group.stream().anyMatch(op -> ProfileFields.TITLE.equals(op.field()));
    String title = titleChanged ? docs.getOrDefault(ProfileFields.TITLE, Delta.EMPTY).text().strip() : null;
    store.commit(profileId, group, title).onComplete(ar -> {
      committing = false;
      if (ar.succeeded()) {
        committed = group.get(group.size() - 1).version();
        committedDocs = docsAfterGroup;
        publish(group);
        for (int i = 0; i < group.size(); i++) {
          submits.get(i).result().complete(new Result(group.get(i).version(), false));
        }
        releaseWaiting();
        maybeSnapshot();
        if (!deferred.isEmpty()) {
          inbox.addAll(deferred);
          deferred.clear();
          drain();
        }
        flush();
      } else if (ar.cause() instanceof ProfileStore.Conflict || ar.cause() instanceof ProfileStore.Forbidden) {
        // Another node won these versions, or an author lost the right to edit (their edits are refused):
        // reload, then redo every other submit not yet committed, in order.
        List<Submit> redo = new ArrayList<>(submits);
        redo.addAll(batchSubmits);
        redo.addAll(deferred);
        redo.addAll(inbox);
        if (ar.cause() instanceof ProfileStore.Forbidden refused) {
          LOG.info("profile commit refused for authors={}, redoing the others profile={}", refused.authors, profileId);
          redo.removeIf(sub -> {
            if (refused.authors.contains(sub.author())) {
              sub.result().fail(new ApiError(403, "forbidden", "Only members of the profile's space may edit it"));
              return true;
            }
            return false;
          });
        } else {
          LOG.info("profile commit conflict, reloading profile={}", profileId);
        }
        deferred.clear();
        batch.clear();
        batchSubmits.clear();
        inbox.clear();
        inbox.addAll(redo);
        loaded = false;
        drain();
      } else {
        LOG.error("profile commit failed profile={}", profileId, ar.cause());
        loaded = false;
        List<Submit> lost = new ArrayList<>(submits);
        lost.addAll(batchSubmits);
        lost.addAll(deferred);
        deferred.clear();
        batch.clear();
        batchSubmits.clear();
        for (Submit s : lost) {
          s.result().fail(new ApiError(500, "internal", "The edit could not be stored; resend it"));
        }
        drain();
      }
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
    while (!inbox.isEmpty()) {
      inbox.poll().result().fail(error);
    }
  }
}
