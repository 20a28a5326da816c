package dev.switchboard.resolver.consul.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.message.BasicHeader;

/**
 * How to talk to one Consul agent: its base URL, the CA that verifies it over HTTPS, the ACL token
 * (never printed) and the blocking queries' wait. Equal settings share watches.
 *
 * <p>Immutable.
 */
final class ConsulAgent {

  /** Above Consul's own jitter (wait/16), for the network and the agent's own work. */
  static final Duration READ_TIMEOUT_MARGIN = Duration.ofSeconds(3);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final String scheme;
  private final String host;
  private final int port;
  private final Optional<Path> caFile;
  private final Optional<String> token;
  private final Duration wait;

  ConsulAgent(boolean https, String host, int port, Optional<Path> caFile, Optional<String> token,
      Duration wait) {
    this.scheme = https ? "https" : "http";
    this.host = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    this.port = port;
    this.caFile = caFile;
    this.token = token;
    this.wait = wait;
  }

  /** Returns {@code http[s]://host}, as consul-api's raw client takes it (the port apart). */
  String schemeAndHost() {
    return scheme + "://" + host;
  }

  int port() {
    return port;
  }

  /** Returns {@code http[s]://host:port}. */
  String baseUrl() {
    return schemeAndHost() + ":" + port;
  }

  Duration waitTime() {
    return wait;
  }

  /** Returns how long a blocking query may take before it counts as hung: wait + wait/16 + margin. */
  Duration readTimeout() {
    return wait.plus(wait.dividedBy(16)).plus(READ_TIMEOUT_MARGIN);
  }

  /**
   * Returns a new HTTP client for this agent: the token in a header (not in URLs, which get
   * logged), the read timeout above the wait, one connection.
   *
   * @throws IOException if the CA file cannot be read or holds no certificate
   */
  CloseableHttpClient newHttpClient() throws IOException {
    HttpClientBuilder builder = HttpClientBuilder.create()
        .setDefaultRequestConfig(RequestConfig.custom()
            .setConnectTimeout(Math.toIntExact(CONNECT_TIMEOUT.toMillis()))
            .setConnectionRequestTimeout(Math.toIntExact(CONNECT_TIMEOUT.toMillis()))
            .setSocketTimeout(Math.toIntExact(readTimeout().toMillis()))
            .build())
        .setMaxConnTotal(2)
        .setMaxConnPerRoute(2)
        .disableAutomaticRetries()
        .disableCookieManagement();
    token.ifPresent(t -> builder.setDefaultHeaders(List.of(new BasicHeader("X-Consul-Token", t))));
    if (caFile.isPresent()) {
      builder.setSSLContext(sslContext(caFile.get()));
    }
    return builder.build();
  }

  private static SSLContext sslContext(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IOException("no certificate in " + caFile);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsulAgent && ((ConsulAgent) o).baseUrl().equals(baseUrl())
        && ((ConsulAgent) o).caFile.equals(caFile) && ((ConsulAgent) o).token.equals(token)
        && ((ConsulAgent) o).wait.equals(wait);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseUrl(), caFile, token, wait);
  }

  /** The base URL only: the token never reaches a log line. */
  @Override
  public String toString() {
    return baseUrl();
  }
}
