/**
 * An example third-party resolver: the {@code file:} scheme serves the addresses listed in a file,
 * one {@code host:port} per line, and follows the file as it changes.
 *
 * <p>It requires the Switchboard API module and nothing else of Switchboard, exports nothing, and
 * is found through its {@code provides} clause (and {@code META-INF/services} on the class path).
 * Drop its jar into a folder given to {@code switchboard --plugin-path} to use it from the image.
 *
 * @provides dev.switchboard.channel.api.resolver.ResolverProvider the {@code file} scheme
 * @since 0.1
 */
module com.example.resolver.file {
  requires dev.switchboard.channel.api;

  provides dev.switchboard.channel.api.resolver.ResolverProvider
      with com.example.resolver.file.internal.FileResolverProvider;
}
