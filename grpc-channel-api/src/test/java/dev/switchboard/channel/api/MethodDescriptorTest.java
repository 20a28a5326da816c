package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class MethodDescriptorTest {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  @Test
  void namesAreDerivedFromTheFullMethodName() {
    MethodDescriptor<byte[], byte[]> m = MethodDescriptor.newBuilder(BYTES, BYTES)
        .fullMethodName(MethodDescriptor.fullMethodName("pkg.Orders", "Get"))
        .build();

    assertThat(m.fullMethodName()).isEqualTo("pkg.Orders/Get");
    assertThat(m.serviceName()).isEqualTo("pkg.Orders");
    assertThat(m.bareMethodName()).isEqualTo("Get");
    assertThat(m.path()).isEqualTo("/pkg.Orders/Get");
    assertThat(m.type()).isEqualTo(MethodDescriptor.MethodType.UNARY);
  }

  @Test
  void fullMethodNameWithoutServiceOrMethodIsRefusedNamingIt() {
    for (String bad : new String[] {"NoSlash", "/Get", "pkg.Orders/"}) {
      assertThatThrownBy(() -> MethodDescriptor.newBuilder(BYTES, BYTES).fullMethodName(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("fullMethodName: '" + bad + "' (expected: package.Service/Method)");
    }
  }

  @Test
  void safeImpliesIdempotentAndToBuilderKeepsEverything() {
    MethodDescriptor<byte[], byte[]> m = MethodDescriptor.newBuilder(BYTES, BYTES)
        .fullMethodName("pkg.Orders/List")
        .type(MethodDescriptor.MethodType.SERVER_STREAMING)
        .safe(true)
        .build();

    MethodDescriptor<byte[], byte[]> copy = m.toBuilder().build();

    assertThat(m.isIdempotent()).isTrue();
    assertThat(copy.isSafe()).isTrue();
    assertThat(copy.type()).isEqualTo(MethodDescriptor.MethodType.SERVER_STREAMING);
    assertThat(copy.type().clientSendsOneMessage()).isTrue();
    assertThat(copy.type().serverSendsOneMessage()).isFalse();
    assertThat(m.parseResponse(m.streamRequest(new byte[] {1, 2}))).containsExactly(1, 2);
  }
}
