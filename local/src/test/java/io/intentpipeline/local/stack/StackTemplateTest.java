package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.testing.Events;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackTemplateTest {
  private static StackTemplate projectTemplate() {
    return StackTemplate.read(Events.projectRoot().resolve("template.yaml"));
  }

  @Test
  void readsTheFunctionsOfTheProjectTemplateWithTheirHandlersLimitsAndEnvironment() {
    // Act
    StackTemplate template = projectTemplate();

    // Assert
    StackTemplate.FunctionSpec flush = template.functions().get("FlushFunction");
    assertThat(flush.handlerClass()).isEqualTo("io.intentpipeline.flush.FlushHandler");
    assertThat(flush.handlerMethod()).isEqualTo("handleRequest");
    assertThat(flush.timeoutSeconds()).isEqualTo(30);
    assertThat(flush.memoryMb()).isEqualTo(512);
    assertThat(flush.environment()).containsKeys("DATABASE_URL", "INTERACTIONS_QUEUE_URL", "RETRAIN_QUEUE_URL",
        "RETRAIN_THRESHOLD");
    assertThat(flush.environment().get("INTERACTIONS_QUEUE_URL")).isEqualTo(new Intrinsic("Ref", "InteractionsQueue"));
    assertThat(template.functions()).containsKeys("RecordFunction", "CorrectionFunction", "SnapshotFunction");
  }

  @Test
  void readsEveryHttpApiRouteOfTheProjectTemplate() {
    // Act
    List<String> routes = projectTemplate().routes().stream().map(StackTemplate.HttpRoute::routeKey).toList();

    // Assert
    assertThat(routes).contains("POST /ai/training/interactions", "POST /ai/training/flush",
        "POST /ai/training/correction", "GET /ai/training/pending-review", "GET /ai/training/errors",
        "POST /ai/training/snapshot", "GET /ai/training/metrics", "GET /ai/training/metrics/history",
        "GET /ai/training/intent-performance", "GET /ai/training/dataset/stats", "POST /ai/training/erasure");
  }

  @Test
  void readsTheSqsEventSourceAndTheQueueRedrivePolicy() {
    // Act
    StackTemplate template = projectTemplate();

    // Assert
    assertThat(template.sqsSources()).contains(new StackTemplate.SqsSource("FlushFunction",
        "FlushFunction.Interactions", "InteractionsQueue", 20, Duration.ofSeconds(30), true, true,
        Optional.of(new Intrinsic("Ref", "FlushMaxConcurrency"))));
    StackTemplate.QueueSpec queue = template.queues().get("InteractionsQueue");
    assertThat(queue.deadLetterQueueId()).contains("InteractionsDeadLetterQueue");
    assertThat(queue.maxReceiveCount()).isEqualTo(5);
    assertThat(queue.properties()).containsEntry("VisibilityTimeout", 210);
  }

  @Test
  void readsTheSnapshotRulesWithTheirInputTransformer() {
    // Act
    var schedules = projectTemplate().schedules();

    // Assert
    var hourly = schedules.stream().filter(s -> s.name().equals("SnapshotHourlySchedule")).findFirst().orElseThrow();
    assertThat(hourly.expression()).isEqualTo("cron(5 * * * ? *)");
    assertThat(hourly.functionId()).isEqualTo("SnapshotFunction");
    assertThat(hourly.input().kind()).isEqualTo(StackTemplate.Input.Kind.TRANSFORMER);
    assertThat(hourly.input().pathsMap()).containsEntry("time", "$.time");
    assertThat(schedules).extracting(StackTemplate.ScheduleSpec::name).contains("SnapshotDailySchedule",
        "SnapshotWeeklySchedule", "SnapshotMonthlySchedule", "RetentionSchedule");
    var retention = schedules.stream().filter(s -> s.name().equals("RetentionSchedule")).findFirst().orElseThrow();
    assertThat(retention.functionId()).isEqualTo("SnapshotFunction");
    assertThat(retention.expression()).isEqualTo("cron(0 2 * * ? *)");
  }

  @Test
  void readsLongFormIntrinsicsAsTheShortTags() {
    // Arrange
    String yaml = """
        Resources:
          Q:
            Type: AWS::SQS::Queue
          F:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.Y
              Environment:
                Variables:
                  A: {"Ref": "Q"}
                  B: {"Fn::GetAtt": ["Q", "Arn"]}
                  C: !Sub "${Q.QueueName}-x"
              Events:
                E:
                  Type: SQS
                  Properties: {Queue: {"Fn::GetAtt": ["Q", "Arn"]}}
        """;

    // Act
    StackTemplate template = StackTemplate.parse(yaml, "t.yaml");

    // Assert
    Map<String, Object> env = template.functions().get("F").environment();
    assertThat(env.get("A")).isEqualTo(new Intrinsic("Ref", "Q"));
    assertThat(env.get("B")).isEqualTo(new Intrinsic("Fn::GetAtt", List.of("Q", "Arn")));
    assertThat(env.get("C")).isEqualTo(new Intrinsic("Fn::Sub", "${Q.QueueName}-x"));
    assertThat(template.sqsSources().get(0).batchSize()).isEqualTo(10);
    assertThat(template.sqsSources().get(0).batchingWindow()).isZero();
    assertThat(template.sqsSources().get(0).reportBatchItemFailures()).isFalse();
    assertThat(template.functions().get("F").timeoutSeconds()).isEqualTo(3);
  }

  @Test
  void globalsGiveDefaultsThatFunctionsOverride() {
    // Arrange
    String yaml = """
        Globals:
          Function:
            Timeout: 20
            Environment: {Variables: {SHARED: one, OWN: global}}
        Resources:
          F:
            Type: AWS::Serverless::Function
            Properties: {Handler: x.Y::run, Environment: {Variables: {OWN: mine}}}
        """;

    // Act
    var function = StackTemplate.parse(yaml, "t.yaml").functions().get("F");

    // Assert
    assertThat(function.timeoutSeconds()).isEqualTo(20);
    assertThat(function.handlerMethod()).isEqualTo("run");
    assertThat(function.environment()).containsEntry("SHARED", "one").containsEntry("OWN", "mine");
  }

  @Test
  void refusesTemplatesItCannotServeNamingWhere() {
    assertThatThrownBy(() -> StackTemplate.parse("Resources:\n  F:\n    Type: AWS::Serverless::Function\n", "t.yaml"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("Resources.F.Properties.Handler is missing");
    assertThatThrownBy(() -> StackTemplate.parse("""
        Resources:
          F:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.Y
              Events:
                E: {Type: SQS, Properties: {Queue: !GetAtt Nope.Arn}}
        """, "t.yaml"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Resources.F.Properties.Events.E.Properties.Queue names Nope");
    assertThatThrownBy(() -> StackTemplate.parse("""
        Resources:
          F:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.Y
              Events:
                A: {Type: HttpApi, Properties: {Path: /a, Method: GET}}
                B: {Type: HttpApi, Properties: {Path: /a, Method: get}}
        """, "t.yaml"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("Route GET /a is declared twice");
    assertThatThrownBy(() -> StackTemplate.parse("Resources: [\n", "t.yaml"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("t.yaml line");
  }

  @Test
  void listsEventSourcesItDoesNotEmulateInsteadOfFailing() {
    // Arrange
    String yaml = """
        Resources:
          F:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.Y
              Events:
                Upload: {Type: S3, Properties: {Bucket: b, Events: s3:ObjectCreated:*}}
        """;

    // Act
    StackTemplate template = StackTemplate.parse(yaml, "t.yaml");

    // Assert
    assertThat(template.warnings()).singleElement().asString().contains("Upload").contains("S3");
  }
}
