package io.intentpipeline.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The automatic retrain trigger's state (table {@code ai_retrain_state}, functions
 * {@code claim_retrain_request} and {@code release_retrain_request} of db/V3): at most one open
 * request at a time, however many flushes check at once.
 */
public final class RetrainState {
  /** A request won by this caller: when it was made and how many new samples it saw (capped at the threshold). */
  public record Claim(Instant requestedAt, int newSamples) {}

  private final Database database;

  /** Reads and claims through {@code database}. */
  public RetrainState(Database database) {
    this.database = database;
  }

  /**
   * Claims a retrain request when at least {@code threshold} samples arrived since the newest
   * completed training run and no request is open (younger than {@code expirySeconds} and not
   * yet served by a completed run); empty otherwise.
   */
  public Optional<Claim> claim(int threshold, int expirySeconds) throws SQLException {
    return database.run(connection -> {
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT claimed_at, claimed_samples FROM claim_retrain_request(?, ?)")) {
        s.setInt(1, threshold);
        s.setInt(2, expirySeconds);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new Claim(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getInt(2)));
        }
      }
    });
  }

  /** Withdraws {@code claim} (its message could not be sent), so that the next check may claim again. */
  public void release(Claim claim) throws SQLException {
    database.run(connection -> {
      try (PreparedStatement s = connection.prepareStatement("SELECT release_retrain_request(?)")) {
        s.setObject(1, OffsetDateTime.ofInstant(claim.requestedAt(), ZoneOffset.UTC));
        s.execute();
        return null;
      }
    });
  }
}
