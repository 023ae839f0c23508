package io.intentpipeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminGroupTest {
  private static APIGatewayV2HTTPEvent withClaims(Map<String, String> claims) {
    var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build();
    var authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build();
    var context = APIGatewayV2HTTPEvent.RequestContext.builder().withAuthorizer(authorizer)
        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath("/ai/training/models").build())
        .build();
    return APIGatewayV2HTTPEvent.builder().withRawPath("/ai/training/models").withRequestContext(context).build();
  }

  @Test
  void aTokenOfTheAdminsGroupPassesAndOthersAreRefused() {
    assertThat(AdminGroup.allows(withClaims(Map.of("cognito:groups", "[admins]")))).isTrue();
    assertThat(AdminGroup.allows(withClaims(Map.of("cognito:groups", "[reviewers admins]")))).isTrue();
    assertThat(AdminGroup.allows(withClaims(Map.of("cognito:groups", "[\"reviewers\",\"admins\"]")))).isTrue();
    assertThat(AdminGroup.allows(withClaims(Map.of("cognito:groups", "[reviewers]")))).isFalse();
    assertThat(AdminGroup.allows(withClaims(Map.of("cognito:groups", "[administrators]")))).isFalse();
    assertThat(AdminGroup.allows(withClaims(Map.of("email", "someone@example.com")))).isFalse();
  }

  @Test
  void aRequestWithoutJwtIsNotConcerned() {
    assertThat(AdminGroup.allows(APIGatewayV2HTTPEvent.builder().withRawPath("/x").build())).isTrue();
  }

  @Test
  void theRouterAnswers403ToASignedInNonAdmin() {
    Router router = new Router().route("GET", "/ai/training/models", r -> ApiResponses.json(200, Map.of("ok", true)));
    assertThat(router.handle(withClaims(Map.of("cognito:groups", "[reviewers]"))).getStatusCode()).isEqualTo(403);
    assertThat(router.handle(withClaims(Map.of("cognito:groups", "[admins]"))).getStatusCode()).isEqualTo(200);
  }
}
