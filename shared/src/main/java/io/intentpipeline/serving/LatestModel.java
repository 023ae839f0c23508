package io.intentpipeline.serving;

import io.intentpipeline.log.Log;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The model in service, kept fresh: {@link #current()} re-checks the latest object at most once
 * per refresh interval with a conditional GET, so a deploy or a rollback is served within one
 * interval and an unchanged object is never downloaded twice.
 *
 * <p>A latest object that fails its checksum or format check is refused: the model already held
 * stays in service, an error naming the object (bucket, key, ETag) is logged, and that ETag is
 * the one re-checked next time, so the same bad bytes are not downloaded again while any change
 * to the object is still seen. A failed check (S3 unreachable) is retried one interval later;
 * requests meanwhile get the model held. Thread-safe: one thread checks, the others keep serving.
 */
public final class LatestModel {
  /** A loaded model and where it came from. */
  public record Served(IntentModel model, String version, String etag, int bytes) {}

  /** Why no model is served. */
  public enum Problem {
    /** A model is served. */
    NONE,
    /** Nothing was checked yet. */
    NOT_CHECKED,
    /** The latest object does not exist: no model was deployed. */
    MISSING,
    /** The latest object exists but failed its checksum or format check. */
    UNREADABLE,
    /** S3 could not be read. */
    UNREACHABLE
  }

  private final S3ModelObject source;
  private final long intervalNanos;
  private final Duration interval;
  private final LongSupplier nanoTime;
  private final ReentrantLock checking = new ReentrantLock();
  private volatile Served served;
  private volatile Problem problem = Problem.NOT_CHECKED;
  private volatile String rejectedEtag;
  private volatile long nextCheck;
  private volatile boolean checkedOnce;

  /**
   * Serves {@code source}, re-checking it at most every {@code refreshInterval} as measured by
   * {@code nanoTime} (System::nanoTime in production). Nothing is fetched until the first
   * {@link #current()} or {@link #refreshNow()}.
   */
  public LatestModel(S3ModelObject source, Duration refreshInterval, LongSupplier nanoTime) {
    if (refreshInterval.isNegative()) {
      throw new IllegalArgumentException("refresh interval must not be negative");
    }
    this.source = source;
    this.interval = refreshInterval;
    this.intervalNanos = refreshInterval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * The model to serve now, after re-checking the latest object if the interval has passed since
   * the last check (on this thread: a conditional GET, plus download and parse when it changed).
   * Empty while no model could ever be loaded; {@link #problem()} says why.
   */
  public Optional<Served> current() {
    long now = nanoTime.getAsLong();
    if ((!checkedOnce || now - nextCheck >= 0) && checking.tryLock()) {
      try {
        // Another thread may have checked between the test above and the lock.
        if (!checkedOnce || now - nextCheck >= 0) {
          check(now);
        }
      } finally {
        checking.unlock();
      }
    }
    return Optional.ofNullable(served);
  }

  /** Checks the latest object now, whatever the interval; true when a new model was loaded. */
  public boolean refreshNow() {
    checking.lock();
    try {
      return check(nanoTime.getAsLong());
    } finally {
      checking.unlock();
    }
  }

  /** Why no model is served ({@link Problem#NONE} when one is). */
  public Problem problem() {
    return served != null ? Problem.NONE : problem;
  }

  /** The object checked. */
  public S3ModelObject source() {
    return source;
  }

  /** How often the object is re-checked at most. */
  public Duration refreshInterval() {
    return interval;
  }

  private boolean check(long now) {
    Served current = served;
    // Re-checking the refused ETag (rather than the served one) keeps the bad bytes from being
    // downloaded again, while any new deploy or rollback still changes the ETag.
    String known = rejectedEtag != null ? rejectedEtag : current != null ? current.etag() : null;
    long started = System.nanoTime();
    try {
      S3ModelObject.Fetch fetch = source.fetch(known);
      if (fetch instanceof S3ModelObject.Changed changed) {
        return load(changed, current, started);
      }
      if (fetch instanceof S3ModelObject.NotModified && known != null && known.equals(rejectedEtag)) {
        Log.error("model_still_rejected", "bucket", source.bucket(), "key", source.key(), "etag", known,
            "serving", current == null ? null : current.version(), "retry_in_seconds", interval.toSeconds());
      }
      if (fetch instanceof S3ModelObject.Missing) {
        rejectedEtag = null;
        problem = Problem.MISSING;
        Log.warn(current == null ? "model_not_deployed" : "model_missing_keeping_current",
            "bucket", source.bucket(), "key", source.key(),
            "serving", current == null ? null : current.version());
      }
      return false;
    } catch (RuntimeException e) {
      if (current == null) {
        problem = Problem.UNREACHABLE;
      }
      Log.error("model_check_failed", e, "bucket", source.bucket(), "key", source.key(),
          "serving", current == null ? null : current.version(),
          "retry_in_seconds", interval.toSeconds());
      return false;
    } finally {
      checkedOnce = true;
      nextCheck = now + intervalNanos;
    }
  }

  private boolean load(S3ModelObject.Changed changed, Served current, long started) {
    if (current != null && changed.etag() != null && changed.etag().equals(current.etag())) {
      // The refused object was replaced by the one already served (e.g. a rollback to it).
      rejectedEtag = null;
      return false;
    }
    IntentModel model;
    try {
      model = ModelCodec.read(changed.bytes());
    } catch (ModelFormatException e) {
      rejectedEtag = changed.etag();
      if (current == null) {
        problem = Problem.UNREADABLE;
      }
      Log.error("model_rejected", "bucket", source.bucket(), "key", source.key(), "etag", changed.etag(),
          "bytes", changed.bytes().length, "reason", e.getMessage(),
          "serving", current == null ? null : current.version(), "retry_in_seconds", interval.toSeconds());
      return false;
    }
    String version = model.metadata().modelVersion();
    if (version.isBlank()) {
      version = "etag:" + unquoted(changed.etag());
    }
    served = new Served(model, version, changed.etag(), changed.bytes().length);
    rejectedEtag = null;
    problem = Problem.NONE;
    Log.info("model_loaded", "bucket", source.bucket(), "key", source.key(), "etag", changed.etag(),
        "model_version", version, "bytes", changed.bytes().length, "intents", model.intents().size(),
        "previous", current == null ? null : current.version(),
        "ms", (System.nanoTime() - started) / 1_000_000);
    return true;
  }

  private static String unquoted(String etag) {
    if (etag == null) {
      return "unknown";
    }
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
  }
}
