package io.intentpipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import io.intentpipeline.json.JsonStrings;
import io.intentpipeline.testing.MotoServer;
import io.intentpipeline.testing.TestStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database login read from Secrets Manager (DATABASE_SECRET_ARN), against moto with IAM
 * enforced: the request's SigV4 signature is checked against the access keys moto issued, and the
 * call is authorised as the action the template grants (secretsmanager:GetSecretValue). moto
 * checks actions, not a secret's ARN (it authorises its requests against the resource "*"), so
 * the policies here name the action and leave resources to DeployChecksTest.
 */
class DatabaseSecretIT {
  private static final String PASSWORD = "s3cret-value-1";
  private static final String NOT_JSON = "host=db user=admin s3cret-value-2";
  private static final String LONE_USER = "only-user-42";
  /** Requests moto lets through unauthenticated: the set-up below, one each. */
  private static final int SET_UP_REQUESTS = 9;

  private static TestStack stack;
  private static MotoServer moto;
  private static String loginArn;
  private static String noPasswordArn;
  private static String notJsonArn;
  private static String accessKey;
  private static String secretKey;
  private static String describeOnlyAccessKey;
  private static String describeOnlySecretKey;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(MotoServer.executable().isPresent(),
        "moto_server (Python moto) is not on the PATH: the Secrets Manager tests are skipped");
    stack = TestStack.create("secret");
    moto = MotoServer.start(SET_UP_REQUESTS);
    String user = stack.databaseSettings().user() == null ? "postgres" : stack.databaseSettings().user();
    loginArn = createSecret("pipeline/db", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD
        + "\",\"host\":\"ignored.example\",\"port\":5432}");
    noPasswordArn = createSecret("pipeline/db-no-password", "{\"username\":\"" + LONE_USER + "\"}");
    notJsonArn = createSecret("pipeline/db-not-json", NOT_JSON);
    String[] keys = user("flush-function", "secretsmanager:GetSecretValue");
    accessKey = keys[0];
    secretKey = keys[1];
    String[] describeOnly = user("describe-only", "secretsmanager:DescribeSecret");
    describeOnlyAccessKey = describeOnly[0];
    describeOnlySecretKey = describeOnly[1];
  }

  /** An IAM user allowed {@code action} only, and its access key (three set-up requests). */
  private static String[] user(String name, String action) throws Exception {
    iam("Action=CreateUser&Version=2010-05-08&UserName=" + name);
    String keys = iam("Action=CreateAccessKey&Version=2010-05-08&UserName=" + name);
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
        + "\",\"Resource\":\"*\"}]}";
    iam(MotoServer.form(List.of(Map.entry("Action", "PutUserPolicy"), Map.entry("Version", "2010-05-08"),
        Map.entry("UserName", name), Map.entry("PolicyName", "database-secret"),
        Map.entry("PolicyDocument", policy))));
    return new String[] {xml(keys, "AccessKeyId"), xml(keys, "SecretAccessKey")};
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      moto.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theLoginComesFromTheSecretAndOpensTheDatabase() throws Exception {
    // Arrange: the function's region differs from the secret's; the ARN's region must be used.
    Env env = env(loginArn, secretKey, "eu-west-1");

    // Act
    Database.Settings settings = Database.Settings.fromEnv(env);
    String currentUser;
    try (Database database = new Database(settings, "secret-it")) {
      currentUser = database.run(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT current_user")) {
          rs.next();
          return rs.getString(1);
        }
      });
    }

    // Assert
    assertThat(settings.url()).isEqualTo(stack.databaseSettings().url());
    assertThat(settings.password()).isEqualTo(PASSWORD);
    assertThat(currentUser).isEqualTo(settings.user());
    assertThat(settings.toString()).doesNotContain(PASSWORD).contains("password=***");
  }

  @Test
  void aWrongSignatureIsRefusedByTheServerAndNamedInTheError() {
    // Arrange
    Env env = env(loginArn, secretKey.substring(1) + "x", "us-east-1");

    // Act / Assert
    assertThatThrownBy(() -> Database.Settings.fromEnv(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DATABASE_SECRET_ARN")
        .hasMessageContaining("HTTP 4")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void aRoleWithoutGetSecretValueIsDenied() {
    // Arrange
    Env env = env(loginArn, describeOnlySecretKey, "us-east-1")
        .with(Map.of("AWS_ACCESS_KEY_ID", describeOnlyAccessKey));

    // Act / Assert
    assertThatThrownBy(() -> Database.Settings.fromEnv(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DATABASE_SECRET_ARN")
        .hasMessageContaining("AccessDenied");
  }

  @Test
  void aSecretWithoutPasswordFailsNamingTheFieldNotTheValue() {
    // Arrange
    Env env = env(noPasswordArn, secretKey, "us-east-1");

    // Act / Assert
    assertThatThrownBy(() -> Database.Settings.fromEnv(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"password\"")
        .hasMessageNotContaining(LONE_USER);
  }

  @Test
  void aSecretThatIsNotJsonFailsWithoutQuotingIt() {
    // Arrange
    Env env = env(notJsonArn, secretKey, "us-east-1");

    // Act / Assert
    assertThatThrownBy(() -> Database.Settings.fromEnv(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not JSON")
        .hasMessageNotContaining("s3cret-value-2");
  }

  @Test
  void aSecretAndAPasswordTogetherAreRefusedBeforeAnyCall() {
    // Arrange
    Map<String, String> vars = new HashMap<>();
    vars.put("DATABASE_URL", stack.databaseSettings().url());
    vars.put("DATABASE_SECRET_ARN", loginArn);
    vars.put("DATABASE_PASSWORD", "plain");

    // Act / Assert
    assertThatThrownBy(() -> Database.Settings.fromEnv(Env.of(vars)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DATABASE_SECRET_ARN")
        .hasMessageContaining("DATABASE_PASSWORD");
  }

  private static Env env(String secretArn, String key, String region) {
    Map<String, String> vars = new HashMap<>();
    vars.put("DATABASE_URL", stack.databaseSettings().url());
    vars.put("DATABASE_SECRET_ARN", secretArn);
    vars.put("AWS_REGION", region);
    vars.put("AWS_ACCESS_KEY_ID", accessKey);
    vars.put("AWS_SECRET_ACCESS_KEY", key);
    vars.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
    return Env.of(vars);
  }

  private static String createSecret(String name, String value) throws Exception {
    StringBuilder body = new StringBuilder("{\"Name\":");
    io.intentpipeline.json.JsonStrings.quote(body, name);
    body.append(",\"SecretString\":");
    io.intentpipeline.json.JsonStrings.quote(body, value);
    body.append('}');
    MotoServer.Reply reply = moto.json("secretsmanager", "secretsmanager.CreateSecret", body.toString());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return (String) io.intentpipeline.json.JsonLite.parseObject(reply.body()).get("ARN");
  }

  private static String iam(String form) throws Exception {
    MotoServer.Reply reply = moto.query("iam", form);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.body();
  }

  private static String xml(String body, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(body);
    assertThat(m.find()).as(element + " in " + body).isTrue();
    return m.group(1);
  }
}
