package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many batches of an SQS event source the local stack keeps in flight at once. */
class PollerCountTest {
  private static final String YAML = """
      Parameters:
        MaxFlushes: {Type: Number, Default: 5}
      Resources:
        Q:
          Type: AWS::SQS::Queue
        Flush:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Flush
            Events:
              Scaled:
                Type: SQS
                Properties:
                  Queue: !GetAtt Q.Arn
                  ScalingConfig: {MaximumConcurrency: !Ref MaxFlushes}
              Fixed:
                Type: SQS
                Properties: {Queue: !GetAtt Q.Arn, ScalingConfig: {MaximumConcurrency: 2}}
              Unscaled:
                Type: SQS
                Properties: {Queue: !GetAtt Q.Arn}
              Wrong:
                Type: SQS
                Properties: {Queue: !GetAtt Q.Arn, ScalingConfig: {MaximumConcurrency: 1}}
      """;

  private final StackTemplate template = StackTemplate.parse(YAML, "t.yaml");

  private StackTemplate.SqsSource source(String event) {
    return template.sqsSources().stream().filter(s -> s.name().equals("Flush." + event)).findFirst().orElseThrow();
  }

  private Resolver resolver(Map<String, String> parameters) {
    return new Resolver(template, parameters, Map.of(), Map.of());
  }

  @Test
  void followsTheMappingsMaximumConcurrencyUpToTheFunctionsInstances() {
    assertThat(LocalStack.pollerCount(source("Scaled"), 4, resolver(Map.of()))).isEqualTo(4);
    assertThat(LocalStack.pollerCount(source("Scaled"), 8, resolver(Map.of()))).isEqualTo(5);
    assertThat(LocalStack.pollerCount(source("Scaled"), 8, resolver(Map.of("MaxFlushes", "3")))).isEqualTo(3);
    assertThat(LocalStack.pollerCount(source("Fixed"), 4, resolver(Map.of()))).isEqualTo(2);
    assertThat(LocalStack.pollerCount(source("Unscaled"), 4, resolver(Map.of()))).isEqualTo(4);
  }

  @Test
  void refusesAMaximumConcurrencyLambdaWouldRefuse() {
    assertThatThrownBy(() -> LocalStack.pollerCount(source("Wrong"), 4, resolver(Map.of())))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Flush.Wrong.ScalingConfig.MaximumConcurrency must be between 2 and 1000, got 1");
    assertThatThrownBy(() -> LocalStack.pollerCount(source("Scaled"), 4, resolver(Map.of("MaxFlushes", "many"))))
        .isInstanceOf(TemplateException.class).hasMessageContaining("must be a whole number, got 'many'");
  }
}
