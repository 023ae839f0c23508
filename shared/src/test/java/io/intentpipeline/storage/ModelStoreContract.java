package io.intentpipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.serving.S3ModelObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the train and predict functions rely on from a model store, written once and run against
 * {@link S3ModelStore} on the embedded S3 server ({@code S3ModelStoreIT}) and against its
 * in-memory twin ({@code InMemoryModelStoreTest}), so the twin cannot drift from the real store.
 *
 * @param <S> the store under test: a model store that also keeps the run artifacts
 */
public interface ModelStoreContract<S extends ModelStore & ArtifactStore> {
  /** A store over a bucket of its own, empty. */
  S emptyStore();

  /** A store whose every operation fails as against an unreachable S3. */
  S unreachableStore();

  /** The latest object of {@code store} as the predict function reads it (conditional GETs). */
  S3ModelObject latestObject(S store);

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  default void nothingIsInServiceBeforeTheFirstPromote() {
    S store = emptyStore();
    store.put("intent_classifier_20260101_000000", bytes("written, never promoted"));

    assertThat(store.latest()).isEmpty();
  }

  @Test
  default void whatIsPutReadsBackAndExists() {
    S store = emptyStore();
    byte[] model = bytes("model one");

    StoredModel written = store.put("intent_classifier_20260101_000000", model);

    assertThat(written.key()).isEqualTo("models/intent_classifier_20260101_000000.model");
    assertThat(written.bytes()).isEqualTo(model);
    assertThat(written.etag()).startsWith("\"").endsWith("\"");
    assertThat(store.read("intent_classifier_20260101_000000")).isEqualTo(model);
    assertThat(store.exists("intent_classifier_20260101_000000")).isTrue();
    assertThat(store.exists("intent_classifier_20260101_000001")).isFalse();
  }

  @Test
  default void promoteMakesLatestThatVersionsBytesUnderItsEtag() {
    S store = emptyStore();
    StoredModel written = store.put("intent_classifier_20260101_000000", bytes("model one"));

    StoredModel promoted = store.promote("intent_classifier_20260101_000000");

    assertThat(promoted.key()).isEqualTo(ModelStore.LATEST_KEY);
    StoredModel latest = store.latest().orElseThrow();
    assertThat(latest.key()).isEqualTo(ModelStore.LATEST_KEY);
    assertThat(latest.bytes()).isEqualTo(bytes("model one"));
    assertThat(latest.etag()).isEqualTo(promoted.etag()).isEqualTo(written.etag());
    assertThat(store.read("intent_classifier_20260101_000000")).isEqualTo(bytes("model one"));
  }

  @Test
  default void aPromoteReplacesLatestWholeAndItsEtagFollowsTheContent() {
    S store = emptyStore();
    store.put("intent_classifier_20260101_000000", bytes("a longer first model"));
    store.put("intent_classifier_20260102_000000", bytes("second"));
    String first = store.promote("intent_classifier_20260101_000000").etag();

    String second = store.promote("intent_classifier_20260102_000000").etag();
    StoredModel afterSecond = store.latest().orElseThrow();
    String rolledBack = store.promote("intent_classifier_20260101_000000").etag();

    assertThat(afterSecond.bytes()).isEqualTo(bytes("second"));
    assertThat(second).isNotEqualTo(first);
    assertThat(rolledBack).as("the same bytes, the same ETag").isEqualTo(first);
    assertThat(store.latest().orElseThrow().bytes()).isEqualTo(bytes("a longer first model"));
  }

  @Test
  default void deleteRemovesAVersionAndLeavesLatestAlone() {
    S store = emptyStore();
    store.put("intent_classifier_20260101_000000", bytes("model one"));
    store.promote("intent_classifier_20260101_000000");

    store.delete("intent_classifier_20260101_000000");
    store.delete("intent_classifier_20260109_000000");

    assertThat(store.exists("intent_classifier_20260101_000000")).isFalse();
    assertThat(store.latest().orElseThrow().bytes()).isEqualTo(bytes("model one"));
  }

  @Test
  default void readingOrPromotingAMissingVersionFailsNamingIt() {
    S store = emptyStore();
    String missing = ModelStore.versionKey("intent_classifier_20260101_000000");

    assertThatThrownBy(() -> store.read("intent_classifier_20260101_000000"))
        .isInstanceOf(ModelStoreException.class).hasMessageContaining(store.location(missing));
    assertThatThrownBy(() -> store.promote("intent_classifier_20260101_000000"))
        .isInstanceOf(ModelStoreException.class).hasMessageContaining(missing)
        .hasMessageContaining(store.location(ModelStore.LATEST_KEY));
    assertThatThrownBy(() -> store.get("reports/none.json"))
        .isInstanceOf(ModelStoreException.class).hasMessageContaining(store.location("reports/none.json"));
    assertThat(store.latest()).isEmpty();
  }

  @Test
  default void aVersionThatIsNotOneIsRefusedBeforeTheStoreIsAsked() {
    S store = unreachableStore();

    assertThatThrownBy(() -> store.put("../latest", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.exists("a b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  default void artifactsAreStoredUnderTheirKeyAtTheirLocation() {
    S store = emptyStore();

    String location = store.put("reports/run-1.json", bytes("{\"ok\":true}"), "application/json");

    assertThat(location).isEqualTo(store.location("reports/run-1.json")).startsWith("s3://").endsWith("/reports/run-1.json");
    assertThat(store.get("reports/run-1.json")).isEqualTo(bytes("{\"ok\":true}"));
  }

  @Test
  default void anUnreachableStoreFailsEveryOperationNamingTheObject() {
    S store = unreachableStore();
    String version = "intent_classifier_20260101_000000";
    String key = ModelStore.versionKey(version);

    assertThatThrownBy(store::latest).isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(store.location(ModelStore.LATEST_KEY));
    assertThatThrownBy(() -> store.exists(version)).isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(store.location(key));
    assertThatThrownBy(() -> store.put(version, bytes("x"))).isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(store.location(key));
    assertThatThrownBy(() -> store.promote(version)).isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(store.location(ModelStore.LATEST_KEY));
    assertThatThrownBy(() -> store.delete(version)).isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(store.location(key));
    assertThatThrownBy(() -> store.put("reports/r.json", bytes("{}"), "application/json"))
        .isInstanceOf(ModelStoreException.class).hasMessageContaining(store.location("reports/r.json"));
  }

  @Test
  default void predictsConditionalGetSeesWhatWasPromoted() {
    S store = emptyStore();
    S3ModelObject latest = latestObject(store);
    assertThat(latest.fetch(null)).isInstanceOf(S3ModelObject.Missing.class);
    store.put("intent_classifier_20260101_000000", bytes("model one"));
    store.put("intent_classifier_20260102_000000", bytes("model two"));
    String etag = store.promote("intent_classifier_20260101_000000").etag();

    S3ModelObject.Fetch first = latest.fetch(null);
    S3ModelObject.Fetch unchanged = latest.fetch(etag);
    store.promote("intent_classifier_20260102_000000");
    S3ModelObject.Fetch changed = latest.fetch(etag);

    assertThat(first).isInstanceOfSatisfying(S3ModelObject.Changed.class, c -> {
      assertThat(c.bytes()).isEqualTo(bytes("model one"));
      assertThat(c.etag()).isEqualTo(etag);
    });
    assertThat(unchanged).isInstanceOf(S3ModelObject.NotModified.class);
    assertThat(changed).isInstanceOfSatisfying(S3ModelObject.Changed.class, c -> {
      assertThat(c.bytes()).isEqualTo(bytes("model two"));
      assertThat(c.etag()).isEqualTo(store.latest().orElseThrow().etag());
    });
  }
}
