/**
 * The HTTP/2 client transport on Netty 4.2: {@link
 * dev.switchboard.channel.core.internal.transport.netty.NettyTransportFactory}, configured by
 * {@link dev.switchboard.channel.core.internal.transport.netty.NettyTransportSettings}, implements
 * the transport seam for the channel. Nothing here is exported; no Netty type reaches an exported
 * package.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Codec.</b> Netty's {@code Http2ConnectionHandler} with a frame listener, not the
 *       child-channel ({@code Http2MultiplexHandler}) API: one handler per connection, no channel
 *       per stream, and direct control of flow control, resets and GOAWAY, as grpc-java's
 *       {@code NettyClientHandler}. A {@code StreamBufferingEncoder} queues streams beyond the
 *       server's MAX_CONCURRENT_STREAMS instead of failing them.</li>
 *   <li><b>Threads.</b> Every connection lives on one event loop; all its state and every
 *       listener callback stay there. Call threads only frame (and gzip) messages into pooled
 *       direct buffers, then hand commands to the connection's {@code WriteQueue}.</li>
 *   <li><b>Write coalescing.</b> The write queue runs all commands queued in an event-loop turn
 *       and flushes once at the end, like grpc-java's WriteQueue; never a flush per message. A
 *       drain flushes early only after 256 KiB of DATA, so a drain of large messages starts moving
 *       while several still share a write, and gives the loop back after 1024 commands. The
 *       channel's high water mark is 1 MiB, so Netty's remote flow controller writes a large
 *       message whole in one pass (at Netty's 64 KiB it left in pieces, one write and one
 *       writability round trip each), and it hands waiting streams the connection's window a full
 *       16 KiB frame at a time (grpc-java's choice; Netty's default quantum is 1 KiB). A one-message stream (unary, server streaming) is one
 *       command: its start, requests and message wait on the caller's side until the half-close,
 *       so the caller wakes the event loop once and HEADERS and DATA leave in one write; a stream
 *       cancelled before that sends nothing. Other streams send their HEADERS at start.</li>
 *   <li><b>Readiness.</b> {@code isReady()} is true while fewer than 32 KiB of the stream's
 *       messages wait to be written (grpc-java's threshold); bytes leave that count when Netty's
 *       remote flow controller writes them, so the server's window drives {@code onReady}.</li>
 *   <li><b>Inbound flow control.</b> Received DATA is returned to the stream's HTTP/2 window only
 *       when the message it belongs to is delivered after {@code request(n)}: a slow consumer holds
 *       the server back and buffers at most one window per stream. The connection window refills
 *       as bytes arrive, so one slow stream does not stall the others. The window (default 1 MiB)
 *       is announced in SETTINGS and, for the connection, with a WINDOW_UPDATE after the server's
 *       first SETTINGS. Unless the window was set, it then follows the link's bandwidth-delay
 *       product ({@code BdpEstimator}, grpc-java's algorithm): a PING goes out with a DATA read,
 *       and when the bytes read before its ACK show the window limits the transfer, the
 *       connection window grows at once and every stream's through a new SETTINGS, up to 8 MiB;
 *       once the window settles, pings thin out to one per five windows of data.</li>
 *   <li><b>Buffers.</b> Sockets read into, and messages are framed in, pooled direct buffers. A
 *       received message reaches the listener as an {@code InputStream} over retained slices of
 *       the received buffers (no copy; the marshaller reads the bytes once); the listener owns
 *       it and must close it (the call layer always does, parsed or dropped). A stream's
 *       undelivered bytes are freed when it closes, however it closes; its receive buffer is
 *       allocated with its first DATA frame.</li>
 *   <li><b>Message limits.</b> An inbound frame header announcing more than the limit (default
 *       4 MiB, per call from {@code CallOptions} or {@code setMaxInboundMessageSize}) ends the
 *       stream at once with RESOURCE_EXHAUSTED and RST_STREAM(CANCEL); gzip output is limited
 *       too. The connection stays usable. Outbound messages over the limit are not sent.</li>
 *   <li><b>Compression.</b> Requests are gzipped (flag 1, {@code grpc-encoding: gzip}) when the
 *       call's compression is "gzip" and {@code setMessageCompression} did not turn it off; any
 *       other name but "identity" is refused at start. {@code grpc-accept-encoding: gzip} is sent;
 *       a response encoding other than gzip or identity ends the stream INTERNAL naming it.</li>
 *   <li><b>Response validation</b> (grpc's PROTOCOL-HTTP2): a non-200 {@code :status} maps per
 *       http-grpc-status-mapping; a missing or non-gRPC content-type, a missing or non-numeric
 *       {@code grpc-status}, DATA before headers, END_STREAM on DATA, or a stream ending inside a
 *       message each end the stream with a status naming the problem. {@code grpc-message} is
 *       percent-decoded as UTF-8. Trailers close the stream only after every buffered message was
 *       delivered.</li>
 *   <li><b>Resets and GOAWAY.</b> RST_STREAM maps per the gRPC HTTP/2 error table
 *       (REFUSED_STREAM is UNAVAILABLE with {@code RpcProgress.REFUSED}). On GOAWAY the listener
 *       hears {@code transportShutdown} at once; streams above the last stream id close UNAVAILABLE
 *       and REFUSED (safe to retry); the others finish; the connection closes when the last ends,
 *       then {@code transportTerminated}.</li>
 *   <li><b>Deadlines.</b> The deadline travels as {@code grpc-timeout} (at most 8 digits, the
 *       finest unit that fits) and the stream also ends itself with DEADLINE_EXCEEDED and
 *       RST_STREAM(CANCEL) when it passes, so a silent server cannot hang a stream; the call layer
 *       may cancel it earlier.</li>
 *   <li><b>Request headers.</b> {@code :method POST}, {@code :scheme}, {@code :path},
 *       {@code :authority} (the call's, else the transport's), {@code content-type},
 *       {@code te: trailers}, {@code user-agent}, then user metadata; reserved names (pseudo
 *       headers, content-type, te, user-agent, grpc-timeout, grpc-encoding, connection headers,
 *       …) are dropped from user metadata; binary values are sent as unpadded base64.
 *       {@code CallOptions.extraHeaders} are the call layer's to merge into the headers it
 *       passes.</li>
 *   <li><b>TLS.</b> JDK provider, ALPN {@code h2} required, hostname verification
 *       ({@code HTTPS} endpoint identification) against the host of the transport's authority,
 *       which is also the SNI name. Trust roots from PEM or the JDK default; optional client
 *       certificate for mutual TLS. A call that overrides {@code :authority} on a TLS connection must
 *       name a host the server's certificate covers (subjectAltName, one-label wildcards), else
 *       it fails UNAVAILABLE naming the authority. A failed handshake is
 *       {@code transportShutdown(UNAVAILABLE)}
 *       naming the address, authority and the JDK's reason.</li>
 *   <li><b>Keepalive</b> (off by default), as grpc-java's KeepAliveManager: after keepalive
 *       time without reading anything, a PING, if streams are open or keepalive-without-calls is
 *       on; anything read before the timeout (default 20 s) settles it, otherwise the connection
 *       closes UNAVAILABLE naming the timeout. A GOAWAY ENHANCE_YOUR_CALM {@code too_many_pings}
 *       doubles the keepalive time of the factory's later connections, as in grpc-java.</li>
 *   <li><b>Connecting.</b> TCP_NODELAY; the connect timeout (default 20 s, gRPC's minimum connect
 *       timeout) bounds the whole way to ready (TCP, TLS, the server's SETTINGS), so a peer that
 *       accepts and stays silent cannot hang a transport. A failure is
 *       {@code transportShutdown(UNAVAILABLE)} naming the address and the cause or the stage that
 *       timed out, then {@code transportTerminated}. The transport is ready on the server's first
 *       SETTINGS; streams started before that are refused (REFUSED, UNAVAILABLE).</li>
 *   <li><b>Event loops.</b> Native epoll where Netty's {@code Epoll.isAvailable()} (Linux x86_64:
 *       the native jar ships that one library), as grpc-java does by default; NIO elsewhere, and
 *       when the system property {@code switchboard.transport.nio} is {@code true} (read when the
 *       shared loops are created). Without a caller-provided group, all factories of the process
 *       share one lazily created group of daemon threads ({@code switchboard-epoll-*} or
 *       {@code switchboard-nio-*}), reference-counted and shut down when the last factory closes.
 *       A caller's group gets the socket channel of its kind: epoll for loops whose I/O handler is
 *       {@code EpollIoHandler}, NIO for any other. The group doubles as the factory's
 *       scheduler. The socket options (TCP_NODELAY, SO_KEEPALIVE, the pooled allocator) are the
 *       same on both.</li>
 * </ul>
 */
package dev.switchboard.channel.core.internal.transport.netty;
