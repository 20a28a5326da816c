package dev.switchboard.resolver.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.ConfigOrError;
import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.ServiceConfig;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.testing.GeneratedInput;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input through the channel as a user has it, with the {@code dns} resolver as the
 * default scheme beside the built-in {@code passthrough}, and {@code round_robin} beside
 * {@code pick_first}: 10 000 targets through {@code ChannelBuilder.build()}, 10 000 service configs
 * through {@code build()} and through a resolver's {@code ClientConn.parseServiceConfig}. Nothing
 * but an {@link IllegalArgumentException} (build) or an error result (parse) may come out, and every
 * message stays within {@link GeneratedInput#MAX_MESSAGE_CHARS}. A failure names the seed to rerun
 * with ({@code -Dswitchboard.fuzz.seed=…}).
 *
 * <p>It lives here because this module's tests see the channel with the plugins that the image
 * ships by default; no DNS query is made (building a channel resolves nothing).
 */
class ChannelInputFuzzTest {

  private static final int CASES = 10_000;

  /** Holds the shared event loops for the run, so that each built channel does not start them. */
  private ManagedChannel keepAlive;

  @BeforeEach
  void holdSharedResources() {
    keepAlive = ChannelBuilder.forTarget("dns:///localhost:1").usePlaintext().build();
  }

  @AfterEach
  void release() throws Exception {
    keepAlive.shutdownNow();
    assertThat(keepAlive.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void generatedTargetsBuildOrFailWithABoundedIllegalArgument() {
    GeneratedInput.check("target", CASES, GeneratedInput::target, target -> {
      ManagedChannel channel;
      try {
        channel = ChannelBuilder.forTarget(target).usePlaintext().build();
      } catch (IllegalArgumentException e) {
        assertBounded(e.getMessage());
        return;
      }
      channel.shutdownNow();
    });
  }

  @Test
  void scopedIpv6LiteralsBuildUnderTheDefaultDnsScheme() {
    // lo is on every Linux machine; an interface that is not there is named in the error.
    for (String target : new String[] {"[fe80::1%25lo]:1", "[fe80::1%lo]:80", "dns://[fe80::1%lo]/localhost:80",
        "dns:///[fe80::1%25lo]:1", "[fe80::1%1]:80"}) {
      ChannelBuilder.forTarget(target).usePlaintext().build().shutdownNow();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ChannelBuilder.forTarget("[fe80::1%nic-x9]:80").usePlaintext().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target '[fe80::1%nic-x9]:80': '[fe80::1%nic-x9]:80': IPv6 zone 'nic-x9' is no network"
            + " interface of this machine (expected: an interface name or index)");
  }

  @Test
  void generatedServiceConfigsBuildOrFailWithABoundedIllegalArgument() {
    GeneratedInput.check("service config", CASES, GeneratedInput::serviceConfig, json -> {
      ManagedChannel channel;
      try {
        channel = ChannelBuilder.forTarget("dns:///localhost:1").usePlaintext().defaultServiceConfig(json)
            .build();
      } catch (IllegalArgumentException e) {
        assertBounded(e.getMessage());
        return;
      }
      channel.shutdownNow();
    });
  }

  @Test
  void generatedServiceConfigsFromAResolverParseToAConfigOrABoundedError() throws Exception {
    CompletableFuture<ClientConn> conn = new CompletableFuture<>();
    ResolverProvider capturing = new ResolverProvider() {
      @Override
      public String scheme() {
        return "capture";
      }

      @Override
      public Resolver newResolver(Target target, ClientConn clientConn, ResolverArgs args) {
        conn.complete(clientConn);
        return new Resolver() {
          @Override
          public void resolveNow() {}

          @Override
          public void close() {}
        };
      }
    };
    ManagedChannel channel = ChannelBuilder.forTarget("capture:///fuzz").resolverProvider(capturing)
        .usePlaintext().build();
    try {
      channel.state(true);
      ClientConn resolverConn = conn.get(10, TimeUnit.SECONDS);
      GeneratedInput.check("service config", CASES, GeneratedInput::serviceConfig, json -> {
        ConfigOrError<ServiceConfig> parsed = resolverConn.parseServiceConfig(json);
        assertThat(parsed).isNotNull();
        if (!parsed.isOk()) {
          assertBounded(parsed.status().description().orElse(""));
        }
      });
    } finally {
      channel.shutdownNow();
    }
  }

  private static void assertBounded(String message) {
    assertThat(message).isNotNull().hasSizeLessThanOrEqualTo(GeneratedInput.MAX_MESSAGE_CHARS);
  }
}
