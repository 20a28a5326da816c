package dev.switchboard.cli.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.switchboard.channel.api.ErrorText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where {@code call} and {@code describe} find the types of a server's services: server reflection
 * ({@link ReflectionSource}) or a descriptor set file ({@link ProtosetSource}).
 *
 * <p>Not thread-safe: one command uses it from one thread.
 */
interface DescriptorSource extends AutoCloseable {

  /** Returns where the types come from, as errors name it. */
  String name();

  /** Returns the full names of the services, sorted. */
  List<String> serviceNames() throws CliException, InterruptedException;

  /**
   * Returns the service {@code fullName}, with the files it needs.
   *
   * @throws CliException (usage) naming the service and the services there are, if there is none
   *     of that name
   */
  ServiceDescriptor service(String fullName) throws CliException, InterruptedException;

  /** Returns every file loaded so far, with their imports: the types an {@code Any} may hold. */
  Collection<FileDescriptor> files();

  /** Ends what the source holds open; never throws. */
  @Override
  void close();

  /**
   * Returns the method {@code methodName} of {@code service}.
   *
   * @throws CliException (usage) naming the method and the methods there are, if there is none of
   *     that name
   */
  static MethodDescriptor method(ServiceDescriptor service, String methodName) throws CliException {
    MethodDescriptor m = service.findMethodByName(methodName);
    if (m == null) {
      List<String> names = new ArrayList<>();
      service.getMethods().forEach(x -> names.add(x.getName()));
      throw CliException.usage("method " + ErrorText.quote(methodName) + " not found in service "
          + service.getFullName() + " (it has: " + (names.isEmpty() ? "none" : String.join(", ", names))
          + ")");
    }
    return m;
  }

  /** Returns the error of a service not found: its name, where it was looked for, what is there. */
  static CliException serviceNotFound(String fullName, String source, List<String> known) {
    return CliException.usage("service " + ErrorText.quote(fullName) + " not found by " + source
        + " (it has: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
  }

  /** Returns the one message type of each of {@code files}, enough for a JSON type registry. */
  static List<Descriptor> anyTypes(Collection<FileDescriptor> files) {
    List<Descriptor> types = new ArrayList<>();
    for (FileDescriptor f : files) {
      types.addAll(f.getMessageTypes());
    }
    return types;
  }
}
