/**
 * protobuf-java as a named module: the unchanged classes of {@code com.google.protobuf:protobuf-java}
 * with this descriptor added, so that applications and plugins that use protobuf link with plain
 * {@code jlink} (upstream's jar has only an automatic name, which jlink refuses).
 *
 * <p>The name is upstream's automatic name, so code compiled against the plain jar runs against
 * this one, and a second copy of protobuf on a module path fails at start-up ("Two versions of
 * module com.google.protobuf") instead of running with two. Generated messages live in the
 * application's own module, which exports their package to this one.
 *
 * @since 0.1
 */
module com.google.protobuf {
  requires java.logging;
  requires static jdk.unsupported;

  exports com.google.protobuf;
  exports com.google.protobuf.compiler;
}
