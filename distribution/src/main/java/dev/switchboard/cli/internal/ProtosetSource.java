package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.channel.api.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The types of a descriptor set file ({@code --protoset FILE}, as grpcurl): a serialized
 * {@code google.protobuf.FileDescriptorSet}, such as {@code protoc --descriptor_set_out=FILE
 * --include_imports} writes. Every file of the set is built when it is read, so that a broken set
 * fails at once, naming the file; well-known types the set lacks come from protobuf-java.
 *
 * <p>Not thread-safe: one command uses it from one thread.
 */
final class ProtosetSource implements DescriptorSource {
  private final String name;
  private final DescriptorFiles files;
  private final Map<String, ServiceDescriptor> services = new TreeMap<>();

  private ProtosetSource(String name, DescriptorFiles files) {
    this.name = name;
    this.files = files;
  }

  /**
   * Reads and builds the set in {@code file}.
   *
   * @throws CliException (usage) naming the file, if it cannot be read, is not a descriptor set, or
   *     holds a file that does not build
   */
  static ProtosetSource read(Path file) throws CliException {
    requireNonNull(file, "file");
    String name = "--protoset " + ErrorText.quote(file.toString());
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(file)) {
      set = FileDescriptorSet.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw CliException.usage(name + ": not a descriptor set (google.protobuf.FileDescriptorSet): "
          + e.getMessage());
    } catch (IOException e) {
      throw CliException.usage(name + ": cannot be read: " + e);
    }
    if (set.getFileCount() == 0) {
      throw CliException.usage(name + ": holds no file (expected: a descriptor set such as protoc"
          + " --descriptor_set_out=FILE --include_imports writes)");
    }
    for (var f : set.getFileList()) {
      if (f.getName().isEmpty()) {
        throw CliException.usage(name + ": not a descriptor set (a file without a name)");
      }
    }
    ProtosetSource source = new ProtosetSource(name, new DescriptorFiles(name, fileName -> List.of(),
        "a descriptor set needs protoc's --include_imports"));
    source.files.add(set.getFileList());
    for (String fileName : source.files.names()) {
      FileDescriptor fd = source.files.build(fileName);
      for (ServiceDescriptor s : fd.getServices()) {
        source.services.putIfAbsent(s.getFullName(), s);
      }
    }
    return source;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> serviceNames() {
    return List.copyOf(services.keySet());
  }

  @Override
  public ServiceDescriptor service(String fullName) throws CliException {
    ServiceDescriptor s = services.get(fullName);
    if (s == null) {
      throw DescriptorSource.serviceNotFound(fullName, name, new ArrayList<>(services.keySet()));
    }
    return s;
  }

  @Override
  public Collection<FileDescriptor> files() {
    return files.built();
  }

  @Override
  public void close() {}
}
