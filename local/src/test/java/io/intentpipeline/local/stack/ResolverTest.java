package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverTest {
  private static final String YAML = """
      Parameters:
        Threshold: {Type: Number, Default: 100}
        Url: {Type: String}
      Resources:
        Q:
          Type: AWS::SQS::Queue
        B:
          Type: AWS::S3::Bucket
        F:
          Type: AWS::Serverless::Function
          Properties: {Handler: x.Y, FunctionName: fn}
      """;

  private final StackTemplate template = StackTemplate.parse(YAML, "t.yaml");
  private final Resolver resolver = new Resolver(template, Map.of("Url", "jdbc:postgresql://h/db"),
      Map.of("Q", new Resolver.QueueRef("q", "http://127.0.0.1:9/000000000000/q", "arn:aws:sqs:us-east-1:000000000000:q")),
      Map.of("B", "models"));

  @Test
  void resolvesReferencesToResourcesParametersAndPseudoParameters() {
    assertThat(resolver.text(new Intrinsic("Ref", "Q"), "w")).isEqualTo("http://127.0.0.1:9/000000000000/q");
    assertThat(resolver.text(new Intrinsic("Fn::GetAtt", List.of("Q", "Arn")), "w"))
        .isEqualTo("arn:aws:sqs:us-east-1:000000000000:q");
    assertThat(resolver.text(new Intrinsic("Fn::GetAtt", List.of("Q", "QueueName")), "w")).isEqualTo("q");
    assertThat(resolver.text(new Intrinsic("Ref", "B"), "w")).isEqualTo("models");
    assertThat(resolver.text(new Intrinsic("Ref", "F"), "w")).isEqualTo("fn");
    assertThat(resolver.text(new Intrinsic("Ref", "Threshold"), "w")).isEqualTo("100");
    assertThat(resolver.text(new Intrinsic("Ref", "Url"), "w")).isEqualTo("jdbc:postgresql://h/db");
    assertThat(resolver.text(new Intrinsic("Fn::Sub", "s3://${B}/${AWS::Region}/${Q.QueueName}/${!Literal}"), "w"))
        .isEqualTo("s3://models/us-east-1/q/${Literal}");
    assertThat(resolver.text(new Intrinsic("Fn::Join", List.of("-", List.of("a", new Intrinsic("Ref", "B")))), "w"))
        .isEqualTo("a-models");
    assertThat(resolver.text(42, "w")).isEqualTo("42");
  }

  @Test
  void failsNamingWhereAValueCannotBeResolved() {
    var noValue = new Resolver(template, Map.of(), Map.of(), Map.of());
    assertThatThrownBy(() -> noValue.text(new Intrinsic("Ref", "Url"), "Resources.F.Properties.Environment.Variables.X"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Resources.F.Properties.Environment.Variables.X")
        .hasMessageContaining("--parameter Url=VALUE");
    assertThatThrownBy(() -> resolver.text(new Intrinsic("Fn::ImportValue", "x"), "here"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("here: Fn::ImportValue is not supported");
  }
}
