package io.intentpipeline.local.deploy;

import static io.intentpipeline.local.deploy.SamTemplate.list;
import static io.intentpipeline.local.deploy.SamTemplate.logicalId;
import static io.intentpipeline.local.deploy.SamTemplate.map;
import static io.intentpipeline.local.deploy.SamTemplate.properties;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.testing.Events;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's template defects, checked on template.yaml: the database URL is hidden, takes no
 * login and requires TLS; no role lists the bucket beyond its prefix; the scheduled snapshots have
 * a failure destination and an alarm; flush errors and throttles raise alarms.
 */
class TemplateHardeningTest {
  private static SamTemplate template;

  @BeforeAll
  static void read() throws IOException {
    template = SamTemplate.read(Events.projectRoot().resolve("template.yaml"));
  }

  @Test
  void theDatabaseUrlIsHiddenTakesNoLoginAndRequiresTls() {
    // Arrange
    Map<String, Object> parameter = map(template.parameters().get("DatabaseUrl"));
    Pattern allowed = Pattern.compile(String.valueOf(parameter.get("AllowedPattern")));
    String host = "jdbc:postgresql://mydb.cluster-abc.eu-west-1.rds.amazonaws.com:5432/intent_pipeline";

    // Act / Assert
    assertThat(parameter.get("NoEcho")).isEqualTo(true);
    assertThat(List.of(host + "?sslmode=require", host + "?sslmode=verify-full&sslrootcert=/var/task/rds-ca.pem",
        host + "?ApplicationName=pipeline&sslmode=verify-ca&connectTimeout=10",
        "jdbc:postgresql://db1:5432,db2:5432/intent_pipeline?targetServerType=primary&sslmode=require"))
        .allSatisfy(url -> assertThat(allowed.matcher(url).matches()).as(url).isTrue());
    assertThat(List.of(host, host + "?sslmode=prefer", host + "?sslmode=disable", host + "?ssl=true",
        host + "?sslmode=require&password=secret", host + "?password=secret&sslmode=require",
        host + "?user=admin&sslmode=require", host + "?sslmode=require&user=admin",
        "jdbc:postgresql://admin:secret@mydb.example:5432/intent_pipeline?sslmode=require",
        host + "?sslmode=require#password=secret", "jdbc:mysql://db:3306/x?sslmode=require"))
        .allSatisfy(url -> assertThat(allowed.matcher(url).matches()).as(url).isFalse());
  }

  @Test
  void noRoleListsTheBucketBeyondAPrefix() {
    List<String> listings = new ArrayList<>();
    for (String role : template.ofType("AWS::IAM::Role")) {
      for (Object policy : list(properties(template.resource(role)).get("Policies"))) {
        for (Object raw : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
          Map<String, Object> statement = map(SamTemplate.whenTrue(raw).orElseThrow());
          if (list(statement.get("Action")).contains("s3:ListBucket")) {
            listings.add(role + " " + map(statement.get("Condition")));
          }
        }
      }
    }

    assertThat(listings).containsExactlyInAnyOrder(
        "PredictRole {StringEquals={s3:prefix=models/intent_classifier_latest.model}}",
        "SnapshotRole {StringLike={s3:prefix=[datasets/*, exports/*]}}",
        "TrainRole {StringLike={s3:prefix=models/*}}");
  }

  @Test
  void scheduledSnapshotsThatFailGoToAQueueThatRaisesAnAlarm() {
    // Arrange
    Map<String, Object> function = template.functions().get("SnapshotFunction");
    Map<String, Object> invokeConfig = map(function.get("EventInvokeConfig"));
    Map<String, Object> onFailure = map(map(invokeConfig.get("DestinationConfig")).get("OnFailure"));

    // Act / Assert: Lambda's failed asynchronous invocations, after its retries
    assertThat(onFailure.get("Type")).isEqualTo("SQS");
    assertThat(logicalId(onFailure.get("Destination"))).isEqualTo("SnapshotScheduleFailuresQueue");
    assertThat(invokeConfig.get("MaximumRetryAttempts")).isEqualTo(2);
    // ... and events EventBridge could not deliver, for every schedule of the function (the four
    // snapshots and the retention run)
    List<String> snapshotRules = template.ofType("AWS::Events::Rule").stream()
        .filter(rule -> list(properties(template.resource(rule)).get("Targets")).stream()
            .anyMatch(t -> logicalId(map(t).get("Arn")).equals("SnapshotFunction")))
        .toList();
    assertThat(snapshotRules).hasSize(5).allSatisfy(rule -> assertThat(list(properties(template.resource(rule))
        .get("Targets"))).allSatisfy(t -> assertThat(logicalId(map(map(t).get("DeadLetterConfig")).get("Arn")))
        .as(rule).isEqualTo("SnapshotScheduleFailuresQueue")));
    Map<String, Object> queuePolicy = properties(template.resource("SnapshotScheduleFailuresQueuePolicy"));
    assertThat(queuePolicy.toString()).contains("events.amazonaws.com").contains("aws:SecureTransport");
    assertThat(alarms()).contains("ApproximateNumberOfMessagesVisible SnapshotScheduleFailuresQueue");
  }

  @Test
  void flushErrorsAndThrottlesRaiseAlarms() {
    Map<String, Object> filter = properties(template.resource("FlushErrorsMetricFilter"));

    assertThat(alarms()).contains("Errors FlushFunction", "Throttles FlushFunction", "FlushErrors");
    assertThat(logicalId(filter.get("LogGroupName"))).isEqualTo("FlushLogGroup");
    // Log writes "level":"ERROR" on every error line (batch_not_stored, drain_failed).
    assertThat(filter.get("FilterPattern")).isEqualTo("{ $.level = \"ERROR\" }");
    assertThat(map(list(filter.get("MetricTransformations")).get(0)).get("MetricName")).isEqualTo("FlushErrors");
  }

  /** Each alarm as "metric dimension-resource", its actions on the alarm topic when one is given. */
  private static List<String> alarms() {
    List<String> watched = new ArrayList<>();
    for (String alarm : template.ofType("AWS::CloudWatch::Alarm")) {
      Map<String, Object> props = properties(template.resource(alarm));
      String dimension = list(props.get("Dimensions")).isEmpty() ? ""
          : " " + logicalId(map(list(props.get("Dimensions")).get(0)).get("Value"));
      watched.add(props.get("MetricName") + dimension);
      assertThat(SamTemplate.condition(props.get("AlarmActions"))).as(alarm).contains("HasAlarmTopic");
    }
    return watched;
  }
}
