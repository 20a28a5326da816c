package dev.switchboard.channel.core.interop;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The interop cases against a second implementation of gRPC: C-core (Debian's python3-grpcio),
 * serving the same {@code TestService} from {@code interop/ccore_interop_server.py}.
 */
class CCoreInteropCasesTest extends InteropCases {

  private static CCoreInteropServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = CCoreInteropServer.start();
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
