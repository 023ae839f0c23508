package io.intentpipeline.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One SQL statement and the values of its {@code ?} parameters, in order.
 *
 * <p>Statements are assembled from fixed fragments in code; input only ever reaches the database
 * as a bound parameter. Keeping the statement as a value lets a benchmark explain exactly the
 * statement a service runs.
 */
public record SqlQuery(String sql, List<Object> params) {
  public SqlQuery {
    params = java.util.Collections.unmodifiableList(new ArrayList<>(params));
  }

  /** A statement without parameters. */
  public static SqlQuery of(String sql) {
    return new SqlQuery(sql, List.of());
  }

  /** Prepares the statement on {@code connection} with its parameters bound; the caller closes it. */
  public PreparedStatement prepare(Connection connection) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < params.size(); i++) {
        bind(statement, i + 1, params.get(i));
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.NULL);
    } else if (value instanceof String s) {
      statement.setString(index, s);
    } else if (value instanceof Integer n) {
      statement.setInt(index, n);
    } else if (value instanceof Long n) {
      statement.setLong(index, n);
    } else if (value instanceof Float f) {
      statement.setFloat(index, f);
    } else if (value instanceof Boolean b) {
      statement.setBoolean(index, b);
    } else if (value instanceof UUID u) {
      statement.setObject(index, u);
    } else if (value instanceof Instant t) {
      statement.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    } else {
      throw new IllegalArgumentException("Unsupported parameter type " + value.getClass().getName());
    }
  }

  /** Builds a statement from fragments, collecting parameters as it goes. */
  public static final class Builder {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    /** Appends fixed SQL text (never input) and the values of its {@code ?} placeholders. */
    public Builder append(String fragment, Object... values) {
      long placeholders = fragment.chars().filter(c -> c == '?').count();
      if (placeholders != values.length) {
        throw new IllegalArgumentException(
            "Fragment has " + placeholders + " placeholders but " + values.length + " values: " + fragment);
      }
      sql.append(fragment);
      params.addAll(java.util.Arrays.asList(values));
      return this;
    }

    public SqlQuery build() {
      return new SqlQuery(sql.toString(), params);
    }
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }
}
