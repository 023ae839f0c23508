package io.intentpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.local.stack.TemplateYaml;
import io.intentpipeline.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No way into the system without authorization, read from template.yaml as a whole.
 *
 * <p>{@code local/.../DeployChecksTest} already asserts, and is not repeated here: the one HTTP API
 * is {@code PipelineApi} with {@code EnableIamAuthorizer} and {@code DefaultAuthorizer: AWS_IAM},
 * every route is on it without an {@code Authorizer} override, no function has a function URL, and
 * the model bucket blocks every kind of public access (and is TLS-only, encrypted, exports expire).
 *
 * <p>Added here, over every resource and every nested value of the template, so that a resource
 * added later by hand is caught too: no {@code Authorizer}/{@code AuthorizationType} NONE anywhere;
 * every HTTP API (any of them) defaults to AWS_IAM; no REST API or raw API Gateway route without
 * IAM; no {@code AWS::Lambda::Url}; no Lambda permission for everyone, nor for API Gateway without
 * a source ARN; no policy statement allowing principal {@code *}; every bucket blocks public access
 * and has no public ACL; the export URL lifetime is bounded by SigV4's 7 days; and the API's access
 * log never records a path, query string or body (the predict GET carries a user's text).
 * The checks are shown to fail on a bad template first.
 */
class TemplateSecurityTest {
  private static final String BAD_TEMPLATE = """
      Resources:
        Api:
          Type: AWS::Serverless::HttpApi
          Properties:
            Auth:
              DefaultAuthorizer: NONE
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Open:
                Type: HttpApi
                Properties:
                  ApiId: !Ref Api
                  Auth:
                    Authorizer: NONE
        Route:
          Type: AWS::ApiGatewayV2::Route
          Properties:
            AuthorizationType: NONE
        Url:
          Type: AWS::Lambda::Url
          Properties:
            AuthType: NONE
        Everyone:
          Type: AWS::Lambda::Permission
          Properties:
            Principal: '*'
            Action: lambda:InvokeFunction
        Bucket:
          Type: AWS::S3::Bucket
          Properties:
            AccessControl: PublicRead
        Policy:
          Type: AWS::S3::BucketPolicy
          Properties:
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: '*'
                  Action: s3:GetObject
      """;

  @Test
  void theChecksFindEveryHoleOfABadTemplate() {
    // Act
    List<String> problems = problems(parse(BAD_TEMPLATE));

    // Assert
    assertThat(String.join("\n", problems)).contains("Api: DefaultAuthorizer is not AWS_IAM (nor a JWT authorizer",
        "Authorizer NONE", "AuthorizationType NONE", "Route: an API Gateway route without AWS_IAM",
        "Url: a function URL", "Everyone: a Lambda permission for principal *",
        "Bucket: no PublicAccessBlockConfiguration", "Bucket: public ACL PublicRead",
        "allows principal *");
  }

  @Test
  void theTemplateHasNoUnauthorizedWayIn() throws IOException {
    // Arrange
    Map<String, Object> template = parse(Files.readString(Events.projectRoot().resolve("template.yaml")));

    // Act
    List<String> problems = problems(template);

    // Assert
    System.out.printf("security template: %d resources checked, %d problems%n", resources(template).size(),
        problems.size());
    assertThat(problems).isEmpty();
    Map<String, Object> ttl = map(map(template.get("Parameters")).get("ExportUrlTtlSeconds"));
    assertThat(((Number) ttl.get("MaxValue")).longValue()).as("SigV4 presigned URLs live 7 days at most")
        .isLessThanOrEqualTo(604_800);
    assertThat(((Number) ttl.get("Default")).longValue()).isEqualTo(900);
    String snapshotEnv = map(map(map(resources(template).get("SnapshotFunction")).get("Properties"))
        .get("Environment")).toString();
    assertThat(snapshotEnv).contains("EXPORT_URL_TTL_SECONDS={Ref=ExportUrlTtlSeconds}");
  }

  /**
   * Whether {@code name} is a JWT authorizer of {@code auth} whose issuer is a Cognito user pool of
   * the template, with an audience (the admin console's AdminApi: docs/CONSOLE.md).
   */
  static boolean cognitoJwt(Map<String, Object> template, Map<String, Object> auth, Object name) {
    Map<String, Object> authorizer = map(map(auth.get("Authorizers")).get(String.valueOf(name)));
    Map<String, Object> jwt = map(authorizer.get("JwtConfiguration"));
    String issuer = String.valueOf(jwt.get("issuer"));
    if (!issuer.contains("https://cognito-idp.") || jwt.get("audience") == null) {
      return false;
    }
    return resources(template).entrySet().stream().anyMatch(e ->
        "AWS::Cognito::UserPool".equals(map(e.getValue()).get("Type")) && issuer.contains("${" + e.getKey() + "}"));
  }

  static List<String> problems(Map<String, Object> template) {
    List<String> problems = new ArrayList<>();
    walk(template, "", problems);
    resources(template).forEach((id, value) -> {
      Map<String, Object> resource = map(value);
      String type = String.valueOf(resource.get("Type"));
      Map<String, Object> props = map(resource.get("Properties"));
      switch (type) {
        case "AWS::Serverless::HttpApi" -> {
          Object auth = map(props.get("Auth")).get("DefaultAuthorizer");
          if (!"AWS_IAM".equals(auth) && !cognitoJwt(template, map(props.get("Auth")), auth)) {
            problems.add(id + ": DefaultAuthorizer is not AWS_IAM (nor a JWT authorizer of the template's Cognito user pool) but " + auth);
          }
          Object origins = map(props.get("CorsConfiguration")).get("AllowOrigins");
          if (origins != null && (origins.toString().contains("'*'") || origins.toString().matches(".*\\[\\*.*|.*, \\*.*"))) {
            problems.add(id + ": CORS allows every origin");
          }
        }
        case "AWS::Serverless::Api", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Method" ->
            problems.add(id + ": a REST API (" + type + "); the pipeline's only API is the IAM-authorised HTTP API");
        case "AWS::ApiGatewayV2::Route" -> {
          if (!"AWS_IAM".equals(props.get("AuthorizationType"))) {
            problems.add(id + ": an API Gateway route without AWS_IAM");
          }
        }
        case "AWS::Lambda::Url" -> problems.add(id + ": a function URL");
        case "AWS::Lambda::Permission" -> {
          Object principal = props.get("Principal");
          if ("*".equals(principal)) {
            problems.add(id + ": a Lambda permission for principal *");
          } else if (String.valueOf(principal).startsWith("apigateway") && !props.containsKey("SourceArn")) {
            problems.add(id + ": an API Gateway permission without SourceArn");
          }
        }
        case "AWS::S3::Bucket" -> {
          Map<String, Object> block = map(props.get("PublicAccessBlockConfiguration"));
          if (block.isEmpty()) {
            problems.add(id + ": no PublicAccessBlockConfiguration");
          }
          for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            if (!block.isEmpty() && !Boolean.TRUE.equals(block.get(flag))) {
              problems.add(id + ": " + flag + " is not true");
            }
          }
          Object acl = props.get("AccessControl");
          if (acl != null && !"Private".equals(acl) && !"BucketOwnerFullControl".equals(acl)) {
            problems.add(id + ": public ACL " + acl);
          }
        }
        default -> { }
      }
      if (props.containsKey("FunctionUrlConfig")) {
        problems.add(id + ": a function URL (FunctionUrlConfig)");
      }
      Object logs = map(props.get("AccessLogSettings")).get("Format");
      if (logs != null) {
        for (String leak : List.of("$context.path", "$request.", "body", "querystring")) {
          if (logs.toString().contains(leak)) {
            problems.add(id + ": the access log records " + leak + " (user text may be there)");
          }
        }
      }
    });
    return problems;
  }

  /** Every nested value: authorizers set to NONE, statements allowing everyone. */
  private static void walk(Object node, String path, List<String> problems) {
    if (node instanceof Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        Object value = entry.getValue();
        if ((key.equals("Authorizer") || key.equals("AuthorizationType") || key.equals("DefaultAuthorizer")
            || key.equals("AuthType")) && "NONE".equals(value)) {
          problems.add(path + "/" + key + ": " + key + " NONE");
        }
        walk(value, path + "/" + key, problems);
      }
      if ("Allow".equals(map.get("Effect")) && map.containsKey("Principal")) {
        Object principal = map.get("Principal");
        if ("*".equals(principal) || (principal instanceof Map<?, ?> p && p.containsValue("*"))) {
          problems.add(path + ": a statement allows principal *");
        }
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  static Map<String, Object> resources(Map<String, Object> template) {
    return map(template.get("Resources"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** YAML with CloudFormation's short tags ({@code !Ref x} becomes {@code {Ref: x}}), safely. */
  static Map<String, Object> parse(String text) {
    return TemplateYaml.longForm(text, "template");
  }
}
