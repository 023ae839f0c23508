package io.intentpipeline.local.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a request to an HTTP API route as API Gateway does: the most specific path wins
 * (literal segments over {@code {param}} over a greedy {@code {proxy+}}), an exact method over
 * {@code ANY}, and {@code $default} catches the rest.
 */
final class RouteTable {
  /** A matched route and the path parameters it captured. */
  record Match(StackTemplate.HttpRoute route, Map<String, String> pathParameters) {}

  private final List<StackTemplate.HttpRoute> routes;

  RouteTable(List<StackTemplate.HttpRoute> routes) {
    this.routes = List.copyOf(routes);
  }

  /** The route for {@code method} and {@code path} (no query string), if any. */
  Optional<Match> match(String method, String path) {
    String[] segments = split(path);
    Match best = null;
    long bestScore = -1;
    StackTemplate.HttpRoute fallback = null;
    for (StackTemplate.HttpRoute route : routes) {
      if (route.path().equals("$default")) {
        fallback = route;
        continue;
      }
      boolean methodMatches = route.method().equals(method) || route.method().equals("ANY");
      if (!methodMatches) {
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      long score = score(split(route.path()), segments, params);
      if (score < 0) {
        continue;
      }
      score = score * 2 + (route.method().equals("ANY") ? 0 : 1);
      if (score > bestScore) {
        bestScore = score;
        best = new Match(route, params);
      }
    }
    if (best == null && fallback != null) {
      best = new Match(fallback, Map.of());
    }
    return Optional.ofNullable(best);
  }

  /**
   * The methods of the routes whose path matches {@code path} (sorted), for a request whose method
   * none of them takes: the stack answers it 405 with them in {@code Allow}. Empty when no route
   * has that path.
   */
  java.util.SortedSet<String> allowedMethods(String path) {
    String[] segments = split(path);
    java.util.SortedSet<String> methods = new java.util.TreeSet<>();
    for (StackTemplate.HttpRoute route : routes) {
      if (!route.path().equals("$default") && score(split(route.path()), segments, new LinkedHashMap<>()) >= 0) {
        methods.add(route.method());
      }
    }
    return methods;
  }

  /** How specifically {@code pattern} matches {@code segments} (higher is more specific), or -1. */
  private static long score(String[] pattern, String[] segments, Map<String, String> params) {
    long score = 0;
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("+}") && i == pattern.length - 1) {
        if (segments.length <= i) {
          return -1;
        }
        params.put(p.substring(1, p.length() - 2), String.join("/", java.util.Arrays.copyOfRange(segments, i, segments.length)));
        return score * 3;
      }
      if (i >= segments.length) {
        return -1;
      }
      if (p.startsWith("{") && p.endsWith("}")) {
        params.put(p.substring(1, p.length() - 1), segments[i]);
        score = score * 3 + 1;
      } else if (p.equals(segments[i])) {
        score = score * 3 + 2;
      } else {
        return -1;
      }
    }
    return pattern.length == segments.length ? score * 3 + 2 : -1;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
