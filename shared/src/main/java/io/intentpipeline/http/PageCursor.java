package io.intentpipeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.validation.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An opaque keyset cursor: the ordering key of the last item of a page, and a fingerprint of the
 * listing and filters it was issued for.
 *
 * <p>The next page starts strictly after that key, so rows inserted or removed meanwhile never
 * shift it: no item appears twice and none is skipped. A cursor presented with other filters
 * than its own is refused (400 naming {@code cursor}) rather than silently mixing two listings.
 */
public final class PageCursor {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private PageCursor() {}

  /** The cursor resuming after {@code key} in the listing described by {@code scope}. */
  public static String encode(String scope, List<String> key) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("v", 1);
    node.put("s", fingerprint(scope));
    ArrayNode values = node.putArray("k");
    key.forEach(values::add);
    return ENCODER.encodeToString(Json.write(node).getBytes(StandardCharsets.UTF_8));
  }

  /** The key in {@code cursor}, which must have been issued for {@code scope} with {@code size} values. */
  public static List<String> decode(String cursor, String scope, int size) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(new String(DECODER.decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw invalid();
    }
    if (node == null || node.path("v").asInt() != 1 || !node.path("k").isArray()) {
      throw invalid();
    }
    // Before the key's size: a cursor of another listing (or order) may hold a key of another size.
    if (!fingerprint(scope).equals(node.path("s").asText())) {
      throw new InvalidRequestException("cursor", "cursor was issued for another listing or other filters"
          + " (or another order); repeat the filters of the first page");
    }
    if (node.path("k").size() != size) {
      throw invalid();
    }
    List<String> key = new ArrayList<>(size);
    for (JsonNode value : node.path("k")) {
      if (!value.isTextual()) {
        throw invalid();
      }
      key.add(value.asText());
    }
    return key;
  }

  /** The error for a cursor that is not one of ours. */
  public static InvalidRequestException invalid() {
    return new InvalidRequestException("cursor", "cursor is not a cursor this API issued; use next_cursor as given");
  }

  private static String fingerprint(String scope) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(java.util.Arrays.copyOf(digest, 9));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
