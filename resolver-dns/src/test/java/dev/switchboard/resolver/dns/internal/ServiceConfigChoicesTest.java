package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceConfigChoicesTest {
  private final AtomicInteger percentile = new AtomicInteger(50);
  private final AtomicInteger hostnameAsked = new AtomicInteger();
  private final ServiceConfigChoices choices = new ServiceConfigChoices(() -> {
    hostnameAsked.incrementAndGet();
    return "host-a";
  }, percentile::get);

  private String choose(String... records) throws Exception {
    return choices.choose(List.of(records)).orElse(null);
  }

  @Test
  void firstApplicableChoiceWinsAndItsServiceConfigIsReturnedAsJson() throws Exception {
    assertThat(choose("grpc_config=[{\"serviceConfig\":{ \"a\" : [1, 2.5e1, \"\\u00e9\"] }},"
        + "{\"serviceConfig\":{\"b\":1}}]"))
        .isEqualTo("{\"a\":[1,25.0,\"\u00e9\"]}");
  }

  @Test
  void recordsWithoutThePrefixAreIgnoredAndNoneMeansNoConfig() throws Exception {
    assertThat(choose("v=spf1 -all", "grpc_config is not here")).isNull();
    assertThat(choose()).isNull();
  }

  @Test
  void choicesOfSeveralRecordsAreTriedInOrder() throws Exception {
    assertThat(choose(
        "grpc_config=[{\"clientLanguage\":[\"go\"],\"serviceConfig\":{\"a\":1}}]",
        "grpc_config=[{\"serviceConfig\":{\"b\":2}}]"))
        .isEqualTo("{\"b\":2}");
  }

  @Test
  void clientLanguageMustNameJavaIgnoringCase() throws Exception {
    assertThat(choose("grpc_config=[{\"clientLanguage\":[\"go\",\"c++\"],\"serviceConfig\":{}}]"))
        .isNull();
    assertThat(choose("grpc_config=[{\"clientLanguage\":[\"go\",\"Java\"],\"serviceConfig\":{}}]"))
        .isEqualTo("{}");
  }

  @Test
  void percentageAppliesWhenTheRandomPercentileIsBelowIt() throws Exception {
    String record = "grpc_config=[{\"percentage\":50,\"serviceConfig\":{\"x\":1}}]";
    percentile.set(49);
    assertThat(choose(record)).isEqualTo("{\"x\":1}");
    percentile.set(50);
    assertThat(choose(record)).isNull();
    percentile.set(0);
    assertThat(choose("grpc_config=[{\"percentage\":0,\"serviceConfig\":{}}]")).isNull();
    percentile.set(99);
    assertThat(choose("grpc_config=[{\"percentage\":100,\"serviceConfig\":{}}]")).isEqualTo("{}");
  }

  @Test
  void clientHostnameMustNameThisHostAndIsAskedOnlyWhenNeeded() throws Exception {
    assertThat(choose("grpc_config=[{\"serviceConfig\":{}}]")).isEqualTo("{}");
    assertThat(hostnameAsked).hasValue(0);
    assertThat(choose("grpc_config=[{\"clientHostname\":[\"host-b\"],\"serviceConfig\":{}}]")).isNull();
    assertThat(choose("grpc_config=[{\"clientHostname\":[\"host-b\",\"host-a\"],\"serviceConfig\":{}}]"))
        .isEqualTo("{}");
  }

  @Test
  void invalidRecordsNameTheProblem() {
    assertInvalid("grpc_config=[{", "not valid JSON");
    assertInvalid("grpc_config=[] x", "not valid JSON");
    assertInvalid("grpc_config={\"serviceConfig\":{}}", "expected: a JSON array of choices");
    assertInvalid("grpc_config=[1]", "choice 1 (expected: a JSON object)");
    assertInvalid("grpc_config=[{\"serviceConfig\":{},\"color\":1}]", "key \"color\"");
    assertInvalid("grpc_config=[{\"percentage\":10}]", "serviceConfig null (expected: a JSON object)");
    assertInvalid("grpc_config=[{\"serviceConfig\":[]}]", "expected: a JSON object");
    assertInvalid("grpc_config=[{\"percentage\":101,\"serviceConfig\":{}}]", "percentage 101");
    assertInvalid("grpc_config=[{\"percentage\":2.5,\"serviceConfig\":{}}]", "percentage 2.5");
    assertInvalid("grpc_config=[{\"clientLanguage\":\"java\",\"serviceConfig\":{}}]",
        "clientLanguage java (expected: an array of strings)");
    assertInvalid("grpc_config=[{\"serviceConfig\":{\"a\":1,\"a\":2}}]", "Duplicate key (key 'a')");
  }

  private void assertInvalid(String record, String problem) {
    assertThatThrownBy(() -> choose(record))
        .isInstanceOf(ServiceConfigChoices.InvalidChoicesException.class)
        .hasMessageContaining(problem);
  }
}
