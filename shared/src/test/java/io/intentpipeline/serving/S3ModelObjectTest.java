package io.intentpipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3ModelObjectTest {
  @Test
  void theLatestKeyIsTheOneTheTrainFunctionDeploysTo() {
    assertThat(S3ModelObject.LATEST_KEY).isEqualTo("models/intent_classifier_latest.model");
  }

  @Test
  void awsBucketsAreAddressedVirtuallyHostedAndEmulatorsPathStyle() {
    assertThat(S3ModelObject.objectUri(Optional.empty(), "eu-west-1", "models-123", "models/a.model"))
        .isEqualTo(URI.create("https://models-123.s3.eu-west-1.amazonaws.com/models/a.model"));
    assertThat(S3ModelObject.objectUri(Optional.empty(), "eu-west-1", "my.models", "models/a.model"))
        .isEqualTo(URI.create("https://s3.eu-west-1.amazonaws.com/my.models/models/a.model"));
    assertThat(S3ModelObject.objectUri(Optional.empty(), "cn-north-1", "models", "k"))
        .isEqualTo(URI.create("https://models.s3.cn-north-1.amazonaws.com.cn/k"));
    assertThat(S3ModelObject.objectUri(Optional.of(URI.create("http://127.0.0.1:9000/")), "us-east-1", "b", "models/a"))
        .isEqualTo(URI.create("http://127.0.0.1:9000/b/models/a"));
  }

  @Test
  void keysArePercentEncodedExceptUnreservedCharactersAndSlashes() {
    assertThat(S3ModelObject.encodePath("models/intent_classifier_latest.model"))
        .isEqualTo("models/intent_classifier_latest.model");
    assertThat(S3ModelObject.encodePath("a b+c/é~")).isEqualTo("a%20b%2Bc/%C3%A9~");
  }
}
