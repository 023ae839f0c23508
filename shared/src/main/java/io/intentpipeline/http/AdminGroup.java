package io.intentpipeline.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;

/**
 * The admin console's authorization (issue 15, docs/CONSOLE.md): a request that API Gateway let in
 * with a Cognito JWT (the AdminApi's authorizer checked its signature, issuer, audience and expiry)
 * must also carry the {@code admins} group in its {@code cognito:groups} claim. Requests signed
 * with IAM, and those of the local stack, carry no JWT and are not concerned.
 */
public final class AdminGroup {
  /** The Cognito group whose members may use the admin routes. */
  public static final String NAME = "admins";

  private AdminGroup() {}

  /** Whether {@code event} may go on: no JWT, or a JWT of a member of {@link #NAME}. */
  public static boolean allows(APIGatewayV2HTTPEvent event) {
    var context = event.getRequestContext();
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
      return true;
    }
    Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
    String groups = claims == null ? null : claims.get("cognito:groups");
    if (groups == null) {
      return false;
    }
    // API Gateway passes a list claim as text: "[admins reviewers]" (or JSON-like with commas).
    for (String group : groups.replaceAll("[\\[\\]\"]", " ").split("[\\s,]+")) {
      if (group.equals(NAME)) {
        return true;
      }
    }
    return false;
  }
}
