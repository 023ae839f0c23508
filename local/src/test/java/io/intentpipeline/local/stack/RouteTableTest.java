package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static StackTemplate.HttpRoute route(String method, String path, String function) {
    return new StackTemplate.HttpRoute(method, path, function, "E");
  }

  private final RouteTable table = new RouteTable(List.of(
      route("GET", "/ai/training/metrics", "Metrics"),
      route("GET", "/ai/training/metrics/history", "History"),
      route("ANY", "/items/{id}", "AnyItem"),
      route("DELETE", "/items/{id}", "DeleteItem"),
      route("GET", "/items/special", "Special"),
      route("GET", "/files/{path+}", "Files")));

  @Test
  void exactPathsAndMethodsMatch() {
    assertThat(table.match("GET", "/ai/training/metrics").orElseThrow().route().functionId()).isEqualTo("Metrics");
    assertThat(table.match("GET", "/ai/training/metrics/history").orElseThrow().route().functionId()).isEqualTo("History");
    assertThat(table.match("POST", "/ai/training/metrics")).isEmpty();
    assertThat(table.match("GET", "/ai/training/metric")).isEmpty();
  }

  @Test
  void theMostSpecificRouteWinsAndCapturesPathParameters() {
    assertThat(table.match("GET", "/items/special").orElseThrow().route().functionId()).isEqualTo("Special");
    var any = table.match("GET", "/items/42").orElseThrow();
    assertThat(any.route().functionId()).isEqualTo("AnyItem");
    assertThat(any.pathParameters()).isEqualTo(Map.of("id", "42"));
    assertThat(table.match("DELETE", "/items/42").orElseThrow().route().functionId()).isEqualTo("DeleteItem");
    var files = table.match("GET", "/files/a/b/c.txt").orElseThrow();
    assertThat(files.pathParameters()).isEqualTo(Map.of("path", "a/b/c.txt"));
    assertThat(table.match("GET", "/files")).isEmpty();
  }

  @Test
  void theDefaultRouteCatchesTheRest() {
    var withDefault = new RouteTable(List.of(route("GET", "/a", "A"), route("$default", "$default", "D")));
    assertThat(withDefault.match("POST", "/anything").orElseThrow().route().functionId()).isEqualTo("D");
    assertThat(withDefault.match("GET", "/a").orElseThrow().route().functionId()).isEqualTo("A");
  }
}
