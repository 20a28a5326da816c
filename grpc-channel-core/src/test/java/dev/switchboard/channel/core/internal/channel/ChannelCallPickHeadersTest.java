package dev.switchboard.channel.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.api.Metadata;
import org.junit.jupiter.api.Test;

/** Headers a pick result carries, added to the call's for that pick's stream. */
class ChannelCallPickHeadersTest {
  private static final Metadata.Key<String> LB_TOKEN = Metadata.Key.of("lb-token", Metadata.ASCII_STRING_MARSHALLER);

  @Test
  void theCallsOtherHeadersStayInOrderAndTheNamesAddedAreReplaced() {
    Metadata.Key<String> a = Metadata.Key.of("a", Metadata.ASCII_STRING_MARSHALLER);
    Metadata.Key<byte[]> bin = Metadata.Key.of("b-bin", Metadata.BINARY_BYTE_MARSHALLER);
    Metadata base = new Metadata();
    base.put(a, "1");
    base.put(LB_TOKEN, "old");
    base.put(bin, new byte[] {7});
    base.put(LB_TOKEN, "older");
    Metadata added = new Metadata();
    added.put(LB_TOKEN, "new");

    Metadata out = ChannelCall.withPickHeaders(base, added);

    assertThat(out.getAll(LB_TOKEN)).containsExactly("new");
    assertThat(out.getAll(a)).containsExactly("1");
    assertThat(out.getAll(bin)).singleElement().satisfies(v -> assertThat(v).containsExactly(7));
    assertThat(base.getAll(LB_TOKEN)).as("the call's own headers, unchanged").containsExactly("old", "older");
    assertThat(added.getAll(LB_TOKEN)).containsExactly("new");
  }
}
