package dev.switchboard.channel.core.interop;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The interop cases against grpc-java's interop {@code TestServiceImpl}. */
class GrpcJavaInteropCasesTest extends InteropCases {

  private static GrpcJavaInteropServer server;

  @BeforeAll
  static void startServer() {
    server = GrpcJavaInteropServer.plaintext();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  InetSocketAddress serverAddress() {
    return server.address();
  }
}
