package dev.piecemeal.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.testing.OneByteAtATimeInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The reply reader of {@link HttpGet}, over replies spelled out byte by byte. */
class HttpGetTest {
  private static final int CAP = 64;

  private static byte[] ascii(String... lines) {
    return String.join("", lines).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Every reply is read twice: whole, and one byte per read, as a slow socket delivers it. */
  private static HttpGet.Reply read(byte[] reply) throws IOException {
    HttpGet.Reply whole = HttpGet.read(new ByteArrayInputStream(reply), CAP);
    HttpGet.Reply trickled = HttpGet.read(new OneByteAtATimeInputStream(reply), CAP);
    assertThat(trickled.status()).isEqualTo(whole.status());
    assertThat(trickled.body()).isEqualTo(whole.body());
    return trickled;
  }

  private static InputStream trickle(byte[] reply) {
    return new OneByteAtATimeInputStream(reply);
  }

  @Test
  void sendsTheRawPathAndQueryAndAsksForTheConnectionToClose() {
    String request = HttpGet.request(URI.create("http://127.0.0.1:6969/announce?info_hash=%A1%00n&port=6881"),
        "Piecemeal/0.1.0");

    assertThat(request).isEqualTo(
        "GET /announce?info_hash=%A1%00n&port=6881 HTTP/1.1\r\n"
            + "Host: 127.0.0.1:6969\r\n"
            + "User-Agent: Piecemeal/0.1.0\r\n"
            + "Accept-Encoding: identity\r\n"
            + "Connection: close\r\n"
            + "\r\n");
  }

  @Test
  void readsABodyOfTheStatedLength() throws IOException {
    HttpGet.Reply reply = read(ascii(
        "HTTP/1.1 200 OK\r\n",
        "Content-Length: 12\r\n",
        "\r\n",
        "d8:intervali1800ee")); // 18 bytes sent; the length says 12, the rest is not ours

    assertThat(reply.status()).isEqualTo(200);
    assertThat(new String(reply.body(), StandardCharsets.ISO_8859_1)).isEqualTo("d8:intervali");
  }

  @Test
  void readsAChunkedBody() throws IOException {
    HttpGet.Reply reply = read(ascii(
        "HTTP/1.1 200 OK\r\n",
        "Transfer-Encoding: chunked\r\n",
        "\r\n",
        "5\r\n", "d8:in\r\n",
        "c;ext=1\r\n", "tervali1800e\r\n",
        "1\r\n", "e\r\n",
        "0\r\n",
        "\r\n"));

    assertThat(new String(reply.body(), StandardCharsets.ISO_8859_1)).isEqualTo("d8:intervali1800ee");
  }

  @Test
  void readsABodyUpToTheCloseWhenNoLengthIsGiven() throws IOException {
    HttpGet.Reply reply = read(ascii("HTTP/1.0 200 OK\n", "Content-Type: text/plain\n", "\n", "de"));

    assertThat(reply.body()).containsExactly('d', 'e');
  }

  @Test
  void keepsTheLocationOfARedirect() throws IOException {
    HttpGet.Reply reply = read(ascii(
        "HTTP/1.1 302 Found\r\n", "location:  /moved?x=1 \r\n", "Content-Length: 0\r\n", "\r\n"));

    assertThat(reply.status()).isEqualTo(302);
    assertThat(reply.location()).contains("/moved?x=1");
    assertThat(reply.body()).isEmpty();
  }

  @Nested
  class Truncated {
    @Test
    void saysHowFarTheStatusLineGot() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 2")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("connection closed after 10 bytes of the status line");
    }

    @Test
    void saysHowFarTheBodyGot() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n", "Content-Length: 13\r\n", "\r\n",
          "d8:inter")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("connection closed after 8 of 13 bytes of the body");
    }

    @Test
    void saysHowFarAChunkGot() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n", "Transfer-Encoding: chunked\r\n",
          "\r\n", "a\r\n", "d8:")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("connection closed after 3 of 10 bytes of a chunk");
    }
  }

  @Nested
  class Malformed {
    @Test
    void refusesAReplyThatIsNotHttp() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("SSH-2.0-OpenSSH_9.2\r\n")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("not an HTTP status line: \"SSH-2.0-OpenSSH_9.2\"");
    }

    @Test
    void refusesAHeaderWithoutAColon() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n", "garbage\r\n", "\r\n")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("not an HTTP header: \"garbage\"");
    }

    @Test
    void refusesALengthThatIsNotANumber() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n", "Content-Length: -1\r\n", "\r\n")),
          CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("Content-Length \"-1\" is not a number");
    }

    @Test
    void refusesAChunkLongerThanItsSize() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n", "Transfer-Encoding: chunked\r\n",
          "\r\n", "2\r\n", "de!\r\n", "0\r\n", "\r\n")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("a chunk is longer than its size says");
    }
  }

  @Nested
  class TooLarge {
    /** The stated length is refused before a byte of the body is read or allocated. */
    @Test
    void refusesAStatedLengthPastTheCapBeforeReadingTheBody() {
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n",
          "Content-Length: 99999999999999999999\r\n", "\r\n")), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("Content-Length \"99999999999999999999\" is not a number");
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n",
          "Content-Length: 9999999999\r\n", "\r\n")), CAP))
          .isInstanceOf(HttpGet.TooLargeException.class)
          .hasMessage("response body is larger than 64 bytes");
    }

    @Test
    void refusesChunksThatAddUpPastTheCap() {
      String chunk = "20\r\n" + "x".repeat(32) + "\r\n";
      assertThatThrownBy(() -> HttpGet.read(trickle(ascii("HTTP/1.1 200 OK\r\n", "Transfer-Encoding: chunked\r\n",
          "\r\n", chunk, chunk, "1\r\n", "x\r\n", "0\r\n", "\r\n")), CAP))
          .isInstanceOf(HttpGet.TooLargeException.class);
    }

    @Test
    void refusesABodyUpToTheClosePastTheCap() {
      byte[] head = ascii("HTTP/1.1 200 OK\r\n", "\r\n");
      byte[] reply = Arrays.copyOf(head, head.length + CAP + 1);

      assertThatThrownBy(() -> HttpGet.read(trickle(reply), CAP)).isInstanceOf(HttpGet.TooLargeException.class);
    }

    @Test
    void refusesAnEndlessHeaderLine() {
      byte[] reply = ascii("HTTP/1.1 200 OK\r\n", "X: " + "a".repeat(HttpGet.MAX_LINE) + "\r\n");

      assertThatThrownBy(() -> HttpGet.read(new ByteArrayInputStream(reply), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("a line of the headers is longer than 8192 bytes");
    }

    @Test
    void refusesEndlessHeaders() {
      byte[] reply = ascii("HTTP/1.1 200 OK\r\n", "X: y\r\n".repeat(HttpGet.MAX_HEADERS + 1), "\r\n");

      assertThatThrownBy(() -> HttpGet.read(new ByteArrayInputStream(reply), CAP))
          .isInstanceOf(IOException.class)
          .hasMessage("more than 100 header lines");
    }
  }
}
