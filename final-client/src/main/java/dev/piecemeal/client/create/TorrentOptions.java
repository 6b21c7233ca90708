package dev.piecemeal.client.create;

import dev.piecemeal.bencode.SafePath;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the person making a torrent chose, beyond the content itself. Only {@code pieceLength},
 * {@code name} and {@code isPrivate} go into the {@code info} dictionary and so change the
 * info-hash; trackers, comment, creator and date sit outside it.
 *
 * <pre>
 * TorrentOptions.trackers("http://127.0.0.1:6969/announce")
 *     .withPieceLength(256 * 1024)
 *     .withPrivate(true)
 *     .withComment("holiday photos")
 * </pre>
 *
 * @param trackers announce URLs, one tier each, in order; empty for a trackerless torrent
 * @param pieceLength a power of two of {@link PieceLength#MIN} to {@link PieceLength#MAX}, or empty
 *     to let {@link PieceLength#choose} pick one from the total size
 * @param name the torrent's name, or empty for the file's or folder's own name
 * @param isPrivate BEP 27's {@code private=1}: peers from the trackers only
 * @param creationDate the {@code creation date} outside {@code info}; empty for none
 */
public record TorrentOptions(
    List<String> trackers,
    OptionalInt pieceLength,
    Optional<String> name,
    boolean isPrivate,
    Optional<String> comment,
    String createdBy,
    Optional<Instant> creationDate) {

  public TorrentOptions {
    trackers = List.copyOf(trackers);
    Objects.requireNonNull(pieceLength, "pieceLength");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(comment, "comment");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(creationDate, "creationDate");
    if (pieceLength.isPresent()) {
      PieceLength.problem(pieceLength.getAsInt()).ifPresent(problem -> {
        throw new IllegalArgumentException("piece length " + pieceLength.getAsInt() + " " + problem);
      });
    }
    if (name.isPresent()) {
      SafePath.problem(name.get()).ifPresent(problem -> {
        throw new IllegalArgumentException("name: " + problem);
      });
    }
  }

  /** These trackers; the piece length chosen from the size; no comment, date or other name. */
  public static TorrentOptions trackers(String... urls) {
    return new TorrentOptions(List.of(urls), OptionalInt.empty(), Optional.empty(), false,
        Optional.empty(), "Piecemeal", Optional.empty());
  }

  public TorrentOptions withTrackers(List<String> urls) {
    return new TorrentOptions(urls, pieceLength, name, isPrivate, comment, createdBy, creationDate);
  }

  public TorrentOptions withPieceLength(int length) {
    return new TorrentOptions(trackers, OptionalInt.of(length), name, isPrivate, comment, createdBy, creationDate);
  }

  public TorrentOptions withName(String newName) {
    return new TorrentOptions(trackers, pieceLength, Optional.of(newName), isPrivate, comment, createdBy, creationDate);
  }

  public TorrentOptions withPrivate(boolean value) {
    return new TorrentOptions(trackers, pieceLength, name, value, comment, createdBy, creationDate);
  }

  public TorrentOptions withComment(String text) {
    return new TorrentOptions(trackers, pieceLength, name, isPrivate, Optional.of(text), createdBy, creationDate);
  }

  public TorrentOptions withCreatedBy(String tool) {
    return new TorrentOptions(trackers, pieceLength, name, isPrivate, comment, tool, creationDate);
  }

  public TorrentOptions withCreationDate(Instant date) {
    return new TorrentOptions(trackers, pieceLength, name, isPrivate, comment, createdBy, Optional.of(date));
  }
}
