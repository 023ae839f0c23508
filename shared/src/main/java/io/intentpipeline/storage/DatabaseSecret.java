package io.intentpipeline.storage;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SecretsManagerSecret;
import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import io.intentpipeline.json.JsonLite;
import io.intentpipeline.log.Log;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Map;

/**
 * The database login kept in a Secrets Manager secret, named by {@code DATABASE_SECRET_ARN}: a
 * JSON object with {@code username} and {@code password} (the shape RDS and Secrets Manager's
 * database secrets have; other fields such as host or port are ignored, the URL comes from
 * {@code DATABASE_URL}). Read once per cold start; the template never holds the password.
 */
final class DatabaseSecret {
  static final String VARIABLE = "DATABASE_SECRET_ARN";

  /** A user name and its password. */
  record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[user=" + user + ", password=***]";
    }
  }

  private DatabaseSecret() {}

  /** The login in the secret {@code secretId}, read with the AWS settings of {@code env}. */
  static Login read(Env env, String secretId) {
    long start = System.nanoTime();
    String value = new SecretsManagerSecret(AwsSettings.fromEnv(env), secretId, VARIABLE).secretString();
    Login login = parse(value);
    Log.info("database_secret_read", "secret", secretId, "user", login.user(),
        "ms", (System.nanoTime() - start) / 1_000_000);
    return login;
  }

  /** The login of a secret's text; a malformed secret fails naming the field, never quoting the text. */
  static Login parse(String secretString) {
    Map<String, Object> fields;
    try {
      fields = JsonLite.parseObject(secretString);
    } catch (InvalidRequestException e) {
      throw new ConfigException("The secret named by " + VARIABLE
          + " must be a JSON object with \"username\" and \"password\"; it is not JSON");
    }
    return new Login(field(fields, "username"), field(fields, "password"));
  }

  private static String field(Map<String, Object> fields, String name) {
    if (!(fields.get(name) instanceof String value) || value.isEmpty()) {
      throw new ConfigException("The secret named by " + VARIABLE + " has no \"" + name
          + "\" (a non-empty string); it must be a JSON object with \"username\" and \"password\"");
    }
    return value;
  }
}
