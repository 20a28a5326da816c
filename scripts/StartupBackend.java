// Startup figure of the root README: a TestBackend on a free port, printed; stops on Enter.
import dev.switchboard.channel.testing.backend.TestBackend;
public class Backend {
  public static void main(String[] a) throws Exception {
    TestBackend b = TestBackend.newBuilder().build().start();
    System.out.println(b.port());
    System.out.flush();
    System.in.read();
    b.close();
  }
}
