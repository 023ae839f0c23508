package io.intentpipeline.local.deploy;

import static io.intentpipeline.local.deploy.SamTemplate.list;
import static io.intentpipeline.local.deploy.SamTemplate.logicalId;
import static io.intentpipeline.local.deploy.SamTemplate.map;
import static io.intentpipeline.local.deploy.SamTemplate.properties;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml checked against the code and the README: handlers exist, routes match the README
 * and are all signed with IAM, each function's role grants exactly the AWS calls its byte code
 * makes (on the resources below), the queues' timing rules hold, SnapStart and java21 are where
 * they should be, the schedules give the handlers the input they read, and sam build finds a
 * build target for every function.
 */
class DeployChecksTest {
  /**
   * What each function's code does in AWS, and on what (resources as the template names them,
   * {@code Resource/prefix} for S3 keys). The actions are compared with those found in the byte
   * code (ReachableAwsCalls) and the event source mappings; the resources say why each is where
   * it is:
   * <ul>
   *   <li>record: InteractionPublisher sends the interactions;
   *   <li>flush: its mapping and the drain route consume the interactions queue, RetrainTrigger
   *       sends the automatic retrain request, Database reads its login from the secret;
   *   <li>predict: S3ModelObject GETs models/intent_classifier_latest.model only, and tells a
   *       missing model (404, which needs ListBucket on the bucket) from a refused one;
   *   <li>correction: the database only;
   *   <li>snapshot: exports are written (S3UploadStream), aborted, and shared by a presigned GET,
   *       under exports/ only; ServedModel HEADs latest (which model is in service); erasure (DataBucket) lists datasets/ and exports/,
   *       rewrites a dataset snapshot and deletes an export; Lambda sends a failed scheduled invocation to its OnFailure queue
   *       with the function's role;
   *   <li>train: S3ModelStore reads, writes, copies and deletes under models/, writes the run's
   *       reports/ and datasets/, tells a missing latest by its 404; the retrain queue is consumed
   *       by its mapping and fed by POST /ai/training/run; the admin console's routes (ModelAdmin)
   *       list models/ and share a run's report by a presigned GET (reports/, read only so).
   * </ul>
   * kms:Decrypt goes with the secret, only when it is encrypted with a customer key.
   */
  private static final Map<String, Set<String>> GRANTS = Map.of(
      "RecordFunction", Set.of("sqs:SendMessage on InteractionsQueue"),
      "FlushFunction", Set.of(
          "sqs:ReceiveMessage on InteractionsQueue", "sqs:DeleteMessage on InteractionsQueue",
          "sqs:GetQueueAttributes on InteractionsQueue", "sqs:SendMessage on RetrainQueue",
          "secretsmanager:GetSecretValue on DatabaseSecretArn",
          "kms:Decrypt on DatabaseSecretKmsKeyArn if HasSecretKmsKey"),
      "PredictFunction", Set.of(
          "s3:GetObject on ModelBucket/models/intent_classifier_latest.model",
          "s3:ListBucket on ModelBucket where s3:prefix=models/intent_classifier_latest.model"),
      "CorrectionFunction", Set.of(
          "secretsmanager:GetSecretValue on DatabaseSecretArn",
          "kms:Decrypt on DatabaseSecretKmsKeyArn if HasSecretKmsKey"),
      "SnapshotFunction", Set.of(
          "s3:PutObject on ModelBucket/exports/*", "s3:GetObject on ModelBucket/exports/*",
          "s3:AbortMultipartUpload on ModelBucket/exports/*",
          "sqs:SendMessage on SnapshotScheduleFailuresQueue",
          "s3:GetObject on ModelBucket/models/intent_classifier_latest.model",
          "s3:DeleteObject on ModelBucket/exports/*",
          "s3:GetObject on ModelBucket/datasets/*", "s3:PutObject on ModelBucket/datasets/*",
          "s3:ListBucket on ModelBucket where s3:prefix=[datasets/*, exports/*]",
          "secretsmanager:GetSecretValue on DatabaseSecretArn",
          "kms:Decrypt on DatabaseSecretKmsKeyArn if HasSecretKmsKey"),
      "TrainFunction", Set.of(
          "s3:GetObject on ModelBucket/models/*", "s3:PutObject on ModelBucket/models/*",
          "s3:DeleteObject on ModelBucket/models/*", "s3:PutObject on ModelBucket/reports/*",
          "s3:GetObject on ModelBucket/reports/*",
          "s3:PutObject on ModelBucket/datasets/*", "s3:ListBucket on ModelBucket where s3:prefix=models/*",
          "sqs:ReceiveMessage on RetrainQueue", "sqs:DeleteMessage on RetrainQueue",
          "sqs:GetQueueAttributes on RetrainQueue", "sqs:SendMessage on RetrainQueue",
          "secretsmanager:GetSecretValue on DatabaseSecretArn",
          "kms:Decrypt on DatabaseSecretKmsKeyArn if HasSecretKmsKey"));

  /** What an SQS event source mapping does with the function's role (Lambda's documented needs). */
  private static final Set<String> MAPPING_ACTIONS = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
      "sqs:GetQueueAttributes");

  private static Path root;
  private static SamTemplate template;
  private static ReachableAwsCalls code;

  @BeforeAll
  static void read() throws IOException {
    root = Events.projectRoot();
    template = SamTemplate.read(root.resolve("template.yaml"));
    code = ReachableAwsCalls.ofProject(root);
  }

  @Test
  void everyHandlerClassExistsAndIsALambdaHandler() throws Exception {
    // Arrange
    Map<String, Map<String, Object>> functions = template.functions();

    // Act / Assert
    assertThat(functions.keySet()).containsExactlyInAnyOrder("RecordFunction", "FlushFunction", "PredictFunction",
        "CorrectionFunction", "SnapshotFunction", "TrainFunction");
    for (var entry : functions.entrySet()) {
      String handler = String.valueOf(entry.getValue().get("Handler"));
      assertThat(handler).as(entry.getKey()).matches("[a-z][a-zA-Z0-9_.]*\\.[A-Z][A-Za-z0-9]*::handleRequest");
      Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
      assertThat(RequestStreamHandler.class.isAssignableFrom(type) || RequestHandler.class.isAssignableFrom(type))
          .as(handler + " implements a Lambda handler interface").isTrue();
      assertThat(type.getConstructor()).as(handler + " has the public no-argument constructor Lambda calls").isNotNull();
      assertThat(List.of(type.getMethods()).stream().map(Method::getName)).as(handler).contains("handleRequest");
    }
  }

  @Test
  void everyFunctionRunsJava21OnArm64WithMemoryAndTimeoutSet() {
    // Arrange
    Map<String, Map<String, Object>> functions = template.functions();

    // Act / Assert
    functions.forEach((id, props) -> {
      assertThat(props.get("Runtime")).as(id + " runtime").isEqualTo("java21");
      assertThat(list(props.get("Architectures"))).as(id + " architectures").containsExactly("arm64");
      assertThat(props.get("MemorySize")).as(id + " memory").isInstanceOf(Integer.class);
      assertThat((Integer) props.get("Timeout")).as(id + " timeout").isBetween(1, 900);
    });
  }

  @Test
  void templateRoutesAndReadmeRoutesAreTheSameSet() throws IOException {
    // Arrange
    String readme = Files.readString(root.resolve("README.md"));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:GET|POST|PUT|PATCH|DELETE)(?:\\|(?:GET|POST|PUT|PATCH|DELETE))*)`? +`?(/ai/training/[A-Za-z0-9/_-]*[A-Za-z0-9_-])")
        .matcher(readme);
    while (m.find()) {
      for (String method : m.group(1).split("\\|")) {
        documented.add(method + " " + m.group(2));
      }
    }

    // Act
    Set<String> deployed = new TreeSet<>();
    template.routes().forEach(r -> deployed.add(r.key()));

    // Assert
    assertThat(deployed).hasSize((int) template.routes().stream()
        .filter(r -> r.apiId().equals(Map.of("Ref", "PipelineApi"))).count());
    assertThat(deployed).isEqualTo(documented);
  }

  @Test
  void noRouteIsAnonymous() {
    // Arrange
    Map<String, Object> api = properties(template.resource("PipelineApi"));
    Map<String, Object> auth = map(api.get("Auth"));

    // Act / Assert
    assertThat(template.resource("PipelineApi").get("Type")).isEqualTo("AWS::Serverless::HttpApi");
    assertThat(auth.get("EnableIamAuthorizer")).isEqualTo(true);
    assertThat(auth.get("DefaultAuthorizer")).isEqualTo("AWS_IAM");
    assertThat(template.ofType("AWS::Serverless::HttpApi")).containsExactlyInAnyOrder("PipelineApi", "AdminApi");
    assertThat(template.ofType("AWS::Serverless::Api")).isEmpty();
    // The admin console's API: the Cognito user pool's tokens only (the functions then require the admins group).
    Map<String, Object> adminAuth = map(properties(template.resource("AdminApi")).get("Auth"));
    assertThat(adminAuth.get("DefaultAuthorizer")).isEqualTo("CognitoAdmins");
    Map<String, Object> jwt = map(map(map(adminAuth.get("Authorizers")).get("CognitoAdmins")).get("JwtConfiguration"));
    assertThat(String.valueOf(jwt.get("issuer"))).contains("cognito-idp").contains("${ConsoleUserPool}");
    assertThat(String.valueOf(jwt.get("audience"))).contains("ConsoleUserPoolClient");
    Set<String> iamRoutes = new TreeSet<>();
    Set<String> adminRoutes = new TreeSet<>();
    for (SamTemplate.Route route : template.routes()) {
      // Without ApiId SAM would put the route on an implicit API of its own, without the authoriser.
      assertThat(route.apiId()).as(route.key()).isIn(Map.of("Ref", "PipelineApi"), Map.of("Ref", "AdminApi"));
      assertThat(route.auth().get("Authorizer")).as(route.key() + " opts out of the default authoriser").isNull();
      (route.apiId().equals(Map.of("Ref", "PipelineApi")) ? iamRoutes : adminRoutes).add(route.key());
    }
    // Every route stays on the IAM API; the orchestrator's routes are on it only.
    assertThat(iamRoutes).containsAll(adminRoutes);
    assertThat(adminRoutes).noneMatch(key -> key.endsWith("/ai/training/interactions") || key.endsWith("/ai/training/predict"));
    assertThat(adminRoutes).contains("POST /ai/training/correction", "GET /ai/training/pending-review",
        "POST /ai/training/models/rollback", "GET /ai/training/stats");
    template.functions().forEach((id, props) -> assertThat(props).as(id + " function URL").doesNotContainKey("FunctionUrlConfig"));
  }

  @Test
  void predictUsesSnapStartThroughItsAlias() {
    // Arrange
    Map<String, Object> predict = template.functions().get("PredictFunction");

    // Act / Assert
    assertThat(map(predict.get("SnapStart")).get("ApplyOn")).isEqualTo("PublishedVersions");
    assertThat(predict.get("AutoPublishAlias")).as("SnapStart applies to published versions: the routes must call one")
        .isEqualTo("live");
  }

  @Test
  void eachRoleGrantsExactlyWhatItsFunctionsCodeCalls() {
    for (var entry : template.functions().entrySet()) {
      // Arrange
      String id = entry.getKey();
      Map<String, Object> props = entry.getValue();
      String handler = String.valueOf(props.get("Handler"));
      ReachableAwsCalls.Found found = code.from(handler.substring(0, handler.indexOf("::")));
      Set<String> mappingQueues = new TreeSet<>();
      template.queueSources().stream().filter(s -> s.function().equals(id)).forEach(s -> mappingQueues.add(s.queue()));

      // Act
      Set<String> granted = grants(id, props);

      // Assert: the role grants the table's calls and nothing else, besides its own logs.
      String logGroup = logicalId(map(props.get("LoggingConfig")).get("LogGroup"));
      assertThat(logGroup).as(id + " logs to a group of its own").isEqualTo(id.replace("Function", "LogGroup"));
      Set<String> expected = new TreeSet<>(GRANTS.get(id));
      expected.add("logs:CreateLogStream on " + logGroup);
      expected.add("logs:PutLogEvents on " + logGroup);
      assertThat(granted).as(id + " role").isEqualTo(expected);

      // Assert: the table's actions are those the code makes, plus the mapping's, plus the key.
      Set<String> needed = new TreeSet<>(found.actions().keySet());
      for (String queue : mappingQueues) {
        needed.addAll(MAPPING_ACTIONS);
        MAPPING_ACTIONS.forEach(a -> assertThat(granted).as(id + " mapping on " + queue).contains(a + " on " + queue));
      }
      if (needed.contains("secretsmanager:GetSecretValue")) {
        needed.add("kms:Decrypt");
      }
      if (map(map(props.get("EventInvokeConfig")).get("DestinationConfig")).containsKey("OnFailure")) {
        needed.add("sqs:SendMessage"); // Lambda's, with the role: the asynchronous failure destination
      }
      Set<String> tableActions = new TreeSet<>();
      GRANTS.get(id).forEach(g -> tableActions.add(g.substring(0, g.indexOf(' '))));
      assertThat(tableActions).as(id + ": actions granted vs. calls found in its byte code " + found.actions())
          .isEqualTo(needed);
    }
  }

  @Test
  void rolesAreTheFunctionsOwnAndAddOnlyTheVpcPolicyInAVpc() {
    Set<String> roles = new TreeSet<>();
    template.functions().forEach((id, props) -> {
      // Arrange
      String role = logicalId(props.get("Role"));
      Map<String, Object> roleProps = properties(template.resource(role));
      Object managed = roleProps.get("ManagedPolicyArns");

      // Act / Assert
      assertThat(roles.add(role)).as(id + " shares its role").isTrue();
      assertThat(props).as(id + ": Policies are ignored beside an explicit Role").doesNotContainKey("Policies");
      Map<String, Object> trust = map(list(map(roleProps.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
      assertThat(map(trust.get("Principal")).get("Service")).isEqualTo("lambda.amazonaws.com");
      if (props.containsKey("VpcConfig")) {
        assertThat(SamTemplate.condition(managed)).as(id).contains("InVpc");
        assertThat(SamTemplate.condition(props.get("VpcConfig"))).as(id).contains("InVpc");
        assertThat(list(SamTemplate.whenTrue(managed).orElseThrow()).toString())
            .contains("service-role/AWSLambdaVPCAccessExecutionRole");
      } else {
        assertThat(managed).as(id + " managed policies").isNull();
      }
    });
  }

  @Test
  void databaseSettingsComeFromTheSecretAndOnlyWhereTheCodeReadsThem() {
    // Arrange: no parameter or variable of the template holds a password.
    template.parameters().forEach((name, p) -> assertThat(name.toLowerCase()).doesNotContain("password"));

    template.functions().forEach((id, props) -> {
      String handler = String.valueOf(props.get("Handler"));
      ReachableAwsCalls.Found found = code.from(handler.substring(0, handler.indexOf("::")));
      Map<String, Object> env = map(map(props.get("Environment")).get("Variables"));

      // Act / Assert: every variable the code requires is set, every variable set is read.
      Set<String> required = new TreeSet<>(found.requiredEnv());
      required.remove("AWS_REGION");
      assertThat(env.keySet()).as(id + " sets what its code requires").containsAll(required);
      Set<String> readable = new TreeSet<>(found.readEnv());
      readable.add("JAVA_TOOL_OPTIONS");
      assertThat(readable).as(id + " reads what the template sets").containsAll(env.keySet());
      assertThat(env.keySet()).as(id).noneMatch(k -> k.contains("PASSWORD") || k.equals("DATABASE_USER"));
      boolean database = found.readEnv().contains("DATABASE_URL");
      if (database) {
        assertThat(env).as(id).containsEntry("DATABASE_SECRET_ARN", Map.of("Ref", "DatabaseSecretArn"))
            .containsEntry("DATABASE_URL", Map.of("Ref", "DatabaseUrl"));
        assertThat(props).as(id + " reaches the database in the VPC").containsKey("VpcConfig");
      } else {
        assertThat(props).as(id + " needs no VPC").doesNotContainKey("VpcConfig");
      }
    });
  }

  @Test
  void theReadmeConfigurationTableNamesEveryVariableTheFunctionsRead() throws IOException {
    // Arrange: the table's rows name their variables in backticks.
    String readme = Files.readString(root.resolve("README.md"));
    String table = readme.substring(readme.indexOf("\n## Configuration"));
    Set<String> documented = new TreeSet<>();
    Matcher names = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(table);
    while (names.find()) {
      documented.add(names.group(1));
    }

    // Act
    Set<String> read = new TreeSet<>();
    template.functions().values().forEach(props -> {
      String handler = String.valueOf(props.get("Handler"));
      read.addAll(code.from(handler.substring(0, handler.indexOf("::"))).readEnv());
    });
    // Set by Lambda itself, never by an operator.
    read.removeAll(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI"));

    // Assert
    assertThat(documented).as("README Configuration table").containsAll(read);
  }

  @Test
  void queueTimingRulesHold() {
    assertThat(template.queueSources()).extracting(SamTemplate.QueueSource::queue)
        .containsExactlyInAnyOrder("InteractionsQueue", "RetrainQueue");
    for (SamTemplate.QueueSource source : template.queueSources()) {
      // Arrange
      Map<String, Object> queue = properties(template.resource(source.queue()));
      Map<String, Object> redrive = map(queue.get("RedrivePolicy"));
      Map<String, Object> dlq = properties(template.resource(logicalId(redrive.get("deadLetterTargetArn"))));
      int timeout = (Integer) template.functions().get(source.function()).get("Timeout");
      int window = (Integer) source.properties().getOrDefault("MaximumBatchingWindowInSeconds", 0);

      // Act / Assert
      assertThat((Integer) queue.get("VisibilityTimeout")).as(source.queue() + " visibility timeout")
          .isGreaterThanOrEqualTo(6 * timeout + window);
      assertThat((Integer) redrive.get("maxReceiveCount")).as(source.queue()).isGreaterThanOrEqualTo(5);
      assertThat((Integer) dlq.get("MessageRetentionPeriod")).as(source.queue() + " DLQ retention")
          .isGreaterThan((Integer) queue.get("MessageRetentionPeriod"));
      assertThat(list(source.properties().get("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
      assertThat(map(source.properties().get("ScalingConfig"))).as(source.function()).containsKey("MaximumConcurrency");
    }
    Map<String, Object> flush = template.queueSources().stream()
        .filter(s -> s.function().equals("FlushFunction")).findFirst().orElseThrow().properties();
    assertThat(flush.get("BatchSize")).isEqualTo(20);
    assertThat((Integer) flush.get("MaximumBatchingWindowInSeconds")).isBetween(1, 300);
    Map<String, Object> limit = map(template.parameters().get(
        logicalId(map(flush.get("ScalingConfig")).get("MaximumConcurrency"))));
    assertThat((Integer) limit.get("Default")).as("default flush concurrency").isBetween(2, 10);
  }

  @Test
  void schedulesHandTheirHandlersTheScheduledEventsTheyRead() throws IOException {
    // Arrange
    Map<String, String> expected = Map.of(
        "TrainNightlySchedule", "TrainFunction cron(0 3 * * ? *) run_type=incremental",
        "SnapshotHourlySchedule", "SnapshotFunction cron(5 * * * ? *) period_type=hourly",
        "SnapshotDailySchedule", "SnapshotFunction cron(15 0 * * ? *) period_type=daily",
        "SnapshotWeeklySchedule", "SnapshotFunction cron(30 0 ? * MON *) period_type=weekly",
        "SnapshotMonthlySchedule", "SnapshotFunction cron(45 0 1 * ? *) period_type=monthly",
        "RetentionSchedule", "SnapshotFunction cron(0 2 * * ? *) retention=true");
    Map<String, String> found = new TreeMap<>();

    // Act: each rule's input, as EventBridge fills it in, read by the handlers' event reader.
    for (String rule : template.ofType("AWS::Events::Rule")) {
      Map<String, Object> props = properties(template.resource(rule));
      Map<String, Object> target = map(list(props.get("Targets")).get(0));
      Map<String, Object> transformer = map(target.get("InputTransformer"));
      assertThat(map(transformer.get("InputPathsMap"))).containsEntry("time", "$.time");
      String input = String.valueOf(transformer.get("InputTemplate")).replace("<time>", "\"2026-03-02T00:15:00Z\"");
      LambdaEvent event = LambdaEvents.read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      assertThat(event).as(rule).isInstanceOf(LambdaEvent.Scheduled.class);
      var detail = ((LambdaEvent.Scheduled) event).detail();
      String function = logicalId(target.get("Arn"));
      found.put(rule, function + " " + props.get("ScheduleExpression") + " " + detail.fieldNames().next() + "="
          + detail.elements().next().asText());
      assertThat(permissionFor(rule)).as(rule + " may invoke " + function).isEqualTo(function);
    }

    // Assert
    assertThat(found).isEqualTo(expected);
  }

  @Test
  void theModelBucketIsPrivateEncryptedVersionedAndTlsOnly() {
    // Arrange
    Map<String, Object> bucket = properties(template.resource("ModelBucket"));
    Map<String, Object> block = map(bucket.get("PublicAccessBlockConfiguration"));
    List<Object> rules = list(map(bucket.get("LifecycleConfiguration")).get("Rules"));
    Map<String, Object> policy = properties(template.resource("ModelBucketTlsOnlyPolicy"));
    Map<String, Object> deny = map(list(map(policy.get("PolicyDocument")).get("Statement")).get(0));

    // Act / Assert
    assertThat(block).containsOnly(Map.entry("BlockPublicAcls", true), Map.entry("BlockPublicPolicy", true),
        Map.entry("IgnorePublicAcls", true), Map.entry("RestrictPublicBuckets", true));
    assertThat(map(bucket.get("VersioningConfiguration")).get("Status")).isEqualTo("Enabled");
    assertThat(bucket.get("BucketEncryption").toString()).contains("SSEAlgorithm=AES256");
    assertThat(rules.toString()).contains("Prefix=exports/", "ExpirationInDays=7", "NoncurrentVersionExpiration");
    assertThat(deny).containsEntry("Effect", "Deny");
    assertThat(deny.get("Condition").toString()).contains("aws:SecureTransport=false");
    assertThat(logicalId(policy.get("Bucket"))).isEqualTo("ModelBucket");
  }

  @Test
  void alarmsWatchTheDeadLettersFailedRunsAndPredictErrors() {
    // Arrange
    List<String> watched = new ArrayList<>();
    for (String alarm : template.ofType("AWS::CloudWatch::Alarm")) {
      Map<String, Object> props = properties(template.resource(alarm));
      String dimension = list(props.get("Dimensions")).isEmpty() ? ""
          : " " + logicalId(map(list(props.get("Dimensions")).get(0)).get("Value"));
      watched.add(props.get("MetricName") + dimension);
      assertThat(SamTemplate.condition(props.get("AlarmActions"))).as(alarm).contains("HasAlarmTopic");
    }
    List<String> filters = new ArrayList<>();
    for (String filter : template.ofType("AWS::Logs::MetricFilter")) {
      Map<String, Object> props = properties(template.resource(filter));
      filters.add(logicalId(props.get("LogGroupName")) + " " + props.get("FilterPattern") + " -> "
          + map(list(props.get("MetricTransformations")).get(0)).get("MetricName"));
    }

    // Act / Assert
    assertThat(watched).contains("ApproximateNumberOfMessagesVisible InteractionsDeadLetterQueue",
        "ApproximateNumberOfMessagesVisible RetrainDeadLetterQueue", "FailedTrainingRuns", "PredictServerErrors",
        "Errors PredictFunction", "5xx PipelineApi");
    // The filters match what the code logs (TrainingPipeline: training_run_finished with status; the
    // predict handler: predict_unavailable and request_crashed).
    assertThat(filters).contains(
        "TrainLogGroup { ($.event = \"training_run_finished\") && ($.status = \"failed\") } -> FailedTrainingRuns",
        "PredictLogGroup { ($.event = \"predict_unavailable\") || ($.event = \"request_crashed\") } -> PredictServerErrors");
  }

  @Test
  void samBuildFindsATargetForEveryFunctionThatCopiesItsJar() throws IOException {
    for (var entry : template.functions().entrySet()) {
      // Arrange
      String id = entry.getKey();
      String codeUri = String.valueOf(entry.getValue().get("CodeUri"));
      Map<String, Object> metadata = map(template.resource(id).get("Metadata"));
      Path makefile = root.resolve(codeUri).resolve("Makefile");

      // Act
      String text = Files.readString(makefile);

      // Assert
      assertThat(metadata).as(id).containsEntry("BuildMethod", "makefile");
      assertThat(Files.isRegularFile(root.resolve(codeUri).resolve("pom.xml"))).as(codeUri + " is a function module").isTrue();
      String name = codeUri.substring(codeUri.lastIndexOf('/') + 1);
      assertThat(text).contains("build-" + id + ":", "FUNCTION := " + name, "../lambda.mk");
    }
    assertThat(Files.readString(root.resolve("functions/lambda.mk")))
        .contains("$(ROOT)/functions/$(FUNCTION)/target/lambda/$(FUNCTION)-function.jar", "$(ARTIFACTS_DIR)/lib/");
  }

  /** The function a rule's Lambda permission lets it invoke. */
  private static String permissionFor(String rule) {
    for (String permission : template.ofType("AWS::Lambda::Permission")) {
      Map<String, Object> props = properties(template.resource(permission));
      if (logicalId(props.get("SourceArn")).equals(rule)) {
        assertThat(props).containsEntry("Principal", "events.amazonaws.com").containsEntry("Action", "lambda:InvokeFunction");
        return logicalId(props.get("FunctionName"));
      }
    }
    return "none";
  }

  /** The role's statements as "action on resource[ if condition]", Allow only (a Deny would fail here). */
  /** A statement's IAM condition as {@code " where key=value"} (empty without one). */
  private static String where(Object condition) {
    StringBuilder where = new StringBuilder();
    // Only S3's key conditions: they are what narrows a grant to part of the bucket.
    map(condition).values().forEach(byKey -> map(byKey).forEach((key, value) -> {
      if (key.startsWith("s3:")) {
        where.append(where.length() == 0 ? " where " : " and ").append(key).append('=').append(value);
      }
    }));
    return where.toString();
  }

  private static Set<String> grants(String function, Map<String, Object> props) {
    Map<String, Object> role = properties(template.resource(logicalId(props.get("Role"))));
    Set<String> grants = new TreeSet<>();
    for (Object policy : list(role.get("Policies"))) {
      for (Object raw : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
        String condition = SamTemplate.condition(raw).map(c -> " if " + c).orElse("");
        Map<String, Object> statement = map(SamTemplate.whenTrue(raw).orElseThrow());
        assertThat(statement.get("Effect")).as(function).isEqualTo("Allow");
        for (Object action : list(statement.get("Action"))) {
          assertThat(String.valueOf(action)).as(function + ": no wildcard action").doesNotContain("*");
          for (Object resource : list(statement.get("Resource"))) {
            assertThat(resource).as(function + ": no wildcard resource").isNotEqualTo("*");
            grants.add(action + " on " + logicalId(resource) + where(statement.get("Condition")) + condition);
          }
        }
      }
    }
    return grants;
  }
}
