package io.intentpipeline.testing;

import io.intentpipeline.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestStack} and one open {@link Database} on it for a test class, registered as a static
 * field with {@code @RegisterExtension}: made before the class's {@code @BeforeAll} methods run,
 * closed after its {@code @AfterAll} methods. With {@link #emptyingTrainingRows()}, the training
 * rows are deleted before each test.
 */
public final class TestStackExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final String label;
  private final boolean emptyTrainingRows;
  private TestStack stack;
  private Database database;

  private TestStackExtension(String label, boolean emptyTrainingRows) {
    this.label = label;
    this.emptyTrainingRows = emptyTrainingRows;
  }

  /** A stack labelled {@code label} (its database, queues and bucket carry the label) with a database. */
  public static TestStackExtension withDatabase(String label) {
    return new TestStackExtension(label, false);
  }

  /** The same, deleting every training row before each test. */
  public TestStackExtension emptyingTrainingRows() {
    return new TestStackExtension(label, true);
  }

  /** The stack; available from the class's {@code @BeforeAll} on. */
  public TestStack stack() {
    return stack;
  }

  /** The database opened on the stack's database; available from the class's {@code @BeforeAll} on. */
  public Database database() {
    return database;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    stack = TestStack.create(label);
    database = new Database(stack.databaseSettings(), "test");
  }

  /** Deletes every training row now (what {@link #emptyingTrainingRows()} does before each test). */
  public void emptyTrainingRows() throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws SQLException {
    if (emptyTrainingRows) {
      emptyTrainingRows();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    database.close();
    stack.close();
  }
}
