package dev.piecemeal.bencode;

import java.util.Optional;

/**
 * A .torrent file that is valid bencode but not a valid torrent, or not valid bencode at all. The
 * message names the field the way a reader would find it, then the byte offset where the value
 * sits when we know it: {@code info.files[2].path[0]: ".." is not allowed at offset 211}.
 *
 * <p>It extends {@link BencodeException}, so a caller that loads a torrent catches one type.
 */
public class MetainfoException extends BencodeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** A problem with {@code field} (for example {@code info.piece length}) at a byte offset. */
  public MetainfoException(String field, String problem, long offset) {
    super(field + ": " + problem, offset);
    this.field = field;
  }

  /** A problem with {@code field} when no single byte offset applies (a missing key). */
  public MetainfoException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The file is not even valid bencode: keeps the decoder's problem and offset. */
  public MetainfoException(BencodeException notBencode) {
    super(notBencode.problem(), notBencode.offset());
    this.field = null;
    initCause(notBencode);
  }

  /** The field the problem is about; empty when the bencoding itself is broken. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
