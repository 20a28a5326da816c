package dev.switchboard.protoc.internal;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * protoc's Java names (those of {@code protoc --java_out}, protobuf 4.x, up to edition 2023), so
 * that the generated stubs name the message classes protoc's Java generator writes, and grpc-java's
 * names for methods.
 *
 * <ul>
 *   <li>The Java package of a file is its {@code java_package}, else its proto package.
 *   <li>Its outer class is {@code java_outer_classname}, else the file's base name in camel case
 *       ({@code foo_bar.proto} is {@code FooBar}), with {@code OuterClass} appended when a message,
 *       enum or service of the file (nested ones included) has that name.
 *   <li>A message is nested in the outer class unless {@code java_multiple_files} is set; nested
 *       messages are nested classes.
 * </ul>
 *
 * <p>Immutable and thread-safe once built.
 */
final class JavaNames {

  /** Java's keywords and literals: a method of that name gets an underscore, as in grpc-java. */
  private static final Set<String> JAVA_KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
      "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
      "native", "new", "package", "private", "protected", "public", "return", "short", "static",
      "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
      "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed",
      "permits", "non-sealed", "_");

  /** ".package.Message.Nested" to the Java class name, for every message of every file. */
  private final Map<String, String> messageClasses = new HashMap<>();

  private JavaNames() {}

  /** Indexes the messages of {@code files} (the request's files, imports included). */
  static JavaNames of(List<FileDescriptorProto> files) {
    JavaNames names = new JavaNames();
    for (FileDescriptorProto file : files) {
      String javaPackage = javaPackage(file);
      String prefix = (javaPackage.isEmpty() ? "" : javaPackage + ".")
          + (file.getOptions().getJavaMultipleFiles() ? "" : outerClassName(file) + ".");
      String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
      for (DescriptorProto message : file.getMessageTypeList()) {
        names.index(message, protoPrefix, prefix);
      }
    }
    return names;
  }

  private void index(DescriptorProto message, String protoPrefix, String javaPrefix) {
    String protoName = protoPrefix + message.getName();
    String javaName = javaPrefix + message.getName();
    messageClasses.put(protoName, javaName);
    for (DescriptorProto nested : message.getNestedTypeList()) {
      index(nested, protoName + ".", javaName + ".");
    }
  }

  /**
   * Returns the Java class of the message {@code protoType} (as a method's {@code input_type}
   * names it: {@code .package.Message}), if a file of the request defines it.
   */
  Optional<String> messageClass(String protoType) {
    return Optional.ofNullable(messageClasses.get(protoType));
  }

  /** Returns the Java package of {@code file}'s generated classes ("" for none). */
  static String javaPackage(FileDescriptorProto file) {
    return file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
  }

  /** Returns the name of {@code file}'s outer class, as protoc's Java generator chooses it. */
  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = file.getName();
    String base = name.substring(name.lastIndexOf('/') + 1);
    if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    } else if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    String className = underscoresToCamelCase(base, true);
    return conflicts(file, className) ? className + "OuterClass" : className;
  }

  private static boolean conflicts(FileDescriptorProto file, String className) {
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      if (e.getName().equals(className)) {
        return true;
      }
    }
    if (file.getServiceList().stream().anyMatch(s -> s.getName().equals(className))) {
      return true;
    }
    return file.getMessageTypeList().stream().anyMatch(m -> conflicts(m, className));
  }

  private static boolean conflicts(DescriptorProto message, String className) {
    if (message.getName().equals(className)
        || message.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(className))) {
      return true;
    }
    return message.getNestedTypeList().stream().anyMatch(m -> conflicts(m, className));
  }

  /** protoc's {@code UnderscoresToCamelCase}: letters after a non-letter are capitalized. */
  static String underscoresToCamelCase(String input, boolean capitalizeFirst) {
    StringBuilder result = new StringBuilder(input.length());
    boolean capNext = capitalizeFirst;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 'a' && c <= 'z') {
        result.append(capNext ? (char) (c - 'a' + 'A') : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        result.append(i == 0 && !capNext ? (char) (c - 'A' + 'a') : c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        result.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return result.toString();
  }

  /**
   * Returns the Java method name of the RPC {@code rpcName}, as grpc-java's generator makes it:
   * first letter lower case, underscores dropped with the next letter upper case, and an
   * underscore appended to a Java keyword ({@code Import} is {@code import_}).
   */
  static String methodName(String rpcName) {
    String lower = mixedLower(rpcName);
    return JAVA_KEYWORDS.contains(lower) ? lower + "_" : lower;
  }

  /** Returns the name of the static method that returns an RPC's descriptor: {@code getSayHelloMethod}. */
  static String descriptorGetterName(String rpcName) {
    return mixedLower("get_" + rpcName + "_method");
  }

  /** Returns the name of the constant that holds an RPC's descriptor: {@code METHOD_SAY_HELLO}. */
  static String descriptorFieldName(String rpcName) {
    StringBuilder w = new StringBuilder("METHOD_");
    for (int i = 0; i < rpcName.length(); i++) {
      char c = rpcName.charAt(i);
      w.append(Character.toUpperCase(c));
      if (i < rpcName.length() - 1 && Character.isLowerCase(c) && Character.isUpperCase(rpcName.charAt(i + 1))) {
        w.append('_');
      }
    }
    return w.toString();
  }

  private static String mixedLower(String word) {
    StringBuilder w = new StringBuilder(word.length());
    w.append(Character.toLowerCase(word.charAt(0)));
    boolean afterUnderscore = false;
    for (int i = 1; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == '_') {
        afterUnderscore = true;
      } else {
        w.append(afterUnderscore ? Character.toUpperCase(c) : c);
        afterUnderscore = false;
      }
    }
    return w.toString();
  }
}
