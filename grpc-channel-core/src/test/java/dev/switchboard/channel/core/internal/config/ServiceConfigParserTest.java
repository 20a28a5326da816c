package dev.switchboard.channel.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.MethodDescriptor;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.balancer.Balancer;
import dev.switchboard.channel.api.balancer.BalancerArgs;
import dev.switchboard.channel.api.balancer.BalancerProvider;
import dev.switchboard.channel.api.balancer.BalancerRegistry;
import dev.switchboard.channel.api.balancer.ClientConn;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.core.PluginRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigParserTest {

  /** A policy whose parser accepts {"choiceCount": n} with 2 <= n <= 10. */
  private static final class PickyProvider implements BalancerProvider<Integer> {
    private final String name;

    PickyProvider(String name) {
      this.name = name;
    }

    @Override
    public String policyName() {
      return name;
    }

    @Override
    public Balancer<Integer> newBalancer(ClientConn clientConn, BalancerArgs args) {
      throw new UnsupportedOperationException("not used by the parser");
    }

    @Override
    public ConfigOrError<Integer> parseConfig(Map<String, ?> rawConfig, BalancerRegistry registry) {
      Object n = rawConfig.containsKey("choiceCount") ? rawConfig.get("choiceCount") : (Object) 2.0;
      if (!(n instanceof Double) || (Double) n < 2 || (Double) n > 10) {
        return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("choiceCount: " + n + " (expected: 2-10)"));
      }
      return ConfigOrError.of(((Double) n).intValue());
    }
  }

  private final ServiceConfigParser parser = new ServiceConfigParser(PluginRegistry.newBuilder()
      .addBalancerProvider(new PickyProvider("picky"))
      .addBalancerProvider(new PickyProvider("round_robin"))
      .build());

  private static final MethodDescriptor.Marshaller<String> STRINGS = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes());
    }

    @Override
    public String parse(InputStream stream) {
      return "";
    }
  };

  private static MethodDescriptor<String, String> method(String fullName) {
    return MethodDescriptor.newBuilder(STRINGS, STRINGS).fullMethodName(fullName).build();
  }

  private ParsedServiceConfig parseOk(String json) {
    ConfigOrError<ServiceConfig> result = parser.parse(json);
    assertThat(result.status().isOk()).as("status %s", result.status()).isTrue();
    return (ParsedServiceConfig) result.config().orElseThrow();
  }

  private String parseError(String json) {
    ConfigOrError<ServiceConfig> result = parser.parse(json);
    assertThat(result.isOk()).isFalse();
    assertThat(result.status().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    return result.status().description().orElseThrow();
  }

  @Test
  void emptyObjectIsAValidConfigWithNothingSet() {
    ParsedServiceConfig config = parseOk("{}");

    assertThat(config.loadBalancingPolicy()).isEmpty();
    assertThat(config.methodConfig(method("a.B/C"))).isSameAs(MethodConfig.EMPTY);
    assertThat(config.json()).isEqualTo("{}");
  }

  @Test
  void firstSupportedPolicyOfLoadBalancingConfigWins() {
    ParsedServiceConfig config = parseOk(
        "{\"loadBalancingConfig\":[{\"grpclb\":{}},{\"picky\":{\"choiceCount\":3}},{\"round_robin\":{}}]}");

    var policy = config.loadBalancingPolicy().orElseThrow();
    assertThat(policy.provider().policyName()).isEqualTo("picky");
    assertThat(policy.config()).isEqualTo(3);
  }

  @Test
  void policyConfigErrorMakesTheWholeConfigInvalid() {
    String error = parseError("{\"loadBalancingConfig\":[{\"picky\":{\"choiceCount\":40}}]}");

    assertThat(error).isEqualTo("service config: loadBalancingConfig[0].picky: choiceCount: 40.0 (expected: 2-10)");
  }

  @Test
  void noSupportedPolicyIsAnErrorListingWhatIsAvailable() {
    String error = parseError("{\"loadBalancingConfig\":[{\"grpclb\":{}},{\"xds\":{}}]}");

    // Core's own pick_first is always found in the boot layer.
    assertThat(error).contains("no supported policy in ['grpclb', 'xds']")
        .contains("available: [pick_first, picky, round_robin]");
  }

  @Test
  void legacyLoadBalancingPolicyIsLowerCased() {
    ParsedServiceConfig config = parseOk("{\"loadBalancingPolicy\":\"ROUND_ROBIN\"}");

    assertThat(config.loadBalancingPolicy().orElseThrow().provider().policyName()).isEqualTo("round_robin");
  }

  @Test
  void loadBalancingConfigWinsOverTheLegacyField() {
    ParsedServiceConfig config = parseOk(
        "{\"loadBalancingPolicy\":\"round_robin\",\"loadBalancingConfig\":[{\"picky\":{}}]}");

    assertThat(config.loadBalancingPolicy().orElseThrow().provider().policyName()).isEqualTo("picky");
  }

  @Test
  void unknownLegacyPolicyIsAnError() {
    assertThat(parseError("{\"loadBalancingPolicy\":\"weighted\"}")).contains("'weighted' has no provider");
  }

  @Test
  void methodConfigIsFoundByMethodThenServiceThenGlobalDefault() {
    ParsedServiceConfig config = parseOk("""
        {"methodConfig": [
          {"name": [{"service": "orders.Orders", "method": "Get"}], "timeout": "1.5s"},
          {"name": [{"service": "orders.Orders"}], "timeout": "10s", "waitForReady": true},
          {"name": [{}], "maxRequestMessageBytes": 1024, "maxResponseMessageBytes": "2048"}
        ]}""");

    MethodConfig exact = config.methodConfig(method("orders.Orders/Get"));
    MethodConfig service = config.methodConfig(method("orders.Orders/List"));
    MethodConfig global = config.methodConfig(method("users.Users/Get"));

    assertThat(exact.timeout()).contains(Duration.ofMillis(1500));
    assertThat(exact.waitForReady()).isEmpty();
    assertThat(service.timeout()).contains(Duration.ofSeconds(10));
    assertThat(service.waitForReady()).contains(true);
    assertThat(global.timeout()).isEmpty();
    assertThat(global.maxRequestMessageBytes()).hasValue(1024);
    assertThat(global.maxResponseMessageBytes()).hasValue(2048);
  }

  @Test
  void durationsKeepNanosecondPrecision() {
    ParsedServiceConfig config = parseOk(
        "{\"methodConfig\":[{\"name\":[{\"service\":\"s\"}],\"timeout\":\"0.000000001s\"}]}");

    assertThat(config.methodConfig(method("s/m")).timeout()).contains(Duration.ofNanos(1));
  }

  @Test
  void badTimeoutNamesItsPathAndValue() {
    String error = parseError("{\"methodConfig\":[{\"name\":[{\"service\":\"s\"}],\"timeout\":\"1x\"}]}");

    assertThat(error).isEqualTo("service config: methodConfig[0].timeout: '1x' is not a duration (expected: like \"1.5s\")");
  }

  @Test
  void negativeSizeIsAnError() {
    assertThat(parseError("{\"methodConfig\":[{\"name\":[{}],\"maxRequestMessageBytes\":-1}]}"))
        .contains("methodConfig[0].maxRequestMessageBytes: -1 (expected: a whole number >= 0)");
  }

  @Test
  void nullSizesAreErrorsNamingTheField() {
    assertThat(parseError("{\"methodConfig\":[{\"name\":[{}],\"maxRequestMessageBytes\":null}]}"))
        .isEqualTo("service config: methodConfig[0].maxRequestMessageBytes: null (expected: a whole number >= 0)");
    assertThat(parseError("{\"methodConfig\":[{\"name\":[{}],\"maxResponseMessageBytes\":null}]}"))
        .isEqualTo("service config: methodConfig[0].maxResponseMessageBytes: null (expected: a whole number >= 0)");
    assertThat(parseError("{\"methodConfig\":[{\"name\":[{}],\"maxResponseMessageBytes\":[1]}]}"))
        .isEqualTo("service config: methodConfig[0].maxResponseMessageBytes: a list (expected: a whole number >= 0)");
  }

  @Test
  void hugeInputIsQuotedCutToAReadableLength() {
    // Jackson refuses field names over 50 000 characters itself.
    String error = parseError("{\"loadBalancingConfig\":[{\"" + "p".repeat(40_000) + "\":{}}]}");
    assertThat(error).startsWith("service config: loadBalancingConfig: no supported policy in ['ppp")
        .contains("…' (40000 characters)").hasSizeLessThan(400);
    String name = "p".repeat(10_000_000);
    String legacy = parseError("{\"loadBalancingPolicy\":\"" + name + "\"}");
    assertThat(legacy).contains("(10000000 characters)").hasSizeLessThan(400);
    String timeout = parseError("{\"methodConfig\":[{\"name\":[{}],\"timeout\":\"" + name + "\"}]}");
    assertThat(timeout).contains("(10000000 characters)").hasSizeLessThan(400);
    String digits = parseError("{\"methodConfig\":[{\"name\":[{}],\"maxRequestMessageBytes\":-"
        + "9".repeat(999) + "}]}");
    assertThat(digits).contains("(1000 characters)").hasSizeLessThan(400);
  }

  @Test
  void nameListedTwiceIsAnError() {
    String error = parseError("""
        {"methodConfig": [
          {"name": [{"service": "s", "method": "m"}]},
          {"name": [{"service": "s", "method": "m"}]}
        ]}""");

    assertThat(error).contains("methodConfig[1].name[0]: 's/m' is configured twice");
  }

  @Test
  void methodWithoutServiceIsAnError() {
    assertThat(parseError("{\"methodConfig\":[{\"name\":[{\"method\":\"m\"}]}]}"))
        .contains("method 'm' without a service");
  }

  @Test
  void malformedJsonIsAnErrorNotAThrow() {
    assertThat(parseError("{\"methodConfig\": [")).startsWith("service config: not valid JSON");
  }

  @Test
  void textAfterTheConfigIsAnError() {
    assertThat(parseError("{} {}")).startsWith("service config: not valid JSON: text after the value");
  }

  @Test
  void topLevelMustBeAnObject() {
    assertThat(parseError("[1,2]")).isEqualTo("service config: $: a list (expected: an object)");
  }

  @Test
  void wrongTypesNameTheirPath() {
    assertThat(parseError("{\"methodConfig\":[{\"name\":[{\"service\":\"s\"}],\"waitForReady\":\"yes\"}]}"))
        .contains("methodConfig[0].waitForReady: 'yes' (expected: true or false)");
  }

  @Test
  void unknownTopLevelFieldsAreIgnored() {
    ParsedServiceConfig config = parseOk("{\"retryThrottling\":{\"maxTokens\":10},\"healthCheckConfig\":{}}");

    assertThat(config.loadBalancingPolicy()).isEmpty();
  }
}
