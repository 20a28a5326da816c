import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import dev.switchboard.channel.testing.backend.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Build step of the image (run by the distribution pom as a single-file program, on the class path
 * of the image's module folder for the test backend and protobuf): installs the image's own
 * launcher over the one jlink wrote, then, unless told to skip, gives the image its class-data
 * sharing archive, {@code lib/server/classes.jsa}: the JDK's default place, so the launcher needs
 * no flag for it.
 *
 * <p>The archive holds the classes the image's commands load, the JDK's and the image's own alike:
 * a {@link TestBackend} starts in this JVM on 127.0.0.1, and the new launcher runs, each with
 * {@code -XX:DumpLoadedClassList} (through {@code JDK_JAVA_OPTIONS}, so with the launcher's flags),
 * <ul>
 *   <li>{@code call 127.0.0.1:PORT --plaintext -n 1}, the health check with its report;
 *   <li>{@code call … --method grpc.health.v1.Health/Check --data {} --protoset FILE}, a call with
 *       JSON (the descriptor set is written here, the backend needs no reflection);
 *   <li>{@code describe 127.0.0.1:PORT --plaintext}, the reflection client (the backend offers no
 *       reflection: the command fails, as expected, after loading its classes).
 * </ul>
 * The image's java then dumps one static archive from the three lists ({@code -Xshare:dump
 * -XX:SharedClassListFile}, with the CLI's module as the main module so that the image's own
 * modules are resolved and their classes archived). A dynamic archive on top of the JDK's would be
 * trained by one run only. A run through the launcher must then load the CLI's main class from the
 * archive, or the build fails. With skip, the image gets no archive.
 *
 * <p>Usage: {@code java -cp '<module folder>/*' LauncherAndArchive.java <image> <launcher> <skip>};
 * or {@code … LauncherAndArchive.java --health-protoset FILE} writes the descriptor set of the JSON
 * training call to FILE and does nothing else ({@code scripts/compare-images.sh} uses it).
 */
public final class LauncherAndArchive {
  private static final String MAIN_MODULE = "dev.switchboard.cli/dev.switchboard.cli.internal.Main";
  private static final String MAIN_CLASS = "dev.switchboard.cli.internal.Main";

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--health-protoset")) {
      Files.write(Path.of(args[1]), healthDescriptorSet().toByteArray());
      return;
    }
    if (args.length != 3) {
      fail("usage: LauncherAndArchive <image> <launcher script> <skip archive: true|false>");
    }
    Path image = Path.of(args[0]);
    Path launcher = image.resolve("bin/switchboard");
    Files.copy(Path.of(args[1]), launcher, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path archive = image.resolve("lib/server/classes.jsa");
    Files.deleteIfExists(archive);
    if (Boolean.parseBoolean(args[2])) {
      System.out.println("switchboard image: launcher installed; no class-data sharing archive (switchboard.cds.skip)");
      return;
    }
    Path work = Files.createTempDirectory("switchboard-cds");
    try (TestBackend backend = TestBackend.newBuilder().name("cds-training").build().start()) {
      String target = "127.0.0.1:" + backend.port();
      Path protoset = work.resolve("health.protoset");
      Files.write(protoset, healthDescriptorSet().toByteArray());
      List<Training> trainings = List.of(
          new Training(0, "call", target, "--plaintext", "-n", "1"),
          new Training(0, "call", target, "--plaintext", "--method", "grpc.health.v1.Health/Check",
              "--data", "{}", "--protoset", protoset.toString()),
          new Training(1, "describe", target, "--plaintext")); // no reflection: exit 1
      Set<String> classes = new LinkedHashSet<>();
      for (int i = 0; i < trainings.size(); i++) {
        Path list = work.resolve("run" + i + ".classlist");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(trainings.get(i).args()));
        run(command, "-XX:DumpLoadedClassList=" + list.toAbsolutePath(), trainings.get(i).expectedExit());
        Files.readAllLines(list).stream().filter(l -> !l.startsWith("#")).forEach(classes::add);
      }
      Path merged = work.resolve("merged.classlist");
      Files.write(merged, classes);
      // With the launcher's collector: a dump with G1 adds archived heap objects (1.8 MB here) that
      // made a call start no faster.
      run(List.of(image.resolve("bin/java").toString(), "-XX:+UseSerialGC", "-Xshare:dump",
          "-XX:SharedClassListFile=" + merged, "-XX:SharedArchiveFile=" + archive.toAbsolutePath(),
          "-m", MAIN_MODULE), "", 0);
      if (!Files.exists(archive)) {
        fail("switchboard image: the dump wrote no " + archive);
      }

      String check = run(List.of(launcher.toString(), "call", target, "--plaintext", "-n", "1"),
          "-Xlog:class+load=info", 0);
      if (!check.contains(MAIN_CLASS + " source: shared objects file")) {
        fail("switchboard image: the launcher did not load " + MAIN_CLASS + " from " + archive + ":\n" + check);
      }
      long loaded = check.lines().filter(l -> l.contains(" source: ")).count();
      long fromArchive = check.lines().filter(l -> l.contains(" source: shared objects file")).count();
      System.out.printf(Locale.ROOT, "switchboard image: launcher installed; lib/server/classes.jsa %.1f MB"
          + " (%d classes of 3 training runs): of the %d classes a call loads, %d come from it%n",
          Files.size(archive) / 1e6, classes.size(), loaded, fromArchive);
    } finally {
      try (var files = Files.list(work)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(work);
    }
  }

  /** A training run of the launcher: its arguments and the exit code it must end with. */
  private record Training(int expectedExit, String... args) {}

  /** {@code grpc/health/v1/health.proto} as a descriptor set: what the TestBackend serves. */
  private static FileDescriptorSet healthDescriptorSet() {
    FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setNumber(1)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
    EnumDescriptorProto.Builder servingStatus = EnumDescriptorProto.newBuilder().setName("ServingStatus");
    String[] statuses = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
    for (int i = 0; i < statuses.length; i++) {
      servingStatus.addValue(EnumValueDescriptorProto.newBuilder().setName(statuses[i]).setNumber(i));
    }
    FileDescriptorProto health = FileDescriptorProto.newBuilder()
        .setName("grpc/health/v1/health.proto").setPackage("grpc.health.v1").setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("HealthCheckRequest")
            .addField(field.clone().setName("service").setJsonName("service")
                .setType(FieldDescriptorProto.Type.TYPE_STRING)))
        .addMessageType(DescriptorProto.newBuilder().setName("HealthCheckResponse")
            .addField(field.clone().setName("status").setJsonName("status")
                .setType(FieldDescriptorProto.Type.TYPE_ENUM)
                .setTypeName(".grpc.health.v1.HealthCheckResponse.ServingStatus"))
            .addEnumType(servingStatus))
        .addService(ServiceDescriptorProto.newBuilder().setName("Health")
            .addMethod(MethodDescriptorProto.newBuilder().setName("Check")
                .setInputType(".grpc.health.v1.HealthCheckRequest")
                .setOutputType(".grpc.health.v1.HealthCheckResponse")))
        .build();
    return FileDescriptorSet.newBuilder().addFile(health).build();
  }

  /**
   * Runs {@code command} with {@code jvmOptions} in {@code JDK_JAVA_OPTIONS}; returns its output,
   * both streams. Exiting with anything but {@code expectedExit} fails the build.
   */
  private static String run(List<String> command, String jvmOptions, int expectedExit)
      throws IOException, InterruptedException {
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
    if (p.exitValue() != expectedExit) {
      fail("switchboard image: " + String.join(" ", command) + " (JDK_JAVA_OPTIONS=" + jvmOptions
          + ") exited with " + p.exitValue() + " (expected: " + expectedExit + "):\n" + output);
    }
    return output;
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }
}
