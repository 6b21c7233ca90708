package dev.piecemeal.tracker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The URL of an HTTP announce (BEP 3, "trackers"): the tracker's announce URL with the request's
 * fields added as query parameters.
 *
 * <pre>
 * http://127.0.0.1:6969/announce
 *   ?info_hash=%124Vx%9A%BC%DE%F1%23E...   20 raw bytes, percent-encoded
 *   &amp;peer_id=-PM0100-%A1b%00...            20 raw bytes, percent-encoded
 *   &amp;port=6881                             where we accept peers
 *   &amp;uploaded=0&amp;downloaded=0&amp;left=65536     bytes, in decimal
 *   &amp;compact=1                             6 bytes per peer, please (BEP 23)
 *   &amp;event=started                         left out for a regular announce
 *   &amp;numwant=50
 *   &amp;key=1A2B3C4D                           our key, 8 hex digits
 *   &amp;trackerid=...                         only when this tracker gave us one
 * </pre>
 *
 * <p>An announce URL may already carry a query (a private tracker's {@code ?passkey=...}); the
 * parameters are then added after an {@code &amp;}.
 *
 * <p>Simplified: no {@code ip}, {@code ipv4} or {@code ipv6} parameter is sent, so the tracker
 * learns only the address the request came from. libtorrent also tells a tracker reached over IPv4
 * its IPv6 address (BEP 7); a client on one address family at a time does not need it.
 */
public final class AnnounceUrl {
  private AnnounceUrl() {}

  /** The full announce URL for this request; {@code trackerId} is echoed when present. */
  public static URI of(URI announceUrl, AnnounceRequest request, Optional<String> trackerId) {
    StringBuilder query = new StringBuilder();
    // tag::announce-query[]
    query.append("info_hash=").append(PercentEncoding.encode(request.infoHash().bytes()));
    query.append("&peer_id=").append(PercentEncoding.encode(request.peerId().bytes()));
    query.append("&port=").append(request.port());
    query.append("&uploaded=").append(request.uploaded());
    query.append("&downloaded=").append(request.downloaded());
    query.append("&left=").append(request.left());
    query.append("&compact=1");
    if (request.event() != AnnounceEvent.NONE) {
      query.append("&event=").append(request.event().wireName());
    }
    query.append("&numwant=").append(request.numwant());
    query.append("&key=").append(String.format(Locale.ROOT, "%08X", request.key()));
    trackerId.ifPresent(
        id -> query.append("&trackerid=").append(PercentEncoding.encode(latin1(id))));
    // end::announce-query[]

    String base = announceUrl.toString();
    int hash = base.indexOf('#');
    if (hash >= 0) {
      base = base.substring(0, hash);
    }
    String separator = base.indexOf('?') >= 0 ? "&" : "?";
    return URI.create(base + separator + query);
  }

  /** A tracker id is kept one char per byte (see {@link AnnounceResponseParser}), so bytes round-trip. */
  private static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
