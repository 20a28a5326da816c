package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthorityVerifierTest {

  @Test
  void hostIsTheAuthorityWithoutItsPort() {
    assertThat(AuthorityVerifier.host("foo.test.google.fr")).isEqualTo("foo.test.google.fr");
    assertThat(AuthorityVerifier.host("foo.test.google.fr:443")).isEqualTo("foo.test.google.fr");
    assertThat(AuthorityVerifier.host("[::1]:8443")).isEqualTo("::1");
    assertThat(AuthorityVerifier.host("::1")).isEqualTo("::1");
    assertThat(AuthorityVerifier.host("127.0.0.1:80")).isEqualTo("127.0.0.1");
  }
}
