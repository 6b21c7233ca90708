package dev.piecemeal.messages;

/**
 * The id byte that follows every message's length prefix, and a name for each, used in error
 * messages and traces. A keep-alive has no id: its length prefix is 0 and nothing follows.
 *
 * <p>Ids 0 to 8 are BEP 3's, 9 is BEP 5's (DHT), 13 to 17 are BEP 6's (fast extension), 20 is BEP
 * 10's (extension protocol). Any other id is skipped by {@link MessageReader}.
 */
public final class MessageIds {
  private MessageIds() {}

  public static final int CHOKE = 0;
  public static final int UNCHOKE = 1;
  public static final int INTERESTED = 2;
  public static final int NOT_INTERESTED = 3;
  public static final int HAVE = 4;
  public static final int BITFIELD = 5;
  public static final int REQUEST = 6;
  public static final int PIECE = 7;
  public static final int CANCEL = 8;
  public static final int PORT = 9;
  public static final int SUGGEST = 13;
  public static final int HAVE_ALL = 14;
  public static final int HAVE_NONE = 15;
  public static final int REJECT_REQUEST = 16;
  public static final int ALLOWED_FAST = 17;
  public static final int EXTENDED = 20;

  /** The message's name as the specs write it ("not interested"), or "unknown (id 21)". */
  public static String name(int id) {
    return switch (id) {
      case CHOKE -> "choke";
      case UNCHOKE -> "unchoke";
      case INTERESTED -> "interested";
      case NOT_INTERESTED -> "not interested";
      case HAVE -> "have";
      case BITFIELD -> "bitfield";
      case REQUEST -> "request";
      case PIECE -> "piece";
      case CANCEL -> "cancel";
      case PORT -> "port";
      case SUGGEST -> "suggest";
      case HAVE_ALL -> "have all";
      case HAVE_NONE -> "have none";
      case REJECT_REQUEST -> "reject request";
      case ALLOWED_FAST -> "allowed fast";
      case EXTENDED -> "extended";
      default -> "unknown (id " + id + ")";
    };
  }
}
