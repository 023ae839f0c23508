package io.intentpipeline.correction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.json.JsonLite;
import io.intentpipeline.json.JsonStrings;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.MotoServer;
import io.intentpipeline.testing.ShadedJar;
import io.intentpipeline.testing.TestStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployable jar alone, in a fresh JVM, configured as template.yaml configures it: the
 * database URL, and the login in a Secrets Manager secret (moto), read with the SigV4 signer and
 * credentials the jar must carry despite its minimisation.
 */
class CorrectionJarIT {
  private static TestStack stack;
  private static MotoServer moto;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(MotoServer.executable().isPresent(),
        "moto_server (Python moto) is not on the PATH: the jar's Secrets Manager test is skipped");
    stack = TestStack.create("correctionjar");
    moto = MotoServer.start(-1);
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
  void theShadedJarReadsItsLoginFromTheSecretAndServesTheReviewQueue() throws Exception {
    // Arrange
    ShadedJar jar = ShadedJar.of("correction-function");
    String user = stack.databaseSettings().user() == null ? "postgres" : stack.databaseSettings().user();
    StringBuilder body = new StringBuilder("{\"Name\":\"pipeline/db\",\"SecretString\":");
    JsonStrings.quote(body, "{\"username\":\"" + user + "\",\"password\":\"not-used-by-trust-auth\"}");
    MotoServer.Reply created = moto.json("secretsmanager", "secretsmanager.CreateSecret", body.append('}').toString());
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    Map<String, String> env = new HashMap<>(stack.envVars());
    env.remove("DATABASE_USER");
    env.remove("DATABASE_PASSWORD");
    env.put("DATABASE_SECRET_ARN", (String) JsonLite.parseObject(created.body()).get("ARN"));
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());

    // Act
    List<String> responses = jar.invoke(CorrectionHandler.class.getName(), env,
        List.of(Invocations.eventText("correction-pending-review.json")));

    // Assert
    JsonNode response = Json.parseBody(responses.get(0));
    assertThat(response.path("statusCode").asInt()).as(responses.get(0)).isEqualTo(200);
    assertThat(Json.parseBody(response.path("body").asText()).has("items")).isTrue();
  }
}
