package dev.piecemeal.client.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.piecemeal.client.create.ContentScan;
import dev.piecemeal.client.create.TorrentCreator;
import dev.piecemeal.client.create.TorrentOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleContentTest {
  @TempDir Path folder;

  @Test
  void makesFiveFilesNestedOneEmptyOfExactlyTheSizeAskedFor() throws Exception {
    SampleContent sample = SampleContent.write(folder, 1024 * 1024);

    assertThat(sample.root()).isEqualTo(folder.resolve("piecemeal-demo"));
    long total = 0;
    for (Path file : sample.files()) {
      total += Files.size(sample.root().resolve(file));
    }
    assertThat(total).isEqualTo(1024 * 1024).isEqualTo(sample.size());
    assertThat(Files.size(sample.root().resolve("empty.txt"))).isZero();
    assertThat(sample.root().resolve("random/more/three.bin")).isRegularFile();
    for (Path file : sample.files()) {
      if (!file.toString().equals("empty.txt")) {
        assertThat(Files.size(sample.root().resolve(file)) % DemoLab.PIECE_LENGTH)
            .as(file + " is not a whole number of pieces long: pieces straddle files").isNotZero();
      }
    }
  }

  @Test
  void theSameSizeGivesTheSameBytesAndSoTheSameInfoHashOnEveryMachine() throws Exception {
    SampleContent sample = SampleContent.write(folder, 8 * 1024 * 1024);

    var torrent = TorrentCreator.create(ContentScan.of(sample.root()),
        TorrentOptions.trackers("http://127.0.0.1:6969/announce").withPieceLength(DemoLab.PIECE_LENGTH), 2,
        (hashed, all) -> { });

    // the info-hash the chapters show for the lab: java.util.Random's bytes are specified
    assertThat(torrent.infoHash().hex()).isEqualTo("363a70aa575d9f33a0b37e003b9aad1489115d81");
  }

  @Test
  void refusesASizeTooSmallForEveryFileToHaveBytes() {
    assertThatThrownBy(() -> SampleContent.write(folder, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size 1000 is not in 65536..1073741824");
  }
}
