package dev.piecemeal.tracker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Announces to an {@code http://} or {@code https://} tracker (BEP 3, "trackers"): one GET of the
 * {@link AnnounceUrl}, whose body is a bencoded dictionary read by {@link AnnounceResponseParser}.
 * Redirects are followed (but never from https to http), and the whole exchange, from connecting
 * to the last byte of the body, must end within the timeout.
 *
 * <p>A tracker may hand out a {@code tracker id}; this client remembers the last one and sends it
 * back as {@code trackerid}. That is its only state, in one volatile field.
 */
public final class HttpTrackerClient implements Tracker {
  /** The largest response body we read: a response with 1000 IPv6 peers is about 18 KiB. */
  public static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

  private final URI url;
  private final Duration timeout;
  private final HttpClient http;
  private volatile String trackerId;

  /**
   * A client for the tracker at {@code url}.
   *
   * @param timeout the longest wait to connect, and the longest wait for the whole response
   */
  public HttpTrackerClient(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            // Trackers speak HTTP/1.1; an HTTP/2 upgrade attempt only confuses the small ones.
            .version(HttpClient.Version.HTTP_1_1)
            .build();
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
    HttpRequest get =
        HttpRequest.newBuilder(announce)
            .timeout(timeout)
            .header("User-Agent", "Piecemeal/" + PeerId.buildVersion())
            .GET()
            .build();
    // 2. the exchange, its body capped in size and the whole of it in time
    HttpResponse<byte[]> response = send(get);
    byte[] body = response.body();
    // 3. a status other than 200 is a failure, but the body may still say why, in bencode
    if (response.statusCode() != 200) {
      Optional<String> reason = AnnounceResponseParser.failureReasonIfAny(body);
      if (reason.isPresent()) {
        throw new TrackerFailureException(url(), reason.get());
      }
      throw new TrackerException(
          url(), "HTTP status " + response.statusCode() + AnnounceResponseParser.preview(body));
    }
    // 4. the bencoded answer
    AnnounceResponse answer = AnnounceResponseParser.parse(body, url());
    answer.trackerId().ifPresent(id -> trackerId = id);
    return answer;
    // end::http-announce[]
  }

  private HttpResponse<byte[]> send(HttpRequest get) throws TrackerException {
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(get, info -> new CappedBody(MAX_RESPONSE_BYTES));
    try {
      // HttpRequest.timeout covers only the wait for the headers; this covers the body too.
      return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  /** A short reason a person can act on, for what the HTTP client threw. */
  private String describe(Throwable failure) {
    if (failure instanceof HttpConnectTimeoutException) {
      return "could not connect within " + timeout.toMillis() + " ms";
    }
    if (failure instanceof HttpTimeoutException) {
      return "no response within " + timeout.toMillis() + " ms";
    }
    if (failure instanceof ConnectException) {
      return "could not connect (connection refused)";
    }
    if (failure instanceof CappedBody.TooLargeException) {
      return failure.getMessage();
    }
    if (failure instanceof IOException && failure.getMessage() != null) {
      return "HTTP exchange failed: " + failure.getMessage();
    }
    return "HTTP exchange failed: " + failure;
  }
}
