package dev.switchboard.channel.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.channel.api.ManagedChannel;
import dev.switchboard.channel.api.Status;
import dev.switchboard.channel.api.StatusException;
import dev.switchboard.channel.core.ChannelBuilder;
import dev.switchboard.channel.core.internal.channel.FixedAddressResolverProvider;
import io.grpc.testing.integration.EmptyProtos.Empty;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TLS and mutual TLS through the channel against grpc-java's interop server with grpc-java's test
 * certificates ({@code server1.pem} is valid for {@code *.test.google.fr}, signed by {@code ca.pem}).
 */
class ChannelTlsTest {

  /** Long enough for any handshake here; a call that reaches it has hung. */
  private static final Duration NO_HANG = Duration.ofSeconds(10);

  private static ChannelBuilder builderFor(GrpcJavaInteropServer server) {
    return ChannelBuilder.forTarget("127.0.0.1:" + server.address().getPort());
  }

  private static Empty emptyCall(ManagedChannel channel) {
    return SwitchboardTestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(NO_HANG)
        .emptyCall(Empty.getDefaultInstance());
  }

  private static Status failedEmptyCall(ManagedChannel channel) {
    StatusException e = catchThrowableOfType(StatusException.class, () -> emptyCall(channel));
    assertThat(e).as("the call must fail").isNotNull();
    return e.status();
  }

  @Test
  void tlsWithTestTrustRootsAndOverriddenAuthoritySucceeds() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        ManagedChannel channel = builderFor(server)
            .trustRoots(GrpcJavaInteropServer.cert("ca.pem"))
            .overrideAuthority(GrpcJavaInteropServer.TLS_AUTHORITY)
            .build()) {
      assertThat(channel.authority()).isEqualTo(GrpcJavaInteropServer.TLS_AUTHORITY);
      assertThat(emptyCall(channel)).isEqualTo(Empty.getDefaultInstance());
      assertThat(server.lastAuthority()).isEqualTo(GrpcJavaInteropServer.TLS_AUTHORITY);
    }
  }

  @Test
  void mutualTlsWithClientCertificateSucceeds() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.mutualTls();
        ManagedChannel channel = builderFor(server)
            .trustRoots(GrpcJavaInteropServer.cert("ca.pem"))
            .clientCertificate(GrpcJavaInteropServer.cert("client.pem"), GrpcJavaInteropServer.cert("client.key"))
            .overrideAuthority(GrpcJavaInteropServer.TLS_AUTHORITY)
            .build()) {
      assertThat(emptyCall(channel)).isEqualTo(Empty.getDefaultInstance());
    }
  }

  @Test
  void mutualTlsServerRefusesAChannelWithoutClientCertificate() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.mutualTls();
        ManagedChannel channel = builderFor(server)
            .trustRoots(GrpcJavaInteropServer.cert("ca.pem"))
            .overrideAuthority(GrpcJavaInteropServer.TLS_AUTHORITY)
            .build()) {
      Status status = failedEmptyCall(channel);
      assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse(""))
          .contains("closed before the HTTP/2 handshake completed", "rejected the TLS session");
    }
  }

  @Test
  void authorityTheCertificateDoesNotNameIsRefusedAsUnavailableNamingTheMismatch() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        ManagedChannel channel = builderFor(server)
            .trustRoots(GrpcJavaInteropServer.cert("ca.pem"))
            .overrideAuthority("evil.example")
            .build()) {
      Status status = failedEmptyCall(channel);
      assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse(""))
          .contains("the server's certificate is not valid for 'evil.example'");
    }
  }

  @Test
  void addressTargetWithoutAuthorityOverrideIsRefusedByHostnameVerification() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        ManagedChannel channel = builderFor(server).trustRoots(GrpcJavaInteropServer.cert("ca.pem")).build()) {
      Status status = failedEmptyCall(channel);
      assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse(""))
          .contains("the server's certificate is not valid for '127.0.0.1'");
    }
  }

  @Test
  void serverCertificateFromAnUntrustedCaIsRefusedAsUnavailable() throws Exception {
    // No trustRoots: the JDK's default trust store, which does not hold grpc-java's test CA.
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        ManagedChannel channel = builderFor(server)
            .overrideAuthority(GrpcJavaInteropServer.TLS_AUTHORITY)
            .build()) {
      Status status = failedEmptyCall(channel);
      assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.description().orElse("")).contains("the server's certificate is not trusted");
    }
  }

  @Test
  void tlsFailureOnOneAddressIsReportedOverAConnectionRefusedOnTheOther() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls()) {
      InetSocketAddress tls = server.address();
      // Nothing listens on ::1 at the server's port (it is bound to 127.0.0.1).
      InetSocketAddress refused = new InetSocketAddress(InetAddress.getByName("::1"), tls.getPort());
      for (InetSocketAddress[] order : List.of(new InetSocketAddress[] {tls, refused},
          new InetSocketAddress[] {refused, tls})) {
        // As localhost resolves to 127.0.0.1 and ::1.
        try (ManagedChannel channel = ChannelBuilder.forTarget("fixed:///localhost")
            .resolverProvider(FixedAddressResolverProvider.of(order))
            .overrideAuthority(GrpcJavaInteropServer.TLS_AUTHORITY)
            .build()) {
          Status status = failedEmptyCall(channel);
          assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(status.description().orElse("")).as(List.of(order).toString())
              .startsWith("TLS")
              .contains("the server's certificate is not trusted")
              .contains("and 1 other address failed too, " + refused);
        }
      }
    }
  }

  @Test
  void plaintextChannelAgainstTlsServerFailsPromptlyInsteadOfHanging() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.tls();
        ManagedChannel channel = builderFor(server).usePlaintext().build()) {
      long start = System.nanoTime();
      Status status = failedEmptyCall(channel);
      assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(NO_HANG);
      assertThat(status.description().orElse(""))
          .contains("closed before the HTTP/2 handshake completed", "expects TLS");
    }
  }

  @Test
  void tlsChannelAgainstPlaintextServerFailsPromptlyInsteadOfHanging() throws Exception {
    try (GrpcJavaInteropServer server = GrpcJavaInteropServer.plaintext();
        ManagedChannel channel = builderFor(server)
            .trustRoots(GrpcJavaInteropServer.cert("ca.pem"))
            .overrideAuthority(GrpcJavaInteropServer.TLS_AUTHORITY)
            .build()) {
      long start = System.nanoTime();
      Status status = failedEmptyCall(channel);
      assertThat(status.code()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(NO_HANG);
      assertThat(status.description().orElse(""))
          .contains("TLS handshake", "the server did not answer with TLS")
          .hasSizeLessThan(200);
    }
  }
}
