package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import dev.switchboard.channel.api.ErrorText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds {@link FileDescriptor}s from {@link FileDescriptorProto}s, with their imports: the files
 * given so far ({@link #add}), else those the {@link Fetcher} finds (server reflection asks the
 * server for the file by name), else protobuf-java's own copy of a well-known type's file
 * ({@code google/protobuf/empty.proto}, …), which a descriptor set made without
 * {@code --include_imports} lacks.
 *
 * <p>Errors name the source ({@code "server reflection of 127.0.0.1:50051"}, {@code "--protoset
 * x.pb"}), the file, and what is wrong with it.
 *
 * <p>Not thread-safe: one command uses it from one thread.
 */
final class DescriptorFiles {

  /** Finds a file that was not given. */
  @FunctionalInterface
  interface Fetcher {
    /** Returns the file named {@code fileName} (and maybe files it imports), or empty if unknown. */
    List<FileDescriptorProto> fetch(String fileName) throws CliException;
  }

  /** protobuf-java's descriptors of the well-known types' files, by file name. */
  static final Map<String, FileDescriptor> WELL_KNOWN = Stream.of(
          AnyProto.getDescriptor(), ApiProto.getDescriptor(), DescriptorProtos.getDescriptor(),
          DurationProto.getDescriptor(), EmptyProto.getDescriptor(), FieldMaskProto.getDescriptor(),
          SourceContextProto.getDescriptor(), StructProto.getDescriptor(),
          TimestampProto.getDescriptor(), TypeProto.getDescriptor(), WrappersProto.getDescriptor())
      .collect(Collectors.toUnmodifiableMap(FileDescriptor::getName,
          Function.identity()));

  private final String source;
  private final Fetcher fetcher;
  private final String missingImportHint;
  private final Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> built = new LinkedHashMap<>();

  /**
   * @param source names where the files come from, in errors
   * @param fetcher finds files not given; {@code name -> List.of()} for none
   * @param missingImportHint ends the error of an import that cannot be found: what to do about it
   */
  DescriptorFiles(String source, Fetcher fetcher, String missingImportHint) {
    this.source = requireNonNull(source, "source");
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.missingImportHint = requireNonNull(missingImportHint, "missingImportHint");
  }

  /** Returns where the files come from, as errors name it. */
  String source() {
    return source;
  }

  /** Adds files; a file already known keeps its first copy. */
  void add(Collection<FileDescriptorProto> files) {
    for (FileDescriptorProto f : files) {
      protos.putIfAbsent(f.getName(), f);
    }
  }

  /** Returns the names of the files given so far, in the order given. */
  List<String> names() {
    return List.copyOf(protos.keySet());
  }

  /** Returns every file built so far, and the files they import. */
  Collection<FileDescriptor> built() {
    return List.copyOf(built.values());
  }

  /**
   * Returns the file {@code name} with its imports, building them if needed.
   *
   * @throws CliException (usage) if the file or an import cannot be found or is not valid
   */
  FileDescriptor build(String name) throws CliException {
    return build(name, new HashSet<>(), Optional.empty());
  }

  private FileDescriptor build(String name, Set<String> inProgress, Optional<String> importer)
      throws CliException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      add(fetcher.fetch(name));
      proto = protos.get(name);
    }
    if (proto == null) {
      FileDescriptor wellKnown = WELL_KNOWN.get(name);
      if (wellKnown != null) {
        built.put(name, wellKnown);
        return wellKnown;
      }
      throw CliException.usage(source + ": " + importer.map(i -> ErrorText.quote(i) + " imports ")
          .orElse("") + ErrorText.quote(name) + ", which is not there"
          + (importer.isPresent() ? " (" + missingImportHint + ")" : ""));
    }
    if (!inProgress.add(name)) {
      throw CliException.usage(source + ": " + ErrorText.quote(name) + " imports itself (a cycle)");
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, inProgress, Optional.of(name)));
    }
    inProgress.remove(name);
    FileDescriptor file;
    try {
      file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    } catch (Descriptors.DescriptorValidationException e) {
      throw CliException.usage(source + ": " + ErrorText.quote(name) + " is not valid: "
          + e.getMessage());
    }
    built.put(name, file);
    return file;
  }
}
