package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.dataset.TrainingSample;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a human said wins, and near-copies of one message labelled by the bot count once. */
class TrustFilterTest {
  private static TrainingData.Row bot(String text, String intent) {
    return new TrainingData.Row(UUID.randomUUID(), new TrainingSample(text, intent, "", 95, "", false, false, "live", null),
        false, false);
  }

  private static TrainingData.Row human(String text, String intent) {
    return new TrainingData.Row(UUID.randomUUID(), new TrainingSample(text, intent, "", 40, "", false, true, "live", null),
        true, false);
  }

  @Test
  void auditPicksAreNeverLeftOutAndTheirTrustWinsOnTheirText() {
    TrainingData.Row pick = new TrainingData.Row(UUID.randomUUID(),
        new TrainingSample("where is my card", "card_arrival", "", 80, "", false, false, "live", null), false, true);
    TrainingData.Row labelled = new TrainingData.Row(UUID.randomUUID(),
        new TrainingSample("Where is my card?", "card_arrival", "", null, "", false, false, "imported", null), true, false);

    TrustFilter.Result result = TrustFilter.filter(List.of(labelled, pick, bot("where is my card", "card_arrival")));

    assertThat(result.kept()).hasSize(2);
    assertThat(result.trust()).containsEntry("where is my card", Trust.AUDIT_PENDING)
        .containsEntry("where is my card?", Trust.LABELLED);
  }

  @Test
  void nearDuplicatesDifferOnlyInCasePunctuationSpacingAndDigits() {
    assertThat(TrustFilter.nearKey("My card #1234 was declined!!")).isEqualTo(TrustFilter.nearKey("my card 9876 was declined"));
    assertThat(TrustFilter.nearKey("  Où est   ma carte ?")).isEqualTo("où est ma carte");
    assertThat(TrustFilter.nearKey("my card was declined")).isNotEqualTo(TrustFilter.nearKey("my card was stolen"));
    // Texts of neither letters nor digits are not all one message.
    assertThat(TrustFilter.nearKey("👍")).isNotEqualTo(TrustFilter.nearKey("🙏"));
  }

  @Test
  void fiftyNearCopiesTheBotLabelledCountOnce() {
    List<TrainingData.Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(bot("Card " + i + " declined!", "card_declined"));
    }
    rows.add(bot("where is my parcel", "delivery"));

    TrustFilter.Result result = TrustFilter.filter(rows);

    assertThat(result.kept()).extracting(TrainingSample::userMessage).containsExactly("Card 0 declined!", "where is my parcel");
    assertThat(result.nearDuplicatesRemoved()).isEqualTo(49);
  }

  @Test
  void aHumanLabelWinsOverTheBotsOnTheSameOrANearlyTheSameTextAndHumansAreNeverLeftOut() {
    List<TrainingData.Row> rows = List.of(
        bot("I lost my card", "card_declined"),
        bot("i LOST my card!", "card_declined"),
        human("I lost my card.", "lost_card"),
        human("I lost my card", "lost_card"),
        bot("top up failed", "top_up_failed"));

    TrustFilter.Result result = TrustFilter.filter(rows);

    assertThat(result.kept()).extracting(TrainingSample::intent).containsExactly("lost_card", "lost_card", "top_up_failed");
    assertThat(result.nearDuplicatesRemoved()).isEqualTo(2);
    assertThat(result.trust()).containsOnly(java.util.Map.entry("i lost my card.", Trust.REVIEWED),
        java.util.Map.entry("i lost my card", Trust.REVIEWED), java.util.Map.entry("top up failed", Trust.BOT));
  }
}
