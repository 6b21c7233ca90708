package dev.piecemeal.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a peer listens: an IPv4 or IPv6 address and a TCP port. Trackers hand these out (BEP 3
 * "peers", BEP 7 "peers6"), and later chapters dial them.
 *
 * <p>Printed the way clients print peers: {@code 192.0.2.7:6881}, and IPv6 in brackets,
 * {@code [2001:db8::1]:6881}.
 */
public record PeerAddress(InetAddress address, int port) {
  /** 0..255 in decimal, no leading zero (which some parsers read as octal). */
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  public PeerAddress {
    Objects.requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer port " + port + " is not in 1..65535");
    }
  }

  /** The address of an IP literal and a port; no DNS lookup is made. */
  public static PeerAddress of(String ipLiteral, int port) throws UnknownHostException {
    return new PeerAddress(ipLiteral(ipLiteral), port);
  }

  /**
   * Reads {@code host:port} or {@code [ipv6]:port}, as typed on a command line. The host must be an
   * IP literal.
   *
   * @throws IllegalArgumentException with a message naming the text when it is not an address
   */
  public static PeerAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'" + text + "': write an IPv6 address as [ADDRESS]:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric port");
    }
    try {
      return new PeerAddress(ipLiteral(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "': " + host + " is not an IP address");
    }
  }

  /** For {@code Socket.connect}. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** True for an IPv6 address. */
  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  @Override
  public String toString() {
    String host = address.getHostAddress();
    return isIpv6() ? "[" + host + "]:" + port : host + ":" + port;
  }

  /**
   * Accepts only IP literals: {@link InetAddress#getByName} would look a host name up in DNS,
   * which an address from an untrusted tracker must never trigger. A name made of hex digits
   * ("cafe", "beef.de") is still a name, so IPv4 must be four dotted decimal numbers; text with a
   * colon is taken by the JDK as an IPv6 literal or refused, never looked up.
   */
  private static InetAddress ipLiteral(String text) throws UnknownHostException {
    boolean ipv4 = DOTTED_QUAD.matcher(text).matches();
    boolean ipv6 =
        text.indexOf(':') >= 0
            && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    if (!ipv4 && !ipv6) {
      throw new UnknownHostException(text + " is not an IP literal");
    }
    return InetAddress.getByName(text);
  }
}
