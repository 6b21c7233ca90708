package dev.piecemeal.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 GET of an {@code http://} URL over a plain blocking socket, and its reply: the status
 * line, the headers, the body (by {@code Content-Length}, chunked, or up to the close). What a
 * tracker's announce needs, and nothing more: no TLS, no keep-alive, no compression, no proxy.
 *
 * <pre>
 * GET /announce?info_hash=%a1...&amp;port=6881 HTTP/1.1 \r\n   what we send
 * Host: 127.0.0.1:6969 \r\n
 * User-Agent: Piecemeal/0.1.0 \r\n
 * Connection: close \r\n
 * \r\n
 * HTTP/1.1 200 OK \r\n                                        what we read
 * Content-Length: 38 \r\n
 * \r\n
 * d8:intervali1800e5:peers6:...e                               the body: 38 bytes
 * </pre>
 *
 * <p>Why not {@code java.net.http.HttpClient}, which {@link HttpTrackerClient} still uses for
 * {@code https://}: building one sets up TLS (the security providers, the system's trusted
 * certificates) even when every URL it will see is {@code http://}: 0.4 to 0.8 s on a 2-core
 * machine, before the first announce of a download can leave (chapter 11). This class costs a
 * socket.
 *
 * <p>A reply is untrusted input: the status line and every header line end within {@value
 * #MAX_LINE} bytes, there are at most {@value #MAX_HEADERS} headers, and no length the tracker
 * states sizes an allocation before it is checked against the body cap.
 */
final class HttpGet {
  /** The longest status or header line we read: a real one is a few dozen bytes. */
  static final int MAX_LINE = 8 * 1024;
  /** The most header lines we read. */
  static final int MAX_HEADERS = 100;

  /** A reply: its status, its {@code Location} header if any, its whole body. */
  record Reply(int status, Optional<String> location, byte[] body) {}

  /** The reply's body is larger than the cap; the message says so. */
  static final class TooLargeException extends IOException {
    TooLargeException(int limit) {
      super("response body is larger than " + limit + " bytes");
    }
  }

  private HttpGet() {}

  /**
   * Sends a GET of {@code url} and reads the whole reply, all of it by {@code deadline}
   * ({@link System#nanoTime}): the connection, each read, and the last byte of the body.
   *
   * @throws SocketTimeoutException the deadline passed (connecting or reading)
   * @throws TooLargeException the body would pass {@code maxBody} bytes
   * @throws IOException the connection failed, or the reply is not HTTP
   */
  static Reply get(URI url, String userAgent, long deadline, int maxBody) throws IOException {
    String host = url.getHost();
    int port = url.getPort() == -1 ? 80 : url.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
      OutputStream out = socket.getOutputStream();
      out.write(request(url, userAgent).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(new DeadlineInput(socket, deadline), maxBody);
    }
  }

  /** The request's bytes: the URL's raw (still percent-encoded) path and query, as they are. */
  static String request(URI url, String userAgent) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    String host = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
    return "GET " + target + " HTTP/1.1\r\n"
        + "Host: " + host + "\r\n"
        + "User-Agent: " + userAgent + "\r\n"
        + "Accept-Encoding: identity\r\n"
        + "Connection: close\r\n"
        + "\r\n";
  }

  /** Reads one reply: status line, headers, body; {@code in} is closed by the caller. */
  static Reply read(InputStream in, int maxBody) throws IOException {
    // 1. the status line: "HTTP/1.1 200 OK"
    String statusLine = line(in, "the status line");
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
      throw new IOException("not an HTTP status line: \"" + shown(statusLine) + "\"");
    }
    int status = Integer.parseInt(parts[1]);
    // 2. the headers, up to the empty line; only three of them matter to us
    long contentLength = -1;
    boolean chunked = false;
    Optional<String> location = Optional.empty();
    for (int count = 0; ; count++) {
      String header = line(in, "the headers");
      if (header.isEmpty()) {
        break;
      }
      if (count == MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " header lines");
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not an HTTP header: \"" + shown(header) + "\"");
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> contentLength = contentLength(value, maxBody);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        case "location" -> location = Optional.of(value);
        default -> { }
      }
    }
    // 3. the body: chunked, of the stated length, or everything up to the close
    byte[] body;
    if (chunked) {
      body = chunkedBody(in, maxBody);
    } else if (contentLength >= 0) {
      body = exactly(in, (int) contentLength, "the body");
    } else {
      body = upToTheClose(in, maxBody);
    }
    return new Reply(status, location, body);
  }

  /** A {@code Content-Length}, checked against the cap before anything is allocated for it. */
  private static long contentLength(String value, int maxBody) throws IOException {
    if (!value.matches("[0-9]{1,19}")) {
      throw new IOException("Content-Length \"" + shown(value) + "\" is not a number");
    }
    long length = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    if (length > maxBody) {
      throw new TooLargeException(maxBody);
    }
    return length;
  }

  /** A chunked body (RFC 9112, 7.1): hex size line, that many bytes, CRLF; a size of 0 ends it. */
  private static byte[] chunkedBody(InputStream in, int maxBody) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, "a chunk size");
      int semicolon = sizeLine.indexOf(';'); // chunk extensions: ignored
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
      if (!hex.matches("[0-9a-fA-F]{1,8}")) {
        throw new IOException("not a chunk size: \"" + shown(sizeLine) + "\"");
      }
      long size = Long.parseLong(hex, 16);
      if (size == 0) {
        break;
      }
      if (size > maxBody - body.size()) {
        throw new TooLargeException(maxBody);
      }
      body.write(exactly(in, (int) size, "a chunk"));
      if (!line(in, "the end of a chunk").isEmpty()) {
        throw new IOException("a chunk is longer than its size says");
      }
    }
    while (!line(in, "the trailer").isEmpty()) {
      // trailer fields: read and ignored; line() bounds each, the deadline bounds their number
    }
    return body.toByteArray();
  }

  /** Exactly {@code length} bytes (at most the body cap, checked by the caller). */
  private static byte[] exactly(InputStream in, int length, String what) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new IOException("connection closed after " + bytes.length + " of " + length + " bytes of " + what);
    }
    return bytes;
  }

  /** Everything up to the end of the stream, refused once it passes {@code maxBody}. */
  private static byte[] upToTheClose(InputStream in, int maxBody) throws IOException {
    byte[] bytes = in.readNBytes(maxBody + 1);
    if (bytes.length > maxBody) {
      throw new TooLargeException(maxBody);
    }
    return bytes;
  }

  /** One line up to CRLF (a bare LF is accepted, as most clients do), without it. */
  private static String line(InputStream in, String what) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("connection closed after " + line.length() + " bytes of " + what);
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("a line of " + what + " is longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b); // ISO-8859-1: one char a byte, as HTTP's header text is
    }
  }

  /** At most 60 characters of a stranger's text, for a message. */
  private static String shown(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "…";
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /**
   * The socket's input, each read given only the time left before the deadline: a tracker that
   * sends one byte a second still ends at the deadline, not a socket timeout per byte later. Reads
   * go through a small buffer, so that {@link #line} reading a byte at a time costs no system call
   * a byte.
   */
  private static final class DeadlineInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    DeadlineInput(Socket socket, long deadline) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      if (position == limit && !fill()) {
        return -1;
      }
      return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position == limit && !fill()) {
        return -1;
      }
      int n = Math.min(length, limit - position);
      System.arraycopy(buffer, position, into, offset, n);
      position += n;
      return n;
    }

    private boolean fill() throws IOException {
      socket.setSoTimeout(remainingMillis(deadline));
      int n = in.read(buffer);
      if (n <= 0) {
        return false;
      }
      position = 0;
      limit = n;
      return true;
    }
  }
}
