package io.intentpipeline.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.intentpipeline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads the JSON of an invocation into a {@link LambdaEvent} and writes responses.
 *
 * <p>Functions with several triggers implement {@code RequestStreamHandler} and read their
 * event here; the event classes are those of {@code aws-lambda-java-events}, filled by a mapper
 * that accepts the spelling AWS uses ({@code eventSourceARN}, {@code isBase64Encoded}, ...).
 */
public final class LambdaEvents {
  private static final ObjectMapper MAPPER = JsonMapper.builder(Json.factory())
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private LambdaEvents() {}

  /** Reads one invocation; malformed JSON throws {@link IllegalArgumentException}. */
  public static LambdaEvent read(InputStream in) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(Json.malformed("payload", "Invocation payload", e).getMessage(), e);
    }
    return classify(root == null ? MAPPER.nullNode() : root);
  }

  /** Classifies a parsed invocation payload by its shape. */
  public static LambdaEvent classify(JsonNode root) throws IOException {
    JsonNode records = root.path("Records");
    if (records.isArray() && records.size() > 0 && "aws:sqs".equals(records.get(0).path("eventSource").asText())) {
      return new LambdaEvent.Sqs(MAPPER.treeToValue(root, SQSEvent.class));
    }
    if (root.has("requestContext") && (root.has("routeKey") || root.path("requestContext").has("http"))) {
      return new LambdaEvent.Http(MAPPER.treeToValue(root, APIGatewayV2HTTPEvent.class));
    }
    String source = root.path("source").asText("");
    if (source.equals("aws.events") || source.equals("aws.scheduler") || root.has("detail-type")) {
      JsonNode resources = root.path("resources");
      String name = resources.isArray() && resources.size() > 0 ? resources.get(0).asText() : root.path("detail-type").asText("schedule");
      return new LambdaEvent.Scheduled(name, root.path("detail"), root.path("time").asText(""));
    }
    return new LambdaEvent.Direct(root);
  }

  /** Writes a response object (API Gateway response, SQS batch response, any POJO) as JSON. */
  public static void write(Object response, OutputStream out) throws IOException {
    MAPPER.writeValue(out, response);
  }

  /** The mapper used for events, for tests that build events from JSON text. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
