package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.json.Json;
import io.intentpipeline.pipeline.StageResult.Judged;
import io.intentpipeline.pipeline.StageResult.NothingNew;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a finished run's columns follow from the stage results it reached. */
class FinishedRunTest {
  private static final RunRequest REQUEST = new RunRequest(UUID.randomUUID(), "training_x", RunType.FULL,
      Trigger.CLI, 0, false, 1000, LabelPolicy.SEED, 0.97, Optional.empty());
  private static final Instant STARTED = Instant.parse("2026-03-01T07:00:00Z");

  private static FinishedRun failed(List<StageResult> reached, String message) {
    return FinishedRun.failed(REQUEST, STARTED, Json.MAPPER.createObjectNode(), reached, message, true);
  }

  @Test
  void aFailedRunKeepsTheGatesReasonOnlyWhenTheGateHadDecidedNotToDeploy() {
    Judged stays = new Judged(Optional.empty(), new DeployGate.Decision(false, "new F1 worse: the deployed model stays"));
    Judged deploys = new Judged(Optional.empty(), new DeployGate.Decision(true, "first model: no model was deployed"));

    assertThat(failed(List.of(stays), "boom").deployReason()).isEqualTo("new F1 worse: the deployed model stays");
    assertThat(failed(List.of(deploys), "boom").deployReason()).isEqualTo("run failed: the deployed model stays");
    assertThat(failed(List.of(), "boom").deployReason()).isEqualTo("run failed: the deployed model stays");
    assertThat(failed(List.of(deploys), "boom").deployed()).isFalse();
    assertThat(FinishedRun.failed(REQUEST, STARTED, Json.MAPPER.createObjectNode(), List.of(), "boom", false)
        .deployReason()).isEqualTo("run failed: no model is deployed yet");
  }

  @Test
  void aRunThatFoundNothingNewCompletesWithWhyAndNoColumnsOfStagesItNeverReached() {
    FinishedRun run = FinishedRun.completed(REQUEST, STARTED, Json.MAPPER.createObjectNode(),
        List.of(new NothingNew("nothing new: since then")));

    assertThat(run.deployReason()).isEqualTo("nothing new: since then");
    assertThat(run.deployed()).isFalse();
    assertThat(run.totalIntents()).isEmpty();
    assertThat(run.f1()).isEmpty();
    assertThat(run.modelVersion()).isEmpty();
    assertThat(run.samples()).isZero();
    RunOutcome outcome = run.outcome(FinishedRun.Artifacts.NONE, Map.of("record", 0.1), 0.2);
    assertThat(outcome.status()).isEqualTo("completed");
    assertThat(outcome.reason()).isEqualTo("nothing new: since then");
  }

  @Test
  void theErrorIsCutTo2000CharactersAndFilesNotWrittenAreNotedAfterIt() {
    FinishedRun run = failed(List.of(), "x".repeat(2500));
    FinishedRun.Artifacts notWritten = new FinishedRun.Artifacts(Optional.empty(), Optional.empty(), Optional.empty(),
        List.of("cannot put a", "cannot put b"));

    assertThat(run.failure()).hasValueSatisfying(e -> assertThat(e).hasSize(2000));
    assertThat(notWritten.errorMessage(run.failure())).hasValue("x".repeat(2000)
        + "; reports not written: cannot put a; cannot put b");
    assertThat(notWritten.errorMessage(Optional.empty())).hasValue("reports not written: cannot put a; cannot put b");
    assertThat(FinishedRun.Artifacts.NONE.errorMessage(Optional.empty())).isEmpty();
    assertThat(run.outcome(notWritten, Map.of(), 0).reason()).endsWith("; reports not written: cannot put a; cannot put b");
  }

  @Test
  void statusesKeepTheirNames() {
    assertThat(TrainingRuns.Filter.STATUSES).containsExactly("running", "completed", "failed", "skipped");
    assertThat(RunStatus.SKIPPED.dbName()).isEqualTo("skipped");
  }
}
