package dev.switchboard.channel.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class StatusInitializationTest {

  /**
   * Status.Code used to build its Status in its constructor while Status's statics read Code's
   * constants: a program whose first touch was {@code Status.Code} (an EnumMap, a switch) failed with
   * an ExceptionInInitializerError. A fresh class loader replays that first touch.
   */
  @Test
  void codeCanBeInitializedBeforeStatus() throws Exception {
    URL classes = Status.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader fresh =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> code = Class.forName(Status.Code.class.getName(), true, fresh);
      Object ok = code.getMethod("toStatus").invoke(code.getEnumConstants()[0]);
      assertThat(ok).hasToString("OK");
      assertThat(Class.forName(Status.class.getName(), true, fresh).getField("OK").get(null))
          .isSameAs(ok);
    }
  }
}
