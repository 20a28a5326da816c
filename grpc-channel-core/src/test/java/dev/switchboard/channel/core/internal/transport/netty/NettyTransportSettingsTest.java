package dev.switchboard.channel.core.internal.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.core.interop.GrpcJavaInteropServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NettyTransportSettingsTest {

  @Test
  void defaultsAreTlsFourMebibytesAndNoKeepAlive() {
    NettyTransportSettings s = NettyTransportSettings.defaults();
    assertThat(s.plaintext()).isFalse();
    assertThat(s.trustRootsPem()).isEmpty();
    assertThat(s.clientCertChainPem()).isEmpty();
    assertThat(s.maxInboundMessageSize()).isEqualTo(4 * 1024 * 1024);
    assertThat(s.flowControlWindow()).isEqualTo(1024 * 1024);
    assertThat(s.autoTuneFlowControl()).isTrue();
    assertThat(s.maxHeaderListSize()).isEqualTo(8192);
    assertThat(s.keepAliveTime()).isEmpty();
    assertThat(s.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.keepAliveWithoutCalls()).isFalse();
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.eventLoopGroup()).isEmpty();
  }

  @Test
  void aWindowSetFixesItAndTurnsTuningOff() {
    NettyTransportSettings s = NettyTransportSettings.newBuilder().flowControlWindow(1024 * 1024).build();
    assertThat(s.flowControlWindow()).isEqualTo(1024 * 1024);
    assertThat(s.autoTuneFlowControl()).isFalse();
    assertThat(s.toBuilder().build().autoTuneFlowControl()).isFalse();
  }

  @Test
  void toBuilderKeepsEverySetting() {
    NettyTransportSettings s = NettyTransportSettings.newBuilder()
        .usePlaintext()
        .flowControlWindow(100_000)
        .maxInboundMessageSize(10)
        .maxHeaderListSize(100)
        .keepAliveTime(Duration.ofSeconds(30))
        .keepAliveTimeout(Duration.ofSeconds(5))
        .keepAliveWithoutCalls(true)
        .connectTimeout(Duration.ofSeconds(3))
        .build();
    assertThat(s.toBuilder().build()).hasToString(s.toString());
  }

  @Test
  void badValuesAreRejectedNamingThem() {
    assertThatThrownBy(() -> NettyTransportSettings.newBuilder().flowControlWindow(10))
        .hasMessageContaining("flowControlWindow: 10");
    assertThatThrownBy(() -> NettyTransportSettings.newBuilder().maxInboundMessageSize(-1))
        .hasMessageContaining("maxInboundMessageSize: -1");
    assertThatThrownBy(() -> NettyTransportSettings.newBuilder().keepAliveTime(Duration.ZERO))
        .hasMessageContaining("keepAliveTime: PT0S");
    assertThatThrownBy(() -> NettyTransportSettings.newBuilder().connectTimeout(Duration.ofMillis(-1)))
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void unreadableTrustRootsFailTheFactoryClearly() {
    NettyTransportSettings s = NettyTransportSettings.newBuilder()
        .trustRoots(new ByteArrayInputStream("not a certificate".getBytes(StandardCharsets.US_ASCII)))
        .build();
    assertThatThrownBy(() -> new NettyTransportFactory(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS settings");
  }

  @Test
  void clientCertificateAndKeyLoadFromPem() {
    NettyTransportSettings s = NettyTransportSettings.newBuilder()
        .trustRoots(GrpcJavaInteropServer.cert("ca.pem"))
        .clientCertificate(GrpcJavaInteropServer.cert("client.pem"), GrpcJavaInteropServer.cert("client.key"))
        .build();
    assertThat(s.clientCertChainPem()).isPresent();
    new NettyTransportFactory(s).close();
  }
}
