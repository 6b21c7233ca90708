package dev.piecemeal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.piecemeal.client.dht.DhtNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where our DHT node listens: BEP 5 clients use the peer port's number over UDP. */
class DhtStartTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path folder;
  private final List<String> log = new ArrayList<>();

  private DownloadOptions options(int dhtPort) {
    return DownloadOptions.builder(folder).listen(LOOPBACK, 0).loopbackOnly(true).dht(true).dhtPort(dhtPort)
        .log(log::add).build();
  }

  /** A UDP port that is free now: the kernel's pick, given back. */
  private static int freeUdpPort() throws Exception {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      return probe.getLocalPort();
    }
  }

  @Test
  void startsTheNodeOnThePeerPortOverUdpByDefault() throws Exception {
    int peerPort = freeUdpPort();

    DhtNode node = DhtStart.start(options(0), new DhtContacts(), peerPort);
    try {
      assertThat(node.address().getPort()).isEqualTo(peerPort);
      assertThat(log).containsExactly("dht node on 127.0.0.1:" + peerPort);
    } finally {
      node.close();
    }
  }

  @Test
  void takesAnotherPortWhenThePeerPortIsTakenOverUdp() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      int peerPort = taken.getLocalPort();

      DhtNode node = DhtStart.start(options(0), new DhtContacts(), peerPort);
      try {
        assertThat(node.address().getPort()).isNotEqualTo(peerPort);
        assertThat(log).startsWith("dht: UDP port " + peerPort + " is taken; the node takes another");
      } finally {
        node.close();
      }
    }
  }

  @Test
  void startsTheNodeOnTheDhtPortGiven() throws Exception {
    int given = freeUdpPort();

    DhtNode node = DhtStart.start(options(given), new DhtContacts(), 1);
    try {
      assertThat(node.address().getPort()).isEqualTo(given);
    } finally {
      node.close();
    }
  }

  @Test
  void namesEveryInterfaceAsIpv4WhenBoundToAllOfThem() throws Exception {
    int peerPort = freeUdpPort();
    DownloadOptions everyInterface = DownloadOptions.builder(folder).loopbackOnly(true).dht(true)
        .log(log::add).build();

    DhtNode node = DhtStart.start(everyInterface, new DhtContacts(), peerPort);
    try {
      assertThat(log).containsExactly("dht node on 0.0.0.0:" + node.address().getPort());
    } finally {
      node.close();
    }
  }
}
