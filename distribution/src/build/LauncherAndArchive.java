import dev.switchboard.channel.testing.backend.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Build step of the image (run by the distribution pom as a single-file program, on the class path
 * of the image's module folder for the test backend): installs the image's own launcher over the
 * one jlink wrote, then, unless told to skip, gives the image a class-data sharing archive of its
 * own classes, {@code lib/switchboard.jsa}.
 *
 * <p>The archive comes from a training run of the image as users run it: a {@link TestBackend}
 * starts in this JVM on 127.0.0.1, and the new launcher runs {@code call 127.0.0.1:PORT --plaintext
 * -n 1} with {@code -XX:ArchiveClassesAtExit} (through {@code JDK_JAVA_OPTIONS}, so with the
 * launcher's own flags), which dumps every class the run loaded from the image and not from the
 * JDK's archive on top of that archive ({@code lib/server/classes.jsa}, step 4; a dynamic archive
 * needs it). A second run through the launcher must then load the CLI's main class from the new
 * archive, or the build fails. With skip, an archive from an earlier build is deleted.
 *
 * <p>Usage: {@code java -cp '<module folder>/*' LauncherAndArchive.java <image> <launcher> <skip>}
 */
public final class LauncherAndArchive {
  private static final String MAIN_CLASS = "dev.switchboard.cli.internal.Main";

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      fail("usage: LauncherAndArchive <image> <launcher script> <skip archive: true|false>");
    }
    Path image = Path.of(args[0]);
    Path launcher = image.resolve("bin/switchboard");
    Files.copy(Path.of(args[1]), launcher, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path archive = image.resolve("lib/switchboard.jsa");
    Files.deleteIfExists(archive);
    if (Boolean.parseBoolean(args[2])) {
      System.out.println("switchboard image: launcher installed; no class-data sharing archive (switchboard.cds.skip)");
      return;
    }
    if (!Files.exists(image.resolve("lib/server/classes.jsa"))) {
      fail("switchboard image: " + image.resolve("lib/server/classes.jsa")
          + " is missing (expected: the JDK's archive, step 4), so no archive of the image's classes can be made");
    }
    try (TestBackend backend = TestBackend.newBuilder().name("cds-training").build().start()) {
      List<String> call = List.of(launcher.toString(), "call", "127.0.0.1:" + backend.port(), "--plaintext", "-n", "1");
      String training = run(call, "-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
      if (!Files.exists(archive)) {
        fail("switchboard image: the training run wrote no " + archive + ":\n" + training);
      }
      String check = run(call, "-Xlog:class+load=info");
      String shared = MAIN_CLASS + " source: shared objects file (top)";
      if (!check.contains(shared)) {
        fail("switchboard image: the launcher did not load " + MAIN_CLASS + " from " + archive + ":\n" + check);
      }
      long loaded = check.lines().filter(l -> l.contains(" source: ")).count();
      long fromArchive = check.lines().filter(l -> l.contains(" source: shared objects file (top)")).count();
      long fromJdk = check.lines().filter(l -> l.contains(" source: shared objects file")).count() - fromArchive;
      System.out.printf(Locale.ROOT, "switchboard image: launcher installed; lib/switchboard.jsa %.1f MB: of the"
          + " %d classes a call loads, %d come from it, %d from the JDK's archive%n",
          Files.size(archive) / 1e6, loaded, fromArchive, fromJdk);
    }
  }

  /**
   * Runs {@code command} with {@code jvmOptions} in {@code JDK_JAVA_OPTIONS}; returns its output,
   * both streams.
   */
  private static String run(List<String> command, String jvmOptions) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("JDK_JAVA_OPTIONS", jvmOptions);
    pb.environment().remove("SWITCHBOARD_PLUGIN_PATH");
    pb.environment().remove("CLASSPATH");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("switchboard image: " + String.join(" ", command) + " did not end within 60 s");
    }
    if (p.exitValue() != 0) {
      fail("switchboard image: " + String.join(" ", command) + " (JDK_JAVA_OPTIONS=" + jvmOptions
          + ") exited with " + p.exitValue() + ":\n" + output);
    }
    return output;
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }
}
