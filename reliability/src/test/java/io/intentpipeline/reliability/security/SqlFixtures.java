package io.intentpipeline.reliability.security;

import io.intentpipeline.storage.SqlQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fixtures for {@link SqlBuiltFromConstantsTest}: never run, only compiled and scanned. The
 * detector must flag every method of {@link Concatenated} and none of {@link Constant}.
 */
final class SqlFixtures {
  private SqlFixtures() {}

  /** SQL built from input, each in its own way. */
  static final class Concatenated {
    private String table = "t";

    void plusOperator(Connection c, String name) throws SQLException {
      c.prepareStatement("SELECT * FROM users WHERE name = '" + name + "'").close();
    }

    void stringBuilder(Statement s, String name) throws SQLException {
      StringBuilder sql = new StringBuilder("DELETE FROM users WHERE name = '");
      sql.append(name).append('\'');
      s.execute(sql.toString());
    }

    void format(Statement s, int id) throws SQLException {
      s.executeQuery(String.format("SELECT * FROM users WHERE id = %d", id)).close();
    }

    void concat(Connection c, String where) throws SQLException {
      c.prepareCall("SELECT * FROM users WHERE ".concat(where)).close();
    }

    void parameter(Statement s, String sql) throws SQLException {
      s.addBatch(sql);
    }

    void field(Statement s) throws SQLException {
      s.executeUpdate("DROP TABLE " + table);
    }

    void throughALocal(Connection c, String name) throws SQLException {
      String sql = "SELECT 1 FROM users WHERE name = '" + name + "'";
      c.prepareStatement(sql).close();
    }

    SqlQuery builderFragmentFromInput(String name) {
      return SqlQuery.builder().append("SELECT 1 WHERE name = '" + name + "'").build();
    }

    SqlQuery ofInput(String sql) {
      return SqlQuery.of(sql);
    }
  }

  /** SQL that is a compile-time constant, values bound. */
  static final class Constant {
    static final String COLUMNS = "id, name";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = ?";

    void literal(Connection c) throws SQLException {
      c.prepareStatement("SELECT 1 FROM users WHERE name = ?").close();
    }

    void foldedConstant(Connection c) throws SQLException {
      c.prepareStatement(BY_ID).close();
    }

    void textBlock(Statement s) throws SQLException {
      s.execute("""
          UPDATE users SET name = 'x'
          WHERE id = 1""");
    }

    void ternaryOfConstants(Connection c, boolean newest) throws SQLException {
      c.prepareStatement(newest ? "SELECT 1 ORDER BY id DESC" : "SELECT 1 ORDER BY id").close();
    }

    void constantLocal(Connection c) throws SQLException {
      String sql = "SELECT count(*) FROM users WHERE id > ?";
      c.prepareStatement(sql).close();
    }

    SqlQuery builderWithBoundValues(String name, int limit) {
      return SqlQuery.builder().append("SELECT 1 FROM users WHERE TRUE").append(" AND name = ?", name)
          .append(" LIMIT ?", limit).build();
    }
  }
}
