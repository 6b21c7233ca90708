package dev.piecemeal.tracker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Announces to an {@code http://} or {@code https://} tracker (BEP 3, "trackers"): one GET of the
 * {@link AnnounceUrl}, whose body is a bencoded dictionary read by {@link AnnounceResponseParser}.
 * Redirects are followed by hand, at most {@value #MAX_REDIRECTS} times, only to {@code http} and
 * {@code https} and never from https down to http; and the whole exchange, from connecting to the
 * last byte of the last body, redirects included, must end within the timeout. An {@code http://}
 * hop is one {@link HttpGet} over a plain socket; an {@code https://} hop goes through the JDK's
 * {@code java.net.http} client, built at the first one (its TLS set-up costs half a second).
 *
 * <p>A tracker may hand out a {@code tracker id}; this client remembers the last one and sends it
 * back as {@code trackerid}. That is its only state, in one volatile field.
 */
public final class HttpTrackerClient implements Tracker {
  /** The largest response body we read: a response with 1000 IPv6 peers is about 18 KiB. */
  public static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

  /**
   * The most redirects one announce follows. A tracker that moved needs one; a chain of four is a
   * loop or a trap, and each hop costs a connection made at a stranger's word.
   */
  public static final int MAX_REDIRECTS = 3;

  private final URI url;
  private final Duration timeout;
  /** For {@code https://} hops only, made at the first one: see {@link HttpGet} for why. Guarded by this. */
  private HttpClient https;
  private volatile String trackerId;

  /**
   * A client for the tracker at {@code url}.
   *
   * @param timeout the longest wait to connect, and the longest wait for the whole response
   */
  public HttpTrackerClient(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The JDK's client, for TLS; built once, at the first {@code https://} hop. */
  private synchronized HttpClient https() {
    if (https == null) {
      https = HttpClient.newBuilder()
          .connectTimeout(timeout)
          // Redirect.NORMAL would follow any number of redirects to any http(s) URL; send()
          // follows them by hand, under our own rules (redirectTarget).
          .followRedirects(HttpClient.Redirect.NEVER)
          // Trackers speak HTTP/1.1; an HTTP/2 upgrade attempt only confuses the small ones.
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    }
    return https;
  }

  @Override
  public String url() {
    return url.toString();
  }

  @Override
  public AnnounceResponse announce(AnnounceRequest request) throws TrackerException {
    // tag::http-announce[]
    // 1. the URL: the request's fields as query parameters, binary ones percent-encoded
    URI announce = AnnounceUrl.of(url, request, Optional.ofNullable(trackerId));
    // 2. the exchange, its body capped in size and the whole of it in time
    HttpGet.Reply response = send(announce);
    byte[] body = response.body();
    // 3. a status other than 200 is a failure, but the body may still say why, in bencode
    if (response.status() != 200) {
      Optional<String> reason = AnnounceResponseParser.failureReasonIfAny(body);
      if (reason.isPresent()) {
        throw new TrackerFailureException(url(), reason.get());
      }
      throw new TrackerException(
          url(), "HTTP status " + response.status() + AnnounceResponseParser.preview(body));
    }
    // 4. the bencoded answer
    AnnounceResponse answer = AnnounceResponseParser.parse(body, url());
    answer.trackerId().ifPresent(id -> trackerId = id);
    return answer;
    // end::http-announce[]
  }

  /**
   * The exchange, and the redirects it leads to: each hop a new GET of the URL the tracker named,
   * all of them within one deadline.
   */
  private HttpGet.Reply send(URI first) throws TrackerException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI hop = first;
    for (int followed = 0; ; followed++) {
      HttpGet.Reply response = exchange(hop, deadline);
      Optional<URI> next = redirectTarget(hop, response.status(), response.location(), followed);
      if (next.isEmpty()) {
        return response;
      }
      hop = next.get();
    }
  }

  /**
   * One request and its whole response, which must end by {@code deadline} (System.nanoTime):
   * {@link HttpGet} over a plain socket for {@code http://}, the JDK's client for {@code https://}.
   */
  private HttpGet.Reply exchange(URI hop, long deadline) throws TrackerException {
    if (!hop.getScheme().equalsIgnoreCase("https")) {
      try {
        return HttpGet.get(hop, userAgent(), deadline, MAX_RESPONSE_BYTES);
      } catch (IOException e) {
        throw new TrackerException(url(), describe(e), e);
      }
    }
    HttpRequest request = HttpRequest.newBuilder(hop)
        .timeout(timeout)
        .header("User-Agent", userAgent())
        .GET()
        .build();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        https().sendAsync(request, info -> new CappedBody(MAX_RESPONSE_BYTES));
    try {
      // HttpRequest.timeout covers only the wait for the headers; this covers the body too.
      HttpResponse<byte[]> response = exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return new HttpGet.Reply(response.statusCode(), response.headers().firstValue("Location"), response.body());
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new TrackerException(url(), "no response within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new TrackerException(url(), "interrupted while waiting for the tracker", e);
    } catch (ExecutionException e) {
      throw new TrackerException(url(), describe(e.getCause()), e.getCause());
    }
  }

  private static String userAgent() {
    return "Piecemeal/" + PeerId.buildVersion();
  }

  /**
   * Where a response sends us next: empty when it is not a redirect (301, 302, 303, 307, 308), the
   * URL of its {@code Location} header, resolved against {@code from}, when we follow it. The
   * rules, each a {@link TrackerException} when broken: only {@code http} and {@code https} (a
   * {@code file:} or {@code ftp:} URL is not a tracker); never from https down to http (the rule
   * of the JDK's {@code Redirect.NORMAL}, kept); at most {@value #MAX_REDIRECTS} in one announce.
   *
   * @param followed how many redirects this announce has followed so far
   */
  Optional<URI> redirectTarget(URI from, int status, Optional<String> location, int followed)
      throws TrackerException {
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      return Optional.empty();
    }
    if (location.isEmpty()) {
      throw new TrackerException(url(), "HTTP status " + status + " without a Location header");
    }
    URI to;
    try {
      to = from.resolve(new URI(location.get().strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new TrackerException(url(), "redirected to an invalid URL \"" + cut(location.get()) + "\"");
    }
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new TrackerException(url(),
          "redirected to " + shown(to) + ": only http and https are followed");
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw new TrackerException(url(),
          "redirected from https to " + shown(to) + ": a redirect may not drop the encryption");
    }
    if (to.getHost() == null) {
      throw new TrackerException(url(), "redirected to " + shown(to) + ", which names no host");
    }
    if (followed >= MAX_REDIRECTS) {
      throw new TrackerException(url(),
          "redirected more than " + MAX_REDIRECTS + " times (the last time to " + shown(to) + ")");
    }
    return Optional.of(to);
  }

  /**
   * A URL for an error message, without its query: an announce's query is a hundred characters of
   * percent-encoded info-hash and peer id that say nothing to a person.
   */
  private static String shown(URI to) {
    String text = to.toString();
    int query = text.indexOf('?');
    return cut(query < 0 ? text : text.substring(0, query) + "?…");
  }

  /** At most 100 characters of a stranger's text. */
  private static String cut(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }

  /** A short reason a person can act on, for what the HTTP client threw. */
  private String describe(Throwable failure) {
    if (failure instanceof HttpConnectTimeoutException) {
      return "could not connect within " + timeout.toMillis() + " ms";
    }
    if (failure instanceof HttpTimeoutException || failure instanceof SocketTimeoutException) {
      return "no response within " + timeout.toMillis() + " ms";
    }
    if (failure instanceof ConnectException) {
      return "could not connect (connection refused)";
    }
    if (failure instanceof CappedBody.TooLargeException || failure instanceof HttpGet.TooLargeException) {
      return failure.getMessage();
    }
    if (failure instanceof IOException && failure.getMessage() != null) {
      return "HTTP exchange failed: " + failure.getMessage();
    }
    return "HTTP exchange failed: " + failure;
  }
}
