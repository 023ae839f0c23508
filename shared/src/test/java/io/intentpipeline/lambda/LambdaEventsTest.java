package io.intentpipeline.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaEventsTest {
  private static LambdaEvent read(String json) throws Exception {
    return LambdaEvents.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsAnHttpApiRequestAsAwsSendsIt() throws Exception {
    var event = read("""
        {"version":"2.0","routeKey":"POST /ai/training/flush","rawPath":"/ai/training/flush","rawQueryString":"a=1",
         "headers":{"content-type":"application/json"},"queryStringParameters":{"a":"1"},
         "requestContext":{"accountId":"123456789012","apiId":"api-id","domainName":"id.execute-api.us-east-1.amazonaws.com",
           "http":{"method":"POST","path":"/ai/training/flush","protocol":"HTTP/1.1","sourceIp":"192.0.2.1","userAgent":"agent"},
           "requestId":"id","routeKey":"POST /ai/training/flush","stage":"$default","time":"12/Mar/2020:19:03:58 +0000","timeEpoch":1583348638390},
         "body":"e30=","isBase64Encoded":true}
        """);

    assertThat(event).isInstanceOfSatisfying(LambdaEvent.Http.class, http -> {
      assertThat(http.event().getRequestContext().getHttp().getMethod()).isEqualTo("POST");
      assertThat(http.event().getIsBase64Encoded()).isTrue();
      assertThat(http.event().getQueryStringParameters()).containsEntry("a", "1");
    });
  }

  @Test
  void readsAnSqsBatchAsAwsSendsIt() throws Exception {
    var event = read("""
        {"Records":[{"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
          "body":"{}","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183"},
          "messageAttributes":{},"md5OfBody":"99914b932bd37a50b983c5e7c90ae93b","eventSource":"aws:sqs",
          "eventSourceARN":"arn:aws:sqs:us-east-1:111122223333:interactions","awsRegion":"us-east-1"}]}
        """);

    assertThat(event).isInstanceOfSatisfying(LambdaEvent.Sqs.class, sqs -> {
      var message = sqs.event().getRecords().get(0);
      assertThat(message.getMessageId()).isEqualTo("059f36b4-87a3-44ab-83d2-661975830a7d");
      assertThat(message.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:111122223333:interactions");
      assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "1");
    });
  }

  @Test
  void readsAScheduleWithItsDetail() throws Exception {
    var event = read("""
        {"version":"0","id":"53dc4d37","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012",
         "time":"2026-11-27T02:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/nightly"],
         "detail":{"period_type":"daily"}}
        """);

    assertThat(event).isInstanceOfSatisfying(LambdaEvent.Scheduled.class, s -> {
      assertThat(s.name()).endsWith("rule/nightly");
      assertThat(s.detail().path("period_type").asText()).isEqualTo("daily");
    });
  }

  @Test
  void anythingElseIsADirectInvocation() throws Exception {
    assertThat(read("{\"action\":\"migrate\"}")).isInstanceOf(LambdaEvent.Direct.class);
    assertThatThrownBy(() -> read("{not json")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesResponsesInTheShapeAwsExpects() throws Exception {
    var http = APIGatewayV2HTTPResponse.builder().withStatusCode(202).withBody("{}")
        .withHeaders(Map.of("content-type", "application/json")).build();
    var batch = SQSBatchResponse.builder()
        .withBatchItemFailures(List.of(new SQSBatchResponse.BatchItemFailure("m-1"))).build();
    var out1 = new ByteArrayOutputStream();
    var out2 = new ByteArrayOutputStream();

    LambdaEvents.write(http, out1);
    LambdaEvents.write(batch, out2);

    assertThat(out1.toString(StandardCharsets.UTF_8))
        .contains("\"statusCode\":202").contains("\"isBase64Encoded\":false").contains("\"body\":\"{}\"");
    assertThat(out2.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}");
  }
}
