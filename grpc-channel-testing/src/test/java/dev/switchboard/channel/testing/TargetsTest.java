package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.resolver.ClientConn;
import dev.switchboard.channel.api.resolver.Resolver;
import dev.switchboard.channel.api.resolver.ResolverArgs;
import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.core.ChannelBuilder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetsTest {

  /** Hands the target it is given to the test. */
  private static final class Capturing implements ResolverProvider {
    final CompletableFuture<Target> target = new CompletableFuture<>();

    @Override
    public String scheme() {
      return "cap";
    }

    @Override
    public Resolver newResolver(Target t, ClientConn clientConn, ResolverArgs args) {
      target.complete(t);
      return new Resolver() {
        @Override
        public void resolveNow() {}

        @Override
        public void close() {}
      };
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cap:///orders:443", "cap://auth:1/a/b?x=1&y=%26", "cap:relative/x?", "CAP:/abs%20path",
      "cap:///[fe80::1%25lo]:1"})
  void parsesExactlyAsTheChannelHandsTheTargetToItsResolver(String text) throws Exception {
    Capturing provider = new Capturing();
    ManagedChannel channel = ChannelBuilder.forTarget(text).resolverProvider(provider).usePlaintext().build();
    try {
      channel.state(true);
      assertThat(Targets.parse(text)).isEqualTo(provider.target.get(10, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void malformedTargetsFailAsTheChannelsBuilderDoes() {
    assertThatThrownBy(() -> Targets.parse("cap:///a#fragment"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target 'cap:///a#fragment': it has a fragment '#fragment' (expected: none)");
  }

  @Test
  void aTargetWithoutASchemeGetsDns() {
    Target t = Targets.parse("10.0.0.1:443");
    assertThat(t.scheme()).isEqualTo("dns");
    assertThat(t.endpoint()).isEqualTo("10.0.0.1:443");
    assertThat(Targets.parse("orders:443", "dns", java.util.Set.of("passthrough")).endpoint())
        .as("a scheme no resolver serves").isEqualTo("orders:443");
  }
}
